"""A regional SMS / voice provider by HTTP webhook: URL, method, auth header and body template
from the admin's settings (a local fake provider over real HTTP)."""

from __future__ import annotations

import pytest

from oncall.models import NotificationDelivery
from tests.oncall.channels.conftest import add_methods

pytestmark = pytest.mark.django_db

PHONE = "+254712345678"


def test_a_page_goes_to_the_provider_as_the_admins_json_template(
    settings, channels, team, page_alert, deliver_all
):
    settings.FIREBREAK_SMS_WEBHOOK_AUTH_HEADER = "X-Api-Key: k-123"
    settings.FIREBREAK_SMS_WEBHOOK_BODY = (
        '{"recipients": ["$to"], "message": "$text", "ref": "$reference", "ack": "$ack_url"}'
    )
    _, _, primary, _ = team
    add_methods(primary, ("sms_webhook", PHONE))
    alert, [page] = page_alert()
    deliver_all()

    [request] = channels.provider.requests
    assert (request.method, request.path) == ("POST", "/sms")
    assert request.headers["X-Api-Key"] == "k-123"
    assert request.headers["Content-Type"] == "application/json"
    body = request.json
    assert body["recipients"] == [PHONE]
    assert body["message"].startswith("PAGE: Payments are failing\n")  # newline kept, escaped
    assert body["ref"] == f"Page {page.pk} · alert {alert.pk}"
    assert f"/alerts/{alert.pk}/ack/" in body["ack"]
    assert NotificationDelivery.objects.get(transport="sms_webhook").status == "sent"


def test_a_form_template_is_sent_form_encoded_and_a_get_as_a_query(
    settings, channels, team, page_alert, deliver_all
):
    settings.FIREBREAK_PHONE_WEBHOOK_URL = channels.provider.url + "/call?account=7"
    settings.FIREBREAK_PHONE_WEBHOOK_METHOD = "GET"
    settings.FIREBREAK_PHONE_WEBHOOK_BODY = "to=$to&say=$subject"
    _, _, primary, _ = team
    add_methods(primary, ("phone_webhook", PHONE))
    page_alert()
    deliver_all()

    [request] = channels.provider.requests
    assert request.method == "GET" and request.path == "/call"
    assert request.query == {"account": "7", "to": PHONE, "say": "PAGE: Payments are failing"}


def test_a_provider_refusing_the_request_is_permanent(channels, team, page_alert, deliver_all):
    _, _, primary, _ = team
    add_methods(primary, ("sms_webhook", PHONE))
    channels.provider.answer_next(422, {"error": "invalid recipient"})
    page_alert()
    deliver_all()

    delivery = NotificationDelivery.objects.get(transport="sms_webhook")
    assert delivery.status == "failed"
    assert 'HTTP 422: {"error": "invalid recipient"}' in delivery.last_error
