"""Does a vendor's rotation fit one of our rotation kinds exactly? (oncall.schedules.rotations)

Our rotations hand over at one wall-clock time in one IANA zone, every day, every week, or every
N whole hours (1 hour to 28 days), from a start date on; the people take turns in list order.
Anything else (part-day coverage, gaps, repeated people, several overlapping layers) is not
imported but reported with its reason, so a person can rebuild it by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from oncall.schedules.rotations import MAX_CUSTOM_SHIFT, MIN_CUSTOM_SHIFT, RotationError, zone


@dataclass(frozen=True)
class RotationFit:
    rotation: str
    handoff_time: time
    start_date: date
    shift_hours: int | None = None


class NoFit(ValueError):
    """The rotation has no exact equivalent here; the message says why, for the report."""


def describe(turn: timedelta) -> str:
    seconds = int(turn.total_seconds())
    if seconds % 86400 == 0:
        return f"{seconds // 86400} day(s)"
    if seconds % 3600 == 0:
        return f"{seconds // 3600} hour(s)"
    return f"{seconds} seconds"


def local_wall(value: datetime, timezone_name: str) -> datetime:
    """An aware instant → the naive wall-clock time in the zone (a naive value is taken as
    already local, as Grafana OnCall writes its shift starts)."""
    if value.tzinfo is None:
        return value
    return value.astimezone(zone(timezone_name)).replace(tzinfo=None)


def rotation_fit(*, turn: timedelta, anchor: datetime, timezone_name: str) -> RotationFit:
    """The rotation whose hand-offs are ``anchor`` + k × ``turn`` on the wall clock of
    ``timezone_name``. Raises :class:`NoFit` with the reason when we have no such kind."""
    try:
        zone(timezone_name)
    except RotationError as exc:
        raise NoFit(exc.message) from None
    wall = local_wall(anchor, timezone_name)
    if wall.second or wall.microsecond:
        raise NoFit(f"hand-off at {wall:%H:%M:%S}: hand-offs here are on whole minutes")
    handoff, start = wall.time(), wall.date()
    if turn == timedelta(days=1):
        return RotationFit("daily", handoff, start)
    if turn == timedelta(weeks=1):
        return RotationFit("weekly", handoff, start)
    if turn % timedelta(hours=1) == timedelta(0) and MIN_CUSTOM_SHIFT <= turn <= MAX_CUSTOM_SHIFT:
        return RotationFit("custom", handoff, start, int(turn / timedelta(hours=1)))
    raise NoFit(
        f"turns of {describe(turn)}: rotations here hand over daily, weekly or every 1 hour "
        "to 28 days in whole hours"
    )


def parse_instant(text: str | None) -> datetime | None:
    """ISO 8601 as the vendors write it ("2026-01-05T09:00:00Z", "...+01:00", or naive)."""
    if not text:
        return None
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
