"""Update reminders with real Celery workers, beats and broker (Redis under ``make test-pg``).

The acceptance criterion: an incident with no update gets exactly one reminder per missed
interval, none before it is due, none after an update or mitigation, none extra with two beat
processes running, and none lost when the worker is killed mid-task.

Beats sweep every second here. Rather than waiting for real intervals, tests move an incident's
due time (its pending reminder row and ``next_update_due_at``) to the moment they need. What
people received is read from the ``recorder`` transport the workers load (worker_hooks.py).
"""

from __future__ import annotations

import json
import os
import signal
from datetime import timedelta

import pytest
from django.utils import timezone

from incidents import services
from incidents.models import Incident, Reminder, Status, TimelineEvent
from incidents.tasks import reminder_fire
from oncall.models import Notification
from tests.factories import declare

pytest_plugins = ["tests.support.celery_procs"]  # the celery_procs fixture
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

REMINDERS_SWEEP = "incidents.tasks.reminders_sweep"
REMINDER_FIRE = "incidents.tasks.reminder_fire"
LEASE = 3  # seconds; the kill tests rely on claims of dead workers being taken back quickly
State = Reminder.ReminderStatus
UPDATE_DUE = Reminder.ReminderKind.UPDATE_DUE


def make_update_due(incident: Incident, due_at) -> Reminder:
    """Pretend the incident's next update has been due since ``due_at`` (moves its pending reminder)."""
    Incident.objects.filter(pk=incident.pk).update(next_update_due_at=due_at)
    reminder = Reminder.objects.get(incident=incident, kind=UPDATE_DUE, status=State.PENDING)
    Reminder.objects.filter(pk=reminder.pk).update(due_at=due_at)
    reminder.refresh_from_db()
    return reminder


def sent_update_reminders(incident: Incident) -> list[Reminder]:
    return list(Reminder.objects.filter(incident=incident, kind=UPDATE_DUE, status=State.SENT))


def reminder_events(incident: Incident) -> list[TimelineEvent]:
    return list(
        TimelineEvent.objects.filter(incident=incident, kind=TimelineEvent.EventKind.REMINDER_SENT)
    )


def reminder_notifications(incident: Incident) -> list[Notification]:
    return list(
        Notification.objects.filter(
            subject=f"{incident.reference}: a stakeholder update is due",
            key__in=[f"reminder:{pk}" for pk in incident.reminders.values_list("pk", flat=True)],
        )
    )


def received(procs, reminder: Reminder) -> list[dict]:
    """What the recorder transport delivered for this reminder: what the person got."""
    return [d for d in procs.deliveries() if d["key"] == f"reminder:{reminder.pk}"]


def fire_tasks(procs, reminder: Reminder) -> list[dict]:
    return [t for t in procs.tasks(REMINDER_FIRE) if t["args"] == [reminder.pk]]


def assert_reminded_exactly_once(procs, incident: Incident, reminder: Reminder, recipient) -> None:
    assert [r.pk for r in sent_update_reminders(incident)] == [reminder.pk]
    assert len(reminder_events(incident)) == 1
    [notification] = reminder_notifications(incident)
    assert notification.recipient == recipient
    assert [d["recipient"] for d in received(procs, reminder)] == [recipient.username]


