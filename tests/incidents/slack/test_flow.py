"""The acceptance flow, over real HTTP to the fake Slack: declare → roles → update → pin → resolve.

Celery runs eagerly in-process; every assertion reads the fake's recorded calls or the database.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from incidents.models import Incident, Role, RoleAssignment, StakeholderUpdate, TimelineEvent
from incidents.slack.blocks import DECLARE_CALLBACK, RESOLVE_CALLBACK, UPDATE_CALLBACK
from incidents.slack.models import IncidentSlackChannel
from tests.incidents.slack.conftest import STAKEHOLDERS, submission

pytestmark = pytest.mark.django_db


def _text(value: str) -> dict:
    return {"type": "plain_text_input", "value": value}


def _select(value: str) -> dict:
    return {"type": "static_select", "selected_option": {"value": value}}


def _header(call: dict) -> str:
    return json.dumps(call["blocks"])


def test_declare_roles_update_pin_resolve(
    slack, sender, eager_celery, responder, other_responder, django_capture_on_commit_callbacks
):
    responder.slack_user_id, other_responder.slack_user_id = "U0RITA", "U0OMAR"
    responder.save()
    other_responder.save()

    def act(send, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            response = send(*args, **kwargs)
        assert response.status_code == 200, response.content
        return response

    # 1. /incident declare opens the modal inline; submitting it declares as Rita.
    act(sender.command, "declare", user="U0RITA")
    [opened] = slack.calls_to("views.open")
    assert opened["view"]["callback_id"] == DECLARE_CALLBACK
    values = {
        "title": _text("Checkout returns 500s for EU customers"),
        "severity": _select("SEV2"),
        "private": {"type": "checkboxes", "selected_options": []},
        "summary": _text("Payments provider times out"),
    }
    act(sender.interaction, submission(DECLARE_CALLBACK, values, user="U0RITA", view_id="Vdecl"))

    incident = Incident.objects.get()
    assert (incident.title, incident.severity, incident.declared_by) == (
        "Checkout returns 500s for EU customers",
        "SEV2",
        responder,
    )
    link = IncidentSlackChannel.objects.get(incident=incident)
    [created] = slack.calls_to("conversations.create")
    assert created["name"] == f"inc-{incident.number}-checkout-returns-500s-for-eu-customers"
    assert link.name == created["name"]
    assert slack.calls_to("conversations.invite")[0]["users"] == "U0RITA"
    header_post = next(
        c for c in slack.calls_to("chat.postMessage") if c["channel"] == link.channel_id
    )
    assert "Investigating" in _header(header_post) and "SEV2" in _header(header_post)
    assert slack.calls_to("pins.add") == [{"channel": link.channel_id, "timestamp": link.header_ts}]
    assert slack.calls_to("bookmarks.add")[0]["link"] == (
        f"https://firebreak.example/incidents/{incident.number}/"
    )
    announcements = [c for c in slack.calls_to("chat.postMessage") if c["channel"] == STAKEHOLDERS]
    assert len(announcements) == 1 and incident.reference in announcements[0]["text"]

    # 2. Roles: in the incident channel the incident is implied.
    act(sender.command, "role comms <@U0OMAR|omar>", user="U0RITA", channel=link.channel_id)
    assert (
        RoleAssignment.objects.get(
            incident=incident, role=Role.COMMUNICATIONS_LEAD, ended_at__isnull=True
        ).user
        == other_responder
    )
    assert slack.calls_to("conversations.invite")[-1]["users"] == "U0OMAR"
    assert "<@U0OMAR>" in _header(slack.calls_to("chat.update")[-1])

    # 3. The comms lead posts an update through the modal; it reaches both channels.
    act(sender.command, "update", user="U0OMAR", channel=link.channel_id)
    update_modal = slack.calls_to("views.open")[-1]["view"]
    assert update_modal["callback_id"] == UPDATE_CALLBACK
    act(
        sender.interaction,
        submission(
            UPDATE_CALLBACK,
            {
                "audience": _select("internal"),
                "body": _text("We are failing over to the backup provider."),
            },
            user="U0OMAR",
            metadata=json.loads(update_modal["private_metadata"]),
            view_id="Vupd",
        ),
    )
    update = StakeholderUpdate.objects.get(incident=incident)
    assert update.posted_by == other_responder
    posted = [
        c["channel"]
        for c in slack.calls_to("chat.postMessage")
        if "failing over" in c.get("text", "")
    ]
    assert sorted(posted) == sorted([link.channel_id, STAKEHOLDERS])
    # What stakeholders read names the next update, as a date token in each reader's zone.
    [to_stakeholders] = [
        c["text"]
        for c in slack.calls_to("chat.postMessage")
        if c["channel"] == STAKEHOLDERS and "failing over" in c.get("text", "")
    ]
    due = int(update.next_update_at.timestamp())
    assert to_stakeholders == (
        f"*{incident.reference} update* (Internal):\n"
        "We are failing over to the backup provider.\n\n"
        f"Next update by <!date^{due}^{{time}} ({{date_short_pretty}})|"
        f"{update.next_update_at:%H:%M} UTC ({update.next_update_at:%a} "
        f"{update.next_update_at.day} {update.next_update_at:%b})>.\n"
        f"https://firebreak.example/incidents/{incident.number}/"
    )

    # 4. Pinning a message puts it on the timeline at its own time, once, however often it comes.
    pin = {
        "type": "pin_added",
        "user": "U0RITA",
        "channel_id": link.channel_id,
        "item": {
            "type": "message",
            "channel": link.channel_id,
            "message": {
                "type": "message",
                "user": "U0OMAR",
                "text": "Error rate back to 0.1%",
                "ts": "1700000000.000100",
            },
        },
    }
    act(sender.event, pin, event_id="Ev1")
    act(sender.event, pin, event_id="Ev1", HTTP_X_SLACK_RETRY_NUM="1")
    note = TimelineEvent.objects.get(incident=incident, body="Error rate back to 0.1%")
    assert note.source_key == f"slack:{link.channel_id}:1700000000.000100"
    assert note.occurred_at.timestamp() == 1700000000.0001
    assert note.actor == responder

    # 5. Resolve: the form asks when impact ended (nobody marked it mitigated); the header
    # follows and the channel hears both state changes.
    act(sender.command, "resolve all clear", user="U0RITA", channel=link.channel_id)
    resolve_modal = slack.calls_to("views.open")[-1]["view"]
    assert resolve_modal["callback_id"] == RESOLVE_CALLBACK
    [asked] = [b for b in resolve_modal["blocks"] if b.get("block_id") == "impact_ended_at"]
    assert asked["label"]["text"] == "When did impact end?"
    ended = int(incident.declared_at.timestamp()) - 60  # a minute before it was declared
    Incident.objects.filter(pk=incident.pk).update(
        started_at=incident.started_at - timedelta(minutes=10)
    )
    act(
        sender.interaction,
        submission(
            RESOLVE_CALLBACK,
            {
                "impact_ended_at": {"type": "datetimepicker", "selected_date_time": ended},
                "note": _text("all clear"),
            },
            user="U0RITA",
            metadata=json.loads(resolve_modal["private_metadata"]),
            view_id="Vres",
        ),
    )
    incident.refresh_from_db()
    assert incident.status == "resolved"
    assert incident.mitigated_at.timestamp() == ended
    assert "Resolved" in _header(slack.calls_to("chat.update")[-1])
    assert all(c["ts"] == link.header_ts for c in slack.calls_to("chat.update"))
    said = [
        c["text"] for c in slack.calls_to("chat.postMessage") if c["channel"] == link.channel_id
    ]
    assert (
        f":large_green_circle: *{incident.reference}* Impact ended (mitigated). (recorded when resolving)"
        in said
    )
    assert any(
        t.startswith(
            f":arrows_counterclockwise: *{incident.reference}* Rita changed status from investigating to resolved."
        )
        for t in said
    )
    assert f":busts_in_silhouette: *{incident.reference}* Omar is now communications lead." in said
