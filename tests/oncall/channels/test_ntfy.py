"""Push pages through ntfy (a local fake ntfy over real HTTP): a topic per person, priority from
urgency, and an Acknowledge action that POSTs the page's signed acknowledge link."""

from __future__ import annotations

import pytest

from oncall.models import NotificationDelivery
from oncall.people.services import notification_send
from tests.oncall.channels.conftest import add_methods

pytestmark = pytest.mark.django_db


def test_a_page_is_pushed_to_the_persons_topic_at_top_priority_with_an_acknowledge_action(
    channels, team, page_alert, deliver_all
):
    _, _, primary, _ = team
    add_methods(primary, ("push", "ana-pager-7f3k"))
    alert, [page] = page_alert()
    deliver_all()

    [request] = channels.ntfy.requests
    assert request.path == "/" and request.headers["Authorization"] == "Bearer tk_test"
    message = request.json
    assert message["topic"] == "ana-pager-7f3k"
    assert message["title"] == "PAGE: Payments are failing"
    assert message["priority"] == 5
    assert f"Page {page.pk} · alert {alert.pk}" in message["message"]
    ack, view = message["actions"]
    assert (ack["action"], ack["label"], ack["method"]) == ("http", "Acknowledge", "POST")
    assert f"/hooks/channels/ack/{alert.pk}/" in ack["url"]
    assert (view["action"], view["label"]) == ("view", "Open")
    assert f"/alerts/{alert.pk}/ack/" in view["url"]


def test_pressing_acknowledge_on_the_push_acknowledges_the_alert(
    client, channels, team, page_alert, deliver_all
):
    _, _, primary, _ = team
    add_methods(primary, ("push", "ana-pager-7f3k"))
    alert, _ = page_alert()
    deliver_all()
    ack_url = channels.ntfy.requests[0].json["actions"][0]["url"]

    # What the ntfy app does: a bare POST, no session, no CSRF token.
    response = client.post(ack_url.split("127.0.0.1:8000", 1)[-1])

    assert response.status_code == 200
    assert response.json() == {
        "acknowledged": True,
        "alert": alert.pk,
        "acknowledged_by": primary.username,
    }
    alert.refresh_from_db()
    assert alert.acknowledged_by == primary


def test_a_tampered_push_action_acknowledges_nothing(
    client, channels, team, page_alert, deliver_all
):
    _, _, primary, _ = team
    add_methods(primary, ("push", "ana-pager-7f3k"))
    alert, _ = page_alert()
    deliver_all()

    response = client.post(f"/hooks/channels/ack/{alert.pk}/not-a-token/")

    assert response.status_code == 400
    assert "not valid" in response.json()["detail"]
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_low_urgency_goes_at_default_priority_without_actions(channels, team, deliver_all):
    _, _, primary, _ = team
    add_methods(primary, ("push", "ana-pager-7f3k"))
    notification_send(
        recipient=primary, subject="Your shift starts in 1 hour", key="shift:1", urgency="low"
    )
    deliver_all()

    [request] = channels.ntfy.requests
    assert request.json["priority"] == 3 and "actions" not in request.json


def test_a_refused_topic_is_permanent_and_a_rate_limit_transient(channels, team, deliver_all):
    _, _, primary, _ = team
    add_methods(primary, ("push", "ana-pager-7f3k"))
    channels.ntfy.answer_next(403, {"code": 40301, "http": 403, "error": "forbidden"})
    notification_send(recipient=primary, subject="One", key="n:1", urgency="low")
    deliver_all()
    channels.ntfy.answer_next(429, {"code": 42901, "http": 429, "error": "limit reached"})
    notification_send(recipient=primary, subject="Two", key="n:2", urgency="low")
    deliver_all()

    refused, limited = NotificationDelivery.objects.filter(transport="push").order_by("id")
    assert refused.status == "failed" and "HTTP 403" in refused.last_error
    assert limited.status == "pending" and limited.next_attempt_at is not None


def test_push_is_off_until_an_ntfy_server_is_set(settings, channels, team, page_alert, deliver_all):
    settings.NTFY_URL = ""
    _, _, primary, _ = team
    add_methods(primary, ("push", "ana-pager-7f3k"))
    page_alert()
    deliver_all()

    assert channels.ntfy.requests == []
    assert not NotificationDelivery.objects.filter(transport="push").exists()
