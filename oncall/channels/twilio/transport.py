"""Twilio SMS (``sms``) and voice (``phone``) transports.

The ``twilio`` client talks real HTTP to ``TWILIO_API_URL`` (tests: a local fake Twilio). Every
message and call carries a StatusCallback to ``/hooks/channels/twilio/status/<delivery>/<token>/``,
so a later "undelivered"/"failed" (or an unanswered call) fails over to the next channel. A call
reads the page and waits for "press 1" (``<Gather>``); the keypress acknowledges.

Errors: Twilio's 21211 (invalid "To" number) and its kin are permanent — never retried, the next
channel goes out now; 429, 5xx and network failures are transient.
"""

from __future__ import annotations

import logging

import requests
from django.conf import settings
from django.core import signing
from django.urls import reverse
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client
from twilio.twiml.voice_response import VoiceResponse

from oncall.channels.common import ChannelTransport, absolute, page_facts, plain_text
from oncall.people.notify import PermanentDeliveryError, TransientDeliveryError

logger = logging.getLogger(__name__)

TWILIO_HOST = "https://api.twilio.com"
CALLBACK_SALT = "firebreak.channels.twilio-callback"
# Twilio's error codes that no retry can fix: invalid / unreachable / blocked numbers, a number
# that cannot receive SMS, a call to a number not allowed (https://www.twilio.com/docs/api/errors).
PERMANENT_CODES = {21211, 21214, 21217, 21401, 21407, 21408, 21610, 21612, 21614, 13224, 13227}
SMS_LIMIT = 320  # two segments


class _BaseUrlHttpClient(TwilioHttpClient):
    """The package's own HTTP client, sent to ``TWILIO_API_URL`` instead of api.twilio.com."""

    def request(self, method, url, *args, **kwargs):
        if url.startswith(TWILIO_HOST) and settings.TWILIO_API_URL != TWILIO_HOST:
            url = settings.TWILIO_API_URL + url[len(TWILIO_HOST) :]
        return super().request(method, url, *args, **kwargs)


def twilio_client() -> Client:
    return Client(
        settings.TWILIO_ACCOUNT_SID,
        settings.TWILIO_AUTH_TOKEN,
        http_client=_BaseUrlHttpClient(timeout=settings.FIREBREAK_CHANNEL_TIMEOUT_SECONDS),
    )


def twilio_configured() -> bool:
    sender = settings.TWILIO_FROM_NUMBER or settings.TWILIO_MESSAGING_SERVICE_SID
    return bool(settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN and sender)


def callback_token(delivery_id: int) -> str:
    return signing.dumps(delivery_id, salt=CALLBACK_SALT)


def callback_url(name: str, delivery_id: int) -> str:
    """An absolute URL Twilio calls back for this delivery; the signed token expires (stale
    callbacks are refused) and names the delivery, so no lookup by Twilio's SID is needed."""
    path = reverse(
        f"hooks:{name}", kwargs={"delivery_id": delivery_id, "token": callback_token(delivery_id)}
    )
    return absolute(path)


def _raise_for(exc: Exception, what: str):
    if isinstance(exc, TwilioRestException):
        if exc.code in PERMANENT_CODES or (exc.status in (400, 401, 403, 404) and exc.code):
            raise PermanentDeliveryError(
                f"Twilio refused the {what} (error {exc.code}): {exc.msg}"
            ) from exc
        retry = TransientDeliveryError(f"Twilio could not take the {what} now: {exc.msg}")
        raise retry from exc
    raise TransientDeliveryError(f"Could not reach Twilio: {exc}") from exc


class TwilioSmsTransport(ChannelTransport):
    name = "sms"

    def is_configured(self) -> bool:
        return twilio_configured()

    def send(self, notification) -> None:
        method = self.contact(notification.recipient)
        if method is None:
            raise PermanentDeliveryError("No phone number for SMS.")
        facts = page_facts(notification)
        delivery = notification.deliveries.get(transport=self.name)
        arguments = {
            "to": method.address,
            "body": plain_text(notification, facts, limit=SMS_LIMIT, reply_code=True),
            "status_callback": callback_url("twilio-status", delivery.pk),
        }
        if settings.TWILIO_MESSAGING_SERVICE_SID:
            arguments["messaging_service_sid"] = settings.TWILIO_MESSAGING_SERVICE_SID
        else:
            arguments["from_"] = settings.TWILIO_FROM_NUMBER
        try:
            message = twilio_client().messages.create(**arguments)
        except (TwilioException, requests.RequestException) as exc:
            _raise_for(exc, "SMS")
        logger.info("SMS %s queued for delivery %s", message.sid, delivery.pk)


class TwilioVoiceTransport(ChannelTransport):
    name = "phone"

    def is_configured(self) -> bool:
        return twilio_configured() and bool(settings.TWILIO_FROM_NUMBER)

    def send(self, notification) -> None:
        method = self.contact(notification.recipient)
        if method is None:
            raise PermanentDeliveryError("No phone number to call.")
        delivery = notification.deliveries.get(transport=self.name)
        try:
            call = twilio_client().calls.create(
                to=method.address,
                from_=settings.TWILIO_FROM_NUMBER,
                twiml=str(call_twiml(notification, delivery.pk)),
                status_callback=callback_url("twilio-status", delivery.pk),
                status_callback_event=["completed"],
                timeout=30,
            )
        except (TwilioException, requests.RequestException) as exc:
            _raise_for(exc, "call")
        logger.info("call %s placed for delivery %s", call.sid, delivery.pk)


def call_twiml(notification, delivery_id: int) -> VoiceResponse:
    """What the call says: the page, then "press 1 to acknowledge" (said twice)."""
    facts = page_facts(notification)
    speech = f"This is Firebreak. {notification.subject}."
    if notification.body:
        speech += " " + notification.body.split("\n")[0][:300]
    response = VoiceResponse()
    if facts is None:
        response.say(speech)
        return response
    gather = response.gather(
        num_digits=1, action=callback_url("twilio-gather", delivery_id), method="POST", timeout=10
    )
    gather.say(speech)
    gather.say("Press 1 to acknowledge.")
    response.say("No key was pressed. The alert is not acknowledged. Goodbye.")
    return response
