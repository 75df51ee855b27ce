"""Microsoft Teams pages through a Workflows webhook (a local fake over real HTTP): an Adaptive
Card with Acknowledge / Open buttons that are the page's signed links."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from oncall.models import NotificationDelivery
from oncall.people.services import notification_send
from tests.oncall.channels.conftest import add_methods

pytestmark = pytest.mark.django_db


def workflow_url(channels) -> str:
    return channels.teams.url + "/workflows/abc123/triggers/manual/paths/invoke?sig=s3cr3t"


def test_a_page_is_an_adaptive_card_with_acknowledge_and_open_buttons(
    channels, team, page_alert, deliver_all
):
    _, _, primary, _ = team
    add_methods(primary, ("teams", workflow_url(channels)))
    alert, [page] = page_alert()
    deliver_all()

    [request] = channels.teams.requests
    assert request.path == "/workflows/abc123/triggers/manual/paths/invoke"
    assert request.query == {"sig": "s3cr3t"}
    [attachment] = request.json["attachments"]
    assert request.json["type"] == "message"
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.4"
    assert card["body"][0]["text"] == "PAGE: Payments are failing"
    assert {"title": "Reference", "value": f"Page {page.pk} · alert {alert.pk}"} in card["body"][2][
        "facts"
    ]
    ack, open_ = card["actions"]
    assert (ack["type"], ack["title"]) == ("Action.OpenUrl", "Acknowledge")
    assert f"/alerts/{alert.pk}/ack/" in ack["url"]
    assert open_["title"] == "Open" and open_["url"].endswith(f"/alerts/{alert.pk}/")
    assert NotificationDelivery.objects.get(transport="teams").status == "sent"


def test_the_teams_acknowledge_button_acknowledges_after_one_confirming_click(
    client, channels, team, page_alert, deliver_all
):
    _, _, primary, _ = team
    add_methods(primary, ("teams", workflow_url(channels)))
    alert, _ = page_alert()
    deliver_all()
    button = channels.teams.requests[0].json["attachments"][0]["content"]["actions"][0]["url"]
    path = urlparse(button).path

    shown = client.get(path)  # Teams opens the link in the browser: nothing acknowledged yet
    alert.refresh_from_db()
    assert shown.status_code == 200 and alert.acknowledged_at is None
    assert f"Acknowledge as {primary.display_name}" in shown.content.decode()

    confirmed = client.post(path)
    assert confirmed.status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledged_by == primary


def test_an_incident_update_is_a_card_with_an_open_button(channels, team, deliver_all):
    _, _, primary, _ = team
    add_methods(primary, ("teams", workflow_url(channels)))
    notification_send(
        recipient=primary,
        subject="INC-7 update: mitigated",
        body="Checkout recovered at 09:40.",
        url="/incidents/7/",
        key="incident-update:7:1",
    )
    deliver_all()

    card = channels.teams.requests[0].json["attachments"][0]["content"]
    assert [b["text"] for b in card["body"]] == [
        "INC-7 update: mitigated",
        "Checkout recovered at 09:40.",
    ]
    assert card["actions"] == [
        {"type": "Action.OpenUrl", "title": "Open", "url": "http://127.0.0.1:8000/incidents/7/"}
    ]


def test_a_deleted_workflow_is_a_permanent_failure(channels, team, page_alert, deliver_all):
    _, _, primary, _ = team
    add_methods(primary, ("teams", workflow_url(channels)))
    channels.teams.answer_next(404, {"error": {"code": "WorkflowNotFound"}})
    page_alert()
    deliver_all()

    delivery = NotificationDelivery.objects.get(transport="teams")
    assert delivery.status == "failed" and "HTTP 404" in delivery.last_error
    assert len(channels.teams.requests) == 1
