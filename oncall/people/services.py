"""Writes for people: notifications and their deliveries, profiles, notification preferences."""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from config.errors import ValidationFailed
from oncall.people import notify
from oncall.people.failover import delivery_fail_over, split_transports
from oncall.people.models import (
    Notification,
    NotificationDelivery,
    NotificationPreference,
    validate_timezone,
)
from oncall.people.preferences import (
    ALWAYS_ON,
    optional_transports,
    preference_for,
    quiet_hours_end,
)
from oncall.queue import enqueue

logger = logging.getLogger(__name__)

BACKOFF_BASE_SECONDS = 30
BACKOFF_MAX_SECONDS = 15 * 60


def notification_send(
    *,
    recipient,
    subject: str,
    key: str,
    body: str = "",
    url: str = "",
    urgency: str = Notification.Urgency.HIGH,
) -> Notification | None:
    """Notify one person through every transport that applies to them and that they have not
    turned off for this urgency; low urgency during their quiet hours is delivered when they end.
    Of the failover transports (SMS, voice, push, Teams) only the person's first goes out now;
    the next one when it fails (``oncall.people.failover``).

    Idempotent on ``(recipient, key)``: a replayed caller never notifies twice, and gets None.
    Deliveries are queued only after the surrounding transaction commits.
    """
    if recipient is None or not recipient.is_active:
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                subject=subject[:200],
                body=body,
                url=url,
                urgency=urgency,
                key=key[:200],
            )
    except IntegrityError:
        return None
    # Low urgency waits out the person's quiet hours (delayed, not dropped: the sweep sends it).
    quiet_until = None
    if urgency != Notification.Urgency.HIGH:
        quiet_until = quiet_hours_end(recipient, timezone.now())
    parallel, chain = split_transports(recipient, urgency)
    deliveries = [
        NotificationDelivery.objects.create(
            notification=notification, transport=t.name, next_attempt_at=quiet_until
        )
        for t in [*parallel, *chain[:1]]
    ]
    ids = [d.pk for d in deliveries]
    if ids and quiet_until is None:
        transaction.on_commit(lambda: _enqueue_deliveries(ids))
    return notification


def _enqueue_deliveries(ids: list[int]) -> None:
    # Broker down: enqueue logs it and the sweep picks the rows up later; nothing is lost.
    for delivery_id in ids:
        enqueue("oncall.tasks.notification_deliver", delivery_id)


def _claim_delivery(delivery_id: int) -> datetime | None:
    """Conditional update: only one worker ever gets to send a given attempt.

    Returns the claim's timestamp (the caller's proof of ownership), or None when the row is not
    due, already being sent by a live worker, or finished.
    """
    now = timezone.now()
    stale = now - timedelta(seconds=settings.FIREBREAK_REMINDER_CLAIM_LEASE_SECONDS)
    claimable = Q(status=NotificationDelivery.Status.PENDING) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    ) | Q(status=NotificationDelivery.Status.SENDING, claimed_at__lt=stale)
    won = NotificationDelivery.objects.filter(claimable, pk=delivery_id).update(
        status=NotificationDelivery.Status.SENDING, claimed_at=now
    )
    return now if won else None


def retry_delay(attempts: int, exc: Exception | None = None) -> timedelta:
    """Backoff after the ``attempts``-th failed attempt: 30 s, 1, 2, 4 … min, at most 15 min.

    A transport that knows better (a rate limit's Retry-After) sets ``retry_after`` (seconds) on
    the exception it raises; the longer of the two wins.
    """
    backoff = min(BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_MAX_SECONDS)
    hint = getattr(exc, "retry_after", None)
    if isinstance(hint, int | float) and not isinstance(hint, bool) and hint > backoff:
        backoff = min(hint, BACKOFF_MAX_SECONDS)
    return timedelta(seconds=backoff)


