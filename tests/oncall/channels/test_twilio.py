"""SMS and voice pages through Twilio (a local fake Twilio over real HTTP), and Twilio's
webhooks back: the SMS reply, the keypress, the status callback — each signed by Twilio."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.conf import settings
from twilio.request_validator import RequestValidator

from oncall.channels.common import ack_code
from oncall.models import Alert, NotificationDelivery, Page
from tests.oncall.channels.conftest import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    FROM_NUMBER,
    T0,
    add_methods,
    twilio_post,
)

pytestmark = pytest.mark.django_db

PHONE = "+4915112345678"


def test_the_signature_check_accepts_twilios_documented_example():
    # Twilio's security docs: auth token 12345, this URL and these parameters are signed
    # RSOYDt4T1cUTdK1PDd93/VVr8B8= (https://www.twilio.com/docs/usage/security; the same example is in
    # twilio-python's own tests).
    validator = RequestValidator("12345")
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    params = {
        "CallSid": "CA1234567890ABCDE",
        "Caller": "+14158675309",
        "Digits": "1234",
        "From": "+14158675309",
        "To": "+18005551212",
    }
    assert validator.validate(url, params, "RSOYDt4T1cUTdK1PDd93/VVr8B8=")
    assert not validator.validate(url, {**params, "Digits": "1"}, "RSOYDt4T1cUTdK1PDd93/VVr8B8=")


def test_a_page_by_sms_carries_the_alert_the_page_reference_and_an_acknowledge_code(
    channels, team, page_alert, deliver_all
):
    _, _, primary, _ = team
    add_methods(primary, ("sms", PHONE))
    alert, [page] = page_alert()
    deliver_all()

    [request] = [r for r in channels.twilio.requests if r.path.endswith("/Messages.json")]
    assert request.path == f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
    assert channels.twilio.basic_auth(request) == (ACCOUNT_SID, AUTH_TOKEN)
    sms = request.form
    assert (sms["To"], sms["From"]) == (PHONE, FROM_NUMBER)
    assert "PAGE: Payments are failing" in sms["Body"]
    assert f"Page {page.pk} · alert {alert.pk}" in sms["Body"]
    assert f"Reply {ack_code(alert.pk, primary.pk)} to acknowledge." in sms["Body"]
    assert "/hooks/channels/twilio/status/" in sms["StatusCallback"]
    [delivery] = NotificationDelivery.objects.filter(transport="sms")
    assert delivery.status == "sent"


def test_replying_with_the_code_acknowledges_the_alert_and_stops_the_escalation(
    client, channels, team, page_alert, deliver_all
):
    _, _, primary, _ = team
    add_methods(primary, ("sms", PHONE))
    alert, _ = page_alert()
    deliver_all()
    code = re.search(r"Reply (\d{6})", channels.twilio.messages()[0]["Body"]).group(1)

    response = twilio_post(
        client,
        "/hooks/channels/twilio/sms/",
        {"From": PHONE, "To": FROM_NUMBER, "Body": f" {code} ", "MessageSid": "SM1"},
        base=settings.FIREBREAK_BASE_URL,
    )

    assert response.status_code == 200 and response["Content-Type"].startswith("text/xml")
    assert b"Acknowledged CheckoutDown" in response.content
    alert.refresh_from_db()
    assert alert.acknowledged_by == primary
    assert not Page.objects.filter(alert=alert, status=Page.Status.PENDING).exists()


def test_a_reply_from_another_number_or_with_a_wrong_code_acknowledges_nothing(
    client, channels, team, page_alert, deliver_all
):
    _, _, primary, _ = team
    add_methods(primary, ("sms", PHONE))
    alert, _ = page_alert()
    deliver_all()
    code = ack_code(alert.pk, primary.pk)
    base = settings.FIREBREAK_BASE_URL
    path = "/hooks/channels/twilio/sms/"

    stranger = twilio_post(client, path, {"From": "+14155550100", "Body": code}, base=base)
    wrong = twilio_post(client, path, {"From": PHONE, "Body": "000000"}, base=base)

    assert b"no page of yours has that code" in stranger.content
    assert b"no page of yours has that code" in wrong.content
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_a_forged_reply_is_refused_before_anything_is_read(
    client, channels, team, page_alert, deliver_all
):
    _, _, primary, _ = team
    add_methods(primary, ("sms", PHONE))
    alert, _ = page_alert()
    deliver_all()
    params = {"From": PHONE, "Body": ack_code(alert.pk, primary.pk)}
    path = "/hooks/channels/twilio/sms/"

    unsigned = client.post(path, params)
    wrong_key = twilio_post(
        client, path, params, token="not-our-token", base=settings.FIREBREAK_BASE_URL
    )
    other_url = twilio_post(client, path, params, base="https://evil.example.com")

    assert [r.status_code for r in (unsigned, wrong_key, other_url)] == [403, 403, 403]
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_a_call_reads_the_page_and_pressing_1_acknowledges(
    client, channels, team, page_alert, deliver_all
):
    _, _, primary, _ = team
    add_methods(primary, ("phone", PHONE))
    alert, _ = page_alert()
    deliver_all()

    [call] = channels.twilio.calls()
    assert (call["To"], call["From"]) == (PHONE, FROM_NUMBER)
    assert "<Say>This is Firebreak. PAGE: Payments are failing." in call["Twiml"]
    assert "Press 1 to acknowledge." in call["Twiml"]
    action = re.search(r'<Gather action="([^"]+)"', call["Twiml"]).group(1).replace("&amp;", "&")
    assert call["StatusCallback"].startswith(
        settings.FIREBREAK_BASE_URL + "/hooks/channels/twilio/status/"
    )

    path = urlparse(action).path
    pressed_2 = twilio_post(
        client, path, {"CallSid": "CA1", "Digits": "2"}, base=settings.FIREBREAK_BASE_URL
    )
    alert.refresh_from_db()
    assert b"not acknowledged" in pressed_2.content and alert.acknowledged_at is None

    pressed_1 = twilio_post(
        client, path, {"CallSid": "CA1", "Digits": "1"}, base=settings.FIREBREAK_BASE_URL
    )
    assert pressed_1.status_code == 200 and b"Acknowledged CheckoutDown" in pressed_1.content
    alert.refresh_from_db()
    assert alert.acknowledged_by == primary


def test_a_keypress_on_a_stale_or_forged_call_link_is_refused(
    client, channels, team, page_alert, deliver_all, clock
):
    _, _, primary, _ = team
    add_methods(primary, ("phone", PHONE))
    alert, _ = page_alert()
    deliver_all()
    action = re.search(r'<Gather action="([^"]+)"', channels.twilio.calls()[0]["Twiml"]).group(1)
    path = urlparse(action.replace("&amp;", "&")).path
    base = settings.FIREBREAK_BASE_URL

    forged = client.post(path, {"Digits": "1"}, HTTP_X_TWILIO_SIGNATURE="bm90IGEgc2lnbmF0dXJl")
    tampered = twilio_post(
        client, path.replace("/gather/", "/gather/9"), {"Digits": "1"}, base=base
    )
    clock.at(T0 + timedelta(hours=2))  # the call's link lives one hour
    stale = twilio_post(client, path, {"Digits": "1"}, base=base)

    assert [forged.status_code, tampered.status_code, stale.status_code] == [403, 403, 403]
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_an_invalid_number_is_a_permanent_failure_not_retried(
    channels, team, page_alert, deliver_all
):
    _, _, primary, _ = team
    add_methods(primary, ("sms", PHONE))
    channels.twilio.fail_invalid_number()
    page_alert()
    deliver_all()

    [delivery] = NotificationDelivery.objects.filter(transport="sms")
    assert delivery.status == "failed" and delivery.attempts == 1
    assert "21211" in delivery.last_error
    assert len(channels.twilio.messages()) == 1


def test_twilio_being_down_is_transient_and_a_low_urgency_message_is_retried(
    channels, team, deliver_all
):
    from oncall.people.services import notification_send

    _, _, primary, _ = team
    add_methods(primary, ("sms", PHONE))
    channels.twilio.answer_next(
        503, {"code": 20503, "message": "Service unavailable", "status": 503}
    )
    notification_send(recipient=primary, subject="Shift starts soon", key="t:1", urgency="low")
    deliver_all()

    [delivery] = NotificationDelivery.objects.filter(transport="sms")
    assert delivery.status == "pending" and delivery.next_attempt_at is not None
    assert "could not take the SMS now" in delivery.last_error


def test_a_later_undelivered_status_fails_over_and_is_on_the_delivery(
    client, channels, team, page_alert, deliver_all
):
    _, _, primary, _ = team
    add_methods(primary, ("sms", PHONE), ("push", "ana-pager-7f3k"))
    page_alert()
    deliver_all()
    assert channels.ntfy.requests == []  # SMS went out; push waits as the fallback
    callback = channels.twilio.messages()[0]["StatusCallback"]
    path = urlparse(callback).path
    params = {
        "MessageSid": "SM1",
        "MessageStatus": "undelivered",
        "ErrorCode": "30003",
        "AccountSid": ACCOUNT_SID,
    }

    first = twilio_post(client, path, params, base=settings.FIREBREAK_BASE_URL)
    again = twilio_post(client, path, params, base=settings.FIREBREAK_BASE_URL)  # Twilio retries
    deliver_all()

    assert (first.status_code, again.status_code) == (204, 204)
    sms = NotificationDelivery.objects.get(transport="sms")
    assert sms.status == "failed" and "undelivered (error 30003)" in sms.last_error
    assert len(channels.ntfy.requests) == 1  # failed over once, not twice


def test_a_status_callback_with_a_forged_signature_changes_nothing(
    client, channels, team, page_alert, deliver_all
):
    _, _, primary, _ = team
    add_methods(primary, ("sms", PHONE))
    page_alert()
    deliver_all()
    path = urlparse(channels.twilio.messages()[0]["StatusCallback"]).path

    response = twilio_post(
        client, path, {"MessageStatus": "failed"}, token="guess", base=settings.FIREBREAK_BASE_URL
    )

    assert response.status_code == 403
    assert NotificationDelivery.objects.get(transport="sms").status == "sent"
    assert Alert.objects.get().acknowledged_at is None


def test_an_unanswered_call_fails_over_to_the_next_channel(
    client, channels, team, page_alert, deliver_all
):
    _, _, primary, _ = team
    add_methods(primary, ("phone", PHONE), ("sms", PHONE))
    page_alert()
    deliver_all()
    path = urlparse(channels.twilio.calls()[0]["StatusCallback"]).path

    response = twilio_post(
        client,
        path,
        {"CallSid": "CA1", "CallStatus": "no-answer", "AccountSid": ACCOUNT_SID},
        base=settings.FIREBREAK_BASE_URL,
    )
    deliver_all()

    assert response.status_code == 204
    call = NotificationDelivery.objects.get(transport="phone")
    assert call.status == "failed" and call.last_error == "Twilio reported the call no-answer"
    assert len(channels.twilio.messages()) == 1  # the SMS went out next


def test_a_completed_call_without_a_keypress_is_not_a_failure(
    client, channels, team, page_alert, deliver_all
):
    _, _, primary, _ = team
    add_methods(primary, ("phone", PHONE), ("sms", PHONE))
    page_alert()
    deliver_all()
    path = urlparse(channels.twilio.calls()[0]["StatusCallback"]).path

    twilio_post(client, path, {"CallStatus": "completed"}, base=settings.FIREBREAK_BASE_URL)
    deliver_all()

    assert NotificationDelivery.objects.get(transport="phone").status == "sent"
    assert channels.twilio.messages() == []
