"""Schedule writes and reads through the services: rotation, overrides, swaps, versions, hours.

Weekly UTC schedule used throughout ("payments", hand-off Monday 09:00 from 6 Jan 2025):
week of 6 Jan: ana primary, ben secondary; 13 Jan: ben/cat; 20 Jan: cat/ana; 27 Jan: ana/ben.
"""

from __future__ import annotations

import bisect
from datetime import date, time, timedelta

import pytest

from config.errors import PermissionDenied, ValidationFailed
from oncall.models import Notification, ScheduleOverride, ScheduleSwap, ScheduleVersion
from oncall.schedules.rotations import Bucket, Layer
from oncall.schedules.selectors import oncall_for_service, schedule_history
from oncall.schedules.services import (
    override_cancel,
    override_create,
    participant_promote,
    schedule_update,
    swap_cancel,
    swap_create,
)
from oncall.schedules.shifts import ParticipantInput, effective_shifts, hours_report
from tests.oncall.schedules.support import make_schedule, person, utc, who


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(utc(2025, 1, 1, 12), tick=False)
    return time_machine


@pytest.fixture
def ana(db):
    return person("ana")


@pytest.fixture
def ben(db):
    return person("ben")


@pytest.fixture
def cat(db):
    return person("cat")


@pytest.fixture
def dev(db):
    return person("dev")


@pytest.fixture
def payments(clock, admin_user, ana, ben, cat):
    return make_schedule(admin_user, [ana, ben, cat])


# --- creating schedules ------------------------------------------------------------------------


def test_a_new_weekly_schedule_puts_people_on_call_in_turn(payments):
    assert who(payments, utc(2025, 1, 6, 8, 59)) == (None, None)
    assert who(payments, utc(2025, 1, 6, 9)) == ("ana", "ben")
    assert who(payments, utc(2025, 1, 13, 8, 59)) == ("ana", "ben")
    assert who(payments, utc(2025, 1, 13, 9)) == ("ben", "cat")
    assert who(payments, utc(2025, 1, 20, 9)) == ("cat", "ana")


def test_a_responder_in_no_team_that_owns_the_service_cannot_create_schedules(clock, ana, ben):
    # Team responders and admins can (tests/oncall/schedules/test_permissions.py).
    with pytest.raises(PermissionDenied):
        make_schedule(person("nora"), [ana, ben])


@pytest.mark.parametrize(
    ("kwargs", "field", "words"),
    [
        ({"rotation": "three_four", "start": date(2025, 1, 7)}, "start_date", "Monday"),
        ({"rotation": "custom"}, "shift_hours", "shift length"),
        ({"timezone_name": "Europe/Atlantis"}, "timezone", "not a time zone"),
        ({"slug": "hours"}, "slug", "reserved"),
    ],
)
def test_a_schedule_that_cannot_work_is_refused_with_the_field(
    clock, admin_user, ana, ben, kwargs, field, words
):
    with pytest.raises(ValidationFailed) as excinfo:
        make_schedule(admin_user, [ana, ben], **kwargs)
    assert field in excinfo.value.field_errors
    assert words in excinfo.value.message


def test_a_taken_slug_and_an_inactive_person_are_refused(payments, admin_user, ana, ben):
    with pytest.raises(ValidationFailed) as excinfo:
        make_schedule(admin_user, [ana, ben], slug="payments")
    assert "slug" in excinfo.value.field_errors
    ben.is_active = False
    ben.save()
    with pytest.raises(ValidationFailed) as excinfo:
        make_schedule(admin_user, [ana, ben], slug="search")
    assert "ben is not an active account" in excinfo.value.message
    assert "participants" in excinfo.value.field_errors


# --- overrides ---------------------------------------------------------------------------------


