"""Notification delivery with a real Celery worker, beat and broker (Redis under ``make test-pg``).

The workers load the ``recorder`` transport (tests/support/worker_hooks.py), which can be told to
fail the first attempts of every message, as a flaky pager gateway would.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from oncall.models import NotificationDelivery
from oncall.people import notify
from oncall.people.services import notification_send

pytest_plugins = ["tests.support.celery_procs"]  # the celery_procs fixture
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

Status = NotificationDelivery.Status


class RecorderOffer:
    """This process offers the workers' ``recorder`` transport, as a web process offers the
    transports its workers deliver through; the delivery itself happens in a worker."""

    name = "recorder"
    label = "Test recorder"

    def applies_to(self, user, urgency: str) -> bool:
        return True

    def send(self, notification) -> None:
        raise AssertionError("the worker delivers, not the test process")


@pytest.fixture
def recorder():
    transport = notify.register(RecorderOffer())
    yield transport
    notify.unregister(transport.name)


def test_a_transient_failure_is_retried_and_the_message_arrives_once(
    celery_procs, recorder, responder
):
    celery_procs.worker(FIREBREAK_TEST_RECORDER_FAILURES="1")
    celery_procs.beat()

    # Committed at once (transactional test), so the deliveries are queued to the worker now.
    notification = notification_send(
        recipient=responder, subject="INC-3: you are paged", body="Checkout is down.", key="page:3"
    )
    delivery = notification.deliveries.get(transport="recorder")

    def failed_once():
        delivery.refresh_from_db()
        return delivery.attempts == 1 and delivery.status == Status.PENDING

    celery_procs.wait_for(failed_once, "the first attempt to fail")
    assert delivery.last_error == "simulated outage (attempt 1)"
    assert delivery.next_attempt_at > timezone.now()  # backing off, not hammering the gateway
    assert [d["key"] for d in celery_procs.deliveries()] == []

    # Skip the 30 s backoff: the beat's sweep picks the row up once its next attempt is due.
    NotificationDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())

    celery_procs.wait_for(lambda: celery_procs.deliveries(), "the retry to deliver")
    celery_procs.settle()

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (Status.SENT, 2, "")
    assert [(d["recipient"], d["key"]) for d in celery_procs.deliveries()] == [("rita", "page:3")]
    # The other transports went out on the first try.
    others = notification.deliveries.exclude(transport="recorder")
    assert {(d.transport, d.status) for d in others} == {
        ("web", Status.SENT),
        ("email", Status.SENT),
    }
