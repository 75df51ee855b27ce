"""Failover with real Celery beat and worker processes and real HTTP to local fake providers:
Twilio refuses the primary's number, ntfy is down, so the secondary — whose step is 10 minutes
later — is paged within seconds, and every channel was tried exactly once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from oncall.channels.services import contact_method_add
from oncall.models import NotificationDelivery, Page
from tests.oncall.channels.conftest import ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER
from tests.oncall.escalation.support import (
    generic_integration,
    on_call,
    payments_team,
    three_step_policy,
)
from tests.oncall.escalation.test_paging_worker import deliver_critical

pytest_plugins = ["tests.support.celery_procs"]
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_every_channel_failing_pages_the_next_step_at_once(
    admin_user, celery_procs, fake_twilio, fake_ntfy
):
    schedule, dev = payments_team(admin_user, (timezone.now() - timedelta(days=2)).date())
    three_step_policy(admin_user, schedule, dev, delays=(0, 10, 10))
    primary, secondary = on_call(schedule, timezone.now())
    contact_method_add(user=primary, kind="sms", address="+4915112345678")
    contact_method_add(user=primary, kind="push", address="primary-pager")
    contact_method_add(user=secondary, kind="push", address="secondary-pager")
    fake_twilio.fail_invalid_number()
    fake_ntfy.answer_next(500, {"code": 50001, "http": 500, "error": "internal error"})
    integration = generic_integration(admin_user)
    providers = {
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_FROM_NUMBER": FROM_NUMBER,
        "TWILIO_API_URL": fake_twilio.url,
        "NTFY_URL": fake_ntfy.url,
        "FIREBREAK_CHANNEL_TIMEOUT_SECONDS": "5",
    }
    celery_procs.worker(concurrency=2, **providers)
    celery_procs.beat("beat-1", **providers)
    celery_procs.wait_until_sweeping()

    deliver_critical(integration, arrived_ago=timedelta(seconds=1))
    celery_procs.wait_for(
        lambda: [r for r in fake_ntfy.requests if r.json["topic"] == "secondary-pager"],
        "the secondary's push, long before their step's 10 minutes",
    )
    celery_procs.settle()

    first = Page.objects.get(person=primary)
    assert first.channels_failed_at is not None and "21211" in first.outcome
    second = Page.objects.get(person=secondary)
    assert second.status == Page.Status.SENT
    assert second.sent_at - first.sent_at < timedelta(minutes=1)
    assert len(fake_twilio.requests) == 1
    assert [r.json["topic"] for r in fake_ntfy.requests] == ["primary-pager", "secondary-pager"]
    failed = NotificationDelivery.objects.filter(notification__recipient=primary, status="failed")
    assert sorted(failed.values_list("transport", flat=True)) == ["push", "sms"]
