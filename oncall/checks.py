"""System checks: warn when something is enabled but not configured well enough to work."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.compatibility, deploy=True)
def check_outbound_links(app_configs, **kwargs):
    warnings = []
    base = settings.FIREBREAK_BASE_URL
    if (
        not settings.DEBUG
        and base.startswith("http://")
        and "127.0.0.1" not in base
        and "localhost" not in base
    ):
        warnings.append(
            Warning(
                "FIREBREAK_BASE_URL uses http://; links in e-mail and Slack will not be encrypted.",
                hint="Set FIREBREAK_BASE_URL=https://your-host.",
                id="firebreak.W001",
            )
        )
    if not settings.DEBUG and ("127.0.0.1" in base or "localhost" in base):
        warnings.append(
            Warning(
                "FIREBREAK_BASE_URL points at this machine; links in e-mails and Slack messages will not work for others.",
                hint="Set FIREBREAK_BASE_URL to the public address of Firebreak.",
                id="firebreak.W002",
            )
        )
    return warnings


@register(Tags.compatibility)
def check_email_transport(app_configs, **kwargs):
    backend = settings.EMAIL_BACKEND
    if (
        backend == "django.core.mail.backends.smtp.EmailBackend"
        and settings.DEFAULT_FROM_EMAIL.endswith("@localhost")
    ):
        return [
            Warning(
                "E-mail notifications are enabled (SMTP) but DEFAULT_FROM_EMAIL is a localhost address.",
                hint="Set DEFAULT_FROM_EMAIL to an address your mail server accepts, e.g. firebreak@example.com.",
                id="firebreak.W010",
            )
        ]
    return []


@register(Tags.compatibility)
def check_paging_channels(app_configs, **kwargs):
    """Twilio half set up (pages by SMS would silently not go out) or reachable only over http."""
    warnings = []
    twilio = {
        "TWILIO_ACCOUNT_SID": settings.TWILIO_ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": settings.TWILIO_AUTH_TOKEN,
        "TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID": settings.TWILIO_FROM_NUMBER
        or settings.TWILIO_MESSAGING_SERVICE_SID,
    }
    missing = [name for name, value in twilio.items() if not value]
    if missing and len(missing) < len(twilio):
        warnings.append(
            Warning(
                "Twilio SMS and calls are partly configured; they stay off until all is set.",
                hint="Set " + ", ".join(missing) + ".",
                id="firebreak.W030",
            )
        )
    if settings.TWILIO_MESSAGING_SERVICE_SID and not settings.TWILIO_FROM_NUMBER:
        warnings.append(
            Warning(
                "Twilio calls need a caller number; only SMS will go out.",
                hint="Set TWILIO_FROM_NUMBER to a voice-capable Twilio number.",
                id="firebreak.W031",
            )
        )
    return warnings
