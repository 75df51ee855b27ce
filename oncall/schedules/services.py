"""On-call schedules: every write (schedules, participants, overrides, swaps, calendar feeds).

Writes lock the schedule row, write, then re-check the whole affected interval; a write that would
make one person primary and secondary at the same moment is rolled back with a clear error.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from config.errors import NotFound, PermissionDenied, ValidationFailed
from oncall.people.services import notification_send
from oncall.schedules.models import (
    CalendarFeed,
    Schedule,
    ScheduleOverride,
    ScheduleParticipant,
    ScheduleSwap,
    ScheduleVersion,
    _feed_token,
)
from oncall.schedules.permissions import may_manage, may_manage_service
from oncall.schedules.rotations import (
    Layer,
    conflicts,
)
from oncall.schedules.shifts import (
    MAX_COVER,
    RESERVED_SLUGS,
    ParticipantInput,
    build_rotation,
    current_participants,
    display,
    effective_shifts,
    local_text,
)

logger = logging.getLogger(__name__)

# --- helpers for writes ---------------------------------------------------------------------------


def _require_manager(user, schedule: Schedule, action: str) -> None:
    """Admins, and responders of the team that owns the schedule's service (permissions)."""
    if not may_manage(user, schedule):
        raise PermissionDenied(
            f"Only admins and responders of the team that owns {schedule.name}'s service can "
            f"{action}."
        )


def _require_service_manager(user, service_slug: str, action: str) -> None:
    """``action`` reads "create a schedule for" / "put this schedule on" + "the service 'x'"."""
    if not may_manage_service(user, service_slug):
        what = f"the service {service_slug!r}" if service_slug else "no service"
        raise PermissionDenied(
            f"Only admins, and responders of the team that owns the service, can {action} {what}.",
            field_errors={"service_slug": ["Choose one of your team's services."]},
        )


def _lock(schedule: Schedule) -> Schedule:
    locked = Schedule.objects.select_for_update().filter(pk=schedule.pk).first()
    if locked is None:
        raise NotFound("That schedule no longer exists.")
    return locked


def _aware(value, name: str) -> datetime:
    if not isinstance(value, datetime) or timezone.is_naive(value):
        raise ValidationFailed(
            f"Give {name} as a date and time.",
            field_errors={name: ["A date and time is required."]},
        )
    return value.astimezone(UTC)


def _interval(start, end, start_name: str, end_name: str) -> tuple[datetime, datetime]:
    start, end = _aware(start, start_name), _aware(end, end_name)
    if end <= start:
        message = "The end must be after the start."
        raise ValidationFailed(message, field_errors={end_name: [message]})
    if end - start > MAX_COVER:
        message = f"Cover at most {MAX_COVER.days} days at a time."
        raise ValidationFailed(message, field_errors={end_name: [message]})
    return start, end


def _layer(value) -> Layer:
    try:
        return Layer(value)
    except ValueError:
        raise ValidationFailed(
            "The layer is primary or secondary.",
            field_errors={"layer": ["Choose primary or secondary."]},
        ) from None


def _active_person(user, field_name: str):
    if user is None or not getattr(user, "is_active", False):
        who = f"{user} is not an active account" if user is not None else "Nobody was chosen"
        message = f"{who}; choose an active person."
        raise ValidationFailed(message, field_errors={field_name: [message]})
    return user


def _reason(value: str) -> str:
    value = (value or "").strip()
    if len(value) > 300:
        raise ValidationFailed(
            "Keep the reason under 300 characters.", field_errors={"reason": ["Too long."]}
        )
    return value


def _reject_conflicts(
    schedule: Schedule, intervals: Sequence[tuple[datetime, datetime]], actor
) -> None:
    """Raise (rolling the caller's transaction back) if anyone would hold both layers at once."""
    for start, end in intervals:
        for clash in conflicts(effective_shifts(schedule, start, end)):
            raise ValidationFailed(
                f"{display(clash.person)} would be both primary and secondary on {schedule.name} "
                f"from {local_text(clash.start, actor)} to {local_text(clash.end, actor)}. "
                "The same person can never hold both layers: choose someone else, or change the "
                "other layer first."
            )


