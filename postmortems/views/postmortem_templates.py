"""Postmortem templates: the list and the section editor.

Thin: load through selectors (visibility), parse with a form, call one service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from config.errors import ApplicationError, NotFound, PermissionDenied
from incidents.selectors import incident_get
from oncall.access import is_admin
from oncall.forms import show_application_error
from postmortems import forms, selectors, services
from postmortems.placeholders import PLACEHOLDERS
from postmortems.rendering import render_template_preview


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
