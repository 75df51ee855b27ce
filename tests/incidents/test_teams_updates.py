"""Stakeholder updates to a Microsoft Teams channel's workflow webhook (a local fake over real
HTTP): an Adaptive Card per update that reaches stakeholders, none for a private incident."""

from __future__ import annotations

import pytest

from config.celery import app as celery_app
from incidents.services import status_update_post
from tests.factories import declare
from tests.oncall.channels.fakes import FakeTeams

pytestmark = pytest.mark.django_db


@pytest.fixture
def teams_channel(settings):
    fake = FakeTeams().start()
    settings.FIREBREAK_TEAMS_STAKEHOLDER_WEBHOOK_URL = fake.url + "/workflows/stakeholders"
    settings.FIREBREAK_BASE_URL = "https://firebreak.example"
    previous = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = celery_app.conf.task_eager_propagates = True
    yield fake
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = previous
    fake.stop()


def test_an_update_by_the_commander_is_a_card_in_the_teams_channel(
    teams_channel, responder, django_capture_on_commit_callbacks
):
    incident = declare(responder, title="Checkout returns 500s")
    with django_capture_on_commit_callbacks(execute=True):
        status_update_post(incident=incident, user=responder, body="Rolled back; errors falling.")

    [request] = teams_channel.requests
    card = request.json["attachments"][0]["content"]
    assert card["type"] == "AdaptiveCard"
    assert card["body"][0]["text"] == f"{incident.reference} update: Checkout returns 500s"
    assert card["body"][1]["text"] == "Rolled back; errors falling."
    assert {"title": "Severity", "value": "SEV2"} in card["body"][2]["facts"]
    assert card["actions"] == [
        {
            "type": "Action.OpenUrl",
            "title": "Open incident",
            "url": f"https://firebreak.example/incidents/{incident.number}/",
        }
    ]


def test_a_private_incidents_update_stays_out_of_teams(
    teams_channel, responder, django_capture_on_commit_callbacks
):
    incident = declare(responder, title="Security: leaked key", private=True)
    with django_capture_on_commit_callbacks(execute=True):
        status_update_post(incident=incident, user=responder, body="Key rotated.")

    assert teams_channel.requests == []


def test_an_update_by_someone_without_a_lead_role_stays_out_of_teams(
    teams_channel, responder, other_responder, django_capture_on_commit_callbacks
):
    incident = declare(responder)  # responder is the commander
    with django_capture_on_commit_callbacks(execute=True):
        status_update_post(incident=incident, user=other_responder, body="I think it is DNS.")

    assert teams_channel.requests == []
