"""Day-before shift reminders: rows planned ahead, claimed by a conditional update, sent once.

Weekly UTC schedule "payments": ana primary and ben secondary from Monday 6 Jan 2025 09:00,
so their reminders are due on Sunday 5 Jan 09:00.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from oncall.models import Notification, ShiftReminder
from oncall.schedules import tasks
from oncall.schedules.reminders import (
    shift_reminder_fire,
    shift_reminders_claim_due,
    shift_reminders_plan,
)
from oncall.schedules.services import override_create
from tests.oncall.schedules.support import make_schedule, person, utc

State = ShiftReminder.Status


@pytest.fixture
def clock(time_machine, settings):
    settings.FIREBREAK_REMINDER_CLAIM_LEASE_SECONDS = 120
    time_machine.move_to(utc(2025, 1, 1, 12), tick=False)

    class Clock:
        def at(self, when):
            time_machine.move_to(when, tick=False)
            return when

    return Clock()


@pytest.fixture
def ana(db):
    return person("ana", timezone="Europe/Berlin")


@pytest.fixture
def ben(db):
    return person("ben")


@pytest.fixture
def payments(clock, admin_user, ana, ben):
    return make_schedule(admin_user, [ana, ben])


def sweep() -> list[int]:
    """One beat tick, as the worker does it: plan, claim, fire each claimed row."""
    shift_reminders_plan()
    claimed = shift_reminders_claim_due()
    for reminder_id in claimed:
        shift_reminder_fire(reminder_id=reminder_id)
    return claimed


def test_each_person_is_reminded_once_the_day_before_their_shift(payments, clock, ana, ben):
    clock.at(utc(2025, 1, 5, 8, 59))
    assert sweep() == []
    rows = ShiftReminder.objects.order_by("layer")
    assert [(r.user.username, r.layer, r.shift_start, r.due_at) for r in rows] == [
        ("ana", "primary", utc(2025, 1, 6, 9), utc(2025, 1, 5, 9)),
        ("ben", "secondary", utc(2025, 1, 6, 9), utc(2025, 1, 5, 9)),
    ]
    clock.at(utc(2025, 1, 5, 9))
    assert len(sweep()) == 2
    for minute in range(1, 5):  # later ticks send nothing more
        clock.at(utc(2025, 1, 5, 9, minute))
        assert sweep() == []
    notice = Notification.objects.get(recipient=ana)
    assert notice.subject == "On call tomorrow: primary on Payments"
    # Ana reads the times on her own clock (Berlin, UTC+1) with the date.
    assert "from 2025-01-06 10:00 CET to 2025-01-13 10:00 CET" in notice.body
    assert Notification.objects.filter(recipient=ben, subject__contains="secondary").count() == 1
    assert set(ShiftReminder.objects.values_list("status", flat=True)) == {State.SENT}


def test_planning_twice_creates_no_duplicates(payments, clock):
    clock.at(utc(2025, 1, 5))
    assert shift_reminders_plan() == 2
    assert shift_reminders_plan() == 0
    assert ShiftReminder.objects.count() == 2


def test_a_row_is_claimed_by_one_sweep_only_and_a_stale_claim_is_taken_back(payments, clock):
    clock.at(utc(2025, 1, 5, 9))
    shift_reminders_plan()
    first = shift_reminders_claim_due()
    assert len(first) == 2
    assert shift_reminders_claim_due() == []  # a second beat in the same minute
    clock.at(utc(2025, 1, 5, 9, 2, 1))  # the first worker died; its lease ran out
    assert sorted(shift_reminders_claim_due()) == sorted(first)


def test_firing_a_row_twice_sends_once(payments, clock, ana):
    clock.at(utc(2025, 1, 5, 9))
    shift_reminders_plan()
    claimed = shift_reminders_claim_due()
    for reminder_id in claimed + claimed:  # a redelivered task
        shift_reminder_fire(reminder_id=reminder_id)
    assert Notification.objects.filter(recipient=ana).count() == 1


def test_an_override_made_after_planning_moves_the_reminder_to_whoever_starts_the_shift(
    payments, clock, responder, ana
):
    clock.at(utc(2025, 1, 5, 8))
    shift_reminders_plan()
    dev = person("dev")
    override_create(
        user=responder,
        schedule=payments,
        layer="primary",
        covering_user=dev,
        start=utc(2025, 1, 6, 9),
        end=utc(2025, 1, 6, 12),
    )
    clock.at(utc(2025, 1, 5, 12))
    sweep()
    ana_row = ShiftReminder.objects.get(user=ana, shift_start=utc(2025, 1, 6, 9))
    assert ana_row.status == State.SKIPPED
    assert "override" in ana_row.outcome
    assert (
        Notification.objects.filter(recipient=dev, subject__startswith="On call tomorrow").count()
        == 1
    )
    # Ana's shift now starts at 12:00; she is reminded for that instead.
    later = ShiftReminder.objects.get(user=ana, shift_start=utc(2025, 1, 6, 12))
    assert later.status == State.SENT
    assert (
        Notification.objects.filter(recipient=ana, subject__startswith="On call tomorrow").count()
        == 1
    )


def test_a_reminder_for_a_shift_already_started_is_skipped(payments, clock, ana):
    clock.at(utc(2025, 1, 5, 9))
    shift_reminders_plan()
    claimed = shift_reminders_claim_due()
    clock.at(utc(2025, 1, 6, 9, 30))  # the worker picked the task up very late
    for reminder_id in claimed:
        shift_reminder_fire(reminder_id=reminder_id)
    assert set(ShiftReminder.objects.values_list("status", flat=True)) == {State.SKIPPED}
    assert not Notification.objects.filter(subject__startswith="On call tomorrow").exists()


def test_the_beat_task_plans_claims_and_hands_rows_to_workers(payments, clock, monkeypatch):
    handed_over = []
    monkeypatch.setattr(tasks.shift_reminder_fire, "delay", handed_over.append)
    clock.at(utc(2025, 1, 5, 9) + timedelta(seconds=30))
    assert tasks.shift_reminders_sweep() == 2
    assert sorted(handed_over) == sorted(ShiftReminder.objects.values_list("pk", flat=True))
    assert tasks.shift_reminders_sweep() == 0
