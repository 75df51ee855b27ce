"""The weekly review's Actionable / Not actionable answer, given from the alerts inbox.

The inbox (``oncall.alerts``, a lower package) shows the buttons on every row and posts here:
the answer is recorded by the review's own service, ``alert_mark_actionable``, exactly as on the
weekly review page. Without JavaScript the form posts and comes back to the same list position
and filters (``next`` plus the row's anchor); with HTMX (``HX-Request``) only the row's answer
cell is sent back, and a refusal is plain text for the page's error box.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from config.errors import ApplicationError, NotFound, ValidationFailed
from oncall.access import can_respond
from oncall.alerts.selectors import alert_get
from oncall.review.services import alert_mark_actionable

NO_SUCH_ALERT = "There is no such alert, or you may not see it."
CHOICES = {"yes": True, "no": False}


def _back(request, alert_id: int) -> str:
    target = request.POST.get("next", "")
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("oncall:alert-list")
    return f"{target.split('#', 1)[0]}#alert-{alert_id}"


def _refused(request, htmx: bool, exc: ApplicationError, alert_id: int):
    if htmx:
        return HttpResponse(exc.message, status=exc.status_code, content_type="text/plain")
    if exc.status_code in (403, 404):
        return render(
            request,
            "error.html",
            {"message": exc.message, "status": exc.status_code},
            status=exc.status_code,
        )
    messages.error(request, exc.message)
    return redirect(_back(request, alert_id))


@login_required
@require_POST
def alert_answer(request, alert_id: int):
    """Record whether one alert was actionable (``actionable=yes|no``). Responders and admins."""
    htmx = request.headers.get("HX-Request") == "true"
    choice = request.POST.get("actionable")
    try:
        if alert_get(user=request.user, alert_id=alert_id) is None:
            raise NotFound(NO_SUCH_ALERT)
        if choice not in CHOICES:
            raise ValidationFailed("Choose Actionable or Not actionable.")
        alert_mark_actionable(user=request.user, alert_ids=[alert_id], actionable=CHOICES[choice])
    except ApplicationError as exc:
        return _refused(request, htmx, exc, alert_id)
    alert = alert_get(user=request.user, alert_id=alert_id)
    if htmx:
        return render(
            request,
            "oncall/alerts/_answer.html",
            {
                "alert": alert,
                "can_answer": can_respond(request.user),
                "next": _back(request, alert_id),
            },
        )
    label = "actionable" if CHOICES[choice] else "not actionable"
    messages.success(request, f"Recorded {alert.name} as {label}.")
    return redirect(_back(request, alert_id))
