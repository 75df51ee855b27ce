"""A hand-computed data set for 2026 Q3 (the expected figures are worked out in test_metrics.py).

Period P = [2026-07-01, 2026-10-01) UTC, |P| = 92 days = 7,948,800 s.
Team "payments" owns services api (SLO 99.9 %), db (SLO 99 %) and search (no incidents).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from incidents.models import Incident, Reminder, Service, StakeholderUpdate, Team
from incidents.slack.transport import SlackDmTransport
from oncall.models import Alert, Integration, Notification, NotificationDelivery
from postmortems.models import ActionItem, Postmortem
from postmortems.reports.metrics import Period, Scope
from tests.factories import UserFactory

Q3 = Period(datetime(2026, 7, 1, tzinfo=UTC), datetime(2026, 10, 1, tzinfo=UTC))
NOW = datetime(2026, 10, 15, tzinfo=UTC)


def at(month, day, hour=0, minute=0, second=0, year=2026):
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


@pytest.fixture
def dataset(db, settings):
    settings.FIREBREAK_UPDATE_INTERVAL_MINUTES = 30
    settings.FIREBREAK_UPDATE_INTERVAL_BY_SEVERITY = {"SEV1": 15}
    rita = UserFactory(username="rita", timezone="Europe/Berlin", groups=["responder"])
    omar = UserFactory(username="omar", timezone="America/New_York", groups=["responder"])
    kenji = UserFactory(username="kenji", timezone="Asia/Tokyo", groups=["responder"])
    outsider = UserFactory(username="oscar", groups=["responder"])
    payments = Team.objects.create(slug="payments", name="Payments")
    payments.members.add(rita, omar, kenji)
    api = Service.objects.create(slug="api", name="API", team=payments, slo_target="0.999")
    db_ = Service.objects.create(slug="db", name="Database", team=payments, slo_target="0.99")
    search = Service.objects.create(slug="search", name="Search", team=payments)

    def incident(number, services, **fields):
        fields.setdefault("severity", "SEV2")
        obj = Incident.objects.create(number=number, title=f"Incident {number}", **fields)
        obj.services.set(services)
        return obj

    i1 = incident(
        1, [api], severity="SEV1",
        started_at=at(7, 10, 10), detected_at=at(7, 10, 10, 5), declared_at=at(7, 10, 10, 10),
        acknowledged_at=at(7, 10, 10, 20), mitigated_at=at(7, 10, 11), resolved_at=at(7, 10, 12),
    )  # fmt: skip
    i2 = incident(
        2, [api, db_],
        started_at=at(7, 10, 10, 30), detected_at=at(7, 10, 10, 30), declared_at=at(7, 10, 10, 40),
        acknowledged_at=at(7, 10, 10, 45), mitigated_at=at(7, 10, 11, 30),
        resolved_at=at(7, 10, 11, 45),
    )  # fmt: skip
    i3 = incident(  # no mitigated_at: missing data for MTTR; impact ends at resolved_at
        3, [db_], severity="SEV3",
        started_at=at(8, 1), detected_at=at(8, 1, 0, 10), declared_at=at(8, 1, 0, 15),
        resolved_at=at(8, 1, 2),
    )  # fmt: skip
    i4 = incident(  # cut by the end of the period; private (only rita is a member)
        4, [api], private=True, update_interval_minutes=10,
        started_at=at(9, 30, 23), detected_at=at(9, 30, 23), declared_at=at(9, 30, 23, 5),
        acknowledged_at=at(9, 30, 23, 10), mitigated_at=at(10, 1, 1),
    )  # fmt: skip
    i4.members.add(rita)
    incident(  # a drill never counts
        5, [api], kind="drill",
        started_at=at(7, 15), detected_at=at(7, 15), declared_at=at(7, 15),
        mitigated_at=at(7, 15, 5),
    )  # fmt: skip
    incident(  # started before the period: not counted, even though its impact runs into it
        6, [api],
        started_at=at(6, 30, 23), detected_at=at(6, 30, 23), declared_at=at(6, 30, 23),
        mitigated_at=at(7, 1, 1),
    )  # fmt: skip

    for inc, posted in [
        (i1, at(7, 10, 10, 20)),
        (i1, at(7, 10, 10, 40)),
        (i1, at(7, 10, 11, 10)),  # after mitigation: not part of the active phase
        (i2, at(7, 10, 11)),
        (i4, at(9, 30, 23, 10)),
    ]:
        StakeholderUpdate.objects.create(incident=inc, body="Update", posted_at=posted)
    Reminder.objects.create(
        incident=i1, kind="update_due", due_at=at(7, 10, 10, 35), status="sent",
        sent_at=at(7, 10, 10, 35),
    )  # fmt: skip
    Reminder.objects.create(incident=i2, kind="update_due", due_at=at(7, 10, 11, 30))

    integration = Integration.objects.create(kind="alertmanager", name="prom", token_hash="x" * 64)

    def alert(fingerprint, name, service, fired, **fields):
        fields.setdefault("urgency", "critical")
        return Alert.objects.create(
            integration=integration, fingerprint=fingerprint, name=name, service_slug=service,
            fired_at=fired, first_received_at=fired, last_received_at=fired, **fields,
        )  # fmt: skip

    alert("f1", "HighLatency", "api", at(7, 10, 9, 58), acknowledged_at=at(7, 10, 10, 3),
          actionable=True)  # fmt: skip
    alert("f1", "HighLatency", "api", at(7, 10, 12), resolved_at=at(7, 10, 12, 5),
          actionable=False)  # fmt: skip
    alert("f1", "HighLatency", "api", at(7, 11, 8), acknowledged_at=at(7, 11, 8, 10))
    alert("f2", "DiskFull", "db", at(8, 1, 0, 5), urgency="today", actionable=True)
    alert("f2", "DiskFull", "db", at(8, 1, 0, 6), acknowledged_at=at(8, 1, 0, 20),
          resolved_at=at(8, 1, 0, 10))  # fmt: skip
    alert("f3", "HighLatency", "api", at(6, 30, 12))  # before the period
    # Q4, for flapping: f4's three firings span 25 h (not flapping), f5's fit in 24 h (flapping)
    for fired in (at(10, 10), at(10, 10, 20), at(10, 11, 1)):
        alert("f4", "DiskSlow", "db", fired, urgency="today")
    for fired in (at(10, 12), at(10, 12, 10), at(10, 12, 23, 59, 59)):
        alert("f5", "QueueBacklog", "db", fired, urgency="today")

    def page(person, key, sent, transports=("sms",), urgency="high", status="sent"):
        notification = Notification.objects.create(
            recipient=person, subject="Page", key=key, urgency=urgency
        )
        for offset, transport in enumerate(transports):
            NotificationDelivery.objects.create(
                notification=notification, transport=transport, status=status,
                sent_at=sent + timedelta(seconds=30 * offset),
            )  # fmt: skip

    # rita, Berlin (UTC+2): Fri 12:00 business (SMS + push 30 s later + e-mail: one interruption)
    page(rita, "r1", at(7, 10, 10), transports=("sms", "push", "email"))
    page(rita, "r2", at(7, 10, 21), transports=(SlackDmTransport.name,))  # Fri 23:00 → sleep
    # omar, New York (UTC−4): Sat 10:00 → off-hours; Mon 19:30 → off-hours
    page(omar, "o1", at(7, 11, 14), transports=("phone",))
    page(omar, "o2", at(7, 13, 23, 30))
    # kenji, Tokyo (UTC+9): Mon 10:00 → business; Mon 23:00 → sleep, with two follow-ups each
    # within 60 s of the previous one (one interruption)
    page(kenji, "k1", at(7, 13, 1), transports=("push",))
    page(kenji, "k2", at(7, 13, 14), transports=("push",))
    page(kenji, "k3", at(7, 13, 14, 0, 50), transports=("push",))
    page(kenji, "k4", at(7, 13, 14, 1, 40), transports=("push",))
    page(kenji, "k5", at(7, 20, 3), urgency="low")  # low urgency: not a page
    page(kenji, "k6", at(7, 21, 3), status="failed")  # never delivered
    page(kenji, "k7", at(7, 22, 3), transports=("email",))  # e-mail does not interrupt
    # across the new year: the second page merges with the first, 30 s earlier in Q4
    page(kenji, "k8", at(12, 31, 23, 59, 40), transports=("push",))
    page(kenji, "k9", at(1, 1, 0, 0, 10, year=2027), transports=("push",))

    pm1 = Postmortem.objects.create(
        incident=i1, title="PM 1", required=True, status="published", published_at=at(7, 12, 12)
    )
    Postmortem.objects.create(incident=i2, title="PM 2", required=True)
    pm3 = Postmortem.objects.create(
        incident=i3, title="PM 3", status="published", published_at=at(8, 2, 2)
    )

    def item(inc, pm, title, due, status="open", completed=None, created=None, **fields):
        obj = ActionItem.objects.create(
            incident=inc, postmortem=pm, title=title, due_date=due, status=status,
            completed_at=completed, **fields,
        )  # fmt: skip
        ActionItem.objects.filter(pk=obj.pk).update(created_at=created or at(7, 12))

    item(i1, pm1, "Add retry budget", date(2026, 8, 1), "done", at(7, 30))
    item(i1, pm1, "Alert on queue depth", date(2026, 8, 15), "done", at(8, 20))
    item(i3, pm3, "add retry budget ", date(2026, 9, 10), created=at(9, 5))
    item(i2, None, "Shard the table", date(2026, 11, 1), "in_progress", created=at(10, 5))
    item(i4, None, "Rewrite it", date(2026, 10, 5), "wont_do", wont_do_reason="Not worth it")

    return {
        "people": {"rita": rita, "omar": omar, "kenji": kenji, "outsider": outsider},
        "team": payments,
        "services": {"api": api, "db": db_, "search": search},
    }


@pytest.fixture
def everything():
    return Scope()


@pytest.fixture
def private_repeat(dataset):
    """The action "Rotate the leaked signing key" asked for by two private incidents' postmortems."""
    rita = dataset["people"]["rita"]
    Incident.objects.filter(number=2).update(private=True)
    Incident.objects.get(number=2).members.add(rita)
    for number in (2, 4):
        incident = Incident.objects.get(number=number)
        postmortem, _ = Postmortem.objects.get_or_create(
            incident=incident, defaults={"title": f"PM {number}"}
        )
        ActionItem.objects.create(
            incident=incident,
            postmortem=postmortem,
            title="Rotate the leaked signing key",
            due_date=date(2026, 11, 1),
        )
