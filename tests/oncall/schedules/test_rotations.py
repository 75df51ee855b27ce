"""Rotation maths against calendars computed by hand (oncall.schedules.rotations is pure: no database).

Times in the expectations are written in UTC, with the local wall time in a comment, so a reader
can check each line against a wall calendar. 2025 daylight-saving changes used below:
Europe/London 30 March (01:00 UTC, GMT→BST) and 26 October (01:00 UTC, BST→GMT);
America/New_York 9 March (07:00 UTC, EST→EDT).
"""

from __future__ import annotations

import bisect
from datetime import UTC, date, datetime, time, timedelta

import pytest

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
    conflicts,
    continuous_runs,
    holder_at,
    hours_by_bucket,
)

P, S = Layer.PRIMARY, Layer.SECONDARY


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def people(
    *keys: str, new: tuple[str, ...] = (), site_b: tuple[str, ...] = ()
) -> list[Participant]:
    return [Participant(k, new=k in new, site=1 if k in site_b else 0) for k in keys]


def table(shifts: list[Shift]) -> list[tuple[datetime, datetime, str | None, str | None]]:
    """Shifts as calendar rows (start, end, primary, secondary)."""
    rows: dict[tuple[datetime, datetime], dict[Layer, str]] = {}
    for shift in shifts:
        rows.setdefault((shift.start, shift.end), {})[shift.layer] = shift.person
    return [(start, end, who.get(P), who.get(S)) for (start, end), who in sorted(rows.items())]


# --- weekly -------------------------------------------------------------------------------------


def test_weekly_hand_off_stays_at_ten_local_across_the_march_change():
    rotation = Rotation(
        kind="weekly",
        participants=people("ana", "ben", "cat"),
        handoff_time=time(10),
        timezone="Europe/London",
        start_date=date(2025, 3, 17),  # a Monday
    )
    rows = table(rotation.shifts(utc(2025, 3, 1), utc(2025, 4, 14, 9)))
    assert rows == [
        # Mon 17 Mar 10:00 GMT → Mon 24 Mar 10:00 GMT
        (utc(2025, 3, 17, 10), utc(2025, 3, 24, 10), "ana", "ben"),
        # Mon 24 Mar 10:00 GMT → Mon 31 Mar 10:00 BST: clocks went forward, 167 hours
        (utc(2025, 3, 24, 10), utc(2025, 3, 31, 9), "ben", "cat"),
        (utc(2025, 3, 31, 9), utc(2025, 4, 7, 9), "cat", "ana"),
        (utc(2025, 4, 7, 9), utc(2025, 4, 14, 9), "ana", "ben"),
    ]
    assert rows[1][1] - rows[1][0] == timedelta(hours=167)


def test_weekly_shift_across_the_october_change_lasts_169_hours():
    rotation = Rotation(
        kind="weekly",
        participants=people("ana", "ben", "cat"),
        handoff_time=time(10),
        timezone="Europe/London",
        start_date=date(2025, 10, 13),
    )
    rows = table(rotation.shifts(utc(2025, 10, 13), utc(2025, 11, 3, 10)))
    assert rows == [
        (utc(2025, 10, 13, 9), utc(2025, 10, 20, 9), "ana", "ben"),  # 10:00 BST
        (utc(2025, 10, 20, 9), utc(2025, 10, 27, 10), "ben", "cat"),  # → 10:00 GMT
        (utc(2025, 10, 27, 10), utc(2025, 11, 3, 10), "cat", "ana"),
    ]
    assert rows[1][1] - rows[1][0] == timedelta(hours=169)


def test_weekly_secondary_becomes_primary_and_the_person_off_longest_becomes_secondary():
    rotation = Rotation(
        kind="weekly",
        participants=people("ana", "ben", "cat", "dev"),
        handoff_time=time(9),
        timezone="UTC",
        start_date=date(2025, 1, 6),
    )
    rows = table(rotation.shifts(utc(2025, 1, 6), utc(2025, 3, 3)))
    last_on_call: dict[str, int] = {}
    for week, (_, _, primary, secondary) in enumerate(rows):
        if week:
            previous_secondary = rows[week - 1][3]
            assert primary == previous_secondary
            off_call = [p for p in ("ana", "ben", "cat", "dev") if p not in rows[week - 1][2:]]
            longest_off = min(off_call, key=lambda p: last_on_call.get(p, -1))
            assert secondary == longest_off
        last_on_call[primary] = last_on_call[secondary] = week


