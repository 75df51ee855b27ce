"""The one way Firebreak calls Slack's Web API.

Connection errors and rate limits (429, honouring ``Retry-After``) are retried by slack-sdk's
retry handlers a bounded number of times. Errors that can never succeed by retrying
(``channel_not_found``, ``invalid_auth``...) are recorded as a ``SlackApiFailure`` row of the
incident, shown on its page, and raised as ``SlackPermanentError`` — never retried.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from incidents.slack.models import SlackApiFailure

logger = logging.getLogger(__name__)

# Errors that mean "fix the configuration or the workspace", not "try again".
PERMANENT_ERRORS = frozenset(
    {
        "account_inactive",
        "channel_not_found",
        "invalid_auth",
        "is_archived",
        "missing_scope",
        "not_allowed_token_type",
        "not_authed",
        "not_in_channel",
        "restricted_action",
        "team_access_not_granted",
        "token_expired",
        "token_revoked",
        "user_not_found",
    }
)
TIMEOUT_SECONDS = 10


class SlackError(Exception):
    """Slack answered ``ok: false`` with ``error``; the caller decides (e.g. ``name_taken``)."""

    def __init__(self, method: str, error: str):
        super().__init__(f"Slack {method} failed: {error}")
        self.method = method
        self.error = error


class SlackPermanentError(SlackError):
    """Recorded on the incident; retrying cannot help."""


class SlackTransientError(Exception):
    """Slack could not be reached (or kept rate-limiting) even after retries; try later."""


def is_configured() -> bool:
    return bool(settings.SLACK_BOT_TOKEN and settings.SLACK_SIGNING_SECRET)


def web_client() -> WebClient:
    return WebClient(
        token=settings.SLACK_BOT_TOKEN,
        base_url=settings.SLACK_API_URL,
        timeout=TIMEOUT_SECONDS,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=3),
        ],
    )


def slack_call(method: str, *, incident=None, **arguments: Any) -> dict:
    """Call Web API ``method`` (e.g. ``"chat.postMessage"``) and return Slack's answer.

    Raises SlackPermanentError (after recording it for ``incident``), SlackError for other
    ``ok: false`` answers, or SlackTransientError when Slack could not be reached.
    """
    client_method = getattr(web_client(), method.replace(".", "_"))
    try:
        return client_method(**arguments).data
    except SlackApiError as exc:
        status = exc.response.status_code
        error = str(exc.response.get("error", "") or f"http_{status}")
        if (
            status == 429
            or status >= 500
            or error in {"ratelimited", "internal_error", "fatal_error"}
        ):
            raise SlackTransientError(f"Slack {method}: {error}") from exc
        if error in PERMANENT_ERRORS:
            record_failure(incident, method, error, detail=_describe(arguments))
            raise SlackPermanentError(method, error) from exc
        raise SlackError(method, error) from exc
    except (SlackClientError, OSError) as exc:
        raise SlackTransientError(f"Slack {method}: {exc}") from exc


def record_failure(incident, method: str, error: str, *, detail: str = "") -> None:
    logger.warning("Slack %s failed for good: %s (%s)", method, error, detail)
    SlackApiFailure.objects.create(
        incident=incident, method=method[:64], error=error[:200], detail=detail[:500]
    )


def _describe(arguments: dict) -> str:
    shown = {k: v for k, v in arguments.items() if k in {"channel", "users", "name", "user"}}
    return ", ".join(f"{k}={v}" for k, v in shown.items())
