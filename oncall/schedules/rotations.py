"""Rotation maths: who is primary and who is secondary when. Pure Python: no models, no database.

A rotation is a sequence of *slots* k = 0, 1, 2, ...; slot k runs from hand-off k to hand-off k+1.
Hand-offs are wall-clock times in the schedule's own IANA time zone, so a weekly hand-off at
Monday 10:00 Europe/London stays at 10:00 local time and the shift across a daylight-saving
change lasts 167 or 169 hours. Hand-off k is computed by calendar arithmetic on the local wall
clock (start date + k days/weeks/hours), then converted to UTC:

- a wall time that happens twice (clocks go back) means its first occurrence;
- a wall time that does not exist (clocks go forward) is read with the offset in force before the
  change, i.e. it lands just after the change (01:30 on a London spring-forward day is 02:30 BST);
- a slot whose end is not after its start (a zone skipping a whole day) is dropped.

Kinds and their slots (``turn`` counts how often a track has handed over):

- ``daily`` / ``weekly``: one slot per day / per week, starting on the start date.
- ``custom``: slots of ``shift_length`` (whole hours, 1 hour to 28 days), on the wall clock.
- ``three_four``: two slots a week, Monday–Thursday and Friday–Sunday (the start date must be a
  Monday). They are two tracks; both rotate every Monday, the weekend track offset by half the
  team (⌈e/2⌉ of e primary-eligible people), so everyone does as many weekends as weekdays and,
  with three or more people, nobody holds both halves in a row. With exactly two people this is
  impossible: they swap halves every week, so one of them hands over to themselves on Monday.
- ``follow_the_sun``: two 12-hour slots a day; the first (from the hand-off time) belongs to site
  0 and the second to site 1. Each site's people take a week of day-time shifts in turn.

Who is on call in a slot, given its track's people in participant order:

- primary = the primary-eligible people (not *new*) in turn: ``eligible[(turn + offset) % e]``.
  With only that rule and no new people, the secondary becomes primary at the next hand-off and
  the person off call longest becomes secondary (round-robin), as the weekly rotation requires.
- secondary = the person right after the primary in the track's full order (new people
  included). A new person is therefore secondary, never primary, in the slots where the person
  listed just before them is primary: list a new person after the colleague they shadow.
- with fewer than two people in the track there is no secondary; with no eligible person, nobody
  is on call in that track.

Since the secondary is another position in a list of distinct people, primary ≠ secondary in
every slot; between two hand-offs nothing changes, so this holds at every instant.

Overrides and swaps are :class:`Cover` records painted over the rotation in creation order (the
later one wins where they overlap); :func:`conflicts` finds instants where one person would hold
both layers, which the services reject.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MIN_CUSTOM_SHIFT = timedelta(hours=1)
MAX_CUSTOM_SHIFT = timedelta(days=28)
FOLLOW_THE_SUN_SITES = 2


class RotationError(ValueError):
    """A rotation definition that cannot be scheduled. ``field`` names the offending input."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class RotationKind(enum.StrEnum):
    WEEKLY = "weekly"
    THREE_FOUR = "three_four"
    FOLLOW_THE_SUN = "follow_the_sun"
    DAILY = "daily"
    CUSTOM = "custom"


class Layer(enum.StrEnum):
    PRIMARY = "primary"
    SECONDARY = "secondary"


# Primary before secondary where shifts start together (a dict: sorting looks it up per shift).
LAYER_ORDER = {layer: index for index, layer in enumerate(Layer)}


class Source(enum.StrEnum):
    ROTATION = "rotation"
    OVERRIDE = "override"
    SWAP = "swap"


@dataclass(frozen=True)
class Participant:
    """One person on the rotation. ``key`` identifies them (a user id); ``new`` people are only
    ever secondary; ``site`` (0 or 1) matters only for follow-the-sun rotations."""

    key: Hashable
    new: bool = False
    site: int = 0


@dataclass(frozen=True)
class Shift:
    """``person`` holds ``layer`` over ``[start, end)`` (aware UTC datetimes)."""

    layer: Layer
    person: Hashable
    start: datetime
    end: datetime
    source: Source = Source.ROTATION
    source_id: int | None = None

    @property
    def duration(self) -> timedelta:
        return self.end - self.start


