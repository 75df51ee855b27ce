"""Web views for postmortems, action items, meetings and templates.

Thin: load through selectors (visibility), parse with a form, call one service, render. A domain
error from a service is shown on the form that caused it, with the service's status code.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.errors import ApplicationError, NotFound, PermissionDenied
from incidents.forms import TaxonomyForm
from incidents.selectors import incident_get, incident_visible_queryset
from oncall.access import can_respond, is_admin
from oncall.forms import show_application_error
from postmortems import forms, selectors, services
from postmortems.exports import FORMATS, export_postmortem
from postmortems.lint import lint_postmortem
from postmortems.models import Meeting, Postmortem, PostmortemReview, PostmortemStatus
from postmortems.placeholders import PLACEHOLDERS
from postmortems.rendering import render_document, render_template_preview
from postmortems.services.documents import EditConflict
from postmortems.trackers import tracker_name

PAGE_SIZE = 50


def _detail_url(postmortem: Postmortem, anchor: str = "") -> str:
    url = reverse("postmortems:detail", kwargs={"pk": postmortem.pk})
    return f"{url}#{anchor}" if anchor else url


# --- list, create, request ----------------------------------------------------------------------


@login_required
@require_GET
def postmortem_list(request):
    status = request.GET.get("status") or None
    if status not in (None, *PostmortemStatus.values):
        status = None
    mine = request.GET.get("mine") == "1"
    postmortems = selectors.postmortem_list(
        user=request.user,
        status=status,
        owner=request.user if mine else None,
        query=request.GET.get("q") or None,
    )
    page = Paginator(postmortems, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "postmortems/postmortem_list.html",
        {
            "page": page,
            "status": status or "",
            "mine": mine,
            "statuses": PostmortemStatus.choices,
            "q": request.GET.get("q", ""),
        },
    )


def _incidents_without_postmortem(user):
    has_one = Postmortem.objects.filter(incident=OuterRef("pk"))
    return incident_visible_queryset(user).filter(~Exists(has_one)).order_by("-declared_at")


@login_required
@require_http_methods(["GET", "POST"])
def postmortem_new(request):
    """Write postmortem: pick the incident and a template; the draft arrives filled in."""
    if not can_respond(request.user):
        raise PermissionDenied(
            "Only responders can write postmortems; your account can only read them."
        )
    incidents = _incidents_without_postmortem(request.user)
    status = 200
    if request.method == "POST":
        form = forms.CreateForm(request.POST, incidents=incidents)
        status = 400
        if form.is_valid():
            try:
                postmortem = services.postmortem_create(
                    user=request.user,
                    incident=form.cleaned_data["incident"],
                    template=form.cleaned_data["template"],
                )
            except ApplicationError as exc:
                show_application_error(form, exc)
                status = exc.status_code
            else:
                messages.success(
                    request, "Draft created from the incident. Write the summary and root cause."
                )
                return redirect("postmortems:edit", pk=postmortem.pk)
    else:
        initial = {}
        number = request.GET.get("incident")
        if number and number.isdigit():
            found = incidents.filter(number=int(number)).first()
            if found is not None:
                initial["incident"] = found.pk
            else:
                existing = Postmortem.objects.filter(
                    incident__number=int(number),
                    incident__in=incident_visible_queryset(request.user),
                ).first()
                if existing is not None:
                    return redirect(_detail_url(existing))
        form = forms.CreateForm(initial=initial, incidents=incidents)
    return render(request, "postmortems/postmortem_new.html", {"form": form}, status=status)


@login_required
@require_POST
def postmortem_request(request, number: int):
    """Anyone who can see an incident can ask for its postmortem."""
    incident = incident_get(user=request.user, number=number)
    form = forms.RequestForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    postmortem = services.postmortem_request(user=request.user, incident=incident, reason=reason)
    messages.success(
        request,
        f"Postmortem requested for {incident.reference}; {postmortem.owner.display_name if postmortem.owner else 'nobody'} owns it.",
    )
    return redirect(_detail_url(postmortem))


# --- the postmortem page ----------------------------------------------------------------------------


def _detail_page(
    request, postmortem: Postmortem, *, status: int = 200, page_error: str = "", **overrides
):
    doc = render_document(postmortem)
    warnings = lint_postmortem(postmortem)
    reviews = list(selectors.active_reviews(postmortem))
    my_review = next((r for r in reviews if r.reviewer_id == request.user.pk), None)
    can_write = can_respond(request.user)
    context = {
        "postmortem": postmortem,
        "incident": postmortem.incident,
        "doc": doc,
        "warnings": warnings,
        "reviews": reviews,
        "my_review": my_review,
        "can_write": can_write,
        "can_review": my_review is not None and postmortem.status == PostmortemStatus.IN_REVIEW,
        "all_approved": bool(reviews)
        and all(r.decision == PostmortemReview.Decision.APPROVED for r in reviews),
        "action_items": selectors.action_item_list(user=request.user, incident=postmortem.incident),
        "overloaded": selectors.overloaded_owners(user=request.user),
        "meetings": selectors.meeting_list(postmortem),
        "formats": FORMATS,
        "page_error": page_error,
        "submit_form": forms.SubmitForm(exclude=[postmortem.owner, request.user]),
        "review_form": forms.ReviewForm(),
        "publish_form": forms.PublishForm(initial={"visibility": postmortem.visibility}),
        "item_form": forms.ActionItemForm(),
        "meeting_form": forms.MeetingForm(),
        "taxonomy_form": TaxonomyForm(initial=TaxonomyForm.initial_for(postmortem.incident)),
        "taxonomy_action": reverse("postmortems:taxonomy", args=[postmortem.pk]),
    }
    context.update(overrides)
    return render(request, "postmortems/postmortem_detail.html", context, status=status)


@login_required
@require_GET
def postmortem_detail(request, pk: int):
    return _detail_page(request, selectors.postmortem_get(user=request.user, pk=pk))


@login_required
@require_POST
def postmortem_submit(request, pk: int):
    postmortem = selectors.postmortem_get(user=request.user, pk=pk)
    form = forms.SubmitForm(request.POST, exclude=[postmortem.owner, request.user])
    if form.is_valid():
        try:
            services.postmortem_submit(
                user=request.user,
                postmortem=postmortem,
                reviewers=list(form.cleaned_data["reviewers"]),
            )
        except ApplicationError as exc:
            show_application_error(form, exc)
            return _detail_page(request, postmortem, status=exc.status_code, submit_form=form)
        messages.success(request, "Sent for review.")
        return redirect(_detail_url(postmortem))
    return _detail_page(request, postmortem, status=400, submit_form=form)


@login_required
@require_POST
def postmortem_review(request, pk: int):
    postmortem = selectors.postmortem_get(user=request.user, pk=pk)
    form = forms.ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.postmortem_review(
                user=request.user, postmortem=postmortem, **form.cleaned_data
            )
        except ApplicationError as exc:
            show_application_error(form, exc)
            return _detail_page(request, postmortem, status=exc.status_code, review_form=form)
        messages.success(request, "Review recorded.")
        return redirect(_detail_url(postmortem))
    return _detail_page(request, postmortem, status=400, review_form=form)


@login_required
@require_POST
def postmortem_publish(request, pk: int):
    postmortem = selectors.postmortem_get(user=request.user, pk=pk)
    form = forms.PublishForm(request.POST)
    if form.is_valid():
        try:
            services.postmortem_publish(
                user=request.user, postmortem=postmortem, visibility=form.cleaned_data["visibility"]
            )
        except ApplicationError as exc:
            show_application_error(form, exc)
            return _detail_page(request, postmortem, status=exc.status_code, publish_form=form)
        messages.success(request, "Published. The generated blocks are now frozen as they are.")
        return redirect(_detail_url(postmortem))
    return _detail_page(request, postmortem, status=400, publish_form=form)


@login_required
@require_GET
def postmortem_export(request, pk: int, fmt: str):
    postmortem = selectors.postmortem_get(user=request.user, pk=pk)
    export = export_postmortem(postmortem, fmt)
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


# --- the editor ----------------------------------------------------------------------------------------


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


# --- action items ---------------------------------------------------------------------------------------


@login_required
@require_POST
def action_item_add(request, pk: int):
    postmortem = selectors.postmortem_get(user=request.user, pk=pk)
    form = forms.ActionItemForm(request.POST)
    if form.is_valid():
        try:
            item = services.action_item_create(
                user=request.user, postmortem=postmortem, **form.cleaned_data
            )
        except ApplicationError as exc:
            show_application_error(form, exc)
            return _detail_page(request, postmortem, status=exc.status_code, item_form=form)
        warning = selectors.owner_overload_warning(item.owner)
        messages.success(request, f"Action item added, due {item.due_date:%Y-%m-%d}.")
        if warning:
            messages.warning(request, warning)
        return redirect(_detail_url(postmortem, "action-items"))
    return _detail_page(request, postmortem, status=400, item_form=form)


def _form_errors_text(form) -> str:
    """Every error on ``form`` as one sentence list, each field error named by its label."""
    parts = []
    for name, errors in form.errors.items():
        text = " ".join(errors)
        parts.append(text if name == "__all__" else f"{form[name].label}: {text}")
    return " ".join(parts)


@login_required
@require_POST
def incident_action_item_add(request, number: int):
    """The incident page's "Add action item" form (the postmortem, if any, is linked too).

    This app cannot re-render the incident page, so invalid input goes back to it with the
    errors in a message; a 404/403 (incident not visible, read-only account) is answered as such.
    """
    incident = incident_get(user=request.user, number=number)
    if not can_respond(request.user):
        raise PermissionDenied(
            "Only responders can add action items; your account can only read them."
        )
    back = reverse("incidents:detail", kwargs={"number": incident.number}) + "#action-items"
    form = forms.ActionItemForm(request.POST)
    if form.is_valid():
        try:
            item = services.action_item_create(
                user=request.user, incident=incident, **form.cleaned_data
            )
        except ApplicationError as exc:
            if exc.status_code != 400:
                raise
            show_application_error(form, exc)
        else:
            messages.success(request, f"Action item added, due {item.due_date:%Y-%m-%d}.")
            warning = selectors.owner_overload_warning(item.owner)
            if warning:
                messages.warning(request, warning)
            return redirect(back)
    messages.error(request, f"Action item not added. {_form_errors_text(form)}")
    return redirect(back)


@login_required
@require_GET
def action_item_list(request):
    form = forms.ActionItemFilterForm(request.GET or {"view": "mine"})
    view, status_filter = "mine", None
    if form.is_valid():
        view = form.cleaned_data["view"] or "mine"
        status_filter = form.cleaned_data["status"] or None
    items = selectors.action_item_list(user=request.user, view=view, status=status_filter)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "postmortems/action_item_list.html",
        {
            "form": form,
            "page": page,
            "view": view,
            "overloaded": selectors.overloaded_owners(user=request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_item_detail(request, pk: int):
    item = selectors.action_item_get(user=request.user, pk=pk)
    status = 200
    status_form = forms.ActionItemStatusForm(
        initial={"status": item.status, "wont_do_reason": item.wont_do_reason}
    )
    if request.method == "POST":
        status_form = forms.ActionItemStatusForm(request.POST)
        status = 400
        if status_form.is_valid():
            try:
                services.action_item_update(
                    user=request.user, item=item, changes=status_form.cleaned_data
                )
            except ApplicationError as exc:
                show_application_error(status_form, exc)
                status = exc.status_code
            else:
                messages.success(request, "Action item updated.")
                return redirect("postmortems:action-item", pk=item.pk)
    return render(
        request,
        "postmortems/action_item_detail.html",
        {
            "item": item,
            "status_form": status_form,
            "tracker": tracker_name(item.tracker_url),
            "warning": selectors.owner_overload_warning(item.owner),
        },
        status=status,
    )


# --- meetings ----------------------------------------------------------------------------------------


@login_required
@require_POST
def meeting_add(request, pk: int):
    postmortem = selectors.postmortem_get(user=request.user, pk=pk)
    form = forms.MeetingForm(request.POST)
    if form.is_valid():
        try:
            meeting = services.meeting_schedule(
                user=request.user, postmortem=postmortem, **form.cleaned_data
            )
        except ApplicationError as exc:
            show_application_error(form, exc)
            return _detail_page(request, postmortem, status=exc.status_code, meeting_form=form)
        messages.success(request, "Meeting scheduled; attendees were sent the invite.")
        return redirect("postmortems:meeting", pk=postmortem.pk, meeting_id=meeting.pk)
    return _detail_page(request, postmortem, status=400, meeting_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_detail(request, pk: int, meeting_id: int):
    """Run the meeting: the agenda beside the postmortem, notes saved on it."""
    postmortem = selectors.postmortem_get(user=request.user, pk=pk)
    meeting = selectors.meeting_get(postmortem, meeting_id)
    status = 200
    form = forms.NotesForm(meeting=meeting)
    if request.method == "POST":
        form = forms.NotesForm(request.POST, meeting=meeting)
        status = 400
        if form.is_valid():
            try:
                services.meeting_save_notes(
                    user=request.user, meeting=meeting, notes=form.notes_payload()
                )
            except ApplicationError as exc:
                show_application_error(form, exc)
                status = exc.status_code
            else:
                messages.success(request, "Notes saved on the postmortem.")
                return redirect("postmortems:meeting", pk=postmortem.pk, meeting_id=meeting.pk)
    return render(
        request,
        "postmortems/meeting_detail.html",
        {
            "postmortem": postmortem,
            "meeting": meeting,
            "form": form,
            "doc": render_document(postmortem),
            "formal": meeting.format == Meeting.Format.FORMAL,
        },
        status=status,
    )


@login_required
@require_GET
def meeting_invite(request, pk: int, meeting_id: int):
    postmortem = selectors.postmortem_get(user=request.user, pk=pk)
    meeting = selectors.meeting_get(postmortem, meeting_id)
    response = HttpResponse(
        services.meeting_ics(meeting), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="postmortem-review-{meeting.pk}.ics"'
    return response


# --- templates -----------------------------------------------------------------------------------------


@login_required
@require_GET
def template_list(request):
    return render(
        request,
        "postmortems/template_list.html",
        {
            "templates": selectors.template_list(),
            "can_edit": is_admin(request.user),
            "placeholders": PLACEHOLDERS,
        },
    )


def _template_sections(formset) -> list[dict]:
    return [
        {k: form.cleaned_data.get(k, "") for k in ("key", "title", "purpose", "guidance", "body")}
        for form in formset.forms
        if form.cleaned_data
        and not form.cleaned_data.get("DELETE")
        and form.cleaned_data.get("key")
    ]


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request, slug: str | None = None):
    """Admins create and edit their own templates, previewing them against a real incident."""
    if not is_admin(request.user):
        raise PermissionDenied("Only admins can create or edit postmortem templates.")
    template = selectors.template_get(slug=slug) if slug else None
    if template is not None and template.built_in:
        raise PermissionDenied("Built-in templates cannot be changed; create your own instead.")
    status, preview, preview_error = 200, None, ""
    initial = (
        {"slug": template.slug, "name": template.name, "description": template.description}
        if template
        else {}
    )
    if request.method == "POST":
        form = forms.TemplateForm(request.POST, initial=initial)
        formset = forms.TemplateSectionFormSet(request.POST, prefix="sections")
        status = 400
        if form.is_valid() and formset.is_valid():
            sections = _template_sections(formset)
            if "preview" in request.POST:
                status = 200
                number = form.cleaned_data.get("preview_incident")
                try:
                    incident = incident_get(user=request.user, number=number) if number else None
                except NotFound as exc:
                    preview_error = exc.message
                else:
                    if incident is None:
                        preview_error = "Give an incident number to preview against."
                    else:
                        preview = render_template_preview(sections, incident)
            else:
                try:
                    if template is None:
                        template = services.postmortem_template_create(
                            user=request.user, slug=form.cleaned_data["slug"], name=form.cleaned_data["name"],
                            description=form.cleaned_data["description"], sections=sections,
                        )  # fmt: skip
                    else:
                        services.postmortem_template_update(
                            user=request.user, template=template, name=form.cleaned_data["name"],
                            description=form.cleaned_data["description"], sections=sections,
                        )  # fmt: skip
                except ApplicationError as exc:
                    show_application_error(form, exc)
                    status = exc.status_code
                else:
                    messages.success(request, f"Template {template.name} saved.")
                    return redirect("postmortems:templates")
    else:
        form = forms.TemplateForm(initial=initial)
        if template is not None:
            rows = [
                {
                    "key": s.key,
                    "title": s.title,
                    "purpose": s.purpose,
                    "guidance": s.guidance,
                    "body": s.body,
                }
                for s in template.sections.all()
            ]
        else:
            rows = [
                {"key": "summary", "title": "Summary", "purpose": "summary"},
                {
                    "key": "timeline",
                    "title": "Timeline",
                    "purpose": "timeline",
                    "body": "{{ timeline }}",
                },
            ]
        formset = forms.TemplateSectionFormSet(initial=rows, prefix="sections")
    if template is not None:
        form.fields["slug"].disabled = True
    return render(
        request,
        "postmortems/template_edit.html",
        {
            "template": template,
            "form": form,
            "formset": formset,
            "preview": preview,
            "preview_error": preview_error,
            "placeholders": PLACEHOLDERS,
        },
        status=status,
    )
