"""Authenticate an inbound Slack request before anything reads its body as data."""

from __future__ import annotations

import time

from django.conf import settings
from django.http import HttpRequest
from slack_sdk.signature import SignatureVerifier


class _Clock:
    """slack-sdk's verifier asks its clock for ``now()``; read it at call time (time-machine)."""

    def now(self) -> float:
        return time.time()


def signature_is_valid(
    *, secret: str, body: bytes, timestamp: str | None, signature: str | None
) -> bool:
    """Whether ``signature`` is Slack's HMAC of ``body`` at ``timestamp`` under ``secret``,
    and the timestamp is within 5 minutes of now. Missing parts are simply invalid."""
    if not secret or not timestamp or not signature:
        return False
    verifier = SignatureVerifier(signing_secret=secret, clock=_Clock())
    try:
        # slack-sdk refuses timestamps more than 5 minutes from now itself.
        return verifier.is_valid(body=body, timestamp=timestamp, signature=signature)
    except (ValueError, UnicodeDecodeError):  # a timestamp that is not a number, a body not UTF-8
        return False


def request_is_from_slack(request: HttpRequest) -> bool:
    """Verify over the raw body (``request.body``), before any parsing."""
    return signature_is_valid(
        secret=settings.SLACK_SIGNING_SECRET,
        body=request.body,
        timestamp=request.headers.get("X-Slack-Request-Timestamp"),
        signature=request.headers.get("X-Slack-Signature"),
    )
