"""/incident page and oncall (on-call commands), and modal submissions with their errors."""

from __future__ import annotations

from datetime import date, time

import pytest

from incidents.models import Incident, StakeholderUpdate
from incidents.slack.blocks import DECLARE_CALLBACK, UPDATE_CALLBACK
from incidents.slack.models import IncidentSlackChannel
from oncall.models import Notification
from oncall.schedules.services import schedule_create
from oncall.schedules.shifts import ParticipantInput
from tests.incidents.slack.conftest import submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def rita(responder):
    responder.slack_user_id = "U0RITA"
    responder.save()
    return responder


@pytest.fixture
def channel(incident):
    return IncidentSlackChannel.objects.create(incident=incident, channel_id="C0INC", name="inc")


@pytest.fixture
def payments(admin_user, other_responder, viewer):
    return schedule_create(
        user=admin_user,
        name="Payments",
        slug="payments",
        timezone_name="UTC",
        rotation="weekly",
        handoff_time=time(9),
        start_date=date(2020, 1, 6),
        participants=[ParticipantInput(other_responder), ParticipantInput(viewer)],
    )


def _replies(slack) -> list[str]:
    return [c["text"] for c in slack.calls_to("chat.postEphemeral")]


def test_page_a_schedule_notifies_its_primary(
    slack, sender, eager_celery, rita, channel, incident, payments
):
    from django.utils import timezone

    from oncall.schedules.selectors import oncall_at

    primary = oncall_at(schedule=payments, at=timezone.now()).primary

    sender.command("page payments", user="U0RITA", channel="C0INC")

    notification = Notification.objects.get(recipient=primary)
    assert notification.subject.startswith(f"{incident.reference}: you are paged")
    assert _replies(slack) == [f"Paged {primary.get_full_name() or primary.get_username()}."]


def test_page_a_person_by_mention(
    slack, sender, eager_celery, rita, other_responder, channel, incident
):
    other_responder.slack_user_id = "U0OMAR"
    other_responder.save()

    sender.command("page <@U0OMAR|omar>", user="U0RITA", channel="C0INC")

    assert Notification.objects.filter(recipient=other_responder).count() == 1


def test_page_an_unknown_schedule_says_so(slack, sender, eager_celery, rita, channel):
    sender.command("page nowhere", user="U0RITA", channel="C0INC")

    assert _replies(slack) == ["There is no on-call schedule 'nowhere'."]


def test_oncall_lists_who_is_on_call(slack, sender, eager_celery, rita, payments):
    sender.command("oncall", user="U0RITA")
    sender.command("oncall payments", user="U0RITA")

    first, second = _replies(slack)
    assert first.startswith("On call now:\n• Payments: primary ")
    assert first == second


def _text(value):
    return {"type": "plain_text_input", "value": value}


def test_a_declare_submission_with_errors_shows_them_next_to_the_field(slack, sender, rita):
    payload = submission(
        DECLARE_CALLBACK,
        {
            "title": _text(""),
            "severity": {"type": "static_select", "selected_option": {"value": "SEV2"}},
        },
        user="U0RITA",
    )

    response = sender.interaction(payload)

    assert response.status_code == 200
    body = response.json()
    assert body["response_action"] == "errors" and "title" in body["errors"]
    assert Incident.objects.count() == 0
    # The modal stays open, so a corrected submission of the same view is accepted.
    payload["view"]["state"]["values"]["title"]["title"]["value"] = "Checkout down"
    assert sender.interaction(payload).content == b""
    assert Incident.objects.get().title == "Checkout down"


def test_a_submission_by_an_unknown_slack_user_is_refused_in_the_form(slack, sender):
    payload = submission(DECLARE_CALLBACK, {"title": _text("x")}, user="U0STRANGER")

    body = sender.interaction(payload).json()

    assert "Set your Slack member id" in body["errors"]["title"]
    assert Incident.objects.count() == 0


def test_an_update_for_an_incident_the_user_cannot_see_is_refused(
    slack, sender, outsider, private_incident
):
    outsider.slack_user_id = "U0OSCAR"
    outsider.save()
    payload = submission(
        UPDATE_CALLBACK,
        {"body": _text("Sneaky")},
        user="U0OSCAR",
        metadata={"incident_id": private_incident.pk},
    )

    body = sender.interaction(payload).json()

    assert body["errors"] == {"body": "That incident does not exist or you cannot see it."}
    assert not StakeholderUpdate.objects.exists()
