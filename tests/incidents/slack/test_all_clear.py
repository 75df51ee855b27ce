"""After resolving, the bot walks the two-message all-clear and points at the postmortem."""

from __future__ import annotations

import json

import pytest

from incidents import services
from incidents.models import StakeholderUpdate
from incidents.slack.blocks import ACTION_ALL_CLEAR, ACTION_FOLLOW_UP, UPDATE_CALLBACK
from incidents.slack.models import IncidentSlackChannel
from tests.factories import declare
from tests.incidents.slack.conftest import STAKEHOLDERS, submission

pytestmark = pytest.mark.django_db


def _button_values(slack, action_id):
    return [
        e["value"]
        for c in slack.calls_to("chat.postMessage")
        for b in c.get("blocks") or []
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == action_id
    ]


def _click(sender, action_id, value, trigger):
    payload = {
        "type": "block_actions",
        "user": {"id": "U0RITA"},
        "trigger_id": trigger,
        "actions": [{"action_id": action_id, "value": value}],
    }
    assert sender.interaction(payload).status_code == 200


def _submit(sender, slack, body, extra, view_id):
    modal = slack.calls_to("views.open")[-1]["view"]
    values = {
        "audience": {"type": "static_select", "selected_option": {"value": "internal"}},
        "body": {"type": "plain_text_input", "value": body},
        **extra,
    }
    response = sender.interaction(
        submission(
            UPDATE_CALLBACK,
            values,
            user="U0RITA",
            metadata=json.loads(modal["private_metadata"]),
            view_id=view_id,
        )
    )
    assert response.content == b"", response.content
    return modal


def test_resolve_walks_the_two_message_all_clear(
    slack, sender, eager_celery, responder, django_capture_on_commit_callbacks
):
    responder.slack_user_id = "U0RITA"
    responder.save()
    with django_capture_on_commit_callbacks(execute=True):
        incident = declare(responder, title="Checkout down")
    with django_capture_on_commit_callbacks(execute=True):
        services.incident_change_status(incident=incident, user=responder, status="resolved")
    channel = IncidentSlackChannel.objects.get(incident=incident).channel_id

    prompt = next(c for c in slack.calls_to("chat.postMessage") if "Step 1 of 2" in c["text"])
    assert prompt["channel"] == channel
    assert "`/incident postmortem`" in prompt["text"]  # postmortems registered its command
    [value] = _button_values(slack, ACTION_ALL_CLEAR)

    _click(sender, ACTION_ALL_CLEAR, value, "t1")
    with django_capture_on_commit_callbacks(execute=True):
        modal = _submit(
            sender,
            slack,
            "Checkout works again.",
            {"follow_up_expected": {"type": "static_select", "selected_option": {"value": "yes"}}},
            "Vclear",
        )
    assert {b["block_id"] for b in modal["blocks"]} == {"audience", "body", "follow_up_expected"}

    _click(sender, ACTION_FOLLOW_UP, _button_values(slack, ACTION_FOLLOW_UP)[0], "t2")
    with django_capture_on_commit_callbacks(execute=True):
        _submit(sender, slack, "Root cause: an expired certificate.", {}, "Vroot")

    resolution, follow_up = StakeholderUpdate.objects.filter(incident=incident).order_by("id")
    assert (resolution.kind, resolution.follow_up_expected) == ("resolution", True)
    assert (follow_up.kind, follow_up.body) == ("follow_up", "Root cause: an expired certificate.")
    to_stakeholders = [
        c["text"] for c in slack.calls_to("chat.postMessage") if c["channel"] == STAKEHOLDERS
    ]
    assert any("all clear" in t and "Checkout works again." in t for t in to_stakeholders)
    assert any("root cause" in t and "expired certificate" in t for t in to_stakeholders)


def test_the_all_clear_form_needs_the_follow_up_answer(
    slack, sender, eager_celery, responder, django_capture_on_commit_callbacks
):
    responder.slack_user_id = "U0RITA"
    responder.save()
    with django_capture_on_commit_callbacks(execute=True):
        incident = declare(responder, title="Checkout down")
        services.incident_change_status(incident=incident, user=responder, status="resolved")
    _click(sender, ACTION_ALL_CLEAR, str(incident.pk), "t1")
    modal = slack.calls_to("views.open")[-1]["view"]

    response = sender.interaction(
        submission(
            UPDATE_CALLBACK,
            {
                "body": {"type": "plain_text_input", "value": "Over."},
                "follow_up_expected": {"type": "static_select", "selected_option": None},
            },
            user="U0RITA",
            metadata=json.loads(modal["private_metadata"]),
        )
    )

    assert "follow_up_expected" in response.json()["errors"]
    assert not StakeholderUpdate.objects.exists()