def test_two_people_alternate_and_one_person_has_no_secondary():
    pair = Rotation(
        kind="weekly",
        participants=people("ana", "ben"),
        handoff_time=time(9),
        timezone="UTC",
        start_date=date(2025, 1, 6),
    )
    assert [(p, s) for *_, p, s in table(pair.shifts(utc(2025, 1, 6), utc(2025, 1, 27)))] == [
        ("ana", "ben"),
        ("ben", "ana"),
        ("ana", "ben"),
    ]
    alone = Rotation(
        kind="weekly",
        participants=people("ana"),
        handoff_time=time(9),
        timezone="UTC",
        start_date=date(2025, 1, 6),
    )
    assert {(p, s) for *_, p, s in table(alone.shifts(utc(2025, 1, 6), utc(2025, 2, 3)))} == {
        ("ana", None)
    }


def test_nothing_before_the_first_hand_off_and_no_people_means_nobody_on_call():
    rotation = Rotation(
        kind="daily",
        participants=people("ana", "ben"),
        handoff_time=time(9),
        timezone="UTC",
        start_date=date(2025, 1, 6),
    )
    assert rotation.shifts(utc(2025, 1, 1), utc(2025, 1, 6, 9)) == []
    assert rotation.on_call_at(utc(2025, 1, 6, 8, 59)) == (None, None)
    assert rotation.on_call_at(utc(2025, 1, 6, 9)) == ("ana", "ben")
    empty = Rotation(
        kind="daily",
        participants=[],
        handoff_time=time(9),
        timezone="UTC",
        start_date=date(2025, 1, 6),
    )
    assert empty.shifts(utc(2025, 1, 6), utc(2025, 2, 6)) == []


# --- three-four split ---------------------------------------------------------------------------


def test_three_four_split_calendar_across_the_march_change():
    rotation = Rotation(
        kind="three_four",
        participants=people("ana", "ben", "cat"),
        handoff_time=time(9),
        timezone="Europe/London",
        start_date=date(2025, 3, 24),
    )
    rows = table(rotation.shifts(utc(2025, 3, 24), utc(2025, 4, 14, 8)))
    # Weekday track: ana, ben, cat; weekend track offset by ⌈3/2⌉ = 2: cat, ana, ben.
    assert rows == [
        (utc(2025, 3, 24, 9), utc(2025, 3, 28, 9), "ana", "ben"),  # Mon 09:00 GMT → Fri 09:00 GMT
        (utc(2025, 3, 28, 9), utc(2025, 3, 31, 8), "cat", "ana"),  # Fri → Mon 09:00 BST: 71 h
        (utc(2025, 3, 31, 8), utc(2025, 4, 4, 8), "ben", "cat"),
        (utc(2025, 4, 4, 8), utc(2025, 4, 7, 8), "ana", "ben"),
        (utc(2025, 4, 7, 8), utc(2025, 4, 11, 8), "cat", "ana"),
        (utc(2025, 4, 11, 8), utc(2025, 4, 14, 8), "ben", "cat"),
    ]
    assert rows[1][1] - rows[1][0] == timedelta(hours=71)
    # Both the primary and the secondary change at every Monday hand-off.
    for before, after in zip(rows[1::2], rows[2::2], strict=False):
        assert before[2] != after[2] and before[3] != after[3]


def test_three_four_split_shares_weekends_fairly_with_four_people():
    rotation = Rotation(
        kind="three_four",
        participants=people("ana", "ben", "cat", "dev"),
        handoff_time=time(9),
        timezone="UTC",
        start_date=date(2025, 1, 6),
    )
    rows = table(rotation.shifts(utc(2025, 1, 6), utc(2025, 2, 3, 9)))
    weekdays = [r[2] for r in rows[0::2]]
    weekends = [r[2] for r in rows[1::2]]
    assert weekdays == ["ana", "ben", "cat", "dev"]
    assert weekends == ["cat", "dev", "ana", "ben"]
    assert [r[0].strftime("%a %H:%M") for r in rows[:2]] == ["Mon 09:00", "Fri 09:00"]


