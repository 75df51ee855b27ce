"""The postmortem editor (optimistic locking: a stale save shows both texts), preview and history.

Thin: load through selectors (visibility), parse with a form, call one service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.errors import ApplicationError, PermissionDenied
from oncall.access import can_respond
from oncall.forms import show_application_error
from postmortems import forms, selectors, services
from postmortems.lint import lint_postmortem
from postmortems.models import Postmortem
from postmortems.placeholders import PLACEHOLDERS
from postmortems.rendering import render_document
from postmortems.services.documents import EditConflict


def _edit_form(postmortem: Postmortem, data=None) -> forms.EditForm:
    initial = {
        "version": postmortem.version,
        "title": postmortem.title,
        "tags": ", ".join(postmortem.tags),
        "visibility": postmortem.visibility,
    }
    return forms.EditForm(data, initial=initial, sections=postmortem.sections.all())


def _preview_with_notes(postmortem: Postmortem, sections: list[dict] | None):
    """The rendered document with each writing warning attached to its section, so the preview
    shows it beside its sentence; the warnings themselves (the page lists the rest)."""
    doc = render_document(postmortem, sections=sections)
    warnings = lint_postmortem(postmortem, sections=sections)
    for section in doc.sections:
        section.notes = [w for w in warnings if w.section == section.key and w.excerpt]
    return doc, warnings


def _editor(
    request, postmortem: Postmortem, form, *, status=200, conflict: EditConflict | None = None
):
    sections = None
    if form.is_bound and hasattr(form, "cleaned_data"):
        bodies = {item["key"]: item["body"] for item in form.section_payload()}
        sections = [
            {
                "key": s.key,
                "title": s.title,
                "purpose": s.purpose,
                "body": bodies.get(s.key, s.body),
            }
            for s in form.section_list
        ]
    conflict_sections = []
    if conflict is not None:
        yours = {s["key"]: s["body"] for s in conflict.yours["sections"]}
        for current in conflict.current["sections"]:
            mine = yours.get(current["key"], "")
            conflict_sections.append({**current, "yours": mine, "differs": mine != current["body"]})
    doc, warnings = _preview_with_notes(postmortem, sections)
    return render(
        request,
        "postmortems/postmortem_edit.html",
        {
            "postmortem": postmortem,
            "form": form,
            "doc": doc,
            "warnings": warnings,
            "conflict": conflict,
            "conflict_sections": conflict_sections,
            "placeholders": PLACEHOLDERS,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def postmortem_edit(request, pk: int):
    """Side-by-side editor. Saving without JavaScript posts here; the page's script autosaves
    through the API with the same version lock."""
    postmortem = selectors.postmortem_get(user=request.user, pk=pk)
    if not can_respond(request.user):
        raise PermissionDenied(
            "Only responders can write postmortems; your account can only read them."
        )
    if request.method == "GET":
        return _editor(request, postmortem, _edit_form(postmortem))
    form = _edit_form(postmortem, request.POST)
    if not form.is_valid():
        return _editor(request, postmortem, form, status=400)
    # Send only the sections this author changed since the version they loaded, so a save can
    # never put back old text in a section someone else has edited since.
    base = selectors.version_bodies(postmortem, form.cleaned_data["version"])
    changed = [s for s in form.section_payload() if base is None or base.get(s["key"]) != s["body"]]
    try:
        result = services.postmortem_save(
            user=request.user,
            postmortem=postmortem,
            version=form.cleaned_data["version"],
            sections=changed,
            title=form.cleaned_data["title"],
            tags=form.tag_list(),
            visibility=form.cleaned_data["visibility"],
        )
    except EditConflict as exc:
        postmortem.refresh_from_db()
        # The boxes keep what this author changed and show the saved text everywhere else; the
        # lock moves to the version they now see, so saving again merges.
        data = request.POST.copy()
        data["version"] = str(exc.current["version"])
        mine = {s["key"] for s in changed}
        for section in exc.current["sections"]:
            if section["key"] not in mine:
                data[forms.SECTION_PREFIX + section["key"]] = section["body"]
        merged = _edit_form(postmortem, data)
        merged.is_valid()
        return _editor(request, postmortem, merged, status=409, conflict=exc)
    except ApplicationError as exc:
        show_application_error(form, exc)
        return _editor(request, postmortem, form, status=exc.status_code)
    if result.changed:
        messages.success(request, f"Saved version {result.postmortem.version}.")
    else:
        messages.info(request, "Nothing had changed.")
    return redirect("postmortems:edit", pk=postmortem.pk)


@login_required
@require_POST
def postmortem_preview(request, pk: int):
    """HTMX: the live preview (sanitised) and writing warnings for the text in the editor."""
    postmortem = selectors.postmortem_get(user=request.user, pk=pk)
    form = _edit_form(postmortem, request.POST)
    form.is_valid()
    bodies = {
        s.key: request.POST.get(forms.SECTION_PREFIX + s.key, s.body) for s in form.section_list
    }
    sections = [
        {"key": s.key, "title": s.title, "purpose": s.purpose, "body": bodies[s.key][:100_000]}
        for s in form.section_list
    ]
    doc, warnings = _preview_with_notes(postmortem, sections)
    return render(
        request,
        "postmortems/_preview.html",
        {"doc": doc, "warnings": warnings, "postmortem": postmortem},
    )


# --- history ------------------------------------------------------------------------------------------


@login_required
@require_GET
def postmortem_history(request, pk: int):
    postmortem = selectors.postmortem_get(user=request.user, pk=pk)
    revisions = selectors.revision_list(postmortem)
    diffs = None
    status = 200
    error = ""
    old, new = request.GET.get("from"), request.GET.get("to")
    if old:
        try:
            diffs = selectors.version_diff(
                postmortem, old_version=old, new_version=new or postmortem.version
            )
        except ApplicationError as exc:
            error, status = exc.message, exc.status_code
    return render(
        request,
        "postmortems/postmortem_history.html",
        {
            "postmortem": postmortem,
            "revisions": revisions,
            "diffs": diffs,
            "old": old,
            "new": new or postmortem.version,
            "error": error,
        },
        status=status,
    )


@login_required
@require_GET
def revision_detail(request, pk: int, revision_id: int):
    postmortem = selectors.postmortem_get(user=request.user, pk=pk)
    revision = selectors.revision_get(postmortem, revision_id)
    return render(
        request,
        "postmortems/revision_detail.html",
        {"postmortem": postmortem, "revision": revision},
    )
