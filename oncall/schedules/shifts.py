"""On-call schedules: effective shifts (rotation versions, overrides, swaps) and every write.

Who is on call is computed, never stored: the rotation maths (oncall.schedules.rotations) over the
schedule's versions, with overrides and swaps painted on top in creation order. Writes lock the
schedule row, write, then re-check the whole affected interval; a write that would make one
person primary and secondary at the same moment is rolled back with a clear error.

The writes are in ``oncall.schedules.services``; page-sized reads in ``oncall.schedules.selectors``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db.models import Q

from config.errors import ValidationFailed
from oncall.schedules.models import (
    Schedule,
    ScheduleOverride,
    ScheduleSwap,
    ScheduleVersion,
)
from oncall.schedules.rotations import (
    Bucket,
    Cover,
    Layer,
    Participant,
    Rotation,
    RotationError,
    Shift,
    Source,
    apply_covers,
    continuous_runs,
    hours_by_bucket,
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


# --- reading the schedule -------------------------------------------------------------------------


def _versions(schedule: Schedule) -> list[tuple[datetime | None, Rotation]]:
    """The schedule's rotation versions in force order (the first one has no start)."""
    rows = list(ScheduleVersion.objects.filter(schedule=schedule))
    return _versions_from(rows, _users_of(rows))


def _users_of(rows: list[ScheduleVersion]) -> dict:
    user_ids = {p["user"] for row in rows for p in row.participants}
    return get_user_model().objects.in_bulk(user_ids)


def _versions_from(
    rows: list[ScheduleVersion], users: dict
) -> list[tuple[datetime | None, Rotation]]:
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
    return _shifts_of(_versions(schedule), start, end)


def _shifts_of(
    versions: list[tuple[datetime | None, Rotation]], start: datetime, end: datetime
) -> list[Shift]:
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
    overrides, swaps = _cover_rows(Q(schedule=schedule), start, end)
    return _covers_from(overrides, swaps)


def _cover_rows(which: Q, start: datetime, end: datetime) -> tuple[list, list]:
    """Active overrides and swaps of the schedules ``which`` selects that touch the window."""
    overrides = ScheduleOverride.objects.filter(
        which, cancelled_at__isnull=True, start_at__lt=end, end_at__gt=start
    ).select_related("user")
    swaps = (
        ScheduleSwap.objects.filter(which, cancelled_at__isnull=True)
        .filter(
            Q(first_start__lt=end, first_end__gt=start)
            | Q(second_start__lt=end, second_end__gt=start)
        )
        .select_related("first_user", "second_user")
    )
    return list(overrides), list(swaps)


def _covers_from(overrides, swaps) -> list[Cover]:
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


def oncall_at(schedule: Schedule, at: datetime) -> OnCall:
    return _holders(effective_shifts(schedule, at, at + timedelta(microseconds=1)))


def effective_shifts_of(
    schedules: Sequence[Schedule], start: datetime, end: datetime
) -> dict[int, list[Shift]]:
    """``effective_shifts`` of many schedules, by schedule id, from four queries whatever their
    number: versions, their people, overrides and swaps are read for all schedules at once."""
    ids = [s.pk for s in schedules]
    rows = list(ScheduleVersion.objects.filter(schedule_id__in=ids))
    users = _users_of(rows)
    overrides, swaps = _cover_rows(Q(schedule_id__in=ids), start, end)
    result = {}
    for schedule_id in ids:
        versions = _versions_from([r for r in rows if r.schedule_id == schedule_id], users)
        covers = _covers_from(
            [o for o in overrides if o.schedule_id == schedule_id],
            [s for s in swaps if s.schedule_id == schedule_id],
        )
        result[schedule_id] = apply_covers(_shifts_of(versions, start, end), covers, start, end)
    return result


def oncall_at_many(schedules, at: datetime) -> dict[int, OnCall]:
    """``oncall_at`` for many schedules, by schedule id, in five queries whatever their number
    (the on-call list and the Slack bot show every schedule at once)."""
    shifts = effective_shifts_of(list(schedules), at, at + timedelta(microseconds=1))
    return {schedule_id: _holders(found) for schedule_id, found in shifts.items()}


def _holders(shifts: list[Shift]) -> OnCall:
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


def build_rotation(
    *,
    rotation: str,
    timezone_name: str,
    handoff_time,
    start_date,
    shift_hours,
    participants: Sequence[ParticipantInput],
) -> Rotation:
    """A rotation from what a person gave (nothing is saved); ValidationFailed names the field."""
    for p in participants:
        if p.user is None or not getattr(p.user, "is_active", False):
            message = f"{p.user or 'Nobody'} is not an active account; choose an active person."
            raise ValidationFailed(message, field_errors={"participants": [message]})
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


# --- display helpers and participants ------------------------------------------------------------


def local_text(value: datetime, user) -> str:
    """A time on ``user``'s clock, with the date and zone (messages cross midnight)."""
    tz = getattr(user, "tzinfo", None) or ZoneInfo("UTC")
    return value.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z")


def display(user) -> str:
    return getattr(user, "display_name", None) or str(user)


def current_participants(schedule: Schedule) -> list[ParticipantInput]:
    """The schedule's people in rotation order (no query when the caller prefetched
    ``participants``, as ``selectors.schedule_list`` does)."""
    rows = schedule.participants.all()
    if "participants" not in getattr(schedule, "_prefetched_objects_cache", {}):
        rows = rows.select_related("user")
    return [
        ParticipantInput(p.user, new=p.is_new, site=p.site)
        for p in sorted(rows, key=lambda p: p.position)
    ]
