"""Notification delivery: one attempt-tracked row per transport, retried by the beat sweep.

A fake pager transport is registered in the transport registry for each test; it fails or
succeeds as the test scripts it. Celery runs eagerly here, so the sweep task does in-process
what beat and a worker do (the real processes are in test_notifications_worker.py).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from config.celery import app as celery_app
from oncall.models import Notification, NotificationDelivery
from oncall.people import notify
from oncall.people.selectors import failed_deliveries
from oncall.people.services import notification_delivery_attempt, notification_send
from oncall.people.tasks import notification_deliveries_sweep

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
Status = NotificationDelivery.Status


class FakePager:
    """Delivers to a list; ``script`` holds exceptions to raise on the next attempts."""

    name = "fake-pager"
    label = "Fake pager"

    def __init__(self) -> None:
        self.script: list[Exception] = []
        self.received: list[str] = []
        self.attempts = 0
        self.during_send = None  # optional callable run inside send(), before the outcome

    def applies_to(self, user, urgency: str) -> bool:
        return True

    def send(self, notification) -> None:
        self.attempts += 1
        if self.during_send is not None:
            hook, self.during_send = self.during_send, None
            hook()
        if self.script:
            raise self.script.pop(0)
        self.received.append(notification.subject)


@pytest.fixture
def pager():
    transport = notify.register(FakePager())
    yield transport
    notify.unregister(transport.name)


@pytest.fixture
def clock(time_machine, settings):
    settings.FIREBREAK_NOTIFICATION_MAX_ATTEMPTS = 5
    settings.FIREBREAK_REMINDER_CLAIM_LEASE_SECONDS = 120
    time_machine.move_to(T0, tick=False)

    class Clock:
        def at(self, **delta) -> datetime:
            when = T0 + timedelta(**delta)
            time_machine.move_to(when, tick=False)
            return when

    return Clock()


@pytest.fixture
def eager_celery():
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = saved


def page(user, key="page:1") -> NotificationDelivery:
    """Notify ``user`` and return the fake pager's delivery row."""
    notification = notification_send(
        recipient=user, subject="INC-7: checkout is down", body="Join the incident.", key=key
    )
    return notification.deliveries.get(transport=FakePager.name)


def attempt(delivery: NotificationDelivery) -> NotificationDelivery | None:
    return notification_delivery_attempt(delivery_id=delivery.pk)


def reload(delivery: NotificationDelivery) -> NotificationDelivery:
    delivery.refresh_from_db()
    return delivery


def test_a_notification_is_delivered_through_every_transport_that_applies(clock, pager, responder):
    notification = notification_send(
        recipient=responder, subject="INC-7: checkout is down", key="k"
    )

    assert sorted(d.transport for d in notification.deliveries.all()) == [
        "email",
        "fake-pager",
        "web",
    ]
    delivery = attempt(notification.deliveries.get(transport="fake-pager"))

    assert delivery.status == Status.SENT
    assert delivery.sent_at == T0
    assert delivery.attempts == 1
    assert pager.received == ["INC-7: checkout is down"]


def test_the_same_key_never_notifies_twice(clock, pager, responder):
    first = notification_send(recipient=responder, subject="Reminder", key="reminder:9")
    second = notification_send(recipient=responder, subject="Reminder", key="reminder:9")

    assert first is not None
    assert second is None
    assert Notification.objects.filter(recipient=responder).count() == 1


def test_a_deactivated_person_is_not_notified(clock, pager, responder):
    responder.is_active = False
    responder.save(update_fields=["is_active"])

    assert notification_send(recipient=responder, subject="Reminder", key="k") is None
    assert not Notification.objects.exists()


