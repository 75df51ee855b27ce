"""Stakeholder-update and ask-for-help reminders, driven through the services with a fake clock.

``sweep()`` does what beat and a worker do every minute: claim the due reminders, fire each one.
The same behaviour with real Celery processes is in test_reminders_worker.py.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from config.errors import PermissionDenied, ValidationFailed
from incidents import services
from incidents.models import Reminder, Role, Status, TimelineEvent
from oncall.models import Notification
from tests.factories import declare

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday morning
INTERVAL = 30

EventKind = TimelineEvent.EventKind
ReminderKind = Reminder.ReminderKind
State = Reminder.ReminderStatus


@pytest.fixture
def clock(time_machine, settings):
    """A frozen clock that starts at T0; ``clock.at(minutes=…)`` moves it."""
    settings.FIREBREAK_ASK_FOR_HELP_MINUTES = 10
    settings.FIREBREAK_REMINDER_CLAIM_LEASE_SECONDS = 120
    time_machine.move_to(T0, tick=False)

    class Clock:
        def at(self, **delta) -> datetime:
            when = T0 + timedelta(**delta)
            time_machine.move_to(when, tick=False)
            return when

    return Clock()


@pytest.fixture
def incident(clock, responder):
    """Declared at T0 by Rita (who becomes incident commander), updates expected every 30 minutes."""
    return declare(responder, title="Checkout returns 500s", update_interval_minutes=INTERVAL)


def sweep() -> list[int]:
    """One beat tick: claim due reminders and fire each, as the worker would."""
    claimed = services.reminders_claim_due()
    for reminder_id in claimed:
        services.reminder_fire(reminder_id=reminder_id)
    return claimed


def sweep_every_minute(clock, *, until_minutes: int, start_minutes: int = 0) -> None:
    for minute in range(start_minutes, until_minutes + 1):
        clock.at(minutes=minute)
        sweep()


def update_reminders_sent(incident) -> list[TimelineEvent]:
    return list(TimelineEvent.objects.filter(incident=incident, kind=EventKind.REMINDER_SENT))


def update_reminder_notifications(user) -> list[Notification]:
    return list(
        Notification.objects.filter(recipient=user, subject__contains="stakeholder update is due")
    )


def help_notifications(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, subject__contains="ask for help"))


def pending_update_reminder(incident) -> Reminder:
    return Reminder.objects.get(
        incident=incident, kind=ReminderKind.UPDATE_DUE, status=State.PENDING
    )


# --- update reminders ------------------------------------------------------------------------------


def test_no_reminder_before_the_update_is_due(clock, incident, responder):
    clock.at(minutes=29, seconds=59)
    sweep()

    assert update_reminders_sent(incident) == []
    assert update_reminder_notifications(responder) == []


def test_exactly_one_reminder_when_the_update_is_due(clock, incident, responder):
    clock.at(minutes=30)
    sweep()
    clock.at(minutes=30, seconds=30)
    sweep()
    clock.at(minutes=59, seconds=59)
    sweep()

    [event] = update_reminders_sent(incident)
    assert "sent to Rita, incident commander" in event.body
    [notification] = update_reminder_notifications(responder)
    assert notification.subject == f"{incident.reference}: a stakeholder update is due"
    assert notification.url == f"/incidents/{incident.number}/"


def test_one_reminder_per_missed_interval(clock, incident, responder):
    sweep_every_minute(clock, until_minutes=95)

    sent = Reminder.objects.filter(
        incident=incident, kind=ReminderKind.UPDATE_DUE, status=State.SENT
    )
    assert [r.due_at for r in sent] == [T0 + timedelta(minutes=m) for m in (30, 60, 90)]
    assert all(r.sent_at >= r.due_at for r in sent)
    assert len(update_reminders_sent(incident)) == 3
    assert len(update_reminder_notifications(responder)) == 3
    assert pending_update_reminder(incident).due_at == T0 + timedelta(minutes=120)


def test_reminders_held_up_by_an_outage_come_as_one_not_a_burst(clock, incident, responder):
    # Workers were down from T0 until 3 h 5 min later: six due times (30, 60 … 180 min) passed.
    clock.at(hours=3, minutes=5)
    sweep()
    sweep()

    [event] = update_reminders_sent(incident)
    assert event.data["intervals_covered"] == 6
    assert "stands for 6 missed intervals" in event.body
    assert len(update_reminder_notifications(responder)) == 1
    # The chain resumes on the original cadence, at the next due time still ahead.
    assert pending_update_reminder(incident).due_at == T0 + timedelta(minutes=210)

    sweep_every_minute(clock, start_minutes=186, until_minutes=211)
    second = update_reminders_sent(incident)[1]
    assert second.data["intervals_covered"] == 1
    assert len(update_reminders_sent(incident)) == 2


def test_an_update_reschedules_the_reminder(clock, incident, responder):
    clock.at(minutes=20)
    services.status_update_post(incident=incident, user=responder, body="Rolling back the deploy.")

    sweep_every_minute(clock, start_minutes=20, until_minutes=49)
    assert update_reminders_sent(incident) == []

    clock.at(minutes=50)
    sweep()
    assert len(update_reminders_sent(incident)) == 1


def test_a_late_update_restarts_the_interval(clock, incident, responder):
    clock.at(minutes=30)
    sweep()
    clock.at(minutes=35)
    services.status_update_post(incident=incident, user=responder, body="Still rolling back.")

    sweep_every_minute(clock, start_minutes=35, until_minutes=64)
    assert len(update_reminders_sent(incident)) == 1

    clock.at(minutes=65)
    sweep()
    assert len(update_reminders_sent(incident)) == 2


def mitigate(incident, user):
    services.incident_mitigate(incident=incident, user=user)


def resolve(incident, user):
    services.incident_change_status(incident=incident, user=user, status=Status.RESOLVED)


def post_update(incident, user):
    services.status_update_post(
        incident=incident, user=user, body="Rolled back; error rate falling."
    )


@pytest.mark.parametrize("stop", [mitigate, resolve], ids=["mitigated", "resolved"])
def test_mitigation_or_resolution_stops_update_reminders(clock, incident, responder, stop):
    clock.at(minutes=10)
    stop(incident, responder)

    sweep_every_minute(clock, start_minutes=10, until_minutes=120)

    assert update_reminders_sent(incident) == []
    assert update_reminder_notifications(responder) == []
    assert not Reminder.objects.filter(incident=incident, status=State.PENDING).exists()


@pytest.mark.parametrize(
    "change", [post_update, mitigate, resolve], ids=["update", "mitigated", "resolved"]
)
def test_a_claimed_reminder_is_skipped_when_things_changed_before_it_fired(
    clock, incident, responder, change
):
    clock.at(minutes=30)
    reminder = pending_update_reminder(incident)
    claimed = services.reminders_claim_due()
    assert reminder.pk in claimed
    change(incident, responder)

    for reminder_id in claimed:
        services.reminder_fire(reminder_id=reminder_id)

    reminder.refresh_from_db()
    assert reminder.status == State.SKIPPED
    assert update_reminders_sent(incident) == []
    assert update_reminder_notifications(responder) == []


def test_snooze_pushes_the_next_reminder(clock, incident, responder):
    clock.at(minutes=25)
    services.reminders_snooze(incident=incident, user=responder, minutes=20)

    sweep_every_minute(clock, start_minutes=25, until_minutes=44)
    assert update_reminders_sent(incident) == []

    clock.at(minutes=45)
    sweep()
    assert len(update_reminders_sent(incident)) == 1
    snoozed = TimelineEvent.objects.get(incident=incident, kind=EventKind.REMINDERS_SNOOZED)
    assert "snoozed update reminders for 20 minutes" in snoozed.body


@pytest.mark.parametrize("minutes", [0, 241, -5, "10", True, None])
def test_snooze_rejects_nonsense(clock, incident, responder, minutes):
    with pytest.raises(ValidationFailed) as exc:
        services.reminders_snooze(incident=incident, user=responder, minutes=minutes)
    assert exc.value.field_errors == {"minutes": ["From 1 to 240."]}
    assert pending_update_reminder(incident).due_at == T0 + timedelta(minutes=INTERVAL)


def test_viewers_cannot_snooze(clock, incident, viewer):
    with pytest.raises(PermissionDenied):
        services.reminders_snooze(incident=incident, user=viewer, minutes=10)
    assert pending_update_reminder(incident).due_at == T0 + timedelta(minutes=INTERVAL)


def test_a_mitigated_incident_cannot_be_snoozed(clock, incident, responder):
    mitigate(incident, responder)
    with pytest.raises(ValidationFailed, match="no longer active"):
        services.reminders_snooze(incident=incident, user=responder, minutes=10)


def test_the_communications_lead_gets_the_update_reminder(
    clock, incident, responder, other_responder
):
    services.role_assign(
        incident=incident, user=responder, role=Role.COMMUNICATIONS_LEAD, assignee=other_responder
    )
    clock.at(minutes=30)
    sweep()

    assert len(update_reminder_notifications(other_responder)) == 1
    assert update_reminder_notifications(responder) == []
    [event] = update_reminders_sent(incident)
    assert "sent to Omar, communications lead" in event.body


def test_the_reminder_shows_the_due_time_in_the_recipients_time_zone(clock, incident, responder):
    responder.timezone = "America/New_York"
    responder.save(update_fields=["timezone"])
    clock.at(minutes=42)
    sweep()

    [notification] = update_reminder_notifications(responder)
    # Due 09:30 UTC, which is 04:30 in New York that Monday.
    assert "since it was due at 2026-03-02 04:30 EST (12 min ago)" in notification.body


# --- ask for help ----------------------------------------------------------------------------------


def test_ask_for_help_after_ten_minutes_alone_while_investigating(clock, incident, responder):
    clock.at(minutes=9, seconds=59)
    sweep()
    assert help_notifications(responder) == []

    clock.at(minutes=10)
    sweep()
    [notification] = help_notifications(responder)
    assert "investigating INC-1 alone for 10 minutes" in notification.body
    event = TimelineEvent.objects.get(incident=incident, kind=EventKind.HELP_SUGGESTED)
    assert "suggested paging the secondary" in event.body

    sweep_every_minute(clock, start_minutes=11, until_minutes=25)
    assert len(help_notifications(responder)) == 1


def test_no_ask_for_help_when_someone_else_holds_a_role(
    clock, incident, responder, other_responder
):
    clock.at(minutes=5)
    services.role_assign(
        incident=incident, user=responder, role=Role.OPERATIONS_LEAD, assignee=other_responder
    )
    sweep_every_minute(clock, start_minutes=5, until_minutes=15)

    assert help_notifications(responder) == []
    assert help_notifications(other_responder) == []
    assert not TimelineEvent.objects.filter(
        incident=incident, kind=EventKind.HELP_SUGGESTED
    ).exists()


def test_no_ask_for_help_once_the_cause_is_identified(clock, incident, responder):
    clock.at(minutes=5)
    services.incident_change_status(incident=incident, user=responder, status=Status.IDENTIFIED)
    sweep_every_minute(clock, start_minutes=5, until_minutes=15)

    assert help_notifications(responder) == []


# --- exactly once, whatever is replayed ------------------------------------------------------------


def test_a_replayed_fire_sends_nothing_more(clock, incident, responder):
    clock.at(minutes=30)
    claimed = services.reminders_claim_due()
    for _ in range(3):
        for reminder_id in claimed:
            services.reminder_fire(reminder_id=reminder_id)

    assert len(update_reminders_sent(incident)) == 1
    assert len(update_reminder_notifications(responder)) == 1
    assert len(help_notifications(responder)) == 1


def test_firing_a_reminder_nobody_claimed_does_nothing(clock, incident, responder):
    clock.at(minutes=30)
    reminder = pending_update_reminder(incident)

    services.reminder_fire(reminder_id=reminder.pk)

    reminder.refresh_from_db()
    assert reminder.status == State.PENDING
    assert update_reminders_sent(incident) == []


def test_a_second_sweep_claims_nothing_the_first_one_holds(clock, incident):
    clock.at(minutes=30)
    first = services.reminders_claim_due()
    second = services.reminders_claim_due()

    assert len(first) == 2  # the update reminder and the ask-for-help nudge
    assert second == []


def test_a_claim_whose_worker_died_is_taken_back_after_the_lease(clock, incident, responder):
    clock.at(minutes=30)
    update_reminder = pending_update_reminder(incident)
    claimed = services.reminders_claim_due()  # ... and the worker that got them died
    assert update_reminder.pk in claimed

    clock.at(minutes=31, seconds=59)  # 119 s later: the claim still stands
    assert services.reminders_claim_due() == []

    clock.at(minutes=32, seconds=1)
    reclaimed = services.reminders_claim_due()
    assert sorted(reclaimed) == sorted(claimed)
    for reminder_id in reclaimed + claimed:  # the dead worker's task is redelivered as well
        services.reminder_fire(reminder_id=reminder_id)

    assert len(update_reminders_sent(incident)) == 1
    assert len(update_reminder_notifications(responder)) == 1


# --- only stakeholder-facing updates count (METRICS.md v2) ----------------------------------------


def test_an_internal_update_by_someone_without_a_lead_role_leaves_the_reminder_due(
    clock, incident, responder, other_responder
):
    """Omar is deputy, not a lead: his internal update reaches only the incident channel, so the
    communications lead is still reminded when the interval runs out."""
    services.role_assign(
        incident=incident, user=responder, role=Role.DEPUTY, assignee=other_responder
    )
    clock.at(minutes=20)
    update = services.status_update_post(
        incident=incident, user=other_responder, body="Rolling back the deploy now."
    )
    assert update.reaches_stakeholders is False and update.next_update_at is None

    reminder = incident.reminders.get(kind="update_due", status="pending")
    assert reminder.due_at == T0 + timedelta(minutes=30)
    clock.at(minutes=30)
    sweep()
    assert len(update_reminder_notifications(responder)) == 1


def test_an_external_update_by_anyone_resets_the_clock(clock, incident, responder, other_responder):
    services.role_assign(
        incident=incident, user=responder, role=Role.DEPUTY, assignee=other_responder
    )
    clock.at(minutes=20)
    update = services.status_update_post(
        incident=incident,
        user=other_responder,
        body="Checkout is failing for some customers.",
        audience="external",
    )

    assert update.reaches_stakeholders is True
    assert incident.reminders.get(kind="update_due", status="pending").due_at == T0 + timedelta(
        minutes=50
    )


def test_the_communications_leads_internal_update_resets_the_clock(
    clock, incident, responder, other_responder
):
    services.role_assign(
        incident=incident, user=responder, role=Role.COMMUNICATIONS_LEAD, assignee=other_responder
    )
    clock.at(minutes=20)
    services.status_update_post(incident=incident, user=other_responder, body="Rolling back.")

    assert incident.reminders.get(kind="update_due", status="pending").due_at == T0 + timedelta(
        minutes=50
    )
