"""On-call schedules: effective shifts (rotation versions, overrides, swaps) and every write.

Who is on call is computed, never stored: the rotation maths (oncall.rotations) over the
schedule's versions, with overrides and swaps painted on top in creation order. Writes lock the
schedule row, write, then re-check the whole affected interval; a write that would make one
person primary and secondary at the same moment is rolled back with a clear error.

Reads are re-exported by ``oncall.selectors`` and writes by ``oncall.services``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from config.errors import NotFound, PermissionDenied, ValidationFailed
from oncall.access import can_respond, is_admin
from oncall.models import (
    CalendarFeed,
    Schedule,
    ScheduleOverride,
    ScheduleParticipant,
    ScheduleSwap,
    ScheduleVersion,
)
from oncall.rotations import (
    Bucket,
    Cover,
    Layer,
    Participant,
    Rotation,
    RotationError,
    Shift,
    Source,
    apply_covers,
    conflicts,
    continuous_runs,
    hours_by_bucket,
    segments,
)

logger = logging.getLogger(__name__)

# "Three months ahead always visible": the calendar, the feeds and swap choices reach this far.
VISIBLE_AHEAD = timedelta(days=92)
FEED_BEHIND = timedelta(days=31)
MAX_COVER = timedelta(days=92)

# Page addresses under /schedules/ that a schedule's slug must not take.
RESERVED_SLUGS = frozenset({"new", "hours", "my-calendar"})

# RotationError.field → the input (form/API) field it is about.
_FIELD_NAMES = {"kind": "rotation", "shift_length": "shift_hours", "timezone": "timezone"}


@dataclass(frozen=True)
class ParticipantInput:
    """One person for a schedule's rotation, in order."""

    user: object
    new: bool = False
    site: int = 0


@dataclass(frozen=True)
class OnCall:
    primary: object | None
    secondary: object | None


@dataclass
class HoursRow:
    """On-call time of one person on one layer of one schedule, in METRICS.md buckets."""

    schedule: Schedule
    user: object
    layer: str
    shifts: int = 0
    buckets: dict[Bucket, timedelta] = field(
        default_factory=lambda: {b: timedelta(0) for b in Bucket}
    )

    @property
    def total(self) -> timedelta:
        return sum(self.buckets.values(), timedelta(0))


@dataclass(frozen=True)
class CalendarEntry:
    """Part of a calendar day with the same holders; ``hours`` is e.g. "09:00–24:00", local."""

    start: datetime
    end: datetime
    primary: object | None
    secondary: object | None
    hours: str


@dataclass(frozen=True)
class DayCell:
    day: date
    entries: list[CalendarEntry]
    in_range: bool = True


# --- reading the schedule -------------------------------------------------------------------------


def _versions(schedule: Schedule) -> list[tuple[datetime | None, Rotation]]:
    """The schedule's rotation versions in force order (the first one has no start)."""
    rows = list(ScheduleVersion.objects.filter(schedule=schedule))
    user_ids = {p["user"] for row in rows for p in row.participants}
    return _versions_of(rows, get_user_model().objects.in_bulk(user_ids))


def _versions_of(rows, users: dict) -> list[tuple[datetime | None, Rotation]]:
    versions = []
    for row in rows:
        participants = [
            Participant(users[p["user"]], new=bool(p.get("new")), site=int(p.get("site", 0)))
            for p in row.participants
            if p["user"] in users  # a deleted account drops out of the rotation
        ]
        rotation = Rotation(
            kind=row.rotation,
            participants=participants,
            handoff_time=row.handoff_time,
            timezone=row.timezone,
            start_date=row.start_date,
            shift_length=timedelta(hours=row.shift_hours) if row.shift_hours else None,
        )
        versions.append((row.effective_from, rotation))
    versions.sort(key=lambda v: (v[0] is not None, v[0] or datetime.min.replace(tzinfo=UTC)))
    return versions


def rotation_shifts(schedule: Schedule, start: datetime, end: datetime) -> list[Shift]:
    """The rotation's shifts in ``[start, end)``, each version in force over its own period."""
    return _rotation_shifts(_versions(schedule), start, end)


def _rotation_shifts(versions, start: datetime, end: datetime) -> list[Shift]:
    shifts: list[Shift] = []
    for i, (effective_from, rotation) in enumerate(versions):
        following = versions[i + 1][0] if i + 1 < len(versions) else None
        lo = start if effective_from is None else max(start, effective_from)
        hi = end if following is None else min(end, following)
        if lo < hi:
            shifts.extend(rotation.shifts(lo, hi))
    return shifts


def _covers(schedule: Schedule, start: datetime, end: datetime) -> list[Cover]:
    """Active overrides and swaps touching the window, as covers in creation order."""
    overrides = ScheduleOverride.objects.filter(
        schedule=schedule, cancelled_at__isnull=True, start_at__lt=end, end_at__gt=start
    ).select_related("user")
    swaps = (
        ScheduleSwap.objects.filter(schedule=schedule, cancelled_at__isnull=True)
        .filter(
            Q(first_start__lt=end, first_end__gt=start)
            | Q(second_start__lt=end, second_end__gt=start)
        )
        .select_related("first_user", "second_user")
    )
    return _covers_of(overrides, swaps)


