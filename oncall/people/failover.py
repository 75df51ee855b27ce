"""Failover between a person's channels (issue 20): one channel at a time, the next at once.

The transports that declare ``failover = True`` form a chain per person, ordered by their
``rank(user)`` (the person's contact-method order). ``notification_send`` creates a delivery row
for the first link only; when a link fails (``delivery_fail_over``), the row of the next link is
created and queued. The unique (notification, transport) key of a delivery makes each channel go
out at most once per notification, whoever calls this twice. When no link is left,
``notify.channels_exhausted`` is sent so escalation can move on at once.
"""

from __future__ import annotations

import logging
from functools import partial

from django.db import IntegrityError, transaction

from oncall.people import notify
from oncall.people.models import Notification, NotificationDelivery
from oncall.people.preferences import transports_for
from oncall.queue import enqueue

logger = logging.getLogger(__name__)


def failover_chain(user, urgency: str) -> list:
    """The person's failover transports for this urgency, first to try first."""
    return split_transports(user, urgency)[1]


def split_transports(user, urgency: str) -> tuple[list, list]:
    """``(parallel, chain)``: the transports that all go out at once, and the failover chain."""
    chosen = transports_for(user, urgency)
    parallel = [t for t in chosen if not notify.is_failover(t)]
    chain = sorted((t for t in chosen if notify.is_failover(t)), key=lambda t: t.rank(user))
    return parallel, chain


def delivery_fail_over(*, delivery: NotificationDelivery) -> NotificationDelivery | None:
    """After ``delivery`` (a failover channel) failed: queue the person's next channel that has
    not been tried for this notification, or, with none left, send ``channels_exhausted``.

    Returns the new delivery, or None. Precondition: ``delivery`` is saved as FAILED.
    """
    notification = delivery.notification
    chain = failover_chain(notification.recipient, notification.urgency)
    tried = set(
        NotificationDelivery.objects.filter(notification=notification).values_list(
            "transport", flat=True
        )
    )
    for transport in chain:
        if transport.name in tried:
            continue
        try:
            with transaction.atomic():
                nxt = NotificationDelivery.objects.create(
                    notification=notification, transport=transport.name
                )
        except IntegrityError:
            return None  # another worker failed over already: it queued the next channel
        logger.info(
            "notification %s: %s failed, failing over to %s",
            notification.pk,
            delivery.transport,
            transport.name,
        )
        transaction.on_commit(partial(enqueue, "oncall.tasks.notification_deliver", nxt.pk))
        return nxt
    if not _chain_failed(notification):
        return None  # another link is still out (or was sent): not exhausted
    transaction.on_commit(
        lambda: notify.channels_exhausted.send(sender=Notification, notification=notification)
    )
    return None


def _chain_failed(notification: Notification) -> bool:
    links = [
        d
        for d in NotificationDelivery.objects.filter(notification=notification)
        if notify.is_failover(notify.get(d.transport))
    ]
    return bool(links) and all(d.status == NotificationDelivery.Status.FAILED for d in links)


def delivery_mark_undelivered(*, delivery_id: int, reason: str) -> NotificationDelivery | None:
    """A provider reported later that a sent message never arrived (Twilio's StatusCallback
    "undelivered"/"failed", a call not answered): record it and fail over. Idempotent: only a
    delivery still marked sent changes, so a repeated callback does nothing more."""
    changed = NotificationDelivery.objects.filter(
        pk=delivery_id, status=NotificationDelivery.Status.SENT
    ).update(status=NotificationDelivery.Status.FAILED, last_error=reason[:1000])
    if not changed:
        return None
    delivery = NotificationDelivery.objects.select_related("notification__recipient").get(
        pk=delivery_id
    )
    if notify.is_failover(notify.get(delivery.transport)):
        delivery_fail_over(delivery=delivery)
    return delivery
