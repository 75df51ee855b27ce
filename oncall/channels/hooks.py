"""Acknowledging from a push notification's action button (no browser, no sign-in)."""

from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from config.errors import ApplicationError
from oncall.escalation.paging import alert_acknowledge_by_link


@csrf_exempt  # the signed token is the credential, as for the e-mail's link
@require_POST
def ack_action(request, alert_id: int, token: str):
    """ntfy's "http" action POSTs here with the page's signed acknowledge token. A wrong or
    expired token is 400 and acknowledges nothing."""
    try:
        alert = alert_acknowledge_by_link(alert_id=alert_id, token=token)
    except ApplicationError as exc:
        return JsonResponse(exc.as_dict(), status=exc.status_code)
    by = alert.acknowledged_by.get_username() if alert.acknowledged_by else ""
    return JsonResponse({"acknowledged": True, "alert": alert.pk, "acknowledged_by": by})