def test_three_four_split_must_start_on_a_monday():
    with pytest.raises(RotationError) as excinfo:
        Rotation(
            kind="three_four",
            participants=people("ana", "ben"),
            handoff_time=time(9),
            timezone="UTC",
            start_date=date(2025, 1, 7),
        )
    assert excinfo.value.field == "start_date"
    assert "Monday" in excinfo.value.message


# --- daily, follow-the-sun, custom -------------------------------------------------------------


def test_daily_hand_off_keeps_local_time_on_the_new_york_spring_forward_day():
    rotation = Rotation(
        kind="daily",
        participants=people("ana", "ben", "cat"),
        handoff_time=time(8, 30),
        timezone="America/New_York",
        start_date=date(2025, 3, 8),
    )
    rows = table(rotation.shifts(utc(2025, 3, 8), utc(2025, 3, 10, 12, 30)))
    assert rows == [
        (
            utc(2025, 3, 8, 13, 30),
            utc(2025, 3, 9, 12, 30),
            "ana",
            "ben",
        ),  # Sat 08:30 EST → Sun 08:30 EDT
        (utc(2025, 3, 9, 12, 30), utc(2025, 3, 10, 12, 30), "ben", "cat"),
    ]
    assert rows[0][1] - rows[0][0] == timedelta(hours=23)


def test_follow_the_sun_hands_over_between_sites_every_twelve_hours():
    rotation = Rotation(
        kind="follow_the_sun",
        participants=people("ana", "ben", "kai", "lee", site_b=("kai", "lee")),
        handoff_time=time(8),
        timezone="Europe/London",
        start_date=date(2025, 3, 24),
    )
    rows = table(rotation.shifts(utc(2025, 3, 24), utc(2025, 3, 26, 8)))
    assert rows == [
        (utc(2025, 3, 24, 8), utc(2025, 3, 24, 20), "ana", "ben"),  # site 0, 08:00–20:00 GMT
        (utc(2025, 3, 24, 20), utc(2025, 3, 25, 8), "kai", "lee"),  # site 1, 20:00–08:00
        (utc(2025, 3, 25, 8), utc(2025, 3, 25, 20), "ana", "ben"),
        (utc(2025, 3, 25, 20), utc(2025, 3, 26, 8), "kai", "lee"),
    ]
    # After a week each site's next person takes over; after the change the hand-offs are at
    # 08:00 and 20:00 BST.
    assert rotation.on_call_at(utc(2025, 3, 31, 7)) == ("ben", "ana")  # Mon 08:00 BST, site 0
    assert rotation.on_call_at(utc(2025, 3, 31, 6, 59)) == ("kai", "lee")  # Mon 07:59 BST, site 1
    assert rotation.on_call_at(utc(2025, 3, 31, 19)) == ("lee", "kai")  # Mon 20:00 BST


def test_custom_eight_hour_shifts_follow_the_wall_clock():
    rotation = Rotation(
        kind="custom",
        participants=people("a", "b", "c"),
        handoff_time=time(6),
        timezone="Europe/London",
        start_date=date(2025, 3, 29),
        shift_length=timedelta(hours=8),
    )
    rows = table(rotation.shifts(utc(2025, 3, 29, 22), utc(2025, 3, 31, 5)))
    # Hand-offs at 06:00, 14:00 and 22:00 local from Sat 29 Mar 06:00 (slots 0, 1: a/b, b/c).
    assert rows == [
        (utc(2025, 3, 29, 22), utc(2025, 3, 30, 5), "c", "a"),  # 22:00 GMT → 06:00 BST: 7 h
        (utc(2025, 3, 30, 5), utc(2025, 3, 30, 13), "a", "b"),  # 06:00 → 14:00 BST
        (utc(2025, 3, 30, 13), utc(2025, 3, 30, 21), "b", "c"),  # 14:00 → 22:00 BST
        (utc(2025, 3, 30, 21), utc(2025, 3, 31, 5), "c", "a"),
    ]