def _future_cover_intervals(schedule: Schedule, since: datetime) -> list[tuple[datetime, datetime]]:
    intervals = [
        (max(o.start_at, since), o.end_at)
        for o in ScheduleOverride.objects.filter(
            schedule=schedule, cancelled_at__isnull=True, end_at__gt=since
        )
    ]
    for s in ScheduleSwap.objects.filter(schedule=schedule, cancelled_at__isnull=True):
        intervals += [
            (max(a, since), b)
            for a, b in ((s.first_start, s.first_end), (s.second_start, s.second_end))
            if b > since
        ]
    return intervals


def _participants_json(participants: Sequence[ParticipantInput]) -> list[dict]:
    return [{"user": p.user.pk, "new": bool(p.new), "site": int(p.site)} for p in participants]


def _write_participants(schedule: Schedule, participants: Sequence[ParticipantInput]) -> None:
    ScheduleParticipant.objects.filter(schedule=schedule).delete()
    ScheduleParticipant.objects.bulk_create(
        ScheduleParticipant(
            schedule=schedule, user=p.user, position=i, is_new=bool(p.new), site=p.site
        )
        for i, p in enumerate(participants)
    )


def _full_clean(instance, exclude: Sequence[str] = ()) -> None:
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        errors = exc.message_dict
        message = "; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items())
        raise ValidationFailed(message, field_errors=errors) from None


# --- schedule writes ------------------------------------------------------------------------------


@transaction.atomic
def schedule_create(
    *,
    user,
    name: str,
    slug: str,
    timezone_name: str,
    rotation: str,
    handoff_time: time,
    start_date: date,
    participants: Sequence[ParticipantInput],
    shift_hours: int | None = None,
    service_slug: str = "",
    description: str = "",
) -> Schedule:
    """Create a schedule and its first rotation version (in force from the beginning)."""
    _require_service_manager(user, (service_slug or "").strip(), "create a schedule for")
    if slug in RESERVED_SLUGS:
        message = f"{slug!r} is reserved for a page address; choose another slug."
        raise ValidationFailed(message, field_errors={"slug": [message]})
    build_rotation(
        rotation=rotation,
        timezone_name=timezone_name,
        handoff_time=handoff_time,
        start_date=start_date,
        shift_hours=shift_hours,
        participants=participants,
    )
    schedule = Schedule(
        name=(name or "").strip(),
        slug=slug,
        description=(description or "").strip(),
        service_slug=(service_slug or "").strip(),
        timezone=timezone_name,
        rotation=rotation,
        handoff_time=handoff_time,
        start_date=start_date,
        shift_hours=shift_hours,
        created_by=user,
    )
    _full_clean(schedule, exclude=["created_by"])
    try:
        with transaction.atomic():
            schedule.save()
    except IntegrityError:
        message = f"A schedule with the slug {slug!r} already exists."
        raise ValidationFailed(message, field_errors={"slug": [message]}) from None
    _write_participants(schedule, participants)
    ScheduleVersion.objects.create(
        schedule=schedule,
        effective_from=None,
        timezone=timezone_name,
        rotation=rotation,
        handoff_time=handoff_time,
        start_date=start_date,
        shift_hours=shift_hours,
        participants=_participants_json(participants),
        created_by=user,
    )
    return schedule