def _covers_of(overrides, swaps) -> list[Cover]:
    ordered: list[tuple[datetime, int, int, list[Cover]]] = []
    for o in overrides:
        cover = Cover(Layer(o.layer), o.user, o.start_at, o.end_at, Source.OVERRIDE, o.pk)
        ordered.append((o.created_at, 0, o.pk, [cover]))
    for s in swaps:
        layer = Layer(s.layer)
        pair = [
            Cover(layer, s.second_user, s.first_start, s.first_end, Source.SWAP, s.pk),
            Cover(layer, s.first_user, s.second_start, s.second_end, Source.SWAP, s.pk),
        ]
        ordered.append((s.created_at, 1, s.pk, pair))
    ordered.sort(key=lambda item: item[:3])
    return [cover for *_, pair in ordered for cover in pair]


def effective_shifts(schedule: Schedule, start: datetime, end: datetime) -> list[Shift]:
    """Who holds each layer over ``[start, end)``, overrides and swaps applied; ``person`` is a
    User. Shifts are clipped to the window."""
    return apply_covers(
        rotation_shifts(schedule, start, end), _covers(schedule, start, end), start, end
    )


def effective_shifts_of(
    schedules: Sequence[Schedule], start: datetime, end: datetime
) -> dict[int, list[Shift]]:
    """``effective_shifts`` of many schedules (by primary key) from four queries, whatever their
    number: versions, their people, overrides and swaps are read for all schedules at once."""
    ids = [schedule.pk for schedule in schedules]
    version_rows: dict[int, list] = {pk: [] for pk in ids}
    for row in ScheduleVersion.objects.filter(schedule_id__in=ids):
        version_rows[row.schedule_id].append(row)
    user_ids = {
        p["user"] for rows in version_rows.values() for row in rows for p in row.participants
    }
    users = get_user_model().objects.in_bulk(user_ids)
    overrides: dict[int, list] = {pk: [] for pk in ids}
    for o in ScheduleOverride.objects.filter(
        schedule_id__in=ids, cancelled_at__isnull=True, start_at__lt=end, end_at__gt=start
    ).select_related("user"):
        overrides[o.schedule_id].append(o)
    swaps: dict[int, list] = {pk: [] for pk in ids}
    for s in (
        ScheduleSwap.objects.filter(schedule_id__in=ids, cancelled_at__isnull=True)
        .filter(
            Q(first_start__lt=end, first_end__gt=start)
            | Q(second_start__lt=end, second_end__gt=start)
        )
        .select_related("first_user", "second_user")
    ):
        swaps[s.schedule_id].append(s)
    return {
        pk: apply_covers(
            _rotation_shifts(_versions_of(version_rows[pk], users), start, end),
            _covers_of(overrides[pk], swaps[pk]),
            start,
            end,
        )
        for pk in ids
    }


def oncall_at(schedule: Schedule, at: datetime) -> OnCall:
    shifts = effective_shifts(schedule, at, at + timedelta(microseconds=1))
    holders = {s.layer: s.person for s in shifts}
    return OnCall(holders.get(Layer.PRIMARY), holders.get(Layer.SECONDARY))


def upcoming_runs(
    schedule: Schedule, *, now: datetime, ahead: timedelta = VISIBLE_AHEAD
) -> list[Shift]:
    """Continuous shifts (per person and layer) from now to ``ahead``, for choosing a swap."""
    return [r for r in continuous_runs(effective_shifts(schedule, now, now + ahead)) if r.end > now]


def person_shifts(user, start: datetime, end: datetime) -> list[tuple[Schedule, Shift]]:
    """Every continuous shift ``user`` holds on any schedule in the window."""
    found = []
    for schedule in Schedule.objects.all():
        for run in continuous_runs(effective_shifts(schedule, start, end)):
            if run.person == user:
                found.append((schedule, run))
    found.sort(key=lambda item: (item[1].start, item[0].name))
    return found


def calendar_weeks(
    schedule: Schedule, *, tz: ZoneInfo, first_day: date, weeks: int
) -> list[list[DayCell]]:
    """Week-per-row calendar (Monday first) in the viewer's zone: each day lists who holds each
    layer over which hours of that day."""
    monday = first_day - timedelta(days=first_day.weekday())
    days = [monday + timedelta(days=i) for i in range(7 * weeks)]
    edges = [
        datetime.combine(d, time(0)).replace(tzinfo=tz).astimezone(UTC)
        for d in [*days, days[-1] + timedelta(days=1)]
    ]
    all_segments = segments(effective_shifts(schedule, edges[0], edges[-1]))
    cells: list[DayCell] = []
    j = 0
    for i, day in enumerate(days):
        lo, hi = edges[i], edges[i + 1]
        while j < len(all_segments) and all_segments[j].end <= lo:
            j += 1
        inside = []
        k = j
        while k < len(all_segments) and all_segments[k].start < hi:
            seg = all_segments[k]
            start, end = max(seg.start, lo), min(seg.end, hi)
            until = "24:00" if end == hi else f"{end.astimezone(tz):%H:%M}"
            hours = f"{start.astimezone(tz):%H:%M}–{until}"
            inside.append(CalendarEntry(start, end, seg.primary, seg.secondary, hours))
            k += 1
        cells.append(DayCell(day, inside, in_range=day >= first_day))
    return [cells[w * 7 : w * 7 + 7] for w in range(weeks)]