def test_an_override_covers_a_slot_and_notifies_the_person_covering(payments, responder, dev):
    override = override_create(
        user=responder,
        schedule=payments,
        layer="primary",
        covering_user=dev,
        start=utc(2025, 1, 8, 18),
        end=utc(2025, 1, 9, 6),
        reason="ana at a wedding",
    )
    assert who(payments, utc(2025, 1, 8, 17, 59)) == ("ana", "ben")
    assert who(payments, utc(2025, 1, 8, 18)) == ("dev", "ben")
    assert who(payments, utc(2025, 1, 9, 6)) == ("ana", "ben")
    assert override.created_by == responder and override.created_at is not None
    notice = Notification.objects.get(recipient=dev)
    assert "primary" in notice.subject and "Payments" in notice.subject


def test_the_later_override_wins_where_two_overlap(payments, responder, cat, dev):
    override_create(
        user=responder,
        schedule=payments,
        layer="secondary",
        covering_user=cat,
        start=utc(2025, 1, 7),
        end=utc(2025, 1, 9),
    )
    override_create(
        user=responder,
        schedule=payments,
        layer="secondary",
        covering_user=dev,
        start=utc(2025, 1, 8),
        end=utc(2025, 1, 10),
    )
    assert [who(payments, utc(2025, 1, d, 12))[1] for d in (6, 7, 8, 9, 10)] == [
        "ben",
        "cat",
        "dev",
        "dev",
        "ben",
    ]


def test_an_override_that_makes_someone_primary_and_secondary_is_refused_and_not_saved(
    payments, responder, ben
):
    with pytest.raises(ValidationFailed) as excinfo:
        override_create(
            user=responder,
            schedule=payments,
            layer="primary",
            covering_user=ben,  # ben is secondary that week
            start=utc(2025, 1, 7, 10),
            end=utc(2025, 1, 7, 12),
        )
    assert "Ben would be both primary and secondary" in excinfo.value.message
    assert "2025-01-07 10:00" in excinfo.value.message
    assert ScheduleOverride.objects.count() == 0
    assert not Notification.objects.filter(recipient=ben).exists()


def test_viewers_cannot_override(payments, viewer, dev):
    with pytest.raises(PermissionDenied):
        override_create(
            user=viewer,
            schedule=payments,
            layer="primary",
            covering_user=dev,
            start=utc(2025, 1, 7),
            end=utc(2025, 1, 8),
        )


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (utc(2025, 1, 8), utc(2025, 1, 7), "end"),
        (utc(2025, 1, 8), utc(2025, 1, 8), "end"),
        (utc(2025, 1, 8), utc(2025, 6, 8), "end"),
    ],
)
def test_an_override_needs_a_sensible_interval(payments, responder, dev, start, end, field):
    with pytest.raises(ValidationFailed) as excinfo:
        override_create(
            user=responder,
            schedule=payments,
            layer="primary",
            covering_user=dev,
            start=start,
            end=end,
        )
    assert field in excinfo.value.field_errors


def test_an_unknown_layer_is_refused(payments, responder, dev):
    with pytest.raises(ValidationFailed) as excinfo:
        override_create(
            user=responder,
            schedule=payments,
            layer="tertiary",
            covering_user=dev,
            start=utc(2025, 1, 7),
            end=utc(2025, 1, 8),
        )
    assert "layer" in excinfo.value.field_errors


def test_cancelling_an_override_keeps_its_history(payments, responder, other_responder, dev):
    override = override_create(
        user=responder,
        schedule=payments,
        layer="primary",
        covering_user=dev,
        start=utc(2025, 1, 7),
        end=utc(2025, 1, 8),
    )
    override_cancel(user=other_responder, override=override)
    override.refresh_from_db()
    assert override.cancelled_by == other_responder and override.cancelled_at is not None
    assert who(payments, utc(2025, 1, 7, 12)) == ("ana", "ben")
    assert [item.pk for item in schedule_history(schedule=payments)] == [override.pk]


