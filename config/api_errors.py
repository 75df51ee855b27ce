"""DRF exception handler: every error a client can cause becomes a 4xx with a message.

Every error body has the same shape: ``{"detail": "<sentence>", "code": "<code>"}`` plus
``"errors": {"<field>": ["<message>", ...]}`` when the problem is in particular input fields
(nested fields as dotted paths, e.g. ``services.2``).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import exception_handler as drf_exception_handler

from config.errors import ApplicationError

# DRF's key for errors not tied to one field (e.g. the body is a list, not an object).
NON_FIELD = "non_field_errors"


def flatten_errors(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error structure as ``{dotted.path: [messages]}``."""
    if isinstance(detail, Mapping):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            for field, messages in flatten_errors(value, path).items():
                flat.setdefault(field, []).extend(messages)
        return flat
    if isinstance(detail, list | tuple):
        if all(not isinstance(item, Mapping | list | tuple) for item in detail):
            return {prefix or NON_FIELD: [str(item) for item in detail]}
        flat = {}
        for index, item in enumerate(detail):
            if not item:
                continue  # DRF puts {} for list items that were fine
            path = f"{prefix}.{index}" if prefix else str(index)
            for field, messages in flatten_errors(item, path).items():
                flat.setdefault(field, []).extend(messages)
        return flat
    return {prefix or NON_FIELD: [str(detail)]}


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _summary(errors: dict[str, list[str]]) -> str:
    """One readable line: 'title: This field is required. severity: "SEV9" is not a valid choice.'"""
    parts = []
    for field, messages in errors.items():
        text = " ".join(_sentence(m) for m in messages)
        parts.append(text if field == NON_FIELD else f"{field}: {text}")
    return " ".join(parts)


def _first_code(codes) -> str:
    """The code of the first error in DRF's nested ``get_codes()`` structure."""
    while isinstance(codes, Mapping | list) and codes:
        codes = next(iter(codes.values())) if isinstance(codes, Mapping) else codes[0]
    return codes if isinstance(codes, str) else "invalid"


def _validation_response(errors: dict[str, list[str]], code: str = "invalid") -> Response:
    body: dict[str, object] = {"detail": _summary(errors) or "Invalid input.", "code": code}
    field_errors = {k: v for k, v in errors.items() if k != NON_FIELD}
    if field_errors:
        body["errors"] = field_errors
    return Response(body, status=status.HTTP_400_BAD_REQUEST)


def exception_handler(exc, context):
    exc = _throttled_if_over_anonymous_rate(exc, context)
    if isinstance(exc, ApplicationError):
        return Response(exc.as_dict(), status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            return _validation_response(
                {field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()}
            )
        return _validation_response({NON_FIELD: [str(m) for m in exc.messages]})
    if isinstance(exc, exceptions.ValidationError):
        return _validation_response(flatten_errors(exc.detail), _first_code(exc.get_codes()))
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, Mapping) and "detail" in response.data:
        detail = response.data["detail"]
        response.data = {"detail": str(detail), "code": getattr(detail, "code", None) or "error"}
    return response


class UnauthenticatedRateThrottle(AnonRateThrottle):
    """The "anon" rate, counted for requests whose credentials were missing or wrong.

    DRF checks permissions before throttles, so a request refused for lack of credentials
    (guessing tokens, scanning) never reached ``AnonRateThrottle``. Same scope and cache key, so
    an address's anonymous requests share one budget whichever way they end.
    """

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def _throttled_if_over_anonymous_rate(exc, context):
    if not isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        return exc
    request, view = context.get("request"), context.get("view")
    if request is None:
        return exc
    throttle = UnauthenticatedRateThrottle()
    if throttle.allow_request(request, view):
        return exc
    return exceptions.Throttled(wait=throttle.wait())