def notification_delivery_attempt(*, delivery_id: int) -> NotificationDelivery | None:
    """Try one delivery once. Transient failures are rescheduled with backoff, permanent ones recorded.

    Returns None when this caller did not get the claim (not due, finished, or being sent).
    Delivery is at least once: a worker that dies after the transport accepted the message but
    before the result was saved leaves a claim that the sweep takes back after the lease.
    """
    claimed_at = _claim_delivery(delivery_id)
    if claimed_at is None:
        return None
    delivery = NotificationDelivery.objects.select_related("notification__recipient").get(
        pk=delivery_id
    )
    transport = notify.get(delivery.transport)
    fails_over_now = (
        notify.is_failover(transport) and delivery.notification.urgency == Notification.Urgency.HIGH
    )
    delivery.attempts += 1
    try:
        if transport is None:
            raise notify.PermanentDeliveryError(
                f"The {delivery.transport!r} transport is not installed."
            )
        transport.send(delivery.notification)
    except notify.PermanentDeliveryError as exc:
        delivery.status = NotificationDelivery.Status.FAILED
        delivery.last_error = str(exc) or exc.__class__.__name__
        delivery.next_attempt_at = None
        logger.warning(
            "delivery %s via %s failed for good: %s",
            delivery.pk,
            delivery.transport,
            delivery.last_error,
        )
    except Exception as exc:  # transient, including anything the transport did not classify
        delivery.last_error = str(exc) or exc.__class__.__name__
        if fails_over_now:
            # A page does not wait out a retry's backoff: the next channel goes out at once.
            delivery.status = NotificationDelivery.Status.FAILED
            delivery.next_attempt_at = None
        elif delivery.attempts >= settings.FIREBREAK_NOTIFICATION_MAX_ATTEMPTS:
            delivery.status = NotificationDelivery.Status.FAILED
            delivery.next_attempt_at = None
            delivery.last_error = (
                f"Gave up after {delivery.attempts} attempts: {delivery.last_error}"
            )
        else:
            delivery.status = NotificationDelivery.Status.PENDING
            delivery.next_attempt_at = timezone.now() + retry_delay(delivery.attempts, exc)
        logger.warning(
            "delivery %s via %s failed: %s", delivery.pk, delivery.transport, delivery.last_error
        )
    else:
        delivery.status = NotificationDelivery.Status.SENT
        delivery.sent_at = timezone.now()
        delivery.next_attempt_at = None
        delivery.last_error = ""
    # Write the outcome only while the claim is still ours: if the lease expired and another worker
    # took the row over, its outcome stands and ours is dropped.
    fields = ("status", "attempts", "next_attempt_at", "sent_at", "last_error")
    still_ours = NotificationDelivery.objects.filter(
        pk=delivery.pk, status=NotificationDelivery.Status.SENDING, claimed_at=claimed_at
    ).update(**{f: getattr(delivery, f) for f in fields})
    if not still_ours:
        logger.warning(
            "delivery %s was taken over by another worker; dropping this attempt's result",
            delivery.pk,
        )
        return None
    if delivery.status == NotificationDelivery.Status.FAILED and notify.is_failover(transport):
        delivery_fail_over(delivery=delivery)
    return delivery


def notification_mark_read(*, user, notification_id: int | None = None) -> int:
    """Mark one notification (or, with no id, all of them) as read. Returns how many changed."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())


def user_update_profile(
    *, user, timezone_name: str, slack_user_id: str = "", email: str | None = None
):
    """Change a person's own preferences. Raises ValidationFailed naming the field."""

    try:
        validate_timezone(timezone_name)
    except ValidationError as exc:
        raise ValidationFailed(exc.messages[0], field_errors={"timezone": exc.messages}) from None
    user.timezone = timezone_name
    user.slack_user_id = slack_user_id.strip()
    if email is not None:
        user.email = email.strip()
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        raise ValidationFailed(
            "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items()),
            field_errors=exc.message_dict,
        ) from None
    user.save(update_fields=["timezone", "slack_user_id", "email"])
    return user


def notification_preferences_update(
    *,
    user,
    high_transports: list[str],
    low_transports: list[str],
    quiet_hours_enabled: bool,
    quiet_start: time | None = None,
    quiet_end: time | None = None,
    phone_number: str = "",
) -> NotificationPreference:
    """Save a person's own preferences. ``high_transports``/``low_transports`` are the transport
    names they want ON; the rest of the optional transports are stored as turned off.
    Raises ValidationFailed naming the field."""
    known = {t.name for t in optional_transports()}
    errors: dict[str, list[str]] = {}
    for field, chosen in (("high_transports", high_transports), ("low_transports", low_transports)):
        unknown = sorted(set(chosen) - known - {ALWAYS_ON})
        if unknown:
            errors[field] = [f"Unknown transport(s): {', '.join(unknown)}."]
    if quiet_hours_enabled:
        if quiet_start is None or quiet_end is None:
            errors["quiet_start"] = ["Give the start and end of your quiet hours."]
        elif quiet_start == quiet_end:
            errors["quiet_end"] = ["Quiet hours must end at a different time than they start."]
    preference = preference_for(user) or NotificationPreference(user=user)
    preference.high_disabled_transports = sorted(known - set(high_transports))
    preference.low_disabled_transports = sorted(known - set(low_transports))
    preference.quiet_hours_enabled = bool(quiet_hours_enabled)
    preference.quiet_start = quiet_start
    preference.quiet_end = quiet_end
    preference.phone_number = (phone_number or "").strip()
    if not errors:
        try:
            preference.full_clean(exclude=["user"])
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        first_field, messages = next(iter(errors.items()))
        raise ValidationFailed(f"{first_field}: {messages[0]}", field_errors=errors)
    preference.save()
    return preference