def test_a_hand_off_inside_the_spring_gap_lands_just_after_the_change():
    rotation = Rotation(
        kind="daily",
        participants=people("ana", "ben"),
        handoff_time=time(1, 30),  # 01:30 does not exist in London on 30 March 2025
        timezone="Europe/London",
        start_date=date(2025, 3, 29),
    )
    starts = [r[0] for r in table(rotation.shifts(utc(2025, 3, 29), utc(2025, 4, 1)))]
    assert starts == [utc(2025, 3, 29, 1, 30), utc(2025, 3, 30, 1, 30), utc(2025, 3, 31, 0, 30)]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": "fortnightly"}, "kind"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"kind": "custom"}, "shift_length"),
        ({"kind": "custom", "shift_length": timedelta(minutes=90)}, "shift_length"),
        ({"kind": "custom", "shift_length": timedelta(days=29)}, "shift_length"),
        ({"shift_length": timedelta(hours=8)}, "shift_length"),
        ({"participants": people("ana", "ana")}, "participants"),
        ({"participants": people("ana", "ben", site_b=("ben",))}, "participants"),
        ({"handoff_time": time(9, 0, 30)}, "handoff_time"),
    ],
)
def test_definitions_that_cannot_be_scheduled_are_rejected_with_the_field(kwargs, field):
    definition = {
        "kind": "weekly",
        "participants": people("ana", "ben"),
        "handoff_time": time(9),
        "timezone": "UTC",
        "start_date": date(2025, 1, 6),
    } | kwargs
    with pytest.raises(RotationError) as excinfo:
        Rotation(**definition)
    assert excinfo.value.field == field


# --- new people --------------------------------------------------------------------------------


def test_new_people_are_secondary_only_shadowing_the_person_listed_before_them():
    rotation = Rotation(
        kind="weekly",
        participants=people("ana", "nia", "ben", new=("nia",)),
        handoff_time=time(9),
        timezone="UTC",
        start_date=date(2025, 1, 6),
    )
    rows = table(rotation.shifts(utc(2025, 1, 6), utc(2025, 2, 3)))
    assert [(p, s) for *_, p, s in rows] == [
        ("ana", "nia"),
        ("ben", "ana"),
        ("ana", "nia"),
        ("ben", "ana"),
    ]
    lonely = Rotation(
        kind="weekly",
        participants=people("nia", new=("nia",)),
        handoff_time=time(9),
        timezone="UTC",
        start_date=date(2025, 1, 6),
    )
    assert lonely.shifts(utc(2025, 1, 6), utc(2025, 2, 3)) == []


# --- primary ≠ secondary, at every minute of three months ---------------------------------------

ROTATIONS = {
    "weekly-london": dict(
        kind="weekly", participants=people("a", "b", "c"), timezone="Europe/London"
    ),
    "weekly-pair": dict(kind="weekly", participants=people("a", "b"), timezone="America/New_York"),
    "three-four-3": dict(
        kind="three_four", participants=people("a", "b", "c"), timezone="Europe/London"
    ),
    "three-four-2": dict(
        kind="three_four", participants=people("a", "b"), timezone="Europe/London"
    ),
    "three-four-new": dict(
        kind="three_four",
        participants=people("a", "n", "b", "c", "m", new=("n", "m")),
        timezone="Europe/Berlin",
    ),
    "daily-new": dict(
        kind="daily", participants=people("a", "n", new=("n",)), timezone="Australia/Sydney"
    ),
    "sun": dict(
        kind="follow_the_sun",
        participants=people("a", "b", "n", "x", "y", new=("n",), site_b=("x", "y")),
        timezone="Europe/London",
    ),
    "custom-5h": dict(
        kind="custom",
        participants=people("a", "b", "c", "d"),
        timezone="Asia/Kolkata",
        shift_length=timedelta(hours=5),
    ),
}


@pytest.mark.parametrize("name", sorted(ROTATIONS))
def test_primary_and_secondary_differ_at_every_minute_of_three_months(name):
    """Checked minute by minute (131,040 minutes spanning the March change): at each minute we
    look up who holds each layer in the generated shifts, and also that every minute is covered
    by exactly one primary shift, so no gap or overlap could hide a clash."""
    rotation = Rotation(handoff_time=time(9, 15), start_date=date(2025, 2, 3), **ROTATIONS[name])
    start, end = utc(2025, 2, 4), utc(2025, 5, 4)
    shifts = rotation.shifts(start, end)
    primary = sorted((s for s in shifts if s.layer == P), key=lambda s: s.start)
    secondary = sorted((s for s in shifts if s.layer == S), key=lambda s: s.start)
    primary_starts = [s.start for s in primary]
    secondary_starts = [s.start for s in secondary]

    def holder(layer_shifts, starts, instant):
        i = bisect.bisect_right(starts, instant) - 1
        if i >= 0 and layer_shifts[i].start <= instant < layer_shifts[i].end:
            return layer_shifts[i].person
        return None

    minute = start
    checked = 0
    while minute < end:
        p = holder(primary, primary_starts, minute)
        s = holder(secondary, secondary_starts, minute)
        assert p is not None, minute
        assert p != s, (minute, p, s)
        minute += timedelta(minutes=1)
        checked += 1
    assert checked == 89 * 24 * 60
    # The instant look-up agrees with the generated calendar at every hand-off and just before it.
    for shift in primary[1:]:
        for instant in (shift.start, shift.start - timedelta(minutes=1)):
            assert rotation.on_call_at(instant) == (
                holder(primary, primary_starts, instant),
                holder(secondary, secondary_starts, instant),
            )


