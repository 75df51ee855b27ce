"""What every channel transport shares: the contact method it sends to, its place in the
person's failover order, and what a page says (alert, page reference, acknowledge code/link)."""

from __future__ import annotations

import hashlib
import hmac
from abc import ABC, abstractmethod
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from oncall.channels.models import ContactMethod
from oncall.escalation.models import Page
from oncall.escalation.paging import ack_token, page_for_notification

ACK_CODE_DIGITS = 6


class ChannelTransport(ABC):
    """Base of the paging-channel transports: one ``ContactMethod.Kind`` each, tried in the
    person's order (``failover = True``, see ``oncall.people.failover``)."""

    name: str = ""
    failover = True

    @property
    def label(self) -> str:
        """The name people see: the contact method kind's (``ContactMethod.Kind``)."""
        return ContactMethod.Kind(self.name).label

    @abstractmethod
    def is_configured(self) -> bool:
        """Whether the server has this channel's provider settings (a channel without them is
        skipped, never tried)."""

    def contact(self, user) -> ContactMethod | None:
        return contact_methods_by_kind(user).get(self.name)

    def applies_to(self, user, urgency: str) -> bool:
        return self.is_configured() and self.contact(user) is not None

    def rank(self, user) -> int:
        method = self.contact(user)
        return method.position if method is not None else 1000

    @abstractmethod
    def send(self, notification) -> None:
        """Deliver ``notification``; raise the notify layer's permanent or transient error."""


CACHE_ATTRIBUTE = "_contact_methods_by_kind"


def contact_methods_by_kind(user) -> dict[str, ContactMethod]:
    """The person's contact methods by kind, read once per user object: choosing transports
    asks every channel (applies_to, rank) and would otherwise cost a query each. The services
    that change contact methods drop it (``forget_contact_methods``)."""
    if user is None or user.pk is None:
        return {}
    cached = getattr(user, CACHE_ATTRIBUTE, None)
    if cached is None:
        cached = {m.kind: m for m in ContactMethod.objects.filter(user=user)}
        setattr(user, CACHE_ATTRIBUTE, cached)
    return cached


def forget_contact_methods(user) -> None:
    if user is not None:
        setattr(user, CACHE_ATTRIBUTE, None)


def absolute(path: str) -> str:
    return f"{settings.FIREBREAK_BASE_URL}{path}" if path.startswith("/") else path


@dataclass(frozen=True)
class PageFacts:
    """What a channel says about a page: which alert, which page, how to acknowledge it."""

    page: Page
    reference: str  # e.g. "Page 42 · alert 17"
    ack_code: str  # replied by SMS
    ack_url: str  # the signed link of the page's e-mail (GET shows a confirm button)
    ack_post_url: str  # the same token, acknowledging on a bare POST (ntfy's action button)


def page_facts(notification) -> PageFacts | None:
    """The page behind a ``page:…`` notification, or None for any other notification."""
    page = page_for_notification(notification)
    if page is None:
        return None
    token = ack_token(page.alert, page.person)
    kwargs = {"alert_id": page.alert_id, "token": token}
    return PageFacts(
        page=page,
        reference=f"Page {page.pk} · alert {page.alert_id}",
        ack_code=ack_code(page.alert_id, page.person_id),
        ack_url=absolute(reverse("oncall:alert-ack-link", kwargs=kwargs)),
        ack_post_url=absolute(reverse("hooks:channels-ack", kwargs=kwargs)),
    )


def ack_code(alert_id: int, person_id: int) -> str:
    """A short code that acknowledges one alert for one person when they text it back: derived
    (HMAC of the secret key), so nothing is stored; unique enough among one person's recent pages."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(),
        f"firebreak.ack-code:{alert_id}:{person_id}".encode(),
        hashlib.sha256,
    ).digest()
    number = int.from_bytes(digest[:8], "big") % 10**ACK_CODE_DIGITS
    return f"{number:0{ACK_CODE_DIGITS}d}"


def plain_text(notification, facts: PageFacts | None, *, limit: int, reply_code: bool) -> str:
    """The notification as a short text (SMS, generic provider): subject, first line of the
    body, the page reference and, where the channel can answer (``reply_code``), the code."""
    lines = [notification.subject]
    if facts is not None:
        lines.append(facts.reference)
        if reply_code:
            lines.append(f"Reply {facts.ack_code} to acknowledge.")
        else:
            lines.append(f"Acknowledge: {facts.ack_url}")
    body = notification.body.split("\n")[0] if notification.body else ""
    if body:
        lines.insert(1, body)
    return "\n".join(lines)[:limit]
