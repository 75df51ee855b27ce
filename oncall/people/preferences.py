"""Notification preferences, read: which transports per urgency, quiet hours.

``oncall.people.services.notification_send`` consults this module; the web inbox is always used,
and high urgency is never delayed. The write is ``notification_preferences_update`` in services.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from oncall.people import notify
from oncall.people.models import NotificationPreference

ALWAYS_ON = "web"  # the notification row is the inbox entry: it cannot be turned off
URGENCIES = ("high", "low")


def preference_for(user) -> NotificationPreference | None:
    """The person's saved preferences, or None (defaults) for an unsaved person or no row."""
    if user is None or user.pk is None:
        return None
    return NotificationPreference.objects.filter(user=user).first()


def optional_transports() -> list:
    """Transports a person may turn off (every registered one but the web inbox)."""
    return [t for t in notify.registered() if t.name != ALWAYS_ON]


def disabled_transport_names(user, urgency: str) -> set[str]:
    preference = preference_for(user)
    if preference is None:
        return set()
    names = (
        preference.high_disabled_transports
        if urgency == "high"
        else preference.low_disabled_transports
    )
    return {name for name in names if name != ALWAYS_ON}


def quiet_hours_end(user, at: datetime) -> datetime | None:
    """When the person's quiet hours that cover ``at`` end (aware), or None if ``at`` is not quiet."""
    preference = preference_for(user)
    if preference is None or not preference.quiet_hours_enabled:
        return None
    return quiet_window_end(preference.quiet_start, preference.quiet_end, user.tzinfo, at)


def quiet_window_end(start: time, end: time, zone, at: datetime) -> datetime | None:
    """The end of the window ``start``–``end`` (wall clock in ``zone``, crossing midnight when
    start > end) that contains ``at``, or None when ``at`` is outside it."""
    local = timezone.localtime(at, zone)
    clock = local.time().replace(tzinfo=None)
    inside = start <= clock < end if start < end else (clock >= start or clock < end)
    if not inside:
        return None
    end_day = local.date() if clock < end else local.date() + timedelta(days=1)
    return datetime.combine(end_day, end, tzinfo=zone)


def transports_for(user, urgency: str) -> list[notify.Transport]:
    """Transports that apply to this person, minus those they turned off for this urgency
    (the web inbox is always on)."""
    disabled = disabled_transport_names(user, urgency)
    return [
        t for t in notify.registered() if t.applies_to(user, urgency) and t.name not in disabled
    ]
