"""Timeline layout (oncall.schedules.timeline): bounded windows, bars placed on the viewer's own
calendar days (also across a daylight-saving change), names that fit, colours per person."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from oncall.schedules.rotations import Layer, Shift, Source
from oncall.schedules.timeline import LABEL_WIDTH, MAX_DAYS, PALETTE, build, human, window_edges

LONDON = ZoneInfo("Europe/London")


class P:
    def __init__(self, name: str):
        self.display_name = name
        self.first_name = name.split()[0]
        self.username = name.lower().split()[0]

    def __repr__(self) -> str:
        return self.username


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize("days", [0, MAX_DAYS + 1, 10_000])
def test_a_window_is_never_unbounded(days):
    with pytest.raises(ValueError, match="1 to 92 days"):
        window_edges(date(2025, 1, 6), days, LONDON)


def test_a_bar_starts_at_its_local_hour_on_a_short_spring_day():
    ana = P("Ana Lima")
    # Sun 30 Mar 2025 in London has 23 hours; 12:00 BST is 11/23 of the way through it.
    shifts = [Shift(Layer.PRIMARY, ana, utc(2025, 3, 30, 11), utc(2025, 3, 31, 8), Source.ROTATION)]
    timeline = build(shifts, first_day=date(2025, 3, 29), days=3, tz=LONDON, day_width=46)
    bar = timeline.rows[0].bars[0]
    assert bar.x == pytest.approx(LABEL_WIDTH + 46 + 46 * 11 / 23)
    assert bar.x + bar.width == pytest.approx(LABEL_WIDTH + 2 * 46 + 46 * 9 / 24)
    assert bar.title == "Primary: Ana Lima, Sun 30 Mar 12:00 – Mon 31 Mar 09:00"


def test_names_shrink_to_fit_and_the_title_always_has_everything():
    ana = P("Ana Lima")
    wide = Shift(Layer.PRIMARY, ana, utc(2025, 1, 6), utc(2025, 1, 13))
    narrow = Shift(Layer.SECONDARY, ana, utc(2025, 1, 6), utc(2025, 1, 6, 3))
    timeline = build([wide, narrow], first_day=date(2025, 1, 6), days=7, tz=UTC)
    labels = [b.label for row in timeline.rows for b in row.bars]
    assert labels == ["Ana Lima", ""]
    assert all(
        b.title.startswith(("Primary: Ana Lima", "Secondary: Ana Lima")) for b in timeline.items
    )


def test_people_keep_their_rotation_colour_and_overrides_get_their_own_row():
    ana, ben, dev = P("Ana"), P("Ben"), P("Dev")
    shifts = [
        Shift(Layer.PRIMARY, ben, utc(2025, 1, 6), utc(2025, 1, 7)),
        Shift(Layer.PRIMARY, dev, utc(2025, 1, 7), utc(2025, 1, 8), Source.OVERRIDE, 1),
        Shift(Layer.SECONDARY, ana, utc(2025, 1, 6), utc(2025, 1, 8)),
    ]
    timeline = build(shifts, first_day=date(2025, 1, 6), days=7, tz=UTC, people=[ana, ben])
    assert (
        timeline.colours[ana].fill == PALETTE[0][0] and timeline.colours[ben].fill == PALETTE[1][0]
    )
    assert timeline.colours[dev].fill == PALETTE[2][0]
    overrides = timeline.rows[2]
    assert overrides.label == "Overrides" and [b.person for b in overrides.bars] == [dev]
    assert [(e.person, e.primary_text, e.secondary_text) for e in timeline.legend] == [
        (ana, "none", "2 days"),
        (ben, "1 day", "none"),
        (dev, "1 day", "none"),
    ]


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "none"), (45 * 60, "45 min"), (12 * 3600, "12 h"), (3.5 * 86400, "3 days 12 h")],
)
def test_durations_in_human_units(seconds, text):
    from datetime import timedelta

    assert human(timedelta(seconds=seconds)) == text