@transaction.atomic
def schedule_update(
    *,
    user,
    schedule: Schedule,
    name: str,
    timezone_name: str,
    rotation: str,
    handoff_time: time,
    start_date: date,
    participants: Sequence[ParticipantInput],
    shift_hours: int | None = None,
    service_slug: str = "",
    description: str = "",
    effective_from: datetime | None = None,
) -> Schedule:
    """Change a schedule. The new rotation applies from ``effective_from`` (default: now, never
    the past), so shifts already worked stay as they were; later planned versions are replaced.
    Rejected if an existing override or swap would then make someone primary and secondary."""
    _require_manager(user, schedule, "change it")
    _require_service_manager(user, (service_slug or "").strip(), "put this schedule on")
    now = timezone.now()
    effective_from = now if effective_from is None else _aware(effective_from, "effective_from")
    if effective_from < now - timedelta(minutes=1):
        message = "A change takes effect now or later; shifts already worked cannot be rewritten."
        raise ValidationFailed(message, field_errors={"effective_from": [message]})
    effective_from = max(effective_from, now)
    build_rotation(
        rotation=rotation,
        timezone_name=timezone_name,
        handoff_time=handoff_time,
        start_date=start_date,
        shift_hours=shift_hours,
        participants=participants,
    )
    schedule = _lock(schedule)
    schedule.name = (name or "").strip()
    schedule.description = (description or "").strip()
    schedule.service_slug = (service_slug or "").strip()
    schedule.timezone = timezone_name
    schedule.rotation = rotation
    schedule.handoff_time = handoff_time
    schedule.start_date = start_date
    schedule.shift_hours = shift_hours
    _full_clean(schedule, exclude=["created_by"])
    schedule.save()
    _write_participants(schedule, participants)
    ScheduleVersion.objects.filter(schedule=schedule, effective_from__gte=effective_from).delete()
    ScheduleVersion.objects.create(
        schedule=schedule,
        effective_from=effective_from,
        timezone=timezone_name,
        rotation=rotation,
        handoff_time=handoff_time,
        start_date=start_date,
        shift_hours=shift_hours,
        participants=_participants_json(participants),
        created_by=user,
    )
    _reject_conflicts(schedule, _future_cover_intervals(schedule, effective_from), user)
    return schedule


def participant_promote(*, user, schedule: Schedule, person) -> Schedule:
    """A new person becomes primary-eligible from now on."""
    participants = current_participants(schedule)
    if not any(p.user == person and p.new for p in participants):
        raise ValidationFailed(f"{display(person)} is not a new person on {schedule.name}.")
    promoted = [
        ParticipantInput(p.user, new=False, site=p.site) if p.user == person else p
        for p in participants
    ]
    return schedule_update(
        user=user,
        schedule=schedule,
        name=schedule.name,
        timezone_name=schedule.timezone,
        rotation=schedule.rotation,
        handoff_time=schedule.handoff_time,
        start_date=schedule.start_date,
        participants=promoted,
        shift_hours=schedule.shift_hours,
        service_slug=schedule.service_slug,
        description=schedule.description,
    )


@transaction.atomic
def schedule_feed_rotate(*, user, schedule: Schedule) -> Schedule:
    """A new secret for the schedule's iCal feed; the old URL stops working at once."""
    _require_manager(user, schedule, "change its calendar link")

    schedule = _lock(schedule)
    schedule.feed_token = _feed_token()
    schedule.save(update_fields=["feed_token", "updated_at"])
    return schedule


def calendar_feed_for(*, user) -> CalendarFeed:
    """The person's own calendar feed, created on first use."""
    feed, _ = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def calendar_feed_rotate(*, user) -> CalendarFeed:

    feed = calendar_feed_for(user=user)
    feed.token = _feed_token()
    feed.save(update_fields=["token"])
    return feed


# --- overrides and swaps -------------------------------------------------------------------------


@transaction.atomic
def override_create(
    *, user, schedule: Schedule, layer, covering_user, start, end, reason: str = ""
) -> ScheduleOverride:
    """``covering_user`` holds ``layer`` over ``[start, end)``; later overrides win."""
    _require_manager(user, schedule, "override its shifts")
    layer = _layer(layer)
    start, end = _interval(start, end, "start", "end")
    covering_user = _active_person(covering_user, "user")
    reason = _reason(reason)
    schedule = _lock(schedule)
    override = ScheduleOverride.objects.create(
        schedule=schedule,
        layer=layer,
        user=covering_user,
        start_at=start,
        end_at=end,
        reason=reason,
        created_by=user,
    )
    _reject_conflicts(schedule, [(start, end)], user)
    if covering_user != user:
        notification_send(
            recipient=covering_user,
            subject=f"You cover {layer} on {schedule.name}",
            body=(
                f"{display(user)} put you on {layer} on-call for {schedule.name} from "
                f"{local_text(start, covering_user)} to {local_text(end, covering_user)}."
                + (f"\nReason: {reason}" if reason else "")
            ),
            url=f"/schedules/{schedule.slug}/",
            urgency="low",
            key=f"schedule-override:{override.pk}",
        )
    return override


