"""On-call demo data: two rotations, an escalation policy per service, an Alertmanager
integration and eight weeks of its alerts, with pages, acknowledgements and one reviewed week.

Called by ``manage.py load_demo`` after the people and services exist. Idempotent: schedules and
policies are found by slug, the integration by name, and the alert history is only generated
while that integration has no alerts, so a second run changes nothing.

The alerts go through ``alert_ingest`` at their own moments (the clock is set for each
delivery). The pages they caused are written as the history they are: each page is a sent Slack
DM (an interrupting channel), and a page in the person's sleep hours also went out as an SMS to
their (fictitious, +1 555) phone, so the reports' interruptions and sleep-hour interruptions are
real figures, and nothing is sent to anyone when the demo loads.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone as django_timezone

from oncall.alerts.models import Alert, Integration
from oncall.alerts.services import alert_ingest, integration_create
from oncall.channels.models import ContactMethod
from oncall.escalation.models import EscalationPolicy, Page
from oncall.escalation.services import StepInput, escalation_policy_create
from oncall.people.models import Notification, NotificationDelivery
from oncall.review.selectors import parse_scope
from oncall.review.services import alert_mark_actionable, alert_review_decide
from oncall.schedules.models import Schedule
from oncall.schedules.selectors import oncall_at
from oncall.schedules.services import schedule_create
from oncall.schedules.shifts import ParticipantInput

INTEGRATION_NAME = "Production Alertmanager"
WEEKS = 8
# (alert name, service, severity, summary, runbook?): what the edge and storage teams see.
ALERTS = [
    ("EdgeHighErrorRate", "edge-router", "critical", "Drain the failing edge PoP", True),
    ("EdgeLatencyHigh", "edge-router", "warning", "Check edge latency above 300 ms", True),
    ("ObjectStorageDiskFull", "object-storage", "critical", "Expand object-storage disks", True),
    ("ReplicationLagHigh", "object-storage", "warning", "Replication lag above 5 minutes", False),
    ("CertificateExpiresSoon", "edge-router", "info", "Renew the edge certificate", True),
]
FLAPPING = ("NodeNotReady", "cloud-network", "warning", "Node flaps between ready states", False)


@dataclass
class OncallLoaded:
    schedules: list[Schedule] = field(default_factory=list)
    policies: list[EscalationPolicy] = field(default_factory=list)
    alerts_created: int = 0


@contextmanager
def _clock(moment: datetime) -> Iterator[None]:
    """Every ``timezone.now()`` (and auto_now) is ``moment`` inside (history at its own time)."""
    with mock.patch.object(django_timezone, "now", return_value=moment):
        yield


def load_demo_oncall(*, admin, people: dict, service_slugs: list[str], now=None) -> OncallLoaded:
    """Create whatever part of the on-call demo is missing. ``people`` maps usernames to users
    (demo, priya, amara, tom, kenji); ``service_slugs`` are the services to give a policy."""
    now = now or django_timezone.now()
    result = OncallLoaded()
    _joined_long_ago([admin, *people.values()])
    monday = (now - timedelta(weeks=WEEKS + 1)).date()
    monday -= timedelta(days=monday.weekday())
    with transaction.atomic():
        edge = _schedule(
            admin,
            "edge-primary",
            "Edge primary",
            "weekly",
            "America/Los_Angeles",
            monday,
            [ParticipantInput(people[u]) for u in ("demo", "priya", "kenji")],
            "edge-router",
        )
        storage = _schedule(
            admin,
            "storage-follow-the-sun",
            "Storage (follow the sun)",
            "follow_the_sun",
            "Europe/London",
            monday,
            [
                ParticipantInput(people["tom"], site=0),
                ParticipantInput(people["amara"], site=0),
                ParticipantInput(people["kenji"], site=1),
                ParticipantInput(people["priya"], site=1),
            ],
            "object-storage",
        )
        result.schedules = [edge, storage]
        for number, username in enumerate(sorted(people), start=1):
            ContactMethod.objects.get_or_create(
                user=people[username],
                kind=ContactMethod.Kind.SMS,
                defaults={"address": f"+1555555{number:04d}"},
            )
    integration = Integration.objects.filter(name=INTEGRATION_NAME, kind="alertmanager").first()
    if integration is None:
        integration = integration_create(
            user=admin, kind="alertmanager", name=INTEGRATION_NAME
        ).integration
    if not integration.alerts.exists():
        # Before the policies exist, so ingesting the history plans no live pages.
        result.alerts_created = _alert_history(integration, admin, people, now)
    with transaction.atomic():
        for slug in service_slugs:
            schedule = storage if "storage" in slug else edge
            result.policies.append(_policy(admin, slug, schedule))
    return result


# The demo team has worked together since before its first incident (2016): nobody is "new" in
# the schedule form's directory for having been created by load_demo today.
DEMO_JOINED = datetime(2015, 6, 1, 9, tzinfo=ZoneInfo("UTC"))


def _joined_long_ago(users) -> None:
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(
        pk__in=[u.pk for u in users], date_joined__gt=DEMO_JOINED
    ).update(date_joined=DEMO_JOINED)


def _schedule(admin, slug, name, rotation, zone, start, participants, service) -> Schedule:
    found = Schedule.objects.filter(slug=slug).first()
    if found is not None:
        return found
    return schedule_create(
        user=admin,
        name=name,
        slug=slug,
        timezone_name=zone,
        rotation=rotation,
        handoff_time=time(9),
        start_date=start,
        participants=participants,
        service_slug=service,
        description="Demo rotation.",
    )


def _policy(admin, service_slug: str, schedule: Schedule) -> EscalationPolicy:
    slug = f"{service_slug}-critical"
    found = EscalationPolicy.objects.filter(service_slug=service_slug).first()
    if found is not None:
        return found
    return escalation_policy_create(
        user=admin,
        name=f"{service_slug} critical",
        slug=slug,
        service_slug=service_slug,
        repeats=1,
        repeat_after_minutes=15,
        steps=[
            StepInput(target="schedule_primary", delay_minutes=0, schedule=schedule),
            StepInput(target="schedule_secondary", delay_minutes=5, schedule=schedule),
            StepInput(target="user", delay_minutes=15, user=admin),
        ],
    )


def alertmanager_payload(
    name, service, severity, summary, runbook, fired: datetime, status="firing", ends=None
):
    """One alert as the demo's Alertmanager posts it (a v4 delivery of one alert)."""
    if status == "resolved":
        ends = ends or fired + timedelta(minutes=25)
    return {
        "version": "4",
        "status": status,
        "receiver": "firebreak",
        "groupLabels": {"alertname": name},
        "commonLabels": {"alertname": name, "service": service},
        "alerts": [
            {
                "status": status,
                "labels": {"alertname": name, "service": service, "severity": severity},
                "annotations": {
                    "summary": summary,
                    **({"runbook_url": f"https://runbooks.example.com/{name}"} if runbook else {}),
                },
                "startsAt": fired.isoformat().replace("+00:00", "Z"),
                "endsAt": ends.isoformat().replace("+00:00", "Z")
                if ends
                else "0001-01-01T00:00:00Z",
                # Alertmanager's fingerprint hashes the labels: every firing of one alert on
                # one service shares it, so the inbox groups the repeats.
                "fingerprint": f"{name.lower()}-{service}",
            }
        ],
    }