def test_shifts_tile_the_window_without_gaps_or_overlaps_across_both_2025_changes():
    rotation = Rotation(
        kind="custom",
        participants=people("a", "b", "c"),
        handoff_time=time(1, 30),  # inside the spring gap and the autumn overlap
        timezone="Europe/London",
        start_date=date(2025, 1, 1),
        shift_length=timedelta(hours=24),
    )
    primary = [s for s in rotation.shifts(utc(2025, 3, 1), utc(2025, 11, 30)) if s.layer == P]
    assert primary[0].start == utc(2025, 3, 1) and primary[-1].end == utc(2025, 11, 30)
    assert all(a.end == b.start for a, b in zip(primary, primary[1:], strict=False))
    assert {s.duration for s in primary[1:-1]} == {
        timedelta(hours=24),
        timedelta(hours=23),
        timedelta(hours=25),
    }


# --- overrides and swaps -----------------------------------------------------------------------


def weekly_abc() -> Rotation:
    return Rotation(
        kind="weekly",
        participants=people("a", "b", "c"),
        handoff_time=time(9),
        timezone="UTC",
        start_date=date(2025, 1, 6),
    )


def test_an_override_replaces_the_holder_only_for_its_slot():
    rotation = weekly_abc()
    window = (utc(2025, 1, 6, 9), utc(2025, 1, 20, 9))
    cover = Cover(P, "z", utc(2025, 1, 8, 18), utc(2025, 1, 9, 6), Source.OVERRIDE, 7)
    effective = apply_covers(rotation.shifts(*window), [cover], *window)
    primary = [(s.person, s.start, s.end, s.source) for s in effective if s.layer == P]
    assert primary == [
        ("a", utc(2025, 1, 6, 9), utc(2025, 1, 8, 18), Source.ROTATION),
        ("z", utc(2025, 1, 8, 18), utc(2025, 1, 9, 6), Source.OVERRIDE),
        ("a", utc(2025, 1, 9, 6), utc(2025, 1, 13, 9), Source.ROTATION),
        ("b", utc(2025, 1, 13, 9), utc(2025, 1, 20, 9), Source.ROTATION),
    ]
    assert holder_at(effective, S, utc(2025, 1, 8, 20)) == "b"  # the other layer is untouched


def test_the_later_cover_wins_where_two_overlap():
    rotation = weekly_abc()
    window = (utc(2025, 1, 6, 9), utc(2025, 1, 13, 9))
    first = Cover(S, "x", utc(2025, 1, 7), utc(2025, 1, 9))
    second = Cover(S, "y", utc(2025, 1, 8), utc(2025, 1, 10))
    effective = apply_covers(rotation.shifts(*window), [first, second], *window)
    assert [holder_at(effective, S, utc(2025, 1, d, 12)) for d in (6, 7, 8, 9, 10)] == [
        "b",
        "x",
        "y",
        "y",
        "b",
    ]


def test_a_swap_exchanges_two_shifts():
    rotation = weekly_abc()
    window = (utc(2025, 1, 6, 9), utc(2025, 1, 20, 9))
    # a (primary week 1) and b (primary week 2) swap: two covers, recorded as one swap.
    swap = [
        Cover(P, "b", utc(2025, 1, 6, 9), utc(2025, 1, 13, 9), Source.SWAP, 3),
        Cover(P, "a", utc(2025, 1, 13, 9), utc(2025, 1, 20, 9), Source.SWAP, 3),
    ]
    effective = apply_covers(rotation.shifts(*window), swap, *window)
    assert [holder_at(effective, P, t) for t in (utc(2025, 1, 8), utc(2025, 1, 15))] == ["b", "a"]
    # b is now primary and (by the rotation) secondary in week 1: a clash the services reject.
    assert [(c.person, c.start, c.end) for c in conflicts(effective)] == [
        ("b", utc(2025, 1, 6, 9), utc(2025, 1, 13, 9))
    ]