def test_one_reminder_per_missed_interval_and_none_before_it_is_due(celery_procs, responder):
    celery_procs.worker()
    celery_procs.beat()
    celery_procs.wait_until_sweeping()

    quiet = declare(responder, title="Search is slow", update_interval_minutes=5)
    forgotten = declare(responder, title="Billing exports fail", update_interval_minutes=30)
    now = timezone.now()
    # Due (almost) one interval ago, so the next due time comes 20 s from now: time enough for
    # the first reminder to go out on its own even on a loaded machine (a reminder sent after
    # the next due time covers both intervals, as the long-overdue one below does).
    first_due = now - timedelta(minutes=5) + timedelta(seconds=20)
    make_update_due(quiet, first_due)
    # Nobody was reminded for three hours (workers down): seven due times have passed.
    outage_due = now - timedelta(hours=3, seconds=10)
    make_update_due(forgotten, outage_due)

    celery_procs.wait_for(lambda: len(sent_update_reminders(quiet)) >= 2, "two reminders")
    celery_procs.settle()

    sent = sent_update_reminders(quiet)
    assert [r.due_at for r in sent] == [first_due, first_due + timedelta(minutes=5)]
    assert all(r.sent_at >= r.due_at for r in sent), "a reminder went out before it was due"
    [pending] = Reminder.objects.filter(incident=quiet, kind=UPDATE_DUE, status=State.PENDING)
    assert pending.due_at == first_due + timedelta(minutes=10)
    assert len(reminder_events(quiet)) == 2
    assert len(reminder_notifications(quiet)) == 2
    assert [len(received(celery_procs, r)) for r in sent] == [1, 1]

    # The long-overdue incident got one reminder saying so, not a burst of seven.
    [late] = sent_update_reminders(forgotten)
    assert len(received(celery_procs, late)) == 1
    [event] = reminder_events(forgotten)
    assert event.data["intervals_covered"] == 7
    [pending] = Reminder.objects.filter(incident=forgotten, kind=UPDATE_DUE, status=State.PENDING)
    assert pending.due_at == outage_due + 7 * timedelta(minutes=30)
    assert pending.due_at > timezone.now()


def test_no_reminder_after_an_update_or_mitigation(celery_procs, responder):
    overdue = timezone.now() - timedelta(minutes=1)

    # A sweep claimed this reminder just before the update arrived; its task reaches the worker later.
    claimed = declare(responder, title="Claimed, then updated")
    claimed_reminder = make_update_due(claimed, overdue)
    assert services.reminders_claim_due() == [claimed_reminder.pk]
    services.status_update_post(incident=claimed, user=responder, body="Failing over to eu-west.")

    updated = declare(responder, title="Updated in time")
    make_update_due(updated, overdue)
    services.status_update_post(incident=updated, user=responder, body="Rolling back 4.2.1.")

    mitigated = declare(responder, title="Mitigated")
    make_update_due(mitigated, overdue)
    services.incident_mitigate(incident=mitigated, user=responder)

    resolved = declare(responder, title="Resolved")
    make_update_due(resolved, overdue)
    services.incident_change_status(incident=resolved, user=responder, status=Status.RESOLVED)

    # Proof that sweeps ran over overdue rows: this one was not updated and must be reminded.
    neglected = declare(responder, title="Nobody updated this one")
    neglected_reminder = make_update_due(neglected, overdue)

    celery_procs.worker()
    celery_procs.beat()
    reminder_fire.delay(claimed_reminder.pk)  # from this process, through the broker

    def outcome():
        claimed_reminder.refresh_from_db()
        return claimed_reminder.status == State.SKIPPED and sent_update_reminders(neglected)

    celery_procs.wait_for(
        outcome, "the late task to skip and the neglected incident to be reminded"
    )
    celery_procs.settle()

    for incident in (claimed, updated, mitigated, resolved):
        assert sent_update_reminders(incident) == [], incident.title
        assert reminder_events(incident) == [], incident.title
        assert reminder_notifications(incident) == [], incident.title
    assert claimed_reminder.outcome == "An update was posted in time"
    assert_reminded_exactly_once(celery_procs, neglected, neglected_reminder, responder)


def test_two_beats_and_two_workers_send_each_reminder_once(celery_procs, responder):
    # Each sweep pauses between reading due rows and claiming them, longer than the time between
    # two ticks: overlapping sweeps are sure to find the same due rows and race to claim them.
    slow_claims = {"FIREBREAK_TEST_CLAIM_READ_DELAY": "1.2"}
    celery_procs.worker("worker-1", concurrency=2, **slow_claims)
    celery_procs.worker("worker-2", concurrency=2, **slow_claims)
    celery_procs.beat("beat-1")
    celery_procs.beat("beat-2")
    celery_procs.wait_until_sweeping(beats=2)

    now = timezone.now()
    incidents = [declare(responder, title=f"Shard {n} unavailable") for n in range(4)]
    reminders = [
        make_update_due(incident, now + timedelta(seconds=n))
        for n, incident in enumerate(incidents)
    ]

    celery_procs.wait_for(
        lambda: all(sent_update_reminders(incident) for incident in incidents),
        "all four reminders",
    )
    celery_procs.settle(sweeps=6)

    for incident, reminder in zip(incidents, reminders, strict=True):
        assert_reminded_exactly_once(celery_procs, incident, reminder, responder)
        # Exactly one sweep won each row: it was handed to a worker once.
        assert len(fire_tasks(celery_procs, reminder)) == 1
    # Both beats really were sweeping while the reminders were due.
    last_sent = max(r.sent_at for incident in incidents for r in sent_update_reminders(incident))
    sweeping_then = {
        t["origin"]
        for t in celery_procs.tasks(REMINDERS_SWEEP)
        if now.timestamp() <= t["at"] <= last_sent.timestamp() + 3
    }
    assert len(sweeping_then) == 2
    # ... and they did race: some sweep found a row another sweep had just claimed.
    lost_races = [
        f"reminder {r.pk}: another sweep claimed it first" in celery_procs.logs() for r in reminders
    ]
    assert any(lost_races)


