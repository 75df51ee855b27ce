"""Authenticating alert deliveries: done before a single byte of the body is parsed.

Tokens: ``secrets.token_urlsafe(32)`` (256 random bits), stored only as a SHA-256 digest. The
look-up is by digest, so the comparison never runs over the secret itself; a found row is
re-checked with ``hmac.compare_digest``.

Signatures, when the integration has a ``signing_secret``:

- Grafana: ``X-Grafana-Alerting-Signature`` is the hex HMAC-SHA256 of the raw body. When Grafana's
  "Timestamp Header" is set to ``X-Grafana-Alerting-Signature-Timestamp``, the signed message is
  ``"<timestamp>:<body>"`` and the timestamp (Unix seconds) must be within 5 minutes of now.
- PagerDuty V3: ``X-PagerDuty-Signature: v1=<hex>[,v1=<hex>...]``, each a hex HMAC-SHA256 of the
  raw body; one matching signature is enough (PagerDuty sends several while a secret rotates).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from oncall.alerts.models import Integration

GRAFANA_SIGNATURE_HEADER = "X-Grafana-Alerting-Signature"
GRAFANA_TIMESTAMP_HEADER = "X-Grafana-Alerting-Signature-Timestamp"
PAGERDUTY_SIGNATURE_HEADER = "X-PagerDuty-Signature"
SIGNATURE_MAX_AGE_SECONDS = 5 * 60


class SignatureInvalid(Exception):
    """The request is not signed with the integration's secret. ``str(exc)`` says why."""


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def integration_for_token(*, kind: str, token: str) -> Integration | None:
    """The enabled integration of this kind with this token, or None. Reads nothing from the body."""
    if not token or len(token) > 200:
        return None
    digest = hash_token(token)
    integration = Integration.objects.filter(kind=kind, token_hash=digest, enabled=True).first()
    if integration is None or not hmac.compare_digest(integration.token_hash, digest):
        return None
    return integration


def bearer_token(authorization: str) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, or None."""
    scheme, _, credentials = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        return None
    return credentials.strip()


def verify_signature(
    integration: Integration, headers, body: bytes, *, now: float | None = None
) -> None:
    """Raise SignatureInvalid unless the body is signed as this integration requires.

    Integrations without a ``signing_secret`` rely on their token alone and always pass.
    """
    secret = integration.signing_secret
    if not secret:
        return
    if integration.kind == Integration.Kind.GRAFANA:
        _verify_grafana(secret.encode(), headers, body, now=time.time() if now is None else now)
    elif integration.kind == Integration.Kind.PAGERDUTY:
        _verify_pagerduty(secret.encode(), headers, body)


def sign_grafana(secret: str, body: bytes, timestamp: str | None = None) -> str:
    message = f"{timestamp}:".encode() + body if timestamp is not None else body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def sign_pagerduty(secret: str, body: bytes) -> str:
    return "v1=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _verify_grafana(secret: bytes, headers, body: bytes, *, now: float) -> None:
    signature = headers.get(GRAFANA_SIGNATURE_HEADER, "").strip().lower()
    if not signature:
        raise SignatureInvalid(f"The {GRAFANA_SIGNATURE_HEADER} header is missing.")
    timestamp = headers.get(GRAFANA_TIMESTAMP_HEADER)
    message = body
    if timestamp is not None:
        try:
            sent_at = float(timestamp)
        except ValueError:
            raise SignatureInvalid(f"{GRAFANA_TIMESTAMP_HEADER} is not a Unix timestamp.") from None
        if abs(now - sent_at) > SIGNATURE_MAX_AGE_SECONDS:
            raise SignatureInvalid("The signature timestamp is more than 5 minutes from now.")
        message = f"{timestamp}:".encode() + body
    expected = hmac.new(secret, message, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        raise SignatureInvalid("The signature does not match the body.")


def _verify_pagerduty(secret: bytes, headers, body: bytes) -> None:
    header = headers.get(PAGERDUTY_SIGNATURE_HEADER, "")
    offered = [
        part.strip()[3:].lower() for part in header.split(",") if part.strip().startswith("v1=")
    ]
    if not offered:
        raise SignatureInvalid(f"The {PAGERDUTY_SIGNATURE_HEADER} header is missing.")
    expected = hmac.new(secret, body, hashlib.sha256).hexdigest()
    # Compare against every offered signature, without stopping early.
    if not any([hmac.compare_digest(expected, candidate) for candidate in offered]):  # noqa: C419
        raise SignatureInvalid("No signature matches the body.")
