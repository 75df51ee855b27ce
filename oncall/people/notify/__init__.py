"""Notification transports: a registry that higher layers fill (Slack DM and channel join later).

A transport delivers one notification to its recipient. It raises ``TransientDeliveryError`` for
failures worth retrying (network, rate limits) and ``PermanentDeliveryError`` for failures that
will never succeed (no address, account gone); anything else is treated as transient.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from oncall.people.models import Notification


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


def unregister(name: str) -> None:
    _registry.pop(name, None)


def get(name: str) -> Transport | None:
    return _registry.get(name)


def registered() -> list[Transport]:
    return list(_registry.values())