def test_conflicts_finds_exactly_the_overlap_where_one_person_holds_both_layers():
    rotation = weekly_abc()
    window = (utc(2025, 1, 6, 9), utc(2025, 1, 13, 9))
    base = rotation.shifts(*window)
    assert conflicts(base) == []
    clash = Cover(S, "a", utc(2025, 1, 7, 10), utc(2025, 1, 7, 11, 30))
    found = conflicts(apply_covers(base, [clash], *window))
    assert [(c.person, c.start, c.end) for c in found] == [
        ("a", utc(2025, 1, 7, 10), utc(2025, 1, 7, 11, 30))
    ]


def test_continuous_runs_join_an_override_extending_a_shift():
    rotation = weekly_abc()
    window = (utc(2025, 1, 6, 9), utc(2025, 1, 20, 9))
    extend = Cover(P, "a", utc(2025, 1, 13, 9), utc(2025, 1, 13, 21))
    runs = [
        r
        for r in continuous_runs(apply_covers(rotation.shifts(*window), [extend], *window))
        if r.layer == P
    ]
    assert [(r.person, r.start, r.end) for r in runs] == [
        ("a", utc(2025, 1, 6, 9), utc(2025, 1, 13, 21)),
        ("b", utc(2025, 1, 13, 21), utc(2025, 1, 20, 9)),
    ]


# --- hours buckets -----------------------------------------------------------------------------


def test_hours_of_a_weekend_shift_in_new_york_across_the_spring_change():
    # Fri 7 Mar 17:00 EST → Mon 10 Mar 09:00 EDT; 63 hours elapsed.
    start, end = utc(2025, 3, 7, 22), utc(2025, 3, 10, 13)
    hours = hours_by_bucket(start, end, "America/New_York")
    assert hours == {
        Bucket.BUSINESS: timedelta(hours=1 + 1),  # Fri 17–18, Mon 08–09
        Bucket.OFF_HOURS: timedelta(hours=4 + 14 + 14),  # Fri 18–22, Sat 08–22, Sun 08–22
        Bucket.SLEEP: timedelta(hours=10 + 9 + 10),  # Fri–Sat, Sat–Sun (clocks forward), Sun–Mon
    }
    assert sum(hours.values(), timedelta()) == end - start


def test_hours_are_counted_on_the_recipients_own_clock():
    # The same UTC interval, Fri 7 Mar 2025 16:00–23:00 UTC, for someone in Tokyo (UTC+9):
    # Sat 01:00–08:00 is sleep; for someone in UTC: 16–18 business, 18–22 off-hours, 22–23 sleep.
    start, end = utc(2025, 3, 7, 16), utc(2025, 3, 7, 23)
    assert hours_by_bucket(start, end, "Asia/Tokyo") == {
        Bucket.BUSINESS: timedelta(0),
        Bucket.OFF_HOURS: timedelta(0),
        Bucket.SLEEP: timedelta(hours=7),
    }
    assert hours_by_bucket(start, end, "UTC") == {
        Bucket.BUSINESS: timedelta(hours=2),
        Bucket.OFF_HOURS: timedelta(hours=4),
        Bucket.SLEEP: timedelta(hours=1),
    }


def test_hours_in_a_half_hour_zone_across_the_autumn_change():
    # Adelaide (UTC+10:30 → +9:30 on Sun 6 Apr 2025 at 03:00 local). Sat 5 Apr 20:00 ACDT
    # (09:30 UTC) → Sun 6 Apr 10:00 ACST (00:30 UTC): 15 hours elapsed.
    hours = hours_by_bucket(utc(2025, 4, 5, 9, 30), utc(2025, 4, 6, 0, 30), "Australia/Adelaide")
    assert hours == {
        Bucket.BUSINESS: timedelta(0),
        Bucket.OFF_HOURS: timedelta(hours=2 + 2),  # Sat 20–22, Sun 08–10
        Bucket.SLEEP: timedelta(hours=11),  # Sat 22:00 → Sun 08:00 with one repeated hour
    }
