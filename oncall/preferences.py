"""Notification preferences: which transports per urgency, quiet hours, contact methods.

``oncall.notify.transports_for`` and ``oncall.services.notification_send`` consult this module;
the web inbox is always used, and high urgency is never delayed.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from config.errors import ValidationFailed
from oncall import notify
from oncall.models import NotificationPreference

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


def notification_preferences_update(
    *,
    user,
    high_transports: list[str],
    low_transports: list[str],
    quiet_hours_enabled: bool,
    quiet_start: time | None = None,
    quiet_end: time | None = None,
    phone_number: str = "",
) -> NotificationPreference:
    """Save a person's own preferences. ``high_transports``/``low_transports`` are the transport
    names they want ON; the rest of the optional transports are stored as turned off.
    Raises ValidationFailed naming the field."""
    known = {t.name for t in optional_transports()}
    errors: dict[str, list[str]] = {}
    for field, chosen in (("high_transports", high_transports), ("low_transports", low_transports)):
        unknown = sorted(set(chosen) - known - {ALWAYS_ON})
        if unknown:
            errors[field] = [f"Unknown transport(s): {', '.join(unknown)}."]
    if quiet_hours_enabled:
        if quiet_start is None or quiet_end is None:
            errors["quiet_start"] = ["Give the start and end of your quiet hours."]
        elif quiet_start == quiet_end:
            errors["quiet_end"] = ["Quiet hours must end at a different time than they start."]
    preference = preference_for(user) or NotificationPreference(user=user)
    preference.high_disabled_transports = sorted(known - set(high_transports))
    preference.low_disabled_transports = sorted(known - set(low_transports))
    preference.quiet_hours_enabled = bool(quiet_hours_enabled)
    preference.quiet_start = quiet_start
    preference.quiet_end = quiet_end
    preference.phone_number = (phone_number or "").strip()
    if not errors:
        try:
            preference.full_clean(exclude=["user"])
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        first_field, messages = next(iter(errors.items()))
        raise ValidationFailed(f"{first_field}: {messages[0]}", field_errors=errors)
    preference.save()
    return preference
