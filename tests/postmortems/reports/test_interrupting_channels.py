"""METRICS.md, interruption: a page delivered by SMS, phone or push — whichever provider carried
it (Twilio, a provider webhook, ntfy) — interrupts; e-mail and Teams do not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from oncall.models import Notification, NotificationDelivery
from postmortems.reports import metrics
from postmortems.reports.metrics import Period, Scope
from tests.oncall.schedules.support import person

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # a Monday, 10:00 UTC (business hours)


@pytest.mark.parametrize(
    ("transport", "interrupts"),
    [
        ("sms", True),
        ("phone", True),
        ("sms_webhook", True),
        ("phone_webhook", True),
        ("push", True),
        ("teams", False),
        ("email", False),
    ],
)
def test_a_page_by_each_channel(transport, interrupts):
    ana = person("ana")
    notification = Notification.objects.create(recipient=ana, subject="PAGE", key="page:1:0:0")
    NotificationDelivery.objects.create(
        notification=notification, transport=transport, status="sent", sent_at=START
    )
    period = Period(START - timedelta(days=1), START + timedelta(days=1))

    assert metrics.interruptions(period, Scope())["interruptions"] == int(interrupts)
