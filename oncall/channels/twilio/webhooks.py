"""Twilio's requests to us: the reply to an SMS, the keypress of a call, status callbacks.

Each is verified with Twilio's request signature (``X-Twilio-Signature``, the package's
``RequestValidator`` over our public URL and the form parameters) before anything else is
looked at; a forged one, or a callback whose signed token has expired, is 403 and writes
nothing. Answers are TwiML.
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.http import HttpResponse, HttpResponseForbidden
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse
from twilio.twiml.voice_response import VoiceResponse

from config.errors import ApplicationError
from oncall.alerts.services import alert_acknowledge
from oncall.channels.common import ack_code, page_facts
from oncall.channels.models import ContactMethod
from oncall.channels.twilio.transport import CALLBACK_SALT
from oncall.escalation.models import Page
from oncall.people.failover import delivery_mark_undelivered
from oncall.people.models import NotificationDelivery

logger = logging.getLogger(__name__)

GATHER_MAX_AGE = timedelta(hours=1)  # a call is answered within minutes of being placed
STATUS_MAX_AGE = timedelta(days=2)  # carriers may report "undelivered" hours later
REPLY_WINDOW = timedelta(hours=24)  # an SMS code acknowledges pages sent this recently
FAILED_MESSAGE = {"undelivered", "failed"}
FAILED_CALL = {"busy", "no-answer", "failed", "canceled"}


def _signed_by_twilio(request) -> bool:
    """Twilio signs the exact URL it was given (our FIREBREAK_BASE_URL, not the Host header a
    proxy may rewrite) plus the POST parameters."""
    if not settings.TWILIO_AUTH_TOKEN:
        return False
    url = settings.FIREBREAK_BASE_URL + request.get_full_path()
    signature = request.headers.get("X-Twilio-Signature", "")
    return bool(signature) and RequestValidator(settings.TWILIO_AUTH_TOKEN).validate(
        url, request.POST, signature
    )


def _delivery_from_token(delivery_id: int, token: str, max_age: timedelta):
    try:
        signed_id = signing.loads(token, salt=CALLBACK_SALT, max_age=max_age.total_seconds())
    except signing.BadSignature:  # includes SignatureExpired: a stale callback
        return None
    if signed_id != delivery_id:
        return None
    return (
        NotificationDelivery.objects.select_related("notification__recipient")
        .filter(pk=delivery_id)
        .first()
    )


def _twiml(response) -> HttpResponse:
    return HttpResponse(str(response), content_type="text/xml")


def _forbidden(why: str) -> HttpResponse:
    logger.warning("Twilio webhook refused: %s", why)
    return HttpResponseForbidden(why)


@csrf_exempt
@require_POST
def sms_reply(request):
    """An SMS to our Twilio number: a page's code from a number on file acknowledges it."""
    if not _signed_by_twilio(request):
        return _forbidden("Bad or missing X-Twilio-Signature.")
    sender = request.POST.get("From", "")
    codes = re.findall(r"\b\d{6}\b", request.POST.get("Body", ""))
    answer = MessagingResponse()
    people = [
        m.user
        for m in ContactMethod.objects.filter(
            kind__in=[ContactMethod.Kind.SMS, ContactMethod.Kind.PHONE], address=sender
        ).select_related("user")
    ]
    pages = Page.objects.filter(
        person__in=people,
        status=Page.Status.SENT,
        sent_at__gte=timezone.now() - REPLY_WINDOW,
    ).select_related("alert", "person")
    matched = [p for p in pages if ack_code(p.alert_id, p.person_id) in codes]
    if not codes or not matched:
        answer.message("Firebreak: no page of yours has that code. Open the page's link instead.")
        return _twiml(answer)
    if len({p.alert_id for p in matched}) > 1:  # two recent pages share a code: rare, but ask
        answer.message("Firebreak: that code fits more than one page; use the page's link.")
        return _twiml(answer)
    page = matched[0]
    answer.message(_acknowledge(page.person, page.alert))
    return _twiml(answer)


@csrf_exempt
@require_POST
def call_gather(request, delivery_id: int, token: str):
    """The key pressed during a page's call: 1 acknowledges as the person called."""
    if not _signed_by_twilio(request):
        return _forbidden("Bad or missing X-Twilio-Signature.")
    delivery = _delivery_from_token(delivery_id, token, GATHER_MAX_AGE)
    if delivery is None:
        return _forbidden("This call's link is not valid or has expired.")
    facts = page_facts(delivery.notification)
    response = VoiceResponse()
    if facts is None or request.POST.get("Digits") != "1":
        response.say("The alert is not acknowledged. Goodbye.")
        return _twiml(response)
    response.say(_acknowledge(delivery.notification.recipient, facts.page.alert))
    return _twiml(response)


@csrf_exempt
@require_POST
def status_callback(request, delivery_id: int, token: str):
    """Twilio's StatusCallback for a message or a call: a message that ends "undelivered" or
    "failed", or a call that was busy, not answered or failed, fails over."""
    if not _signed_by_twilio(request):
        return _forbidden("Bad or missing X-Twilio-Signature.")
    delivery = _delivery_from_token(delivery_id, token, STATUS_MAX_AGE)
    if delivery is None:
        return _forbidden("This callback's link is not valid or has expired.")
    message_status = request.POST.get("MessageStatus", "")
    call_status = request.POST.get("CallStatus", "")
    error = request.POST.get("ErrorCode", "")
    if message_status in FAILED_MESSAGE or call_status in FAILED_CALL:
        what = f"message {message_status}" if message_status else f"call {call_status}"
        reason = f"Twilio reported the {what}" + (f" (error {error})" if error else "")
        delivery_mark_undelivered(delivery_id=delivery.pk, reason=reason)
    return HttpResponse(status=204)


def _acknowledge(person, alert) -> str:
    """Acknowledge as ``person``; the sentence to say or text back."""
    try:
        alert = alert_acknowledge(user=person, alert=alert)
    except ApplicationError as exc:
        return f"Firebreak: {exc.message}"
    if alert.acknowledged_by_id == person.pk:
        return f"Acknowledged {alert.name} as {person.display_name}. Paging stopped."
    return f"Someone acknowledged {alert.name} before you. Paging stopped."
