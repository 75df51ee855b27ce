"""Timeline capture: pins and the timeline emoji; edits and deletions become corrections."""

from __future__ import annotations

import pytest

from incidents.models import TimelineEvent
from incidents.slack.models import IncidentSlackChannel, SlackDelivery

pytestmark = pytest.mark.django_db
TS = "1700000000.000200"


@pytest.fixture
def channel(incident, responder, other_responder):
    responder.slack_user_id, other_responder.slack_user_id = "U0RITA", "U0OMAR"
    responder.save()
    other_responder.save()
    return IncidentSlackChannel.objects.create(incident=incident, channel_id="C0INC", name="inc")


def _reaction(reaction="pushpin", user="U0RITA", ts=TS):
    return {
        "type": "reaction_added",
        "user": user,
        "reaction": reaction,
        "item": {"type": "message", "channel": "C0INC", "ts": ts},
        "event_ts": "1700000100.000001",
    }


def _notes(incident):
    return list(TimelineEvent.objects.filter(incident=incident, kind__in=["note", "correction"]))


def test_the_timeline_emoji_puts_the_message_on_the_timeline_at_its_time(
    slack, sender, eager_celery, channel, incident, responder
):
    slack.messages[("C0INC", TS)] = {"ts": TS, "user": "U0OMAR", "text": "Restarted the primary"}

    sender.event(_reaction(), event_id="Ev1")

    [note] = _notes(incident)
    assert (note.body, note.actor, note.occurred_at.timestamp()) == (
        "Restarted the primary",
        responder,
        1700000000.0002,
    )
    [fetched] = slack.calls_to("conversations.history")
    assert fetched["channel"] == "C0INC" and fetched["latest"] == TS


def test_another_emoji_or_another_channel_is_ignored(
    slack, sender, eager_celery, channel, incident
):
    slack.messages[("C0INC", TS)] = {"ts": TS, "text": "hello"}
    sender.event(_reaction(reaction="tada"), event_id="Ev1")
    other = _reaction()
    other["item"]["channel"] = "C0ELSEWHERE"
    sender.event(other, event_id="Ev2")

    assert _notes(incident) == []
    assert slack.calls_to("conversations.history") == []


def test_pin_and_reaction_on_one_message_and_retries_make_one_entry(
    slack, sender, eager_celery, channel, incident
):
    slack.messages[("C0INC", TS)] = {"ts": TS, "text": "Rolled back"}
    pin = {
        "type": "pin_added",
        "user": "U0OMAR",
        "channel_id": "C0INC",
        "item": {
            "type": "message",
            "channel": "C0INC",
            "message": {"ts": TS, "text": "Rolled back"},
        },
    }
    sender.event(pin, event_id="Ev1")
    sender.event(
        pin, event_id="Ev1", HTTP_X_SLACK_RETRY_NUM="1", HTTP_X_SLACK_RETRY_REASON="http_timeout"
    )
    sender.event(_reaction(), event_id="Ev2")
    sender.event(_reaction(user="U0OMAR"), event_id="Ev3")

    assert [n.body for n in _notes(incident)] == ["Rolled back"]
    assert SlackDelivery.objects.filter(key="event:Ev1").count() == 1
    assert len(slack.calls_to("conversations.history")) == 2  # Ev1's retry did nothing at all


def test_an_edit_writes_a_correction_and_a_deletion_a_retraction(
    slack, sender, eager_celery, channel, incident, other_responder
):
    slack.messages[("C0INC", TS)] = {"ts": TS, "text": "DB at 90% CPU"}
    sender.event(_reaction(), event_id="Ev1")
    edited = {
        "type": "message",
        "subtype": "message_changed",
        "channel": "C0INC",
        "ts": "1700000300.000001",
        "message": {
            "ts": TS,
            "user": "U0OMAR",
            "text": "DB at 99% CPU",
            "edited": {"ts": "1700000300.000000"},
        },
    }
    deleted = {
        "type": "message",
        "subtype": "message_deleted",
        "channel": "C0INC",
        "deleted_ts": TS,
        "previous_message": {"ts": TS, "user": "U0OMAR", "text": "DB at 99% CPU"},
    }
    sender.event(edited, event_id="Ev2")
    sender.event(edited, event_id="Ev2b")  # the same edit delivered under another id
    sender.event(deleted, event_id="Ev3")

    original, correction, retraction = _notes(incident)
    assert original.body == "DB at 90% CPU"  # the original is never changed
    assert (correction.kind, correction.corrects, correction.body) == (
        "correction",
        original,
        "Edited in Slack: DB at 99% CPU",
    )
    assert correction.actor == other_responder
    assert (retraction.corrects, retraction.body) == (
        original,
        "Retracted: the message was deleted in Slack.",
    )


def test_edits_of_messages_not_on_the_timeline_are_ignored(
    slack, sender, eager_celery, channel, incident
):
    sender.event(
        {"type": "message", "subtype": "message_deleted", "channel": "C0INC", "deleted_ts": TS},
        event_id="Ev1",
    )
    assert _notes(incident) == []


def test_files_become_links(slack, sender, eager_celery, channel, incident):
    slack.messages[("C0INC", TS)] = {
        "ts": TS,
        "text": "Grafana during the spike",
        "files": [{"name": "cpu.png", "permalink": "https://acme.slack.com/files/U0/F1/cpu.png"}],
    }
    sender.event(_reaction(), event_id="Ev1")

    [note] = _notes(incident)
    assert note.body == "Grafana during the spike\nFile: https://acme.slack.com/files/U0/F1/cpu.png"


def test_a_reaction_by_an_unknown_or_read_only_person_writes_nothing(
    slack, sender, eager_celery, channel, incident, viewer
):
    viewer.slack_user_id = "U0VICTOR"
    viewer.save()
    slack.messages[("C0INC", TS)] = {"ts": TS, "text": "hi"}

    sender.event(_reaction(user="U0STRANGER"), event_id="Ev1")
    sender.event(_reaction(user="U0VICTOR"), event_id="Ev2")

    assert _notes(incident) == []


def test_malformed_events_get_400(slack, client):
    from tests.incidents.slack.conftest import signed_headers

    for body in (b"not json", b"[1]", b'{"type": "event_callback", "event": {}}'):
        response = client.post(
            "/slack/events", data=body, content_type="application/json", **signed_headers(body)
        )
        assert response.status_code == 400
    assert SlackDelivery.objects.count() == 0


def test_when_the_broker_is_down_slack_retries_the_event(slack, sender, channel, monkeypatch):
    from incidents.slack import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(tasks.slack_event_handle, "apply_async", broker_down)

    assert sender.event(_reaction(), event_id="Ev1").status_code == 503
    assert SlackDelivery.objects.count() == 0  # Slack's retry will be accepted
