"""Each Slack delivery is acted on once, and acknowledging it never waits on a database write."""

from __future__ import annotations

import pytest

from incidents.models import TimelineEvent
from incidents.slack import tasks
from incidents.slack.deliveries import delivery_claim
from incidents.slack.models import IncidentSlackChannel, SlackDelivery

pytestmark = pytest.mark.django_db
TS = "1700000000.000200"


@pytest.fixture
def channel(incident, responder):
    responder.slack_user_id = "U0RITA"
    responder.save()
    return IncidentSlackChannel.objects.create(incident=incident, channel_id="C0INC", name="inc")


@pytest.fixture
def queued(monkeypatch):
    """Capture what the views hand to the queue instead of sending it to a broker."""
    sent: list[tuple[object, tuple, dict]] = []

    def capture(task):
        def apply_async(args=(), kwargs=None, **options):
            sent.append((task, tuple(args), kwargs or {}))

        return apply_async

    for task in (tasks.slack_command_run, tasks.slack_event_handle):
        monkeypatch.setattr(task, "apply_async", capture(task))
    return sent


def _reaction():
    return {
        "type": "reaction_added",
        "user": "U0RITA",
        "reaction": "pushpin",
        "item": {"type": "message", "channel": "C0INC", "ts": TS},
        "event_ts": "1700000100.000001",
    }


def test_acknowledging_a_command_or_an_event_writes_nothing(slack, sender, channel, queued):
    assert sender.command("note checking the LB", user="U0RITA", channel="C0INC").status_code == 200
    assert sender.event(_reaction(), event_id="Ev1").status_code == 200

    assert SlackDelivery.objects.count() == 0  # the worker claims it
    command_key, event_key = (kwargs["delivery_key"] for _, _, kwargs in queued)
    assert command_key.startswith("command:trigger-") and event_key == "event:Ev1"


def test_an_event_slack_retried_before_the_worker_ran_is_captured_once(
    slack, sender, channel, incident, queued
):
    slack.messages[("C0INC", TS)] = {"ts": TS, "text": "Failed over to the replica"}
    sender.event(_reaction(), event_id="Ev1")
    sender.event(_reaction(), event_id="Ev1", HTTP_X_SLACK_RETRY_NUM="1")
    assert len(queued) == 2  # both were acknowledged and queued

    for task, args, kwargs in queued:  # two tasks, two task ids: the second does nothing
        task.apply(args=args, kwargs=kwargs)

    notes = TimelineEvent.objects.filter(incident=incident, kind="note")
    assert [n.body for n in notes] == ["Failed over to the replica"]
    assert len(slack.calls_to("conversations.history")) == 1
    assert SlackDelivery.objects.get(key="event:Ev1").kind == "reaction_added"


def test_a_celery_retry_of_the_claiming_task_goes_on_but_another_task_does_not():
    assert delivery_claim("event:Ev9", "pin_added", task_id="task-1")
    assert delivery_claim("event:Ev9", "pin_added", task_id="task-1")  # its own retry
    assert not delivery_claim("event:Ev9", "pin_added", task_id="task-2")
    assert not delivery_claim("event:Ev9", "pin_added")  # handled inside a request: a duplicate
    assert SlackDelivery.objects.filter(key="event:Ev9").count() == 1
