"""Reminders reach the incident channel and the IC's DMs, with Post update / Snooze buttons."""

from __future__ import annotations

from datetime import timedelta

import pytest

from incidents import services
from incidents.slack.blocks import ACTION_POST_UPDATE, ACTION_SNOOZE, UPDATE_CALLBACK
from incidents.slack.models import IncidentSlackChannel
from oncall.models import NotificationDelivery
from tests.factories import declare

pytestmark = pytest.mark.django_db


@pytest.fixture
def live_incident(slack, eager_celery, responder, django_capture_on_commit_callbacks):
    responder.slack_user_id = "U0RITA"
    responder.save()
    with django_capture_on_commit_callbacks(execute=True):
        return declare(responder, title="Checkout down")


def _fire_due(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for reminder_id in services.reminders_claim_due():
            services.reminder_fire(reminder_id=reminder_id)


def _buttons(call: dict) -> list[str]:
    return [
        e["action_id"]
        for b in call.get("blocks") or []
        if b["type"] == "actions"
        for e in b["elements"]
    ]


def test_an_overdue_update_is_reminded_in_the_channel_and_by_dm(
    slack, live_incident, time_machine, django_capture_on_commit_callbacks
):
    link = IncidentSlackChannel.objects.get(incident=live_incident)
    time_machine.move_to(live_incident.next_update_due_at + timedelta(minutes=1), tick=False)

    _fire_due(django_capture_on_commit_callbacks)

    posts = slack.calls_to("chat.postMessage")
    in_channel = [c for c in posts if c["channel"] == link.channel_id and "update" in c["text"]]
    dms = [c for c in posts if c["channel"] == "U0RITA"]
    help_in_channel = [
        c for c in posts if c["channel"] == link.channel_id and "Page someone" in c["text"]
    ]
    assert len(in_channel) == 1 and _buttons(in_channel[0]) == [ACTION_POST_UPDATE, ACTION_SNOOZE]
    assert len(help_in_channel) == 1  # Rita has been alone on it for 31 minutes, too
    assert sorted(dm["text"].split("*")[1] for dm in dms) == [
        f"{live_incident.reference}: a stakeholder update is due",
        f"{live_incident.reference}: still investigating alone — ask for help?",
    ]
    assert all(_buttons(dm) == [ACTION_POST_UPDATE, ACTION_SNOOZE] for dm in dms)
    assert set(
        NotificationDelivery.objects.filter(transport="slack").values_list("status", flat=True)
    ) == {"sent"}


def test_a_refused_dm_is_a_failed_delivery_not_a_retry(
    slack, live_incident, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(live_incident.next_update_due_at + timedelta(minutes=1), tick=False)
    original = slack._api_chat_postMessage

    def refuse_dms(params):
        if params["channel"] == "U0RITA":
            return {"ok": False, "error": "account_inactive"}
        return original(params)

    slack._api_chat_postMessage = refuse_dms

    _fire_due(django_capture_on_commit_callbacks)

    deliveries = NotificationDelivery.objects.filter(transport="slack")
    assert deliveries.count() == 2
    for delivery in deliveries:
        assert (delivery.status, delivery.attempts) == ("failed", 1)
        assert "account_inactive" in delivery.last_error


def test_snooze_button_pushes_the_next_update_ten_minutes_out(
    slack, sender, live_incident, time_machine, django_capture_on_commit_callbacks
):
    link = IncidentSlackChannel.objects.get(incident=live_incident)
    time_machine.move_to(live_incident.next_update_due_at + timedelta(minutes=1), tick=False)
    payload = {
        "type": "block_actions",
        "user": {"id": "U0RITA"},
        "trigger_id": "trig-snooze",
        "channel": {"id": link.channel_id},
        "actions": [{"action_id": ACTION_SNOOZE, "value": str(live_incident.pk)}],
    }

    with django_capture_on_commit_callbacks(execute=True):
        assert sender.interaction(payload).status_code == 200
        assert sender.interaction(payload).status_code == 200  # a double click snoozes once

    from django.utils import timezone

    live_incident.refresh_from_db()
    assert live_incident.next_update_due_at == timezone.now() + timedelta(minutes=10)
    assert live_incident.timeline.filter(kind="reminders_snoozed").count() == 1
    assert "snoozed for 10 minutes" in slack.calls_to("chat.postEphemeral")[-1]["text"]


def test_post_update_button_opens_the_update_modal(slack, sender, live_incident):
    payload = {
        "type": "block_actions",
        "user": {"id": "U0RITA"},
        "trigger_id": "trig-open",
        "actions": [{"action_id": ACTION_POST_UPDATE, "value": str(live_incident.pk)}],
    }

    assert sender.interaction(payload).status_code == 200

    [opened] = slack.calls_to("views.open")
    assert opened["trigger_id"] == "trig-open"
    assert opened["view"]["callback_id"] == UPDATE_CALLBACK
