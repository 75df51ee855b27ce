"""Postmortem pages: the list, starting one (from an incident or by request), the postmortem page and
its lifecycle (submit, review, publish) and exports.

Thin: load through selectors (visibility), parse with a form, call one service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.errors import ApplicationError, PermissionDenied
from incidents.forms import TaxonomyForm
from incidents.selectors import incident_get, incident_visible_queryset
from oncall.access import can_respond
from oncall.forms import show_application_error
from postmortems import forms, selectors, services
from postmortems.exports import FORMATS, export_postmortem
from postmortems.lint import lint_postmortem
from postmortems.models import Postmortem, PostmortemReview, PostmortemStatus
from postmortems.rendering import render_document


def detail_url(postmortem: Postmortem, anchor: str = "") -> str:
    url = reverse("postmortems:detail", kwargs={"pk": postmortem.pk})
    return f"{url}#{anchor}" if anchor else url


# --- list, create, request ----------------------------------------------------------------------

PAGE_SIZE = 50


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
                    return redirect(detail_url(existing))
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
    return redirect(detail_url(postmortem))


# --- the postmortem page ----------------------------------------------------------------------------


def detail_page(
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
    return detail_page(request, selectors.postmortem_get(user=request.user, pk=pk))


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
            return detail_page(request, postmortem, status=exc.status_code, submit_form=form)
        messages.success(request, "Sent for review.")
        return redirect(detail_url(postmortem))
    return detail_page(request, postmortem, status=400, submit_form=form)


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
            return detail_page(request, postmortem, status=exc.status_code, review_form=form)
        messages.success(request, "Review recorded.")
        return redirect(detail_url(postmortem))
    return detail_page(request, postmortem, status=400, review_form=form)


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
            return detail_page(request, postmortem, status=exc.status_code, publish_form=form)
        messages.success(request, "Published. The generated blocks are now frozen as they are.")
        return redirect(detail_url(postmortem))
    return detail_page(request, postmortem, status=400, publish_form=form)


@login_required
@require_GET
def postmortem_export(request, pk: int, fmt: str):
    postmortem = selectors.postmortem_get(user=request.user, pk=pk)
    export = export_postmortem(postmortem, fmt)
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response
