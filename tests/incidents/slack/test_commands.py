"""/incident sub-commands: acknowledged at once, the work done by a task, answers ephemeral."""

from __future__ import annotations

import pytest

from incidents.models import Incident, Role, RoleAssignment, TimelineEvent
from incidents.slack.models import IncidentSlackChannel

pytestmark = pytest.mark.django_db


@pytest.fixture
def rita(responder):
    responder.slack_user_id = "U0RITA"
    responder.save()
    return responder


@pytest.fixture
def channel(incident):
    return IncidentSlackChannel.objects.create(incident=incident, channel_id="C0INC", name="inc")


def _replies(slack) -> list[str]:
    return [c["text"] for c in slack.calls_to("chat.postEphemeral")]


def test_unknown_input_gets_the_help_inline(slack, sender, rita):
    response = sender.command("frobnicate now", user="U0RITA")

    assert response.status_code == 200
    body = response.json()
    assert body["response_type"] == "ephemeral"
    assert "I don't know `frobnicate`" in body["text"]
    assert "role <role> @person" in body["text"] and "status <" in body["text"]
    assert slack.calls == []


def test_empty_text_and_help_show_the_help(slack, sender, rita):
    for text in ("", "help"):
        body = sender.command(text, user="U0RITA").json()
        assert body["text"].startswith("Usage: `/incident <command>`")


def test_an_unknown_slack_user_is_told_to_set_their_slack_id(slack, sender, eager_celery):
    # A queued command is acknowledged without reading the database (the worker looks the
    # person up), so the answer comes as an ephemeral message from the bot.
    response = sender.command("roles", user="U0NOBODY")

    assert response.status_code == 200 and response.content == b""
    [reply] = _replies(slack)
    assert "Set your Slack member id on your Firebreak profile" in reply


def test_an_unknown_slack_user_opening_a_form_is_answered_inline(slack, sender):
    body = sender.command("declare", user="U0NOBODY").json()

    assert "Set your Slack member id on your Firebreak profile" in body["text"]
    assert slack.calls == []


def test_a_command_outside_an_incident_channel_says_where_to_run_it(
    slack, sender, eager_celery, rita
):
    response = sender.command("status monitoring", user="U0RITA", channel="C0GENERAL")

    assert response.status_code == 200 and response.content == b""
    assert _replies(slack) == ["Run this in an incident's channel (it applies to that incident)."]


def test_a_service_error_comes_back_as_its_message(
    slack, sender, eager_celery, viewer, channel, incident
):
    viewer.slack_user_id = "U0VICTOR"
    viewer.save()

    sender.command("status monitoring", user="U0VICTOR", channel="C0INC")

    incident.refresh_from_db()
    assert incident.status == "investigating"
    assert _replies(slack) == [
        "Only responders can change incidents; your account can only read them."
    ]


def test_bad_arguments_are_explained(slack, sender, eager_celery, rita, channel):
    sender.command("status sleeping", user="U0RITA", channel="C0INC")
    sender.command("role wizard <@U0RITA>", user="U0RITA", channel="C0INC")
    sender.command("severity SEV9", user="U0RITA", channel="C0INC")

    replies = _replies(slack)
    assert replies[0].startswith("Usage: /incident status <investigating|")
    assert replies[1].startswith("There is no role 'wizard'.")
    assert replies[2].startswith("Usage: /incident severity <SEV1|")


def test_status_severity_note_summary_mitigated_from_the_channel(
    slack, sender, eager_celery, rita, channel, incident, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sender.command("status identified", user="U0RITA", channel="C0INC")
        sender.command("severity sev1", user="U0RITA", channel="C0INC")
        sender.command("note Rolled back deploy 42", user="U0RITA", channel="C0INC")
        sender.command("summary Bad deploy broke checkout", user="U0RITA", channel="C0INC")
        sender.command("mitigated", user="U0RITA", channel="C0INC")

    incident.refresh_from_db()
    assert (incident.status, incident.severity, incident.summary) == (
        "identified",
        "SEV1",
        "Bad deploy broke checkout",
    )
    assert incident.mitigated_at is not None
    assert TimelineEvent.objects.filter(incident=incident, body="Rolled back deploy 42").exists()
    assert len(_replies(slack)) == 5


def test_roles_lists_the_holders(slack, sender, eager_celery, rita, channel):
    sender.command("roles", user="U0RITA", channel="C0INC")

    [reply] = _replies(slack)
    assert "Incident commander: Rita" in reply


def test_role_by_username_and_unknown_mentions(
    slack, sender, eager_celery, rita, other_responder, channel, incident
):
    sender.command("role scribe @omar", user="U0RITA", channel="C0INC")
    sender.command("role deputy <@U0GHOST|ghost>", user="U0RITA", channel="C0INC")

    assert RoleAssignment.objects.get(incident=incident, role=Role.SCRIBE).user == other_responder
    assert "<@U0GHOST> has no Firebreak account" in _replies(slack)[1]


def test_a_private_incident_channel_is_not_an_incident_for_outsiders(
    slack, sender, eager_celery, outsider, private_incident
):
    outsider.slack_user_id = "U0OSCAR"
    outsider.save()
    IncidentSlackChannel.objects.create(incident=private_incident, channel_id="C0PRIV", name="p")

    sender.command("note I was here", user="U0OSCAR", channel="C0PRIV")

    assert not TimelineEvent.objects.filter(body="I was here").exists()
    assert _replies(slack) == ["Run this in an incident's channel (it applies to that incident)."]


def test_a_repeated_command_delivery_runs_once(
    client, slack, eager_celery, rita, channel, incident
):
    from urllib.parse import urlencode

    from tests.incidents.slack.conftest import signed_headers

    body = urlencode(
        {"text": "note once", "user_id": "U0RITA", "channel_id": "C0INC", "trigger_id": "t-1"}
    ).encode()
    for _ in range(2):
        response = client.post(
            "/slack/commands",
            data=body,
            content_type="application/x-www-form-urlencoded",
            **signed_headers(body),
        )
        assert response.status_code == 200

    assert TimelineEvent.objects.filter(incident=incident, body="once").count() == 1


def test_the_slash_command_is_acknowledged_before_the_work_is_done(
    slack, sender, rita, channel, incident
):
    """Without a worker the command is queued, not run: the answer does not wait for Slack."""
    response = sender.command("note queued", user="U0RITA", channel="C0INC")

    assert response.status_code == 200
    assert not TimelineEvent.objects.filter(body="queued").exists()
    assert slack.calls == []


def test_declare_opens_the_modal_inline_and_reports_slack_failures(slack, sender, rita):
    slack.fail("views.open", "expired_trigger_id")

    body = sender.command("declare", user="U0RITA").json()

    assert "Slack did not open the form" in body["text"]
    assert Incident.objects.count() == 0


def test_when_the_broker_is_down_the_person_is_told_and_nothing_is_remembered(
    slack, sender, rita, channel, monkeypatch
):
    from incidents.slack import tasks
    from incidents.slack.models import SlackDelivery

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(tasks.slack_command_run, "apply_async", broker_down)

    response = sender.command("note lost?", user="U0RITA", channel="C0INC")

    assert response.status_code == 200
    assert "Please try again" in response.json()["text"]
    assert SlackDelivery.objects.count() == 0  # trying again will be accepted
