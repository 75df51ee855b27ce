"""Action items: add from a postmortem or an incident, the list, one item's page.

Thin: load through selectors (visibility), parse with a form, call one service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.errors import ApplicationError, PermissionDenied
from incidents.selectors import incident_get
from oncall.access import can_respond
from oncall.forms import show_application_error
from postmortems import forms, selectors, services
from postmortems.trackers import tracker_name
from postmortems.views.documents import detail_page, detail_url

PAGE_SIZE = 50


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
            return detail_page(request, postmortem, status=exc.status_code, item_form=form)
        warning = selectors.owner_overload_warning(item.owner)
        messages.success(request, f"Action item added, due {item.due_date:%Y-%m-%d}.")
        if warning:
            messages.warning(request, warning)
        return redirect(detail_url(postmortem, "action-items"))
    return detail_page(request, postmortem, status=400, item_form=form)


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
