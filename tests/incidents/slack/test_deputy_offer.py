"""An overdue update lets the deputy offer to take comms; the IC's acceptance hands it over."""

from __future__ import annotations

from datetime import timedelta

import pytest

from incidents import services
from incidents.models import Role, RoleAssignment
from incidents.slack.models import IncidentSlackChannel
from incidents.slack.offers import ACTION_ACCEPT, ACTION_OFFER
from tests.factories import declare

pytestmark = pytest.mark.django_db


@pytest.fixture
def live_incident(
    slack, eager_celery, responder, other_responder, django_capture_on_commit_callbacks
):
    responder.slack_user_id, other_responder.slack_user_id = "U0RITA", "U0OMAR"
    responder.save()
    other_responder.save()
    with django_capture_on_commit_callbacks(execute=True):
        incident = declare(responder, title="Checkout down")
        services.role_assign(
            incident=incident, user=responder, role=Role.DEPUTY, assignee=other_responder
        )
    return incident


def _click(sender, action_id, value, user, channel, trigger):
    return sender.interaction(
        {
            "type": "block_actions",
            "user": {"id": user},
            "trigger_id": trigger,
            "channel": {"id": channel},
            "actions": [{"action_id": action_id, "value": value}],
        }
    )


def _buttons(slack, action_id):
    return [
        e["value"]
        for c in slack.calls_to("chat.postMessage")
        for b in c.get("blocks") or []
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == action_id
    ]


def test_offer_then_acceptance_hands_comms_to_the_deputy(
    slack,
    sender,
    live_incident,
    responder,
    other_responder,
    time_machine,
    django_capture_on_commit_callbacks,
):
    channel = IncidentSlackChannel.objects.get(incident=live_incident).channel_id
    time_machine.move_to(live_incident.next_update_due_at + timedelta(minutes=1), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        for reminder_id in services.reminders_claim_due():
            services.reminder_fire(reminder_id=reminder_id)

    [offer_value] = _buttons(slack, ACTION_OFFER)
    # Only the deputy can make the offer.
    _click(sender, ACTION_OFFER, offer_value, "U0RITA", channel, "t1")
    assert _buttons(slack, ACTION_ACCEPT) == []
    _click(sender, ACTION_OFFER, offer_value, "U0OMAR", channel, "t2")
    [accept_value] = _buttons(slack, ACTION_ACCEPT)
    asked = slack.calls_to("chat.postMessage")[-1]["text"]
    assert asked.startswith("<@U0RITA>, <@U0OMAR> asks: you seem busy — shall I take comms?")

    # The deputy cannot accept their own offer; the incident commander can.
    _click(sender, ACTION_ACCEPT, accept_value, "U0OMAR", channel, "t3")
    assert not RoleAssignment.objects.filter(role=Role.COMMUNICATIONS_LEAD).exists()
    with django_capture_on_commit_callbacks(execute=True):
        _click(sender, ACTION_ACCEPT, accept_value, "U0RITA", channel, "t4")

    comms = RoleAssignment.objects.get(
        incident=live_incident, role=Role.COMMUNICATIONS_LEAD, ended_at__isnull=True
    )
    assert comms.user == other_responder
    replies = [c["text"] for c in slack.calls_to("chat.postEphemeral")]
    assert replies == [
        "Only the deputy can offer to take communications.",
        "Offer sent to the incident commander.",
        "Only the incident commander can hand over communications.",
        "Communications handed to the deputy.",
    ]
    assert "Communications lead" in str(slack.calls_to("chat.update")[-1]["blocks"])


def test_no_offer_without_a_deputy_or_with_a_comms_lead(
    slack,
    live_incident,
    responder,
    other_responder,
    time_machine,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        services.role_assign(
            incident=live_incident,
            user=responder,
            role=Role.COMMUNICATIONS_LEAD,
            assignee=responder,
        )
    time_machine.move_to(live_incident.next_update_due_at + timedelta(minutes=1), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        for reminder_id in services.reminders_claim_due():
            services.reminder_fire(reminder_id=reminder_id)

    assert any("update on" in c["text"] for c in slack.calls_to("chat.postMessage"))
    assert _buttons(slack, ACTION_OFFER) == []
