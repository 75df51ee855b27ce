"""A person's notification preferences: transports per urgency, quiet hours, contact methods."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from config.errors import ValidationFailed
from oncall.models import Notification, NotificationDelivery, NotificationPreference
from oncall.people.preferences import preference_for, quiet_hours_end, transports_for
from oncall.people.selectors import deliveries_due
from oncall.people.services import (
    notification_delivery_attempt,
    notification_preferences_update,
    notification_send,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# 23:30 on a Monday in Berlin (UTC+1 in winter).
BERLIN_LATE = datetime(2026, 3, 2, 22, 30, tzinfo=UTC)
BERLIN_0600 = datetime(2026, 3, 3, 5, 0, tzinfo=UTC)


@pytest.fixture
def berliner(db):
    return UserFactory(username="berta", timezone="Europe/Berlin", groups=["responder"])


def quiet_nights(person, **overrides):
    values = {
        "user": person,
        "high_transports": ["email"],
        "low_transports": ["email"],
        "quiet_hours_enabled": True,
        "quiet_start": time(22),
        "quiet_end": time(6),
    }
    return notification_preferences_update(**(values | overrides))


def transports(notification: Notification) -> dict[str, datetime | None]:
    return {d.transport: d.next_attempt_at for d in notification.deliveries.all()}


def send(person, urgency: str, key: str) -> Notification:
    return notification_send(recipient=person, subject="Hi", key=key, urgency=urgency)


def test_without_preferences_every_transport_is_used_at_once(berliner, time_machine):
    time_machine.move_to(BERLIN_LATE, tick=False)

    assert transports(send(berliner, "low", "a")) == {"web": None, "email": None}
    assert preference_for(berliner) is None


def test_a_transport_turned_off_for_low_urgency_still_carries_pages(berliner):
    notification_preferences_update(
        user=berliner, high_transports=["email"], low_transports=[], quiet_hours_enabled=False
    )

    assert [t.name for t in transports_for(berliner, "low")] == ["web"]
    assert transports(send(berliner, "low", "digest")) == {"web": None}
    assert transports(send(berliner, "high", "page")) == {"web": None, "email": None}


def test_low_urgency_in_quiet_hours_waits_until_they_end_in_the_persons_time_zone(
    berliner, time_machine
):
    quiet_nights(berliner)
    time_machine.move_to(BERLIN_LATE, tick=False)

    notice = send(berliner, "low", "reminder")

    # Delayed to 06:00 Berlin, not dropped; the web inbox shows it at once.
    assert transports(notice) == {"web": BERLIN_0600, "email": BERLIN_0600}
    assert Notification.objects.filter(recipient=berliner, key="reminder").exists()
    assert deliveries_due() == []
    time_machine.move_to(BERLIN_0600 - timedelta(seconds=1), tick=False)
    assert deliveries_due() == []
    time_machine.move_to(BERLIN_0600, tick=False)
    due = NotificationDelivery.objects.filter(notification=notice).values_list("pk", flat=True)
    assert sorted(deliveries_due()) == sorted(due)
    email = NotificationDelivery.objects.get(notification=notice, transport="email")
    assert notification_delivery_attempt(delivery_id=email.pk).status == "sent"


def test_high_urgency_goes_through_during_quiet_hours(berliner, time_machine):
    quiet_nights(berliner)
    time_machine.move_to(BERLIN_LATE, tick=False)

    assert transports(send(berliner, "high", "page")) == {"web": None, "email": None}


@pytest.mark.parametrize(
    "utc_time, quiet",
    [
        (datetime(2026, 3, 2, 20, 59, tzinfo=UTC), False),  # 21:59 Berlin
        (datetime(2026, 3, 2, 21, 0, tzinfo=UTC), True),  # 22:00 Berlin
        (datetime(2026, 3, 3, 4, 59, tzinfo=UTC), True),  # 05:59 Berlin
        (datetime(2026, 3, 3, 5, 0, tzinfo=UTC), False),  # 06:00 Berlin
        (datetime(2026, 3, 2, 12, 0, tzinfo=UTC), False),
    ],
)
def test_quiet_hours_follow_the_persons_wall_clock(berliner, utc_time, quiet):
    quiet_nights(berliner)

    assert (quiet_hours_end(berliner, utc_time) is not None) is quiet


def test_quiet_hours_within_one_day(berliner):
    quiet_nights(berliner, quiet_start=time(12), quiet_end=time(13, 30))

    assert quiet_hours_end(berliner, datetime(2026, 3, 2, 11, 15, tzinfo=UTC)) == datetime(
        2026, 3, 2, 12, 30, tzinfo=UTC
    )
    assert quiet_hours_end(berliner, datetime(2026, 3, 2, 13, 0, tzinfo=UTC)) is None


def test_quiet_hours_need_a_start_and_an_end(berliner):
    with pytest.raises(ValidationFailed) as error:
        quiet_nights(berliner, quiet_end=None)

    assert "quiet_start" in error.value.field_errors
    assert not NotificationPreference.objects.exists()


def test_an_unknown_transport_or_a_bad_phone_number_is_refused(berliner):
    with pytest.raises(ValidationFailed) as unknown:
        quiet_nights(berliner, high_transports=["pigeon"])
    with pytest.raises(ValidationFailed) as phone:
        quiet_nights(berliner, phone_number="0151 123")

    assert "pigeon" in unknown.value.message
    assert "international form" in phone.value.field_errors["phone_number"][0]
    assert not NotificationPreference.objects.exists()


# --- the web page ---------------------------------------------------------------------------------


def test_the_page_saves_preferences_and_shows_them_again(client, berliner):
    client.force_login(berliner)
    assert client.get("/profile/").status_code == 200
    assert "/profile/notifications/" in client.get("/profile/").content.decode()

    response = client.post(
        "/profile/notifications/",
        {
            "high_transports": ["email"],
            "quiet_hours_enabled": "on",
            "quiet_start": "22:00",
            "quiet_end": "06:00",
            "phone_number": "+4915112345678",
        },
    )

    assert response.status_code == 302
    saved = NotificationPreference.objects.get(user=berliner)
    assert "email" in saved.low_disabled_transports
    assert "email" not in saved.high_disabled_transports
    assert (saved.quiet_start, saved.quiet_end) == (time(22), time(6))
    assert saved.phone_number == "+4915112345678"
    page = client.get("/profile/notifications/").content.decode()
    assert "+4915112345678" in page and 'value="22:00' in page


def test_the_page_shows_what_is_wrong(client, berliner):
    client.force_login(berliner)

    response = client.post(
        "/profile/notifications/", {"quiet_hours_enabled": "on", "phone_number": "12"}
    )

    assert response.status_code == 400
    assert "Your preferences were not saved" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_the_page_needs_a_sign_in(client):
    response = client.get("/profile/notifications/")

    assert response.status_code == 302 and "login" in response["Location"]
