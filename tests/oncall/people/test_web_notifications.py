"""The notifications inbox, its unread bell, and failed deliveries a person must see."""

from __future__ import annotations

import pytest

from oncall.models import Notification, NotificationDelivery
from oncall.people.services import notification_send

pytestmark = pytest.mark.django_db


def notify(user, subject, key, **kwargs):
    return notification_send(recipient=user, subject=subject, key=key, **kwargs)


def test_the_bell_counts_unread_notifications(client, responder):
    notify(responder, "INC-1: you are now scribe", "a")
    notify(responder, "INC-2: a stakeholder update is due", "b")
    client.force_login(responder)
    page = client.get("/incidents/").content.decode()
    assert '<span class="bell-count" data-testid="unread-count">2</span>' in page


def test_the_inbox_lists_only_my_notifications(client, responder, other_responder):
    notify(
        responder,
        "INC-1: you are now scribe",
        "a",
        url="/incidents/1/",
        body="Omar made you scribe.",
    )
    notify(other_responder, "Someone else's page", "b")
    client.force_login(responder)
    page = client.get("/notifications/").content.decode()
    assert '<a href="/incidents/1/">INC-1: you are now scribe</a>' in page
    assert "Omar made you scribe." in page
    assert "Someone else&#x27;s page" not in page


def test_marking_one_notification_read(client, responder):
    first = notify(responder, "First", "a")
    notify(responder, "Second", "b")
    client.force_login(responder)
    response = client.post(f"/notifications/{first.pk}/read/")
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.read_at is not None
    assert Notification.objects.filter(recipient=responder, read_at__isnull=True).count() == 1
    page = client.get("/notifications/").content.decode()
    assert '<span class="bell-count" data-testid="unread-count">1</span>' in page


def test_nobody_can_mark_someone_elses_notification_read(client, responder, other_responder):
    theirs = notify(other_responder, "Theirs", "a")
    client.force_login(responder)
    client.post(f"/notifications/{theirs.pk}/read/")
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_everything_read_clears_the_bell(client, responder):
    notify(responder, "First", "a")
    notify(responder, "Second", "b")
    client.force_login(responder)
    response = client.post("/notifications/read/")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Marked 2 notifications as read." in page
    assert "bell-count" not in page


def test_a_permanently_failed_delivery_is_shown_with_its_reason(client, responder):
    notification = notify(responder, "INC-3: you are now incident commander", "a")
    notification.deliveries.filter(transport="email").update(
        status=NotificationDelivery.Status.FAILED,
        attempts=5,
        last_error="Gave up after 5 attempts: Could not reach the mail server.",
    )
    client.force_login(responder)
    page = client.get("/notifications/").content.decode()
    assert "Deliveries that failed" in page
    assert "INC-3: you are now incident commander</strong> via E-mail" in page
    assert "Gave up after 5 attempts: Could not reach the mail server." in page
    assert "E-mail: failed" in page


def test_no_failure_box_when_everything_was_delivered(client, responder):
    notification = notify(responder, "Fine", "a")  # rita has an e-mail address
    notification.deliveries.filter(transport="email").update(
        status=NotificationDelivery.Status.SENT
    )
    client.force_login(responder)
    page = client.get("/notifications/").content.decode()
    assert "Deliveries that failed" not in page
    assert "E-mail: sent" in page
