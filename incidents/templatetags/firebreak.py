"""Template helpers for the web app: times in the viewer's zone, severity text, permissions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.html import format_html

from incidents.models import SEVERITY_DESCRIPTIONS
from oncall.access import can_respond as _can_respond

register = template.Library()

# A timeline event is shown as back-dated when it was recorded this much after it occurred.
BACKDATED_THRESHOLD = timedelta(minutes=1)


def _local_text(value: datetime) -> str:
    # The middleware activated the viewer's zone; incidents cross midnight, so always show the date.
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M %Z")


@register.filter
def localdt(value):
    """``2026-03-08 10:58 CET`` in the viewer's time zone, or an em dash for no value."""
    if not isinstance(value, datetime):
        return "—"
    return _local_text(value)


@register.filter
def timetag(value):
    """A ``<time>`` element carrying the UTC instant and showing it in the viewer's zone."""
    if not isinstance(value, datetime):
        return "—"
    return format_html(
        '<time datetime="{}">{}</time>',
        value.astimezone(UTC).isoformat(timespec="seconds"),
        _local_text(value),
    )


@register.filter
def severity_description(value) -> str:
    return SEVERITY_DESCRIPTIONS.get(str(value), "")


@register.filter
def can_respond(user) -> bool:
    return _can_respond(user)


@register.filter
def backdated(event) -> bool:
    """Whether a timeline event was written down noticeably later than it happened."""
    return event.recorded_at - event.occurred_at >= BACKDATED_THRESHOLD


@register.filter
def display_name(user) -> str:
    if user is None:
        return "Firebreak"
    return getattr(user, "display_name", None) or user.get_username()


@register.filter
def transport_label(name: str) -> str:
    """``email`` → ``E-mail``; a transport that is no longer installed keeps its name."""
    from oncall.people import notify

    transport = notify.get(name)
    return getattr(transport, "label", None) or name


@register.filter
def elapsed(seconds) -> str:
    """``14 min 05 s``, ``2 h 14 min``, ``3 days 4 h`` for a number of seconds (the page's
    script keeps it ticking in the same format: firebreak.js ``formatElapsed``)."""
    if seconds is None:
        return "—"
    seconds = max(int(seconds), 0)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days >= 2:
        return f"{days:,} days {hours} h"
    hours += days * 24
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {secs:02d} s"
    return f"{secs} s"


@register.filter
def thousands(value) -> str:
    """``10,000``: counts people read at a glance."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return str(value)