def test_cancelling_an_override_that_a_later_one_relies_on_is_refused(
    payments, responder, ben, dev
):
    # First move ben off the secondary, then make him primary: fine together...
    moved = override_create(
        user=responder,
        schedule=payments,
        layer="secondary",
        covering_user=dev,
        start=utc(2025, 1, 7),
        end=utc(2025, 1, 8),
    )
    override_create(
        user=responder,
        schedule=payments,
        layer="primary",
        covering_user=ben,
        start=utc(2025, 1, 7),
        end=utc(2025, 1, 8),
    )
    # ...but cancelling the first would make ben both.
    with pytest.raises(ValidationFailed) as excinfo:
        override_cancel(user=responder, override=moved)
    assert "Ben would be both" in excinfo.value.message
    moved.refresh_from_db()
    assert moved.cancelled_at is None


# --- swaps -------------------------------------------------------------------------------------


@pytest.fixture
def four(clock, admin_user, ana, ben, cat, dev):
    # 6 Jan: ana/ben, 13 Jan: ben/cat, 20 Jan: cat/dev, 27 Jan: dev/ana
    return make_schedule(admin_user, [ana, ben, cat, dev], slug="search")


def test_a_swap_exchanges_two_shifts(four, responder, ana, cat):
    swap = swap_create(
        user=responder,
        schedule=four,
        layer="primary",
        first_user=ana,
        first_start=utc(2025, 1, 6, 9),
        first_end=utc(2025, 1, 13, 9),
        second_user=cat,
        second_start=utc(2025, 1, 20, 9),
        second_end=utc(2025, 1, 27, 9),
        reason="holiday",
    )
    assert who(four, utc(2025, 1, 8)) == ("cat", "ben")
    assert who(four, utc(2025, 1, 22)) == ("ana", "dev")
    assert swap.created_by == responder
    swap_cancel(user=responder, swap=swap)
    assert who(four, utc(2025, 1, 8)) == ("ana", "ben")


def test_a_swap_of_a_shift_the_person_does_not_hold_is_refused(four, responder, ana, cat):
    with pytest.raises(ValidationFailed) as excinfo:
        swap_create(
            user=responder,
            schedule=four,
            layer="primary",
            first_user=ana,
            first_start=utc(2025, 1, 13, 9),  # ben's week
            first_end=utc(2025, 1, 20, 9),
            second_user=cat,
            second_start=utc(2025, 1, 20, 9),
            second_end=utc(2025, 1, 27, 9),
        )
    assert "Ana is not primary" in excinfo.value.message
    assert ScheduleSwap.objects.count() == 0


def test_a_swap_that_would_make_someone_primary_and_secondary_is_refused(four, responder, ana, ben):
    # ben is secondary in ana's week, so ben taking ana's primary week clashes.
    with pytest.raises(ValidationFailed) as excinfo:
        swap_create(
            user=responder,
            schedule=four,
            layer="primary",
            first_user=ana,
            first_start=utc(2025, 1, 6, 9),
            first_end=utc(2025, 1, 13, 9),
            second_user=ben,
            second_start=utc(2025, 1, 13, 9),
            second_end=utc(2025, 1, 20, 9),
        )
    assert "Ben would be both primary and secondary" in excinfo.value.message
    assert ScheduleSwap.objects.count() == 0


# --- new people, versions ------------------------------------------------------------------------


def test_a_new_person_is_secondary_only_until_promoted(clock, admin_user, ana, ben):
    nia = person("nia")
    schedule = make_schedule(admin_user, [ana, nia, ben], new=(nia,), slug="shadowed")
    weeks = [who(schedule, utc(2025, 1, 6, 12) + timedelta(weeks=w)) for w in range(4)]
    assert weeks == [("ana", "nia"), ("ben", "ana"), ("ana", "nia"), ("ben", "ana")]
    clock.move_to(utc(2025, 1, 20, 12), tick=False)
    participant_promote(user=admin_user, schedule=schedule, person=nia)
    # From now on nia takes primary turns too (order ana, nia, ben; week index 2 → ben, 3 → ana...)
    assert who(schedule, utc(2025, 1, 27, 12)) == ("ana", "nia")
    assert who(schedule, utc(2025, 2, 3, 12)) == ("nia", "ben")
    # ...while the past keeps who was actually on call.
    assert who(schedule, utc(2025, 1, 13, 12)) == ("ben", "ana")