def test_deliveries_are_queued_once_the_transaction_commits(
    clock, pager, responder, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        delivery = page(responder)
        assert pager.received == []  # nothing leaves before the data is committed

    assert reload(delivery).status == Status.SENT
    assert pager.received == ["INC-7: checkout is down"]


def test_a_transient_failure_is_retried_with_backoff(clock, pager, responder, eager_celery):
    pager.script = [notify.TransientDeliveryError("pager gateway timed out")] * 2
    delivery = page(responder)

    attempt(delivery)
    reload(delivery)
    assert delivery.status == Status.PENDING
    assert delivery.attempts == 1
    assert delivery.last_error == "pager gateway timed out"
    assert delivery.next_attempt_at == T0 + timedelta(seconds=30)

    clock.at(seconds=29)
    notification_deliveries_sweep()
    assert pager.attempts == 1  # not due yet: nobody tries

    clock.at(seconds=30)
    notification_deliveries_sweep()
    reload(delivery)
    assert (delivery.status, delivery.attempts) == (Status.PENDING, 2)
    assert delivery.next_attempt_at == T0 + timedelta(seconds=30 + 60)  # the wait doubles

    clock.at(seconds=90)
    notification_deliveries_sweep()
    reload(delivery)
    assert (delivery.status, delivery.attempts, delivery.last_error) == (Status.SENT, 3, "")
    assert pager.received == ["INC-7: checkout is down"]


def test_a_rate_limit_wait_is_respected(clock, pager, responder):
    error = notify.TransientDeliveryError("rate limited")
    error.retry_after = 240
    pager.script = [error]
    delivery = page(responder)

    attempt(delivery)

    assert reload(delivery).next_attempt_at == T0 + timedelta(seconds=240)


def test_an_unexpected_error_counts_as_transient(clock, pager, responder):
    pager.script = [RuntimeError("connection reset by peer")]
    delivery = page(responder)

    attempt(delivery)

    reload(delivery)
    assert delivery.status == Status.PENDING
    assert delivery.last_error == "connection reset by peer"
    assert delivery.next_attempt_at == T0 + timedelta(seconds=30)


def test_a_permanent_failure_is_recorded_and_never_retried(clock, pager, responder, eager_celery):
    pager.script = [notify.PermanentDeliveryError("No pager number on Rita's profile.")]
    delivery = page(responder)

    attempt(delivery)
    for minutes in (1, 5, 30, 120):
        clock.at(minutes=minutes)
        notification_deliveries_sweep()

    reload(delivery)
    assert delivery.status == Status.FAILED
    assert delivery.last_error == "No pager number on Rita's profile."
    assert delivery.next_attempt_at is None
    assert pager.attempts == 1
    # Rita can see what did not reach her, and why.
    assert list(failed_deliveries(user=responder)) == [delivery]


def test_it_gives_up_after_the_maximum_number_of_attempts(
    clock, pager, responder, eager_celery, settings
):
    settings.FIREBREAK_NOTIFICATION_MAX_ATTEMPTS = 3
    pager.script = [notify.TransientDeliveryError("pager gateway down")] * 10
    delivery = page(responder)

    attempt(delivery)
    for minutes in range(1, 60):  # beat keeps sweeping for an hour
        clock.at(minutes=minutes)
        notification_deliveries_sweep()

    reload(delivery)
    assert delivery.status == Status.FAILED
    assert delivery.attempts == 3
    assert delivery.last_error == "Gave up after 3 attempts: pager gateway down"
    assert pager.attempts == 3
    assert pager.received == []


def test_a_transport_that_is_not_installed_fails_permanently(clock, responder):
    notification = notification_send(recipient=responder, subject="Reminder", key="k")
    delivery = NotificationDelivery.objects.create(
        notification=notification, transport="carrier-pigeon"
    )

    attempt(delivery)

    reload(delivery)
    assert delivery.status == Status.FAILED
    assert delivery.last_error == "The 'carrier-pigeon' transport is not installed."


def test_a_delivery_is_claimed_by_one_worker_only(clock, pager, responder):
    delivery = page(responder)
    NotificationDelivery.objects.filter(pk=delivery.pk).update(status=Status.SENDING, claimed_at=T0)

    assert attempt(delivery) is None  # another worker is sending it right now
    assert pager.attempts == 0


def test_the_sweep_requeues_a_delivery_whose_worker_died_mid_send(
    clock, pager, responder, eager_celery
):
    delivery = page(responder)
    # What a worker killed during transport.send() leaves behind.
    NotificationDelivery.objects.filter(pk=delivery.pk).update(status=Status.SENDING, claimed_at=T0)

    clock.at(seconds=119)
    notification_deliveries_sweep()
    assert pager.attempts == 0  # the claim is still within its lease

    clock.at(seconds=121)
    notification_deliveries_sweep()
    reload(delivery)
    assert delivery.status == Status.SENT
    assert pager.received == ["INC-7: checkout is down"]


def test_the_sweep_picks_up_a_delivery_that_was_never_queued(clock, pager, responder, eager_celery):
    delivery = page(responder)  # created, but the broker was down when it was to be queued

    clock.at(seconds=59)
    notification_deliveries_sweep()
    assert pager.attempts == 0

    clock.at(seconds=61)
    notification_deliveries_sweep()
    assert reload(delivery).status == Status.SENT


def test_a_worker_whose_claim_was_taken_over_does_not_overwrite_the_outcome(
    clock, pager, responder
):
    delivery = page(responder)

    def lease_expires_and_another_worker_delivers():
        clock.at(minutes=5)  # the first worker hung in send() for longer than the lease
        assert attempt(delivery).status == Status.SENT
        # ... and then the first worker's send fails after all.
        pager.script = [notify.TransientDeliveryError("socket timed out")]

    pager.during_send = lease_expires_and_another_worker_delivers

    assert attempt(delivery) is None  # the late worker's result is dropped

    reload(delivery)
    assert (delivery.status, delivery.attempts, delivery.last_error) == (Status.SENT, 1, "")
    assert delivery.next_attempt_at is None
    assert pager.received == ["INC-7: checkout is down"]
