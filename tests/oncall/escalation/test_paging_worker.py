"""Escalation with real Celery beat and worker processes (issue 4's acceptance test).

An unacknowledged critical alert escalates to the secondary after the step delay, exactly once,
with two beats sweeping every second; acknowledging first stops it. The step delay is the
policy's real one minute: the alert is delivered as if it had arrived most of a minute ago.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from oncall.alerts.services import alert_acknowledge, alert_ingest
from oncall.models import Alert, Notification, Page
from tests.oncall.escalation.support import (
    generic_integration,
    on_call,
    payments_team,
    three_step_policy,
)

pytest_plugins = ["tests.support.celery_procs"]
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PAGES_SWEEP = "oncall.tasks.pages_sweep"


def deliver_critical(integration, *, arrived_ago: timedelta) -> Alert:
    arrived = timezone.now() - arrived_ago
    alert_ingest(
        integration=integration,
        payload={
            "alerts": [
                {
                    "name": "PaymentsDown",
                    "status": "firing",
                    "starts_at": arrived.isoformat(),
                    "fingerprint": "payments-down",
                    "service": "payments",
                    "urgency": "critical",
                    "summary": "Payments are failing",
                }
            ]
        },
        received_at=arrived,
    )
    return Alert.objects.get(fingerprint="payments-down")


@pytest.fixture
def paging_world(admin_user, celery_procs):
    schedule, dev = payments_team(admin_user, (timezone.now() - timedelta(days=2)).date())
    three_step_policy(admin_user, schedule, dev, delays=(0, 1, 10))
    primary, secondary = on_call(schedule, timezone.now())
    integration = generic_integration(admin_user)
    celery_procs.worker(concurrency=2)
    celery_procs.beat("beat-1")
    celery_procs.beat("beat-2")
    celery_procs.wait_until_sweeping(beats=2)
    return integration, primary, secondary, dev


def sent_page(person):
    return Page.objects.filter(person=person, status=Page.Status.SENT).first()


def received_by(celery_procs, person) -> list[dict]:
    return [
        d
        for d in celery_procs.deliveries()
        if d["recipient"] == person.username and d["key"].startswith("page:")
    ]


def test_an_unacknowledged_alert_escalates_to_the_secondary_once(celery_procs, paging_world):
    integration, primary, secondary, dev = paging_world

    alert = deliver_critical(integration, arrived_ago=timedelta(seconds=55))
    escalated = celery_procs.wait_for(lambda: sent_page(secondary), "the page to the secondary")
    celery_procs.wait_for(lambda: received_by(celery_procs, secondary), "the secondary's page")
    celery_procs.settle()

    assert escalated.due_at == alert.first_received_at + timedelta(minutes=1)
    assert escalated.sent_at >= escalated.due_at  # not before the step delay
    assert [d["subject"] for d in received_by(celery_procs, secondary)] == [
        "PAGE: Payments are failing"
    ]
    assert len(received_by(celery_procs, primary)) == 1
    assert Notification.objects.filter(recipient=secondary, key__startswith="page:").count() == 1
    assert Page.objects.filter(person=secondary).count() == 1
    assert not received_by(celery_procs, dev)  # dev's step is 10 minutes later
    assert Page.objects.get(person=dev).status == Page.Status.PENDING


def test_acknowledging_before_the_delay_stops_the_escalation(celery_procs, paging_world):
    integration, primary, secondary, dev = paging_world

    alert = deliver_critical(integration, arrived_ago=timedelta(seconds=40))
    celery_procs.wait_for(lambda: sent_page(primary), "the page to the primary")
    alert_acknowledge(user=primary, alert=alert)
    due = alert.first_received_at + timedelta(minutes=1)
    celery_procs.wait_for(
        lambda: len([t for t in celery_procs.tasks(PAGES_SWEEP) if t["at"] > due.timestamp()]) >= 3,
        "three page sweeps after the secondary's page was due",
        timeout=120,
    )
    celery_procs.settle()

    assert received_by(celery_procs, secondary) == []
    assert not Notification.objects.filter(recipient=secondary).exists()
    assert Page.objects.get(person=secondary).status == Page.Status.CANCELLED
    assert len(received_by(celery_procs, primary)) == 1