def test_editing_a_rotation_never_rewrites_past_shifts_or_hours(
    payments, admin_user, clock, ana, ben, cat, dev
):
    clock.move_to(utc(2025, 1, 15, 12), tick=False)  # mid-week: ben/cat on call
    before = hours_report(start=utc(2025, 1, 6, 9), end=utc(2025, 1, 15, 12))
    schedule_update(
        user=admin_user,
        schedule=payments,
        name="Payments",
        timezone_name="UTC",
        rotation="weekly",
        handoff_time=time(9),
        start_date=date(2025, 1, 6),
        participants=[ParticipantInput(dev), ParticipantInput(cat)],
    )
    after = hours_report(start=utc(2025, 1, 6, 9), end=utc(2025, 1, 15, 12))
    assert [(r.user.username, r.layer, r.total) for r in after] == [
        (r.user.username, r.layer, r.total) for r in before
    ]
    assert who(payments, utc(2025, 1, 15, 11, 59)) == ("ben", "cat")
    # From the change on, the new list applies (week index 1 of [dev, cat] → cat/dev).
    assert who(payments, utc(2025, 1, 15, 12)) == ("cat", "dev")
    assert ScheduleVersion.objects.filter(schedule=payments).count() == 2


def test_a_change_cannot_take_effect_in_the_past(payments, admin_user, ana, ben):
    with pytest.raises(ValidationFailed) as excinfo:
        schedule_update(
            user=admin_user,
            schedule=payments,
            name="Payments",
            timezone_name="UTC",
            rotation="weekly",
            handoff_time=time(9),
            start_date=date(2025, 1, 6),
            participants=[ParticipantInput(ana), ParticipantInput(ben)],
            effective_from=utc(2024, 12, 1),
        )
    assert "effective_from" in excinfo.value.field_errors


def test_a_change_that_clashes_with_an_override_is_refused_and_rolled_back(
    payments, admin_user, responder, ana, cat, dev
):
    override_create(
        user=responder,
        schedule=payments,
        layer="primary",
        covering_user=dev,
        start=utc(2025, 1, 7),
        end=utc(2025, 1, 8),
    )
    with pytest.raises(ValidationFailed) as excinfo:
        schedule_update(
            user=admin_user,
            schedule=payments,
            name="Payments renamed",
            timezone_name="UTC",
            rotation="weekly",
            handoff_time=time(9),
            start_date=date(2025, 1, 6),
            participants=[
                ParticipantInput(ana),
                ParticipantInput(dev),
                ParticipantInput(cat),
            ],  # dev secondary
        )
    assert "Dev would be both" in excinfo.value.message
    payments.refresh_from_db()
    assert payments.name == "Payments"
    assert ScheduleVersion.objects.filter(schedule=payments).count() == 1


# --- three months, minute by minute ------------------------------------------------------------