def hours_report(
    *, start: datetime, end: datetime, schedules: Sequence[Schedule] | None = None, person=None
) -> list[HoursRow]:
    """On-call hours per (schedule, person, layer) over ``[start, end)``, split into METRICS.md
    buckets on each person's own clock. ``person`` limits the rows to one person."""
    rows: dict[tuple[int, int, str], HoursRow] = {}
    for schedule in schedules if schedules is not None else Schedule.objects.all():
        for run in continuous_runs(effective_shifts(schedule, start, end)):
            if person is not None and run.person != person:
                continue
            key = (schedule.pk, run.person.pk, str(run.layer))
            row = rows.setdefault(key, HoursRow(schedule, run.person, str(run.layer)))
            row.shifts += 1
            for bucket, amount in hours_by_bucket(run.start, run.end, run.person.timezone).items():
                row.buckets[bucket] += amount
    return sorted(
        rows.values(),
        key=lambda r: (r.schedule.name, r.user.get_username(), list(Layer).index(Layer(r.layer))),
    )


# --- helpers for writes ---------------------------------------------------------------------------


def _require_admin(user, action: str) -> None:
    if not is_admin(user):
        raise PermissionDenied(f"Only admins can {action}.")


def _require_responder(user, action: str) -> None:
    if not can_respond(user):
        raise PermissionDenied(f"Only responders and admins can {action}.")


def _lock(schedule: Schedule) -> Schedule:
    locked = Schedule.objects.select_for_update().filter(pk=schedule.pk).first()
    if locked is None:
        raise NotFound("That schedule no longer exists.")
    return locked


def local_text(value: datetime, user) -> str:
    """A time on ``user``'s clock, with the date and zone (messages cross midnight)."""
    tz = getattr(user, "tzinfo", None) or ZoneInfo("UTC")
    return value.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z")


def display(user) -> str:
    return getattr(user, "display_name", None) or str(user)


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


def _definition(
    *,
    rotation: str,
    timezone_name: str,
    handoff_time,
    start_date,
    shift_hours,
    participants: Sequence[ParticipantInput],
) -> Rotation:
    """Validate a rotation definition; ValidationFailed names the field."""
    for p in participants:
        _active_person(p.user, "participants")
    if shift_hours is not None and (
        isinstance(shift_hours, bool) or not isinstance(shift_hours, int)
    ):
        raise ValidationFailed(
            "Give the shift length in whole hours.", field_errors={"shift_hours": ["Whole hours."]}
        )
    try:
        return Rotation(
            kind=rotation,
            participants=[Participant(p.user, new=bool(p.new), site=p.site) for p in participants],
            handoff_time=handoff_time,
            timezone=timezone_name,
            start_date=start_date,
            shift_length=timedelta(hours=shift_hours) if shift_hours else None,
        )
    except RotationError as exc:
        name = _FIELD_NAMES.get(exc.field or "", exc.field or "rotation")
        raise ValidationFailed(exc.message, field_errors={name: [exc.message]}) from None


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


def current_participants(schedule: Schedule) -> list[ParticipantInput]:
    return [
        ParticipantInput(p.user, new=p.is_new, site=p.site)
        for p in ScheduleParticipant.objects.filter(schedule=schedule)
        .select_related("user")
        .order_by("position")
    ]


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
    _require_admin(user, "create on-call schedules")
    if slug in RESERVED_SLUGS:
        message = f"{slug!r} is reserved for a page address; choose another slug."
        raise ValidationFailed(message, field_errors={"slug": [message]})
    _definition(
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
    _require_admin(user, "change on-call schedules")
    now = timezone.now()
    effective_from = now if effective_from is None else _aware(effective_from, "effective_from")
    if effective_from < now - timedelta(minutes=1):
        message = "A change takes effect now or later; shifts already worked cannot be rewritten."
        raise ValidationFailed(message, field_errors={"effective_from": [message]})
    effective_from = max(effective_from, now)
    _definition(
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
    _require_admin(user, "change a schedule's calendar link")
    from oncall.models import _feed_token

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
    from oncall.models import _feed_token

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
    _require_responder(user, "override on-call shifts")
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
        from oncall import services

        services.notification_send(
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
    _require_responder(user, "cancel overrides")
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
    _require_responder(user, "swap on-call shifts")
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
    _require_responder(user, "cancel swaps")
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