def _alert_history(integration, admin, people, now: datetime) -> int:
    """Eight weeks of alerts, paged and acknowledged as the rotations would have it."""
    rng = random.Random(18)  # the same history on every machine
    edge = Schedule.objects.get(slug="edge-primary")
    storage = Schedule.objects.get(slug="storage-follow-the-sun")
    created = 0
    firing: dict[str, list[tuple[datetime, datetime]]] = {}
    start = now - timedelta(weeks=WEEKS)
    for day in range(WEEKS * 7):
        for _ in range(rng.randint(1, 3)):
            name, service, severity, summary, runbook = rng.choice(ALERTS)
            fired = start + timedelta(days=day, minutes=rng.randint(0, 24 * 60 - 1))
            resolve_after = rng.randint(10, 90)
            resolved_at = fired + timedelta(minutes=resolve_after)
            if fired >= now - timedelta(hours=1):
                continue
            # One alert fires again only after it resolved (while it fires, Alertmanager
            # re-sends the same alert: nothing new to record).
            if any(fired < end and begin < resolved_at for begin, end in firing.get(name, [])):
                continue
            firing.setdefault(name, []).append((fired, resolved_at))
            with _clock(fired):
                alert_ingest(
                    integration=integration,
                    payload=alertmanager_payload(name, service, severity, summary, runbook, fired),
                    received_at=fired,
                )
            alert = Alert.objects.get(
                integration=integration, fingerprint=f"{name.lower()}-{service}", fired_at=fired
            )
            created += 1
            if severity == "critical":
                schedule = storage if service == "object-storage" else edge
                person = oncall_at(schedule=schedule, at=fired).primary or admin
                _page(alert, person, fired)
                if rng.random() < 0.8:  # most pages are acknowledged, some in the night
                    Alert.objects.filter(pk=alert.pk).update(
                        acknowledged_at=fired
                        + timedelta(minutes=rng.randint(2, min(20, resolve_after - 1))),
                        acknowledged_by=person,
                    )
            if resolved_at < now:
                with _clock(resolved_at):
                    alert_ingest(
                        integration=integration,
                        payload=alertmanager_payload(
                            name,
                            service,
                            severity,
                            summary,
                            runbook,
                            fired,
                            "resolved",
                            resolved_at,
                        ),
                        received_at=resolved_at,
                    )
    created += _flapping(integration, now - timedelta(days=9))
    _review_one_week(admin, integration, now)
    return created