def test_primary_and_secondary_differ_every_minute_of_three_months_with_overrides_and_swaps(
    clock, admin_user, responder, ana, ben, cat, dev
):
    """Minute by minute over 92 days of a three-four split in London (across the March change),
    after overrides and a swap: at every minute there is a primary and it is not the secondary."""
    schedule = make_schedule(
        admin_user,
        [ana, ben, cat, dev],
        slug="core",
        rotation="three_four",
        timezone_name="Europe/London",
        start=date(2025, 1, 6),
    )
    eve = person("eve")
    override_create(
        user=responder,
        schedule=schedule,
        layer="primary",
        covering_user=eve,
        start=utc(2025, 2, 1, 3),
        end=utc(2025, 2, 2, 3),
    )
    override_create(
        user=responder,
        schedule=schedule,
        layer="secondary",
        covering_user=eve,
        start=utc(2025, 3, 29),
        end=utc(2025, 4, 2),
    )
    # ana's Mon–Thu (6–10 Jan, secondary ben) for cat's Fri–Sun (7–10 Feb, secondary dev).
    swap_create(
        user=responder,
        schedule=schedule,
        layer="primary",
        first_user=ana,
        first_start=utc(2025, 1, 6, 9),
        first_end=utc(2025, 1, 10, 9),
        second_user=cat,
        second_start=utc(2025, 2, 7, 9),
        second_end=utc(2025, 2, 10, 9),
    )
    start, end = utc(2025, 1, 6, 9), utc(2025, 1, 6, 9) + timedelta(days=92)
    shifts = effective_shifts(schedule, start, end)
    layers = {
        layer: sorted((s for s in shifts if s.layer == layer), key=lambda s: s.start)
        for layer in Layer
    }
    starts = {layer: [s.start for s in layers[layer]] for layer in Layer}

    def holder(layer, instant):
        i = bisect.bisect_right(starts[layer], instant) - 1
        return layers[layer][i].person if i >= 0 and instant < layers[layer][i].end else None

    minute, checked = start, 0
    while minute < end:
        primary, secondary = holder(Layer.PRIMARY, minute), holder(Layer.SECONDARY, minute)
        assert primary is not None and primary != secondary, minute
        minute += timedelta(minutes=1)
        checked += 1
    assert checked == 92 * 24 * 60
    assert holder(Layer.PRIMARY, utc(2025, 2, 1, 12)).username == "eve"
    assert holder(Layer.SECONDARY, utc(2025, 3, 30, 12)).username == "eve"
    assert holder(Layer.PRIMARY, utc(2025, 1, 7)).username == "cat"
    assert holder(Layer.PRIMARY, utc(2025, 2, 8)).username == "ana"


# --- per service, hours -------------------------------------------------------------------------


def test_who_is_on_call_for_a_service(clock, admin_user, ana, ben, cat):
    make_schedule(admin_user, [ana, ben], slug="checkout-primary", service_slug="checkout")
    make_schedule(admin_user, [cat, ben], slug="checkout-db", service_slug="checkout")
    make_schedule(admin_user, [cat], slug="search", service_slug="search")
    found = oncall_for_service(service_slug="checkout", at=utc(2025, 1, 7))
    assert sorted((s.slug, n.primary.username, n.secondary.username) for s, n in found) == [
        ("checkout-db", "cat", "ben"),
        ("checkout-primary", "ana", "ben"),
    ]


def test_hours_of_a_weekend_override_are_bucketed_on_each_persons_own_clock(payments, responder):
    """Nova (New York) covers primary Fri 7 Mar 17:00 EST → Mon 10 Mar 09:00 EDT 2025, across the
    US spring-forward night; Lena (London) covers the same span on the secondary layer."""
    nova = person("nova", timezone="America/New_York")
    lena = person("lena", timezone="Europe/London")
    start, end = utc(2025, 3, 7, 22), utc(2025, 3, 10, 13)
    override_create(
        user=responder, schedule=payments, layer="primary", covering_user=nova, start=start, end=end
    )
    override_create(
        user=responder,
        schedule=payments,
        layer="secondary",
        covering_user=lena,
        start=start,
        end=end,
    )
    rows = {r.user.username: r for r in hours_report(start=utc(2025, 3, 1), end=utc(2025, 3, 31))}
    assert rows["nova"].buckets == {
        Bucket.BUSINESS: timedelta(hours=2),  # Fri 17–18, Mon 08–09
        Bucket.OFF_HOURS: timedelta(hours=32),  # Fri 18–22, Sat 08–22, Sun 08–22
        Bucket.SLEEP: timedelta(hours=29),  # 10 + 9 (clocks forward) + 10
    }
    # London (GMT that weekend): Fri 22:00 → Mon 13:00 local.
    assert rows["lena"].buckets == {
        Bucket.BUSINESS: timedelta(hours=5),  # Mon 08–13
        Bucket.OFF_HOURS: timedelta(hours=28),  # Sat 08–22, Sun 08–22
        Bucket.SLEEP: timedelta(hours=30),  # Fri 22–Sat 08, Sat 22–Sun 08, Sun 22–Mon 08
    }
    assert rows["nova"].layer == "primary" and rows["lena"].layer == "secondary"
    assert rows["nova"].total == end - start
