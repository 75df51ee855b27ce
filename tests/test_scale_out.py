"""Scale-out on loopback (issue 19): 2 gunicorn web processes, 2 workers per queue, 2 beats — each
started with its command from deploy/commands.yaml, as compose and the Helm chart run it — on
PostgreSQL + Redis. Incidents are declared through both web processes, their update reminders
and escalation pages come due, and a critical worker and a beat are killed with SIGKILL in the
middle: every reminder and every page reaches its person exactly once.

Only under `make test-pg` (PostgreSQL + Redis: the production shape); skipped on the embedded
default, whose file broker and SQLite are for one machine.
"""

from __future__ import annotations

import json
import urllib.request
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from rest_framework.authtoken.models import Token

from incidents.models import Incident, Reminder
from oncall import services
from oncall.models import Alert, Page
from tests.oncall.escalation.support import (
    generic_integration,
    on_call,
    payments_team,
    three_step_policy,
)
from tests.support.web_procs import deploy_commands, start_web

pytest_plugins = ["tests.support.celery_procs"]
pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not settings.REDIS_URL or connection.vendor != "postgresql",
        reason="the scale-out test runs on PostgreSQL + Redis (make test-pg)",
    ),
]

PORTS = (8117, 8118)
INCIDENTS = 6
ALERTS = 3
LEASE = "3"  # seconds: claims of the killed worker are taken back quickly


def declare_over_http(base_url: str, token: str, title: str) -> int:
    request = urllib.request.Request(  # noqa: S310  (loopback)
        f"{base_url}/api/v1/incidents/",
        data=json.dumps({"title": title, "severity": "SEV2"}).encode(),
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        assert response.status == 201
        return json.loads(response.read())["id"]


def deliver_critical(integration, number: int, arrived_ago: timedelta) -> Alert:
    arrived = timezone.now() - arrived_ago
    services.alert_ingest(
        integration=integration,
        payload={
            "alerts": [
                {
                    "name": f"PaymentsDown{number}",
                    "status": "firing",
                    "starts_at": arrived.isoformat(),
                    "fingerprint": f"payments-down-{number}",
                    "service": "payments",
                    "urgency": "critical",
                    "summary": f"Payments shard {number} failing",
                }
            ]
        },
        received_at=arrived,
    )
    return Alert.objects.get(fingerprint=f"payments-down-{number}")


def test_two_of_everything_and_kill_9_midway_deliver_each_reminder_and_page_once(
    celery_procs, admin_user, responder, tmp_path
):
    schedule, dev = payments_team(admin_user, (timezone.now() - timedelta(days=2)).date())
    three_step_policy(admin_user, schedule, dev, delays=(0, 1, 10))
    primary, secondary = on_call(schedule, timezone.now())
    integration = generic_integration(admin_user)
    token = Token.objects.create(user=responder).key

    env = {"FIREBREAK_REMINDER_CLAIM_LEASE_SECONDS": LEASE}
    commands = deploy_commands()  # exactly what compose and the Helm chart run
    workers = {
        latency: [
            celery_procs.deployed(
                f"{latency}-{n}", commands[f"worker-{latency}"], concurrency=1, **env
            )
            for n in (1, 2)
        ]
        for latency in ("critical", "default", "slow")
    }
    beats = [celery_procs.deployed(f"beat-{n}", commands["beat"], **env) for n in (1, 2)]
    webs = [
        start_web(
            tmp_path / "web",
            port,
            FIREBREAK_CELERY_QUEUE_PREFIX=f"{celery_procs.queue}-",
            **env,
        )
        for port in PORTS
    ]
    try:
        celery_procs.wait_until_sweeping(beats=2)

        ids = [
            declare_over_http(webs[n % 2].base_url, token, f"Shard {n} unavailable")
            for n in range(INCIDENTS)
        ]
        now = timezone.now()
        for n, pk in enumerate(ids):  # each incident's next update is due within a few seconds
            Incident.objects.filter(pk=pk).update(next_update_due_at=now + timedelta(seconds=n))
            Reminder.objects.filter(
                incident_id=pk, kind=Reminder.ReminderKind.UPDATE_DUE, status="pending"
            ).update(due_at=now + timedelta(seconds=n))
        alerts = [deliver_critical(integration, n, timedelta(seconds=50)) for n in range(ALERTS)]

        # Midway: the first deliveries are out, more are due; kill a critical worker and a beat.
        celery_procs.wait_for(lambda: len(celery_procs.deliveries()) >= 2, "the first deliveries")
        celery_procs.kill(workers["critical"][0])
        celery_procs.kill(beats[0])

        def everything_sent() -> bool:
            reminders_sent = Reminder.objects.filter(
                incident_id__in=ids, kind=Reminder.ReminderKind.UPDATE_DUE, status="sent"
            ).count()
            secondary_pages = Page.objects.filter(
                alert__in=alerts, person=secondary, status="sent"
            ).count()
            return reminders_sent >= INCIDENTS and secondary_pages >= ALERTS

        celery_procs.wait_for(everything_sent, "every reminder and escalation page", timeout=120)
        celery_procs.settle(sweeps=4)
    finally:
        for web in webs:
            web.stop()

    delivered: dict[str, list[str]] = {}
    for record in celery_procs.deliveries():
        delivered.setdefault(record["key"], []).append(record["recipient"])
    reminders = Reminder.objects.filter(
        incident_id__in=ids, kind=Reminder.ReminderKind.UPDATE_DUE, status="sent"
    )
    assert reminders.count() == INCIDENTS  # one per incident: the interval had not come round again
    for reminder in reminders:
        assert delivered[f"reminder:{reminder.pk}"] == [responder.username], reminder
    pages = Page.objects.filter(alert__in=alerts, status="sent")
    assert {(p.alert_id, p.person_id) for p in pages} == {
        (alert.pk, person.pk) for alert in alerts for person in (primary, secondary)
    }
    for page in pages:  # the notification key of a page (oncall/paging.py)
        key = f"page:{page.alert_id}:{page.repeat}:{page.step_index}"
        assert delivered[key] == [page.person.username], page
    duplicated = {key: who for key, who in delivered.items() if len(who) != 1}
    assert duplicated == {}, duplicated
