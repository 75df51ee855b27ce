"""Authorization and validation shared by the postmortem services."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from config.errors import PermissionDenied, ValidationFailed
from incidents.models import Incident
from incidents.selectors import incident_visible_queryset
from oncall.access import can_respond, is_admin

TEXT_MAX = 100_000
TITLE_MAX = 200


def can_see_incident(user, incident: Incident) -> bool:
    return incident_visible_queryset(user).filter(pk=incident.pk).exists()


def authorize_view(user, incident: Incident) -> None:
    """Private incidents' postmortems are their members' and admins' only."""
    if not can_see_incident(user, incident):
        # Same answer as for a missing record: do not confirm that a private incident exists.
        from config.errors import NotFound

        raise NotFound("No such postmortem.")


def authorize_edit(user, incident: Incident) -> None:
    authorize_view(user, incident)
    if not can_respond(user):
        raise PermissionDenied(
            "Only responders can write postmortems; your account can only read them."
        )


def authorize_admin(user, what: str) -> None:
    if not is_admin(user):
        raise PermissionDenied(f"Only admins can {what}.")


def validate_text(
    value: Any, field: str, *, required: bool = False, max_length: int = TEXT_MAX, strip=True
) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationFailed(f"{field} must be text.", field_errors={field: ["Must be text."]})
    if strip:
        value = value.strip()
    if "\x00" in value:
        raise ValidationFailed(
            f"{field} contains a NUL character.",
            field_errors={field: ["Contains a NUL character."]},
        )
    if required and not value:
        raise ValidationFailed(
            f"{field} is required.", field_errors={field: ["This field is required."]}
        )
    if len(value) > max_length:
        raise ValidationFailed(
            f"{field} is {len(value)} characters long; the limit is {max_length}.",
            field_errors={field: [f"At most {max_length} characters."]},
        )
    return value


def validate_choice(value: Any, choices, field: str) -> str:
    valid = [c for c, _ in choices]
    if value not in valid:
        raise ValidationFailed(
            f"{field} must be one of {', '.join(valid)}; got {value!r}.",
            field_errors={field: [f"One of {', '.join(valid)}."]},
        )
    return value


def validate_date(value: Any, field: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise ValidationFailed(
                f"{field} must be a date such as 2026-03-31.", field_errors={field: ["Not a date."]}
            ) from None
    if not isinstance(value, date):
        raise ValidationFailed(f"{field} must be a date.", field_errors={field: ["Not a date."]})
    return value


def add_business_days(start: date, days: int) -> date:
    """``days`` working days (Monday–Friday) after ``start``."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current


def display_name(user) -> str:
    if user is None:
        return "Firebreak"
    return getattr(user, "display_name", None) or user.get_username()
