"""Stakeholder updates by e-mail: what the mailing list receives, and when it receives nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core import mail

from config.celery import app as celery_app
from incidents import services
from incidents.models import Role
from tests.factories import declare

T0 = datetime(2026, 3, 6, 23, 40, tzinfo=UTC)


@pytest.fixture
def stakeholders(settings, time_machine):
    settings.FIREBREAK_STAKEHOLDER_EMAILS = ["status@example.com"]
    settings.FIREBREAK_BASE_URL = "https://firebreak.example"
    time_machine.move_to(T0, tick=False)
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = saved


def test_the_stakeholder_mail_names_the_next_update_in_the_incidents_zone_and_utc(
    stakeholders, responder, django_capture_on_commit_callbacks
):
    responder.timezone = "America/Los_Angeles"
    responder.save()
    incident = declare(responder, title="Checkout errors", severity="SEV2")
    with django_capture_on_commit_callbacks(execute=True):
        services.status_update_post(
            incident=incident, user=responder, body="Some checkouts fail; we are rolling back."
        )

    [message] = mail.outbox
    assert message.to == ["status@example.com"]
    assert message.subject == f"[{incident.reference}] Update: Checkout errors"
    assert message.body == (
        "Some checkouts fail; we are rolling back.\n\n"
        "Next update by 16:10 PST (Fri 6 Mar) = 00:10 UTC (Sat 7 Mar).\n\n"
        f"{incident.reference}: https://firebreak.example/incidents/{incident.number}/\n"
    )


def test_the_all_clear_says_whether_a_root_cause_message_follows(
    stakeholders, responder, django_capture_on_commit_callbacks
):
    incident = declare(responder, title="Checkout errors", severity="SEV2")
    with django_capture_on_commit_callbacks(execute=True):
        services.status_update_post(
            incident=incident,
            user=responder,
            body="Checkout works again.",
            kind="resolution",
            follow_up_expected=True,
        )

    [message] = mail.outbox
    assert message.subject.startswith(f"[{incident.reference}] Resolved:")
    assert "This incident is over. A message on the root cause will follow." in message.body


def test_nothing_is_mailed_for_an_update_that_stays_in_the_incident_or_a_private_incident(
    stakeholders, responder, other_responder, django_capture_on_commit_callbacks
):
    incident = declare(responder, title="Checkout errors", severity="SEV2")
    services.role_assign(
        incident=incident, user=responder, role=Role.DEPUTY, assignee=other_responder
    )
    secret = declare(responder, title="Leak", severity="SEV1", private=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.status_update_post(incident=incident, user=other_responder, body="Rolling back")
        services.status_update_post(incident=secret, user=responder, body="Keys rotated")

    assert mail.outbox == []
