"""Notification transports: a registry that higher layers fill (Slack DM and channel join later).

A transport delivers one notification to its recipient. It raises ``TransientDeliveryError`` for
failures worth retrying (network, rate limits) and ``PermanentDeliveryError`` for failures that
will never succeed (no address, account gone); anything else is treated as transient.

A transport with ``failover = True`` (SMS, voice, push, Teams: ``oncall.channels``) is one link
of the person's failover chain, ordered by its ``rank(user)``: a notification goes out on the
first link only, and on the next one as soon as a link fails (``oncall.people.failover``). When
every link failed, ``channels_exhausted`` is sent with the notification.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from django.dispatch import Signal

if TYPE_CHECKING:
    from oncall.people.models import Notification


# Sent (with ``notification=``) when every failover channel of a notification failed.
channels_exhausted = Signal()


class TransientDeliveryError(Exception):
    """Retry later with backoff."""


class PermanentDeliveryError(Exception):
    """Never retry; show the failure to the person."""


class Transport(Protocol):
    name: str
    label: str

    def applies_to(self, user, urgency: str) -> bool:
        """Whether this person should get notifications of this urgency through this transport."""

    def send(self, notification: Notification) -> None:
        """Deliver, or raise TransientDeliveryError / PermanentDeliveryError."""


_registry: dict[str, Transport] = {}


def register(transport: Transport) -> Transport:
    _registry[transport.name] = transport
    return transport


def is_failover(transport) -> bool:
    return bool(getattr(transport, "failover", False))


def unregister(name: str) -> None:
    _registry.pop(name, None)


def get(name: str) -> Transport | None:
    return _registry.get(name)


def registered() -> list[Transport]:
    return list(_registry.values())
