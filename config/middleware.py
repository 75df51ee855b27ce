from __future__ import annotations

import json
import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.shortcuts import render

from config.errors import ApplicationError

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# Swagger UI (served from drf-spectacular-sidecar, same origin) sets inline styles.
DOCS_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
)


class ContentSecurityPolicyMiddleware:
    """Adds a strict CSP header to every response (DESIGN.md: CSP header on every page)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = DOCS_POLICY if request.path.startswith("/api/docs") else CONTENT_SECURITY_POLICY
        response.setdefault("Content-Security-Policy", policy)
        return response


class ApplicationErrorMiddleware:
    """Turns a domain error that escaped a web view into a friendly 4xx page, never a traceback."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, ApplicationError) or request.path.startswith("/api/"):
            return None
        return render(
            request,
            "error.html",
            {
                "message": exception.message,
                "status": exception.status_code,
                "debug": settings.DEBUG,
            },
            status=exception.status_code,
        )


# --- input no parser or database can take -------------------------------------------------------

# Deeper JSON than this is refused: Python's parser gives up near 1,000 levels with a
# RecursionError (a 500), and no payload we accept is more than a dozen levels deep.
MAX_JSON_DEPTH = 100
NUL_MESSAGE = (
    "Null characters are not allowed: the request contains a NUL character (\\u0000), which "
    "cannot be stored; remove it and send the request again."
)
NUL_FIELD_MESSAGE = "Null characters are not allowed."
_NUL_IN_QUERY = re.compile(rb"\x00|%00")
_NUL_IN_JSON = re.compile(rb"\x00|\\u0000", re.IGNORECASE)
# What is left of a JSON body once its escapes are gone: brackets and the quotes around strings.
_NOT_STRUCTURE = bytes(set(range(256)) - set(b'[]{}"'))
# A string, or an unterminated one to the end (the parser never recurses past one).
_QUOTED = re.compile(rb'"[^"]*(?:"|\Z)')
_OPENING = frozenset(b"[{")


def machine_client_path(path: str) -> bool:
    """API and webhook paths answer JSON, whatever goes wrong."""
    return path.startswith(("/api/", "/hooks/", "/slack/"))


def error_response(request, status: int, detail: str, code: str, errors=None):
    """A 4xx/5xx in the shape each client expects: JSON for the API and webhooks (with per-field
    ``errors`` as in config.api_errors), a page otherwise."""
    if machine_client_path(request.path):
        body: dict[str, object] = {"detail": detail, "code": code}
        if errors:
            body["errors"] = errors
        return JsonResponse(body, status=status)
    return render(
        request, "error.html", {"message": detail, "status": status, "debug": False}, status=status
    )


def _bracket_depth(body: bytes) -> int:
    """How deep the brackets of a JSON body nest, outside its strings (exact for valid JSON;
    never less than the parser would recurse). Byte operations in C, linear in the body: parsing
    a 100-alert delivery a second time just to measure it cost a webhook more than this."""
    unescaped = body.replace(b"\\\\", b"").replace(b'\\"', b"")  # left to right, as parsed
    depth = deepest = 0
    for byte in _QUOTED.sub(b"", unescaped.translate(None, _NOT_STRUCTURE)):
        if byte in _OPENING:
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _json_depth(value) -> int:
    """Nesting depth of parsed JSON, without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return deepest


def _nul_fields(value) -> list[str]:
    """Dotted paths (``alerts.0.labels.alertname``) of the strings and keys holding a NUL."""
    found, stack = [], [(value, "")]
    while stack:
        item, path = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                found.append(path or "non_field_errors")
        elif isinstance(item, dict):
            for key, child in item.items():
                child_path = f"{path}.{key}" if path else str(key)
                if "\x00" in str(key):
                    found.append(path or "non_field_errors")
                stack.append((child, child_path))
        elif isinstance(item, list):
            stack.extend((child, f"{path}.{i}" if path else str(i)) for i, child in enumerate(item))
    return sorted(set(found))


class RequestInputGuardMiddleware:
    """Refuses a NUL character in the query string or a JSON body, and JSON nested too deep.

    PostgreSQL cannot store NUL in text and Python's JSON parser overflows its stack on deep
    nesting; both used to surface as 500s deep inside a view. Checked here once, for every view,
    with a message that says what to change. Cheap for ordinary requests: a JSON body is parsed
    here only when a byte scan finds a NUL escape or enough brackets to be deep.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refusal = self._refusal(request)
        if refusal is not None:
            return error_response(request, 400, *refusal)
        return self.get_response(request)

    def _refusal(self, request) -> tuple | None:
        query = request.META.get("QUERY_STRING", "")
        if query and _NUL_IN_QUERY.search(query.encode("latin-1", "replace")):
            return NUL_MESSAGE, "nul_character"
        if request.method not in ("POST", "PUT", "PATCH") or not _is_json(request):
            return None
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return None
        if declared > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return None  # the view (or handler400) refuses the size, with its own message
        try:
            body = request.body
        except RequestDataTooBig:
            return None
        suspicious_nul = _NUL_IN_JSON.search(body) is not None
        maybe_deep = (
            body.count(b"[") + body.count(b"{") > MAX_JSON_DEPTH
            and _bracket_depth(body) > MAX_JSON_DEPTH
        )
        if not (suspicious_nul or maybe_deep):
            return None
        try:
            parsed = json.loads(body)
        except RecursionError:
            return _too_deep()
        except ValueError:
            return None  # not JSON at all: the view says so in its own words
        if maybe_deep and _json_depth(parsed) > MAX_JSON_DEPTH:
            return _too_deep()
        fields = _nul_fields(parsed) if suspicious_nul else []
        if fields:
            errors = {field: [NUL_FIELD_MESSAGE] for field in fields}
            return f"{NUL_MESSAGE} (in {', '.join(fields)})", "nul_character", errors
        return None


def _too_deep() -> tuple[str, str]:
    return (
        f"The JSON body is nested more than {MAX_JSON_DEPTH} levels deep; "
        "no Firebreak request needs that. Nothing was recorded.",
        "too_deep",
    )


def _is_json(request) -> bool:
    content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    return content_type == "application/json" or content_type.endswith("+json")