@dataclass(frozen=True)
class Cover:
    """An override, or one half of a swap: ``person`` holds ``layer`` over ``[start, end)``."""

    layer: Layer
    person: Hashable
    start: datetime
    end: datetime
    source: Source = Source.OVERRIDE
    source_id: int | None = None


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise RotationError(
            f"{name!r} is not a time zone. Use an IANA name such as Europe/London.",
            field="timezone",
        ) from None


def require_aware(value: datetime, name: str) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise RotationError(f"{name} must be a time-zone-aware datetime.", field=name)
    return value.astimezone(UTC)


def local_to_utc(wall: datetime, tz: ZoneInfo) -> datetime:
    """A naive local wall time → aware UTC, by the module's rule (fold=0, see the docstring)."""
    return wall.replace(tzinfo=tz, fold=0).astimezone(UTC)


@dataclass(frozen=True)
class Rotation:
    """A validated rotation definition. Raises :class:`RotationError` when it cannot work."""

    kind: RotationKind
    participants: tuple[Participant, ...]
    handoff_time: time
    timezone: str
    start_date: date
    shift_length: timedelta | None = None
    tz: ZoneInfo = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        try:
            kind = RotationKind(self.kind)
        except ValueError:
            choices = ", ".join(k.value for k in RotationKind)
            raise RotationError(
                f"Unknown rotation kind {self.kind!r}; use one of {choices}.", field="kind"
            ) from None
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "participants", tuple(self.participants))
        object.__setattr__(self, "tz", zone(self.timezone))
        if not isinstance(self.handoff_time, time) or self.handoff_time.tzinfo is not None:
            raise RotationError(
                "The hand-off time is a local time of day, such as 10:00.", field="handoff_time"
            )
        if self.handoff_time.second or self.handoff_time.microsecond:
            raise RotationError("Hand-off times are whole minutes.", field="handoff_time")
        if not isinstance(self.start_date, date) or isinstance(self.start_date, datetime):
            raise RotationError("The start is a date, such as 2025-03-03.", field="start_date")
        if kind == RotationKind.THREE_FOUR and self.start_date.weekday() != 0:
            raise RotationError(
                "A three-four split starts on a Monday (Monday–Thursday, then Friday–Sunday).",
                field="start_date",
            )
        self._check_shift_length(kind)
        self._check_participants(kind)

    def _check_shift_length(self, kind: RotationKind) -> None:
        length = self.shift_length
        if kind != RotationKind.CUSTOM:
            if length is not None:
                raise RotationError(
                    "Only custom rotations have a shift length.", field="shift_length"
                )
            return
        if not isinstance(length, timedelta):
            raise RotationError(
                "A custom rotation needs a shift length in hours.", field="shift_length"
            )
        if length % timedelta(hours=1):
            raise RotationError(
                "A custom shift length is a whole number of hours.", field="shift_length"
            )
        if not MIN_CUSTOM_SHIFT <= length <= MAX_CUSTOM_SHIFT:
            raise RotationError(
                "A custom shift lasts from 1 hour to 28 days.", field="shift_length"
            )

    def _check_participants(self, kind: RotationKind) -> None:
        seen: set[Hashable] = set()
        for participant in self.participants:
            if participant.key in seen:
                raise RotationError(
                    f"{participant.key} is on the rotation twice; list each person once.",
                    field="participants",
                )
            seen.add(participant.key)
            if kind == RotationKind.FOLLOW_THE_SUN:
                if participant.site not in range(FOLLOW_THE_SUN_SITES):
                    raise RotationError("A follow-the-sun site is 0 or 1.", field="participants")
            elif participant.site != 0:
                raise RotationError(
                    "Only follow-the-sun rotations have sites.", field="participants"
                )

    # --- slots --------------------------------------------------------------------------------

    @property
    def _first_wall(self) -> datetime:
        return datetime.combine(self.start_date, self.handoff_time)

    def _wall_handoff(self, k: int) -> datetime:
        """Hand-off k on the local wall clock (naive), by calendar arithmetic."""
        base = self._first_wall
        match self.kind:
            case RotationKind.DAILY:
                return base + timedelta(days=k)
            case RotationKind.WEEKLY:
                return base + timedelta(weeks=k)
            case RotationKind.CUSTOM:
                assert self.shift_length is not None
                return base + k * self.shift_length
            case RotationKind.FOLLOW_THE_SUN:
                return base + timedelta(hours=12 * k)
            case RotationKind.THREE_FOUR:
                return base + timedelta(days=7 * (k // 2) + 4 * (k % 2))
        raise AssertionError(self.kind)  # pragma: no cover

    def handoff(self, k: int) -> datetime:
        """Hand-off k as an aware UTC datetime (before any clamping of dropped slots)."""
        return local_to_utc(self._wall_handoff(k), self.tz)

    @property
    def starts_at(self) -> datetime:
        return self.handoff(0)

    def _nominal_slot(self) -> timedelta:
        match self.kind:
            case RotationKind.DAILY:
                return timedelta(days=1)
            case RotationKind.WEEKLY:
                return timedelta(weeks=1)
            case RotationKind.CUSTOM:
                assert self.shift_length is not None
                return self.shift_length
            case RotationKind.FOLLOW_THE_SUN:
                return timedelta(hours=12)
            case RotationKind.THREE_FOUR:
                return timedelta(days=3, hours=12)
        raise AssertionError(self.kind)  # pragma: no cover

    def _slot_at_or_before(self, instant: datetime) -> int:
        """The last slot index whose hand-off is at or before ``instant`` (0 if none)."""
        if instant <= self.starts_at:
            return 0
        # Wall-clock slots differ from nominal ones by at most a few offset changes: estimate,
        # then step to the exact index.
        k = max(0, int((instant - self.starts_at) / self._nominal_slot()) - 2)
        while k > 0 and self.handoff(k) > instant:
            k -= 1
        while self.handoff(k + 1) <= instant:
            k += 1
        return k

    def _track_turn(self, k: int) -> tuple[int, int]:
        match self.kind:
            case RotationKind.THREE_FOUR:
                return k % 2, k // 2
            case RotationKind.FOLLOW_THE_SUN:
                return k % 2, (k // 2) // 7
        return 0, k

    def _track_people(self, track: int) -> list[Participant]:
        if self.kind == RotationKind.FOLLOW_THE_SUN:
            return [p for p in self.participants if p.site == track]
        return list(self.participants)

    def assignment(self, k: int) -> tuple[Hashable | None, Hashable | None]:
        """(primary key, secondary key) for slot k; None where nobody is on that layer."""
        track, turn = self._track_turn(k)
        people = self._track_people(track)
        eligible = [p for p in people if not p.new]
        if not eligible:
            return None, None
        offset = (
            math.ceil(len(eligible) / 2)
            if self.kind == RotationKind.THREE_FOUR and track == 1
            else 0
        )
        primary = eligible[(turn + offset) % len(eligible)]
        if len(people) < 2:
            return primary.key, None
        # ``primary`` is one of ``people`` (each person is listed once): found by identity, not
        # by comparing every participant's key (a User) with ==.
        at = next(index for index, person in enumerate(people) if person is primary)
        secondary = people[(at + 1) % len(people)]
        return primary.key, secondary.key

    def shifts(self, start: datetime, end: datetime) -> list[Shift]:
        """Rotation shifts overlapping ``[start, end)``, clipped to it, primary and secondary
        interleaved in time order. Nothing before the rotation's first hand-off."""
        start = require_aware(start, "start")
        end = require_aware(end, "end")
        if end <= start:
            return []
        k = self._slot_at_or_before(start)
        floor = self.handoff(k)
        out: list[Shift] = []
        while floor < end:
            slot_start = floor
            slot_end = max(self.handoff(k + 1), floor)  # clamp: hand-offs never go backwards
            if slot_end > slot_start and slot_end > start:
                primary, secondary = self.assignment(k)
                lo, hi = max(slot_start, start), min(slot_end, end)
                if primary is not None:
                    out.append(Shift(Layer.PRIMARY, primary, lo, hi))
                if secondary is not None:
                    out.append(Shift(Layer.SECONDARY, secondary, lo, hi))
            floor = slot_end
            k += 1
        return out

    def on_call_at(self, instant: datetime) -> tuple[Hashable | None, Hashable | None]:
        """(primary, secondary) at one instant."""
        instant = require_aware(instant, "at")
        if instant < self.starts_at:
            return None, None
        return self.assignment(self._slot_at_or_before(instant))


# --- overrides, swaps and conflicts -----------------------------------------------------------


def apply_covers(
    shifts: Iterable[Shift], covers: Sequence[Cover], start: datetime, end: datetime
) -> list[Shift]:
    """Paint ``covers`` (in the given order; a later one wins) over ``shifts`` within
    ``[start, end)``. Returns the effective shifts, clipped to the window, sorted by start and
    layer."""
    start = require_aware(start, "start")
    end = require_aware(end, "end")
    by_layer: dict[Layer, list[Shift]] = {layer: [] for layer in Layer}
    for shift in shifts:
        clipped = _clip(shift, start, end)
        if clipped is not None:
            by_layer[shift.layer].append(clipped)
    for cover in covers:
        painted = Shift(
            cover.layer, cover.person, cover.start, cover.end, cover.source, cover.source_id
        )
        painted = _clip(painted, start, end)
        if painted is None:
            continue
        kept: list[Shift] = []
        for shift in by_layer[cover.layer]:
            if shift.end <= painted.start or shift.start >= painted.end:
                kept.append(shift)
                continue
            if shift.start < painted.start:
                kept.append(replace(shift, end=painted.start))
            if shift.end > painted.end:
                kept.append(replace(shift, start=painted.end))
        kept.append(painted)
        kept.sort(key=lambda s: s.start)
        by_layer[cover.layer] = kept
    merged = [s for layer in Layer for s in by_layer[layer]]
    merged.sort(key=lambda s: (s.start, LAYER_ORDER[s.layer]))
    return merged


def _clip(shift: Shift, start: datetime, end: datetime) -> Shift | None:
    lo, hi = max(shift.start, start), min(shift.end, end)
    if hi <= lo:
        return None
    if (lo, hi) == (shift.start, shift.end):
        return shift
    return replace(shift, start=lo, end=hi)


def holder_at(shifts: Iterable[Shift], layer: Layer, instant: datetime) -> Hashable | None:
    for shift in shifts:
        if shift.layer == layer and shift.start <= instant < shift.end:
            return shift.person
    return None


@dataclass(frozen=True)
class Conflict:
    """``person`` would be primary and secondary at once over ``[start, end)``."""

    person: Hashable
    start: datetime
    end: datetime


def conflicts(shifts: Iterable[Shift]) -> list[Conflict]:
    """Every interval where the same person holds both layers (a layer's shifts never overlap)."""
    primary = sorted((s for s in shifts if s.layer == Layer.PRIMARY), key=lambda s: s.start)
    secondary = sorted((s for s in shifts if s.layer == Layer.SECONDARY), key=lambda s: s.start)
    found: list[Conflict] = []
    i = j = 0
    while i < len(primary) and j < len(secondary):
        p, s = primary[i], secondary[j]
        lo, hi = max(p.start, s.start), min(p.end, s.end)
        if lo < hi and p.person == s.person:
            if found and found[-1].person == p.person and found[-1].end == lo:
                found[-1] = Conflict(p.person, found[-1].start, hi)
            else:
                found.append(Conflict(p.person, lo, hi))
        if p.end <= s.end:
            i += 1
        else:
            j += 1
    return found


@dataclass(frozen=True)
class Segment:
    """Over ``[start, end)`` nothing changes: ``primary`` and ``secondary`` (None: nobody)."""

    start: datetime
    end: datetime
    primary: Hashable | None
    secondary: Hashable | None


def segments(shifts: Iterable[Shift]) -> list[Segment]:
    """Cut the shifts at every boundary of either layer into segments where both holders are
    constant; neighbours with the same holders are joined. Gaps with nobody on call are left out.
    Shifts of one layer must not overlap (as :func:`apply_covers` guarantees)."""
    by_layer = {
        layer: sorted((s for s in shifts if s.layer == layer), key=lambda s: s.start)
        for layer in Layer
    }
    points = sorted(
        {t for layer_shifts in by_layer.values() for s in layer_shifts for t in (s.start, s.end)}
    )
    cursor = {layer: 0 for layer in Layer}
    out: list[Segment] = []
    for lo, hi in zip(points, points[1:], strict=False):
        holders = {}
        for layer, layer_shifts in by_layer.items():
            i = cursor[layer]
            while i < len(layer_shifts) and layer_shifts[i].end <= lo:
                i += 1
            cursor[layer] = i
            inside = i < len(layer_shifts) and layer_shifts[i].start <= lo
            holders[layer] = layer_shifts[i].person if inside else None
        primary, secondary = holders[Layer.PRIMARY], holders[Layer.SECONDARY]
        if primary is None and secondary is None:
            continue
        if (
            out
            and out[-1].end == lo
            and (out[-1].primary, out[-1].secondary) == (primary, secondary)
        ):
            out[-1] = replace(out[-1], end=hi)
        else:
            out.append(Segment(lo, hi, primary, secondary))
    return out


def continuous_runs(shifts: Iterable[Shift]) -> list[Shift]:
    """Join touching shifts of the same person on the same layer into one run (for people, a
    "shift" is what they hold without a break, whatever its source)."""
    runs: list[Shift] = []
    last_by_layer: dict[Layer, int] = {}
    for shift in sorted(shifts, key=lambda s: (s.start, LAYER_ORDER[s.layer])):
        index = last_by_layer.get(shift.layer)
        if index is not None:
            previous = runs[index]
            if previous.end == shift.start and previous.person == shift.person:
                runs[index] = replace(previous, end=shift.end)
                continue
        runs.append(shift)
        last_by_layer[shift.layer] = len(runs) - 1
    return runs


# --- hours buckets (METRICS.md) ---------------------------------------------------------------


class Bucket(enum.StrEnum):
    BUSINESS = "business"
    OFF_HOURS = "off_hours"
    SLEEP = "sleep"


_BUCKET_EDGES = (time(8), time(18), time(22))


def bucket_of(local: datetime) -> Bucket:
    """METRICS.md hours buckets for a local wall time: business = Mon–Fri 08:00–18:00;
    off-hours = Mon–Fri 18:00–22:00 and Sat–Sun 08:00–22:00; sleep = every day 22:00–08:00."""
    wall = local.time()
    if wall < time(8) or wall >= time(22):
        return Bucket.SLEEP
    if local.weekday() < 5 and wall < time(18):
        return Bucket.BUSINESS
    return Bucket.OFF_HOURS


def _next_edge(local: datetime) -> datetime:
    """The next wall time (naive) after ``local`` where the bucket may change."""
    day = local.date()
    wall = local.replace(tzinfo=None)
    for edge in _BUCKET_EDGES:
        candidate = datetime.combine(day, edge)
        if candidate > wall:
            return candidate
    return datetime.combine(day + timedelta(days=1), _BUCKET_EDGES[0])


def _first_offset_change(lo: datetime, hi: datetime, tz: ZoneInfo) -> datetime | None:
    """The first instant in ``(lo, hi]`` where the zone's UTC offset changes (zones change on
    whole seconds). Assumes at most one change in the interval, which is under a day long."""
    before = lo.astimezone(tz).utcoffset()
    if hi.astimezone(tz).utcoffset() == before:
        return None
    low, high = lo, hi  # invariant: offset(low) == before != offset(high)
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(tz).utcoffset() == before:
            low = middle
        else:
            high = middle
    whole_second = high.replace(microsecond=0)
    if whole_second > low and whole_second.astimezone(tz).utcoffset() != before:
        high = whole_second
    return high


def hours_by_bucket(start: datetime, end: datetime, timezone_name: str) -> dict[Bucket, timedelta]:
    """How much of ``[start, end)`` falls in each METRICS.md bucket, on the wall clock of
    ``timezone_name`` (the person's own zone). Exact to the second across offset changes."""
    tz = zone(timezone_name)
    start = require_aware(start, "start")
    end = require_aware(end, "end")
    totals = {bucket: timedelta(0) for bucket in Bucket}
    instant = start
    while instant < end:
        local = instant.astimezone(tz)
        wall_edge = _next_edge(local)
        # A repeated wall time has two instants; the edge is the first one still ahead of us.
        ahead = [wall_edge.replace(tzinfo=tz, fold=fold).astimezone(UTC) for fold in (0, 1)]
        edge = min((t for t in ahead if t > instant), default=end)
        change = _first_offset_change(instant, min(edge, end), tz)
        step_end = min(edge, end, change or end)
        totals[bucket_of(local)] += step_end - instant
        instant = step_end
    return totals
