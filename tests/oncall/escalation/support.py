"""Helpers for the escalation and paging tests (tests/oncall/escalation/)."""

from __future__ import annotations

from datetime import datetime, time

from oncall.alerts.services import alert_ingest, integration_create
from oncall.escalation.services import StepInput, escalation_policy_create
from oncall.models import Alert
from oncall.schedules.selectors import oncall_at
from tests.oncall.schedules.support import make_schedule, person


def payments_team(admin, start_date):
    """A weekly schedule of ana, ben and cy on the service payments, and dev, their manager."""
    people = [person("ana"), person("ben"), person("cy")]
    dev = person("dev")
    schedule = make_schedule(
        admin, people, handoff=time(0), start=start_date, service_slug="payments"
    )
    return schedule, dev


def three_step_policy(admin, schedule, dev, *, delays=(0, 5, 10), repeats=0, repeat_after=15):
    """Primary, then secondary, then dev: three people, so nobody is paged ahead of their step."""
    S = StepInput
    return escalation_policy_create(
        user=admin,
        name="Payments critical",
        slug="payments-critical",
        service_slug="payments",
        repeats=repeats,
        repeat_after_minutes=repeat_after,
        steps=[
            S(target="schedule_primary", delay_minutes=delays[0], schedule=schedule),
            S(target="schedule_secondary", delay_minutes=delays[1], schedule=schedule),
            S(target="user", delay_minutes=delays[2], user=dev),
        ],
    )


def on_call(schedule, at: datetime):
    now = oncall_at(schedule=schedule, at=at)
    return now.primary, now.secondary


def generic_integration(admin):
    return integration_create(user=admin, kind="generic", name="Scripts").integration


def fire(
    integration,
    *,
    at: datetime,
    urgency="critical",
    service="payments",
    name="CheckoutDown",
    status="firing",
    fingerprint="checkout-down",
    received_at: datetime | None = None,
) -> Alert:
    """Deliver one alert like a sender would (the alerts_received signal runs on commit).
    ``at`` is when it fired; ``received_at`` (default: ``at``) when this delivery arrives."""
    alert_ingest(
        integration=integration,
        payload={
            "alerts": [
                {
                    "name": name,
                    "status": status,
                    "starts_at": at.isoformat().replace("+00:00", "Z"),
                    "fingerprint": fingerprint,
                    "service": service,
                    "urgency": urgency,
                    "summary": "Payments are failing",
                    "runbook_url": "https://runbooks.example.com/payments",
                }
            ]
        },
        received_at=received_at or at,
    )
    return Alert.objects.get(integration=integration, fingerprint=fingerprint)
