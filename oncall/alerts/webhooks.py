"""Alert webhooks: ``POST /hooks/<kind>/<token>/`` or ``POST /hooks/<kind>/`` with a bearer token.

Order of checks, so nothing unauthenticated is parsed and nothing invalid is written:
token (404 unknown/disabled in the URL; 401 missing or unknown bearer) → body size (413) →
signature (401) → JSON (400) → ``alert_ingest`` (400 naming the bad field, nothing written).
Every answer is JSON: ``{"detail", "code"}`` on errors, the counts on success.
"""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from config.errors import ApplicationError
from oncall.alerts.auth import (
    SignatureInvalid,
    bearer_token,
    integration_for_token,
    verify_signature,
)
from oncall.alerts.models import Integration
from oncall.alerts.services import alert_ingest

logger = logging.getLogger(__name__)
ALLOWED_METHODS = ("POST", "PUT")  # Grafana can be set to PUT


def _error(status: int, detail: str, code: str, **headers: str) -> JsonResponse:
    response = JsonResponse({"detail": detail, "code": code}, status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _logged(kind: str, response: JsonResponse) -> JsonResponse:
    """Log a refusal without the secret URL, and keep Django from logging the path itself.

    Django's request logger writes the full path of every 4xx response, which here is the secret.
    """
    if response.status_code >= 400:
        level = logging.WARNING if response.status_code in (400, 413) else logging.INFO
        detail = json.loads(response.content).get("detail", "")
        logger.log(
            level, "alert webhook /hooks/%s/… answered %s: %s", kind, response.status_code, detail
        )
        response._has_been_logged = True  # type: ignore[attr-defined]  # read by django.utils.log
    return response


@csrf_exempt
def receive(request: HttpRequest, kind: str, token: str | None = None) -> JsonResponse:
    return _logged(kind, _receive(request, kind, token))


def _receive(request: HttpRequest, kind: str, token: str | None) -> JsonResponse:
    if request.method not in ALLOWED_METHODS:
        return _error(
            405, "Post alerts with POST (or PUT).", "method_not_allowed", Allow="POST, PUT"
        )
    if kind not in Integration.Kind.values:
        return _error(404, f"There is no {kind!r} integration kind.", "not_found")
    if token is None:
        token = bearer_token(request.headers.get("Authorization", ""))
        if token is None:
            return _error(
                401,
                "Send the integration token as 'Authorization: Bearer <token>', or post to its secret URL.",
                "not_authenticated",
                WWW_Authenticate='Bearer realm="firebreak-hooks"',
            )
        integration = integration_for_token(kind=kind, token=token)
        if integration is None:
            return _error(
                401,
                "That token belongs to no enabled integration of this kind.",
                "not_authenticated",
            )
    else:
        integration = integration_for_token(kind=kind, token=token)
        if integration is None:
            return _error(404, "No enabled integration has this URL.", "not_found")

    body = _read_body(request)
    if body is None:
        return _error(
            413,
            f"The body is larger than the {settings.FIREBREAK_WEBHOOK_MAX_BYTES} bytes allowed; "
            "send fewer alerts per delivery (Alertmanager: max_alerts).",
            "too_large",
        )
    try:
        verify_signature(integration, request.headers, body)
    except SignatureInvalid as exc:
        return _error(401, f"Signature check failed: {exc}", "bad_signature")
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return _error(
            400, f"The body is not valid JSON: {exc}. Nothing was recorded.", "invalid_json"
        )

    delivery_id = ""
    if integration.kind == Integration.Kind.PAGERDUTY:
        delivery_id = request.headers.get("X-Webhook-Id", "").strip()
    try:
        result = alert_ingest(integration=integration, payload=payload, delivery_id=delivery_id)
    except ApplicationError as exc:
        return JsonResponse(exc.as_dict(), status=exc.status_code)
    return JsonResponse(result.as_dict(), status=200)


def _read_body(request: HttpRequest) -> bytes | None:
    """The raw body, or None when it is over the limit (checked before reading when possible)."""
    limit = settings.FIREBREAK_WEBHOOK_MAX_BYTES
    try:
        declared = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return None
    try:
        body = request.body
    except RequestDataTooBig:
        return None
    return None if len(body) > limit else body