@transaction.atomic
def override_cancel(*, user, override: ScheduleOverride) -> ScheduleOverride:
    """Cancel an override (it stays in the history). Idempotent."""
    _require_manager(user, override.schedule, "cancel its overrides")
    schedule = _lock(override.schedule)
    override = ScheduleOverride.objects.select_for_update().get(pk=override.pk)
    if override.cancelled_at is not None:
        return override
    override.cancelled_at = timezone.now()
    override.cancelled_by = user
    override.save(update_fields=["cancelled_at", "cancelled_by"])
    _reject_conflicts(schedule, [(override.start_at, override.end_at)], user)
    return override


def _holds_throughout(
    schedule: Schedule, layer: Layer, person, start: datetime, end: datetime
) -> bool:
    held = [s for s in effective_shifts(schedule, start, end) if s.layer == layer]
    covered = start
    for shift in sorted(held, key=lambda s: s.start):
        if shift.person != person or shift.start > covered:
            return False
        covered = shift.end
    return covered >= end


@transaction.atomic
def swap_create(
    *,
    user,
    schedule: Schedule,
    layer,
    first_user,
    first_start,
    first_end,
    second_user,
    second_start,
    second_end,
    reason: str = "",
) -> ScheduleSwap:
    """Two people exchange two shifts of one layer. Each must hold their shift, whole, now."""
    _require_manager(user, schedule, "swap its shifts")
    layer = _layer(layer)
    first_start, first_end = _interval(first_start, first_end, "first_start", "first_end")
    second_start, second_end = _interval(second_start, second_end, "second_start", "second_end")
    first_user = _active_person(first_user, "first_user")
    second_user = _active_person(second_user, "second_user")
    reason = _reason(reason)
    if first_user == second_user:
        raise ValidationFailed(
            "A swap is between two different people.",
            field_errors={"second_user": ["Same person."]},
        )
    if first_start < second_end and second_start < first_end:
        raise ValidationFailed("The two shifts overlap; a swap exchanges two separate shifts.")
    schedule = _lock(schedule)
    for person, start, end in (
        (first_user, first_start, first_end),
        (second_user, second_start, second_end),
    ):
        if not _holds_throughout(schedule, layer, person, start, end):
            raise ValidationFailed(
                f"{display(person)} is not {layer} on {schedule.name} for all of "
                f"{local_text(start, user)} – "
                f"{local_text(end, user)}, so that shift is not theirs to swap."
            )
    swap = ScheduleSwap.objects.create(
        schedule=schedule,
        layer=layer,
        first_user=first_user,
        first_start=first_start,
        first_end=first_end,
        second_user=second_user,
        second_start=second_start,
        second_end=second_end,
        reason=reason,
        created_by=user,
    )
    _reject_conflicts(schedule, [(first_start, first_end), (second_start, second_end)], user)
    return swap


@transaction.atomic
def swap_cancel(*, user, swap: ScheduleSwap) -> ScheduleSwap:
    _require_manager(user, swap.schedule, "cancel its swaps")
    schedule = _lock(swap.schedule)
    swap = ScheduleSwap.objects.select_for_update().get(pk=swap.pk)
    if swap.cancelled_at is not None:
        return swap
    swap.cancelled_at = timezone.now()
    swap.cancelled_by = user
    swap.save(update_fields=["cancelled_at", "cancelled_by"])
    _reject_conflicts(
        schedule, [(swap.first_start, swap.first_end), (swap.second_start, swap.second_end)], user
    )
    return swap