def start_doomed_worker(procs, concurrency: int = 1):
    marker = procs.workdir / "hang-marker"
    worker = procs.worker(
        f"worker-{len(procs.procs)}",
        concurrency=concurrency,
        FIREBREAK_TEST_HANG_MARKER=str(marker),
        FIREBREAK_REMINDER_CLAIM_LEASE_SECONDS=str(LEASE),
    )
    return worker, marker


def wait_for_hang(procs, marker) -> dict:
    def hung():
        return marker.exists() and json.loads(marker.read_text())

    return procs.wait_for(hung, "the worker to hang inside reminder_fire")


def test_a_worker_killed_mid_reminder_loses_nothing(celery_procs, responder):
    doomed, marker = start_doomed_worker(celery_procs)
    celery_procs.beat()
    incident = declare(responder, title="Payments API timeouts")
    reminder = make_update_due(incident, timezone.now() - timedelta(seconds=1))

    hang = wait_for_hang(celery_procs, marker)
    # The worker is inside reminder_fire's transaction: nothing of it is visible yet.
    reminder.refresh_from_db()
    assert reminder.status == State.CLAIMED
    assert reminder_events(incident) == []

    celery_procs.kill(doomed)  # the worker and its pool processes, mid-transaction
    celery_procs.worker("replacement", FIREBREAK_REMINDER_CLAIM_LEASE_SECONDS=str(LEASE))

    celery_procs.wait_for(lambda: received(celery_procs, reminder), "the reminder to be delivered")
    celery_procs.settle()

    assert_reminded_exactly_once(celery_procs, incident, reminder, responder)
    runs = fire_tasks(celery_procs, reminder)
    assert hang["pid"] in {run["pid"] for run in runs}
    assert len({run["id"] for run in runs}) >= 2, "the expired claim was not taken back"


def test_a_pool_process_killed_mid_reminder_is_recovered_twice_but_sends_once(
    celery_procs, responder
):
    """Both recovery paths fire: the broker redelivers the task and the sweep takes the claim back."""
    survivor, marker = start_doomed_worker(celery_procs, concurrency=2)
    celery_procs.beat()
    incident = declare(responder, title="Login page blank")
    reminder = make_update_due(incident, timezone.now() - timedelta(seconds=1))

    hang = wait_for_hang(celery_procs, marker)
    reminder.refresh_from_db()
    lease_end = reminder.claimed_at.timestamp() + LEASE
    # Let a sweep start after the claim's lease ran out: it will take the claim back.
    celery_procs.wait_for(
        lambda: any(t["at"] > lease_end for t in celery_procs.tasks(REMINDERS_SWEEP)),
        "a sweep after the lease expired",
    )

    os.kill(hang["pid"], signal.SIGKILL)  # only the pool process; the worker requeues its task

    celery_procs.wait_for(lambda: received(celery_procs, reminder), "the reminder to be delivered")

    def both_paths_ran():
        runs = fire_tasks(celery_procs, reminder)
        killed_task = next(run["id"] for run in runs if run["pid"] == hang["pid"])
        redelivered = sum(run["id"] == killed_task for run in runs) >= 2
        reclaimed = any(run["id"] != killed_task for run in runs)
        return redelivered and reclaimed

    celery_procs.wait_for(both_paths_ran, "the redelivered task and the reclaimed claim to run")
    celery_procs.settle()

    assert survivor.alive()
    assert_reminded_exactly_once(celery_procs, incident, reminder, responder)
