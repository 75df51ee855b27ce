"""Which vendor rotations have an exact equivalent here (``oncall.importers.fit``)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from oncall.importers.fit import NoFit, parse_instant, rotation_fit


def fit(turn: timedelta, anchor: str = "2026-01-05T09:00:00+01:00", zone: str = "Europe/Paris"):
    return rotation_fit(turn=turn, anchor=parse_instant(anchor), timezone_name=zone)


def test_a_day_a_week_and_whole_hours_fit_with_the_hand_off_on_the_local_clock():
    daily = fit(timedelta(days=1))
    assert (daily.rotation, daily.handoff_time, str(daily.start_date)) == (
        "daily",
        time(9),
        "2026-01-05",
    )
    assert fit(timedelta(weeks=1)).rotation == "weekly"
    custom = fit(timedelta(hours=36))
    assert (custom.rotation, custom.shift_hours) == ("custom", 36)
    assert fit(timedelta(weeks=4)).shift_hours == 28 * 24
    # An instant in UTC is read on the schedule's own clock: 08:00Z is 09:00 in Paris.
    assert fit(timedelta(days=1), "2026-01-05T08:00:00Z").handoff_time == time(9)
    # Grafana OnCall writes naive local starts.
    assert rotation_fit(
        turn=timedelta(days=1), anchor=datetime(2026, 1, 5, 7, 30), timezone_name="UTC"
    ).handoff_time == time(7, 30)


@pytest.mark.parametrize(
    ("turn", "anchor", "zone", "reason"),
    [
        (timedelta(minutes=90), "2026-01-05T09:00:00Z", "UTC", "turns of 5400 seconds"),
        (timedelta(days=30), "2026-01-05T09:00:00Z", "UTC", "turns of 30 day"),
        (timedelta(days=1), "2026-01-05T09:00:30Z", "UTC", "hand-offs here are on whole minutes"),
        (timedelta(days=1), "2026-01-05T09:00:00Z", "Mars/Olympus", "is not a time zone"),
    ],
)
def test_anything_else_is_flagged_with_the_reason(turn, anchor, zone, reason):
    with pytest.raises(NoFit, match=reason):
        fit(turn, anchor, zone)
