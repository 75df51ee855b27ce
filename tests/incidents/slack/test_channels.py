"""The incident's channel: a valid, collision-safe name, the right people, a header kept current."""

from __future__ import annotations

import json
import re

import pytest

from incidents import services
from incidents.slack.channels import channel_name
from incidents.slack.models import IncidentSlackChannel, SlackApiFailure
from tests.factories import declare
from tests.incidents.slack.conftest import STAKEHOLDERS

pytestmark = pytest.mark.django_db
VALID = re.compile(r"^[a-z0-9_-]{1,80}$")


@pytest.mark.parametrize(
    "title",
    [
        "Checkout returns 500s",
        "Ünïcödé — Zürich DC: 💥 power loss!!",
        "x" * 200,
        "!!!",
        "Database / replica lag > 30s (EU-West_1)",
    ],
)
def test_channel_names_are_valid_slack_names(responder, title):
    incident = declare(responder, title=title)
    for attempt in range(3):
        name = channel_name(incident, attempt)
        assert VALID.match(name), name
        assert name.startswith(f"inc-{incident.number}")
    assert channel_name(incident, 1).endswith("-2")


def _declare(django_capture_on_commit_callbacks, user, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return declare(user, **kwargs)


def test_a_taken_name_gets_a_suffix(
    slack, eager_celery, responder, django_capture_on_commit_callbacks
):
    slack.fail("conversations.create", "name_taken", times=2)

    incident = _declare(django_capture_on_commit_callbacks, responder, title="Checkout down")

    names = [c["name"] for c in slack.calls_to("conversations.create")]
    base = f"inc-{incident.number}-checkout-down"
    assert names == [base, f"{base}-2", f"{base}-3"]
    assert IncidentSlackChannel.objects.get(incident=incident).name == f"{base}-3"


def test_a_private_incident_gets_a_private_channel_and_no_announcement(
    slack, eager_celery, responder, django_capture_on_commit_callbacks
):
    responder.slack_user_id = "U0RITA"
    responder.save()

    _declare(django_capture_on_commit_callbacks, responder, title="Leaked key", private=True)

    [created] = slack.calls_to("conversations.create")
    assert created["is_private"] in (True, "true", "1", "True")
    assert not [c for c in slack.calls_to("chat.postMessage") if c["channel"] == STAKEHOLDERS]


def test_no_slack_calls_while_the_bot_is_not_configured(
    settings, fake_slack, eager_celery, responder, django_capture_on_commit_callbacks
):
    settings.SLACK_API_URL = fake_slack.url
    settings.SLACK_BOT_TOKEN = ""
    settings.SLACK_SIGNING_SECRET = ""

    _declare(django_capture_on_commit_callbacks, responder)

    assert fake_slack.calls == []
    assert IncidentSlackChannel.objects.count() == 0


def test_a_permanent_error_while_setting_up_is_recorded_and_not_retried(
    slack, eager_celery, responder, django_capture_on_commit_callbacks
):
    slack.fail("conversations.create", "invalid_auth", times=10)

    incident = _declare(django_capture_on_commit_callbacks, responder)

    assert len(slack.calls_to("conversations.create")) == 1
    assert SlackApiFailure.objects.get(incident=incident).error == "invalid_auth"


def test_the_header_follows_severity_and_status_changes(
    slack, eager_celery, responder, django_capture_on_commit_callbacks
):
    incident = _declare(django_capture_on_commit_callbacks, responder, severity="SEV3")
    link = IncidentSlackChannel.objects.get(incident=incident)

    with django_capture_on_commit_callbacks(execute=True):
        services.incident_update(incident=incident, user=responder, changes={"severity": "SEV1"})
    with django_capture_on_commit_callbacks(execute=True):
        services.incident_change_status(incident=incident, user=responder, status="monitoring")

    updates = slack.calls_to("chat.update")
    assert {(u["channel"], u["ts"]) for u in updates} == {(link.channel_id, link.header_ts)}
    assert "SEV1" in json.dumps(updates[0]["blocks"])
    assert "Monitoring" in json.dumps(updates[-1]["blocks"])


def test_an_update_by_someone_without_a_lead_role_stays_in_the_incident_channel(
    slack, eager_celery, responder, other_responder, django_capture_on_commit_callbacks
):
    incident = _declare(django_capture_on_commit_callbacks, responder)
    link = IncidentSlackChannel.objects.get(incident=incident)

    with django_capture_on_commit_callbacks(execute=True):
        services.status_update_post(incident=incident, user=other_responder, body="Omar's guess")

    posted = [
        c["channel"] for c in slack.calls_to("chat.postMessage") if "Omar's guess" in c["text"]
    ]
    assert posted == [link.channel_id]
