"""Built-in transports: the web inbox and e-mail."""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.core.mail import send_mail

from oncall.people.notify import PermanentDeliveryError, TransientDeliveryError, register


class WebTransport:
    """The notification row itself is the web inbox entry, so delivery always succeeds."""

    name = "web"
    label = "Web"

    def applies_to(self, user, urgency: str) -> bool:
        return True

    def send(self, notification) -> None:
        return None


class EmailTransport:
    name = "email"
    label = "E-mail"

    def applies_to(self, user, urgency: str) -> bool:
        return bool(user.email)

    def send(self, notification) -> None:
        link = (
            f"{settings.FIREBREAK_BASE_URL}{notification.url}"
            if notification.url.startswith("/")
            else notification.url
        )
        body = notification.body + (f"\n\n{link}" if link else "")
        try:
            send_mail(
                subject=f"[Firebreak] {notification.subject}",
                message=body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[notification.recipient.email],
            )
        except smtplib.SMTPRecipientsRefused as exc:
            raise PermanentDeliveryError(
                f"The mail server refused {notification.recipient.email}: {exc}"
            ) from exc
        except smtplib.SMTPAuthenticationError as exc:
            raise PermanentDeliveryError(
                f"The mail server rejected Firebreak's credentials: {exc}"
            ) from exc
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            raise TransientDeliveryError(f"Could not reach the mail server: {exc}") from exc


register(WebTransport())
register(EmailTransport())
