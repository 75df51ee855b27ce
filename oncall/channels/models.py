"""A person's contact methods for the paging channels, in the order they want to be tried."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

PHONE_RE = re.compile(r"^\+[1-9][0-9]{6,14}$")
NTFY_TOPIC_RE = re.compile(r"^[-_A-Za-z0-9]{1,64}$")


class ContactMethod(models.Model):
    """One way to reach one person: ``kind`` names the transport (``oncall.people.notify``),
    ``address`` is what that transport sends to. One per kind and person; ``position`` orders
    failover (0 is tried first)."""

    class Kind(models.TextChoices):
        SMS = "sms", "SMS (Twilio)"
        PHONE = "phone", "Voice call (Twilio)"
        SMS_WEBHOOK = "sms_webhook", "SMS (provider webhook)"
        PHONE_WEBHOOK = "phone_webhook", "Voice call (provider webhook)"
        PUSH = "push", "Push (ntfy)"
        TEAMS = "teams", "Microsoft Teams"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contact_methods"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    address = models.CharField(max_length=500)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="contact_method_one_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.user}: {self.masked_address}"

    @property
    def masked_address(self) -> str:
        """What the page shows: a Teams URL is a secret (anyone holding it can post)."""
        if self.kind == self.Kind.TEAMS:
            return self.address.split("?")[0][:40] + "…"
        return self.address

    def clean(self) -> None:
        address = (self.address or "").strip()
        if self.kind in PHONE_KINDS:
            if not PHONE_RE.match(address):
                raise ValidationError(
                    {"address": "Write the number in international form, e.g. +4915112345678."}
                )
        elif self.kind == self.Kind.PUSH:
            if not NTFY_TOPIC_RE.match(address):
                raise ValidationError(
                    {
                        "address": "An ntfy topic is 1–64 letters, digits, - or _ "
                        "(pick one nobody can guess)."
                    }
                )
        elif self.kind == self.Kind.TEAMS:
            validate_teams_url(address)


LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def validate_teams_url(address: str) -> None:
    """A Workflows webhook URL on one of FIREBREAK_TEAMS_URL_HOSTS (Microsoft's by default), so
    a person cannot make the server post to an arbitrary (internal) address. https only, but for
    a loopback host an admin allowed (a local test server)."""
    parts = urlsplit(address)
    host = (parts.hostname or "").lower()
    allowed = [h.lower().lstrip(".") for h in settings.FIREBREAK_TEAMS_URL_HOSTS]
    on_allowed_host = any(host == h or host.endswith("." + h) for h in allowed)
    secure = parts.scheme == "https" or (parts.scheme == "http" and host in LOOPBACK)
    if not (secure and on_allowed_host):
        raise ValidationError(
            {
                "address": "Paste the https:// URL of your Teams workflow's webhook trigger "
                f"(a host under {', '.join(allowed) or 'none allowed'})."
            }
        )


PHONE_KINDS = {
    ContactMethod.Kind.SMS,
    ContactMethod.Kind.PHONE,
    ContactMethod.Kind.SMS_WEBHOOK,
    ContactMethod.Kind.PHONE_WEBHOOK,
}