def _in_sleep_hours(person, at: datetime) -> bool:
    """22:00–08:00 in the person's own zone, as the reports count sleep-hour interruptions."""
    hour = at.astimezone(ZoneInfo(person.timezone or "UTC")).hour
    return hour >= 22 or hour < 8


def _page(alert: Alert, person, at: datetime) -> None:
    """The first page of ``alert``, delivered as a Slack DM (an interrupting channel) at ``at``;
    in the person's sleep hours also as an SMS (a DM alone does not wake anyone)."""
    with _clock(at):
        Page.objects.create(
            alert=alert,
            policy=None,
            step_index=0,
            repeat=0,
            person=person,
            due_at=at,
            status=Page.Status.SENT,
            sent_at=at,
            outcome=f"Sent to {person.get_username()}",
        )
        notification = Notification.objects.create(
            recipient=person,
            subject=f"PAGE: {alert.subject}"[:200],
            urgency=Notification.Urgency.HIGH,
            key=f"page:{alert.pk}:0:0",
            read_at=at,
        )
        transports = ["slack", "sms"] if _in_sleep_hours(person, at) else ["slack"]
        for transport in transports:
            NotificationDelivery.objects.create(
                notification=notification,
                transport=transport,
                status=NotificationDelivery.Status.SENT,
                attempts=1,
                sent_at=at,
            )


def _flapping(integration, around: datetime) -> int:
    """One alert (one fingerprint) that fires and resolves four times within a day."""
    name, service, severity, summary, runbook = FLAPPING
    for k in range(4):
        fired = around + timedelta(hours=3 * k)
        for status, at in (("firing", fired), ("resolved", fired + timedelta(minutes=40))):
            payload = alertmanager_payload(name, service, severity, summary, runbook, fired, status)
            payload["alerts"][0]["fingerprint"] = "nodenotready-flap"
            with _clock(at):
                alert_ingest(integration=integration, payload=payload, received_at=at)
    return 4


def _review_one_week(admin, integration, now: datetime) -> None:
    """Two weeks ago, reviewed: every alert marked, one group's questions answered."""
    zone = ZoneInfo(admin.timezone or "UTC")
    today = now.astimezone(zone).date()
    week_start: date = today - timedelta(days=today.weekday() + 14)
    start = datetime.combine(week_start, time(0), tzinfo=zone)
    alerts = Alert.objects.filter(
        integration=integration, fired_at__gte=start, fired_at__lt=start + timedelta(days=7)
    )
    if not alerts.exists():
        return
    critical = list(alerts.filter(urgency=Alert.Urgency.CRITICAL).values_list("pk", flat=True))
    other = list(alerts.exclude(urgency=Alert.Urgency.CRITICAL).values_list("pk", flat=True))
    if critical:
        alert_mark_actionable(user=admin, alert_ids=critical, actionable=True)
    if other:
        alert_mark_actionable(user=admin, alert_ids=other, actionable=False)
    name = alerts.order_by("fired_at").values_list("name", flat=True).first()
    alert_review_decide(
        user=admin,
        week_start=week_start,
        scope=parse_scope(),
        alert_name=name,
        answers={
            "responded_appropriately": "Yes: acknowledged within minutes.",
            "right_level": "Yes.",
            "keep": "Keep.",
            "change": "Add the PoP name to the summary.",
        },
    )
