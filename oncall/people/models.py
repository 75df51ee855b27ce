"""People: the user (time zone, Slack id), notifications and their per-transport deliveries,
and each person's notification preferences."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models


def validate_timezone(value: str) -> None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            f"{value!r} is not a time zone. Use an IANA name such as Europe/Berlin."
        ) from None


def timezone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(available_timezones()) if "/" in name or name == "UTC"]


def _default_timezone() -> str:
    return settings.FIREBREAK_DEFAULT_USER_TIMEZONE


class User(AbstractUser):
    """A person: responder, manager or viewer. Every person sees times in their own time zone."""

    timezone = models.CharField(
        max_length=64, default=_default_timezone, validators=[validate_timezone]
    )
    slack_user_id = models.CharField(
        max_length=32,
        blank=True,
        validators=[RegexValidator(r"^[UW][A-Z0-9]{2,}$", "A Slack user id looks like U024BE7LH.")],
        help_text="Your Slack member id (Profile → ⋮ → Copy member ID).",
    )

    class Meta:
        ordering = ["username"]

    @property
    def tzinfo(self) -> ZoneInfo:
        try:
            return ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo("UTC")

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    def __str__(self) -> str:
        return self.username


class Notification(models.Model):
    """Something a person should know: shown in the web inbox and sent through transports."""

    class Urgency(models.TextChoices):
        HIGH = "high", "High"
        LOW = "low", "Low"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    urgency = models.CharField(max_length=8, choices=Urgency.choices, default=Urgency.HIGH)
    # Idempotency key chosen by the sender: the same key never notifies a person twice.
    key = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.subject}"


class NotificationDelivery(models.Model):
    """One attempt-tracked delivery of a notification through one transport (data, not retries in flight)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    transport = models.CharField(max_length=32)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "transport"], name="delivery_unique_transport"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due_idx")]

    def __str__(self) -> str:
        return f"{self.transport} → {self.notification.recipient} ({self.status})"


class NotificationPreference(models.Model):
    """How one person wants to be notified. No row means the defaults: every transport that
    applies to them, for both urgencies, and no quiet hours.

    ``high_disabled_transports`` / ``low_disabled_transports`` name the transports (from
    ``oncall.people.notify``) the person turned off per urgency, so a transport installed later is on;
    the web inbox is always used. During quiet hours (``quiet_start``–``quiet_end`` on the person's own
    wall clock, crossing midnight when start > end) low-urgency notifications wait until the quiet
    hours end; high urgency always goes through at once.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    high_disabled_transports = models.JSONField(default=list, blank=True)
    low_disabled_transports = models.JSONField(default=list, blank=True)
    quiet_hours_enabled = models.BooleanField(default=False)
    quiet_start = models.TimeField(null=True, blank=True)
    quiet_end = models.TimeField(null=True, blank=True)
    # Stored for a later SMS transport; nothing sends to it yet.
    phone_number = models.CharField(
        max_length=20,
        blank=True,
        validators=[
            RegexValidator(
                r"^\+[1-9][0-9]{6,14}$",
                "Write the number in international form, e.g. +4915112345678.",
            )
        ],
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quiet_hours_enabled=False)
                | (
                    models.Q(quiet_start__isnull=False, quiet_end__isnull=False)
                    & ~models.Q(quiet_start=models.F("quiet_end"))
                ),
                name="preference_quiet_hours_complete",
            )
        ]

    def __str__(self) -> str:
        return f"Notification preferences of {self.user}"
