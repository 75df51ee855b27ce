"""One HTTP call to a provider, with the outcome sorted into permanent and transient failures."""

from __future__ import annotations

import requests
from django.conf import settings

from oncall.people.notify import PermanentDeliveryError, TransientDeliveryError

RETRYABLE_STATUSES = {408, 425, 429}


def provider_call(provider: str, method: str, url: str, **kwargs) -> requests.Response:
    """Send and return the 2xx response. A 4xx (but 408/425/429) is a PermanentDeliveryError —
    the same request would be refused again; a 5xx, 429, timeout or network error is transient
    (with ``retry_after`` from a Retry-After header in seconds)."""
    kwargs.setdefault("timeout", settings.FIREBREAK_CHANNEL_TIMEOUT_SECONDS)
    try:
        response = requests.request(method, url, allow_redirects=False, **kwargs)  # noqa: S113
    except requests.Timeout as exc:
        raise TransientDeliveryError(f"{provider} did not answer in time") from exc
    except requests.RequestException as exc:
        raise TransientDeliveryError(f"Could not reach {provider}: {exc}") from exc
    if 200 <= response.status_code < 300:
        return response
    detail = response.text[:200].strip()
    message = f"{provider} answered HTTP {response.status_code}" + (f": {detail}" if detail else "")
    if 400 <= response.status_code < 500 and response.status_code not in RETRYABLE_STATUSES:
        raise PermanentDeliveryError(message)
    error = TransientDeliveryError(message)
    retry_after = response.headers.get("Retry-After", "")
    if retry_after.isdigit():
        error.retry_after = int(retry_after)  # type: ignore[attr-defined]
    raise error
