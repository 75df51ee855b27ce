"""Web pages for alerts (list, detail, acknowledge) and alert integrations (list, create,
enable/disable, rotate token). Thin: load through selectors, parse with a form, call one service.

The oncall layer never imports incidents: the "declare incident from alerts" form is a plain GET
form to the incidents declare page, reached by its URL name.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from config.errors import ApplicationError, NotFound
from oncall.access import can_respond
from oncall.alerts import services
from oncall.alerts.forms import AlertFilterForm, IntegrationCreateForm, IntegrationEnableForm
from oncall.alerts.models import Alert, Integration
from oncall.alerts.selectors import (
    alert_get,
    alert_inbox,
    alert_instances,
    alert_repeats,
    answer_locks,
    integration_list,
)
from oncall.alerts.services import IssuedToken
from oncall.forms import show_application_error
from oncall.pagination import CappedPaginator

PAGE_SIZE = 50
INTEGRATIONS_FORBIDDEN = (
    "Integrations are configuration: only responders and admins can see and change them. "
    "Ask an admin for the responder role."
)
NO_SUCH_ALERT = "There is no such alert, or you may not see it."


def _link(url: str) -> str:
    """A sender-supplied URL, only if it is an http(s) link (never ``javascript:`` and the like)."""
    url = (url or "").strip()
    return url if urlsplit(url).scheme in ("http", "https") else ""


def _back(request, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _forbidden(request, message: str):
    return render(request, "error.html", {"message": message, "status": 403}, status=403)


# --- alerts ---------------------------------------------------------------------------------


@login_required
@require_GET
def alert_list_page(request):
    """The alerts inbox: one row per alert (its latest firing), firing critical first
    (``alert_inbox``), with how often it fired and the weekly review's answer buttons. With
    ``integration`` and ``fingerprint``: every firing of that one alert, newest first."""
    form = AlertFilterForm(request.GET)
    status = 200
    instances_of = None
    if not form.is_valid():
        alerts = Alert.objects.none()
        status = 400
    elif key := form.alert_key():
        alerts = alert_instances(
            user=request.user, integration_id=key[0], fingerprint=key[1], **form.filters()
        )
    else:
        alerts = alert_inbox(user=request.user, **form.filters())
    number = request.GET.get("page")
    page = CappedPaginator(alerts, PAGE_SIZE, page_number=number).get_page(number)
    rows = list(page.object_list)
    if form.is_valid() and form.alert_key():
        instances_of = rows[0] if rows else None
    else:
        repeats = alert_repeats(user=request.user, alerts=rows)
        for alert in rows:
            alert.repeats = repeats.get((alert.integration_id, alert.fingerprint))
    locks = answer_locks(rows)
    for alert in rows:
        alert.answer_kept_because = locks.get(alert.pk, "")
    page.object_list = rows
    return render(
        request,
        "oncall/alerts/list.html",
        {
            "form": form,
            "page": page,
            "instances_of": instances_of,
            "count_text": f"{page.paginator.count:,}"
            + ("+" if page.paginator.count_is_capped else ""),
            "filtered": any(request.GET.get(k) for k in form.fields),
            "can_write": can_respond(request.user),
            # The weekly review's answer buttons: the same people who may review.
            "can_answer": can_respond(request.user),
        },
        status=status,
    )


@login_required
@require_GET
def alert_detail(request, alert_id: int):
    alert = alert_get(user=request.user, alert_id=alert_id)
    if alert is None:
        raise NotFound(NO_SUCH_ALERT)
    return render(
        request,
        "oncall/alerts/detail.html",
        {
            "alert": alert,
            "labels": sorted(alert.labels.items()) if isinstance(alert.labels, dict) else [],
            "annotations": (
                sorted(alert.annotations.items()) if isinstance(alert.annotations, dict) else []
            ),
            "runbook_link": _link(alert.runbook_url),
            "generator_link": _link(alert.generator_url),
            "can_write": can_respond(request.user),
        },
    )


@login_required
@require_POST
def alert_acknowledge(request, alert_id: int):
    """Acknowledge, then back to the page the button was on; a refusal (a viewer, or an alert
    that already resolved unacknowledged) is shown there as an error message."""
    alert = alert_get(user=request.user, alert_id=alert_id)
    if alert is None:
        raise NotFound(NO_SUCH_ALERT)
    back = _back(request, default=reverse("oncall:alert-detail", args=[alert.pk]))
    try:
        acknowledged = services.alert_acknowledge(user=request.user, alert=alert)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    if acknowledged.acknowledged_by_id == request.user.pk:
        messages.success(request, f"You acknowledged {acknowledged.name}.")
    elif acknowledged.acknowledged_by is not None:
        who = acknowledged.acknowledged_by.display_name
        messages.info(request, f"{acknowledged.name} was already acknowledged by {who}.")
    else:  # the sender reported it acknowledged (e.g. in PagerDuty)
        source = acknowledged.integration.name
        messages.info(request, f"{acknowledged.name} was already acknowledged in {source}.")
    return redirect(back)


# --- integrations ---------------------------------------------------------------------------


def _integration_page(request, *, form=None, status: int = 200):
    return render(
        request,
        "oncall/alerts/integrations.html",
        {
            "integrations": integration_list(user=request.user),
            "form": form or IntegrationCreateForm(),
        },
        status=status,
    )


def _issued_page(request, issued: IssuedToken, *, created: bool):
    """The secret URL, shown this once: it is not stored, so the response must not be cached."""
    response = render(
        request,
        "oncall/alerts/integration_issued.html",
        {
            "issued": issued,
            "integration": issued.integration,
            "created": created,
            "bearer_url": settings.FIREBREAK_BASE_URL
            + reverse("hooks:receive", kwargs={"kind": issued.integration.kind}),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def integration_list_page(request):
    if not can_respond(request.user):
        return _forbidden(request, INTEGRATIONS_FORBIDDEN)
    if request.method != "POST":
        return _integration_page(request)
    form = IntegrationCreateForm(request.POST)
    if not form.is_valid():
        return _integration_page(request, form=form, status=400)
    data = form.cleaned_data
    try:
        issued = services.integration_create(
            user=request.user,
            kind=data["kind"],
            name=data["name"],
            service_slug=data["service"],
            signing_secret=data["signing_secret"],
        )
    except ApplicationError as exc:
        show_application_error(form, exc)
        return _integration_page(request, form=form, status=exc.status_code)
    return _issued_page(request, issued, created=True)


def _integration_for(request, integration_id: int) -> Integration:
    integration = integration_list(user=request.user).filter(pk=integration_id).first()
    if integration is None:
        raise NotFound("There is no such integration.")
    return integration


@login_required
@require_POST
def integration_enable(request, integration_id: int):
    if not can_respond(request.user):
        return _forbidden(request, INTEGRATIONS_FORBIDDEN)
    integration = _integration_for(request, integration_id)
    form = IntegrationEnableForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose whether to enable or disable the integration.")
        return redirect("oncall:integration-list")
    try:
        services.integration_update(
            user=request.user, integration=integration, enabled=form.cleaned_data["enabled"]
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("oncall:integration-list")
    if integration.enabled:
        messages.success(request, f"{integration.name} is enabled: it accepts alerts again.")
    else:
        messages.success(
            request, f"{integration.name} is disabled: its alerts are refused until re-enabled."
        )
    return redirect("oncall:integration-list")


@login_required
@require_POST
def integration_rotate(request, integration_id: int):
    if not can_respond(request.user):
        return _forbidden(request, INTEGRATIONS_FORBIDDEN)
    integration = _integration_for(request, integration_id)
    try:
        issued = services.integration_rotate_token(user=request.user, integration=integration)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("oncall:integration-list")
    return _issued_page(request, issued, created=False)
