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


# --- alert integrations and alert instances ----------------------------------------------------------


class Integration(models.Model):
    """A monitoring system allowed to post alerts, authenticated by its own secret token.

    Only a SHA-256 digest of the token is stored: the token (32 random bytes) is shown once, when
    the integration is created or its token rotated. ``signing_secret`` is the optional shared
    secret for request signatures (Grafana's HMAC, PagerDuty's ``X-PagerDuty-Signature``); it must
    be readable to verify signatures, so it is stored as given and never shown again.
    """

    class Kind(models.TextChoices):
        ALERTMANAGER = "alertmanager", "Prometheus Alertmanager"
        GRAFANA = "grafana", "Grafana alerting"
        PAGERDUTY = "pagerduty", "PagerDuty (V3 webhooks)"
        GENERIC = "generic", "Generic JSON"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    signing_secret = models.CharField(max_length=200, blank=True)
    # A plain slug, not a foreign key: the oncall layer never imports incidents.
    default_service_slug = models.SlugField(max_length=100, blank=True)
    enabled = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


# Alert subject rule (METRICS.md; Real-World SRE ch. 3): a subject is under this many characters.
ALERT_SUBJECT_MAX_CHARS = 50
# An alert subject should say what to do (Real-World SRE, ch. 3): it starts with an action verb.
IMPERATIVE_VERBS = frozenset(
    [
        "acknowledge",
        "add",
        "adjust",
        "allocate",
        "archive",
        "block",
        "bounce",
        "check",
        "clean",
        "clear",
        "close",
        "compact",
        "contact",
        "cordon",
        "delete",
        "deploy",
        "disable",
        "drain",
        "drop",
        "enable",
        "escalate",
        "evacuate",
        "expand",
        "extend",
        "fail",
        "failover",
        "fix",
        "flush",
        "free",
        "grow",
        "halt",
        "increase",
        "inspect",
        "investigate",
        "isolate",
        "kill",
        "limit",
        "look",
        "lower",
        "mitigate",
        "move",
        "notify",
        "page",
        "patch",
        "pause",
        "promote",
        "purge",
        "raise",
        "rebalance",
        "reboot",
        "rebuild",
        "recover",
        "reduce",
        "refresh",
        "reindex",
        "release",
        "reload",
        "remove",
        "renew",
        "repair",
        "replace",
        "reprovision",
        "reroute",
        "reset",
        "resize",
        "restart",
        "restore",
        "resume",
        "retry",
        "revert",
        "revoke",
        "roll",
        "rollback",
        "rotate",
        "run",
        "scale",
        "shed",
        "shift",
        "silence",
        "start",
        "stop",
        "switch",
        "throttle",
        "truncate",
        "unblock",
        "undo",
        "unlock",
        "update",
        "upgrade",
        "vacuum",
        "verify",
        "wake",
    ]
)


class Alert(models.Model):
    """One alert instance: ``(integration, fingerprint, fired_at)`` (METRICS.md, alerts).

    Repeated deliveries of the same instance update this row (``receive_count``,
    ``last_received_at``, labels); they never create a second one.
    """

    class Status(models.TextChoices):
        FIRING = "firing", "Firing"
        RESOLVED = "resolved", "Resolved"

    class Urgency(models.TextChoices):
        # See oncall.alerts.urgency for how labels map to these.
        CRITICAL = "critical", "Critical — page now, respond within 30 minutes"
        TODAY = "today", "Today — working hours, respond within 24 hours"
        EVENTUALLY = "eventually", "Eventually — queued, no paging"

    integration = models.ForeignKey(Integration, on_delete=models.PROTECT, related_name="alerts")
    fingerprint = models.CharField(max_length=255)
    fired_at = models.DateTimeField(
        help_text="When the alert started firing (the sender's startsAt)."
    )
    name = models.CharField(max_length=200, help_text="The alert rule's name (alertname).")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.FIRING)
    urgency = models.CharField(max_length=16, choices=Urgency.choices, default=Urgency.TODAY)
    labels = models.JSONField(default=dict, blank=True)
    annotations = models.JSONField(default=dict, blank=True)
    # Sender-specific extras worth keeping (Grafana values, silence and dashboard links).
    details = models.JSONField(default=dict, blank=True)
    summary = models.TextField(blank=True)
    description = models.TextField(blank=True)
    runbook_url = models.TextField(blank=True)
    generator_url = models.TextField(blank=True)
    service_slug = models.SlugField(max_length=100, blank=True)
    group_key = models.TextField(blank=True, help_text="Alertmanager's groupKey, when sent.")
    ends_at = models.DateTimeField(null=True, blank=True, help_text="The sender's endsAt, if any.")
    resolved_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    first_received_at = models.DateTimeField()
    last_received_at = models.DateTimeField()
    receive_count = models.PositiveIntegerField(default=1)
    # The weekly review sets this; null means nobody has reviewed the alert yet.
    actionable = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["-fired_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["integration", "fingerprint", "fired_at"], name="alert_unique_instance"
            )
        ]
        indexes = [
            models.Index(fields=["fired_at"], name="alert_fired_idx"),
            models.Index(fields=["service_slug", "fired_at"], name="alert_service_fired_idx"),
            models.Index(fields=["status", "fired_at"], name="alert_status_fired_idx"),
            models.Index(fields=["fingerprint"], name="alert_fingerprint_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} [{self.fingerprint}] {self.status}"

    @property
    def subject(self) -> str:
        """What a page says first: the summary annotation, else the alert name."""
        return self.summary.strip() or self.name

    @property
    def subject_is_short(self) -> bool:
        """Alert subject rule (METRICS.md; Real-World SRE ch. 3): under 50 characters."""
        return len(self.subject) < ALERT_SUBJECT_MAX_CHARS

    @property
    def has_runbook(self) -> bool:
        return bool(self.runbook_url.strip())

    @property
    def content_problems(self) -> list[str]:
        """Why this alert's content falls short of the alert-writing rules (empty when fine)."""
        problems = []
        if not self.subject_is_short:
            problems.append(
                f"Subject has {len(self.subject)} characters; keep it under {ALERT_SUBJECT_MAX_CHARS}."
            )
        if not self.subject_is_imperative:
            problems.append(
                "Subject does not start with what to do (an imperative verb), "
                "e.g. 'Roll back checkout: 5xx above 5%'."
            )
        if not self.has_runbook:
            problems.append("No runbook link (annotation runbook_url).")
        return problems

    @property
    def subject_is_imperative(self) -> bool:
        words = self.subject.split()
        return bool(words) and words[0].strip(":,.!").lower() in IMPERATIVE_VERBS


class WebhookDelivery(models.Model):
    """A sender's delivery id already processed (PagerDuty ``X-Webhook-Id``): retries are dropped."""

    integration = models.ForeignKey(
        Integration, on_delete=models.CASCADE, related_name="deliveries"
    )
    delivery_id = models.CharField(max_length=200)
    received_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["integration", "delivery_id"], name="webhook_delivery_unique_id"
            )
        ]

    def __str__(self) -> str:
        return f"{self.integration_id}:{self.delivery_id}"


# --- on-call schedules (the rotation maths is in oncall/rotations.py) ----------------------------


def _feed_token() -> str:
    """An unguessable secret for calendar feed URLs (32 random bytes)."""
    import secrets

    return secrets.token_urlsafe(32)


class ShiftLayer(models.TextChoices):
    PRIMARY = "primary", "Primary"
    SECONDARY = "secondary", "Secondary"


class Schedule(models.Model):
    """An on-call schedule: one rotation with a primary and a secondary layer.

    Hand-offs happen at ``handoff_time`` on the wall clock of the schedule's own ``timezone``,
    from ``start_date`` on. ``feed_token`` is the secret in the schedule's iCal feed URL.
    """

    class Rotation(models.TextChoices):
        WEEKLY = "weekly", "Weekly"
        THREE_FOUR = "three_four", "Three-four split (Mon–Thu / Fri–Sun)"
        FOLLOW_THE_SUN = "follow_the_sun", "Follow the sun (two sites, 12-hour hand-offs)"
        DAILY = "daily", "Daily"
        CUSTOM = "custom", "Custom shift length"

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    # A plain slug, not a foreign key: the oncall layer never imports incidents.
    service_slug = models.SlugField(max_length=100, blank=True, db_index=True)
    timezone = models.CharField(max_length=64, validators=[validate_timezone])
    rotation = models.CharField(max_length=16, choices=Rotation.choices, default=Rotation.WEEKLY)
    handoff_time = models.TimeField(help_text="Local time of day in the schedule's time zone.")
    start_date = models.DateField(help_text="The day of the first hand-off.")
    shift_hours = models.PositiveIntegerField(
        null=True, blank=True, help_text="Custom rotations only."
    )
    feed_token = models.CharField(max_length=64, unique=True, default=_feed_token, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(rotation="custom", shift_hours__gte=1, shift_hours__lte=28 * 24)
                    | (~models.Q(rotation="custom") & models.Q(shift_hours__isnull=True))
                ),
                name="schedule_shift_hours_custom_only",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ScheduleVersion(models.Model):
    """One definition of a schedule's rotation, in force from ``effective_from`` (null: from the
    beginning) until the next version's. Editing a schedule adds a version instead of rewriting
    it, so past shifts, and the on-call hours paid for them, never change afterwards.

    ``participants`` is the ordered list ``[{"user": id, "new": bool, "site": 0 or 1}, ...]``.
    """

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="versions")
    effective_from = models.DateTimeField(null=True, blank=True)
    timezone = models.CharField(max_length=64, validators=[validate_timezone])
    rotation = models.CharField(max_length=16, choices=Schedule.Rotation.choices)
    handoff_time = models.TimeField()
    start_date = models.DateField()
    shift_hours = models.PositiveIntegerField(null=True, blank=True)
    participants = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["schedule", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "effective_from"], name="schedule_version_unique_from"
            ),
            models.UniqueConstraint(
                fields=["schedule"],
                condition=models.Q(effective_from__isnull=True),
                name="schedule_version_one_first",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.schedule} from {self.effective_from or 'the start'}"


class ScheduleParticipant(models.Model):
    """A person on a schedule's rotation, in order. New people are secondary only until promoted."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="schedule_memberships"
    )
    position = models.PositiveSmallIntegerField()
    is_new = models.BooleanField(default=False, help_text="New on the rotation: secondary only.")
    site = models.PositiveSmallIntegerField(default=0, help_text="Follow-the-sun site: 0 or 1.")

    class Meta:
        ordering = ["schedule", "position"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "user"], name="participant_unique_user"),
            models.UniqueConstraint(
                fields=["schedule", "position"], name="participant_unique_position"
            ),
            models.CheckConstraint(condition=models.Q(site__lte=1), name="participant_site_0_or_1"),
        ]

    def __str__(self) -> str:
        return f"{self.schedule} #{self.position}: {self.user}"


class ScheduleOverride(models.Model):
    """``user`` covers ``layer`` of a schedule over ``[start_at, end_at)``. Never deleted: a
    cancelled override keeps who cancelled it and when, so the history stays readable."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="overrides")
    layer = models.CharField(max_length=16, choices=ShiftLayer.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="schedule_overrides"
    )
    start_at = models.DateTimeField()
    end_at = models.DateTimeField()
    reason = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_at__gt=models.F("start_at")),
                name="override_ends_after_start",
            )
        ]
        indexes = [models.Index(fields=["schedule", "end_at"], name="override_schedule_end_idx")]

    def __str__(self) -> str:
        return f"{self.user} covers {self.layer} of {self.schedule}"


class ScheduleSwap(models.Model):
    """Two people exchange two shifts of one layer: ``second_user`` takes ``[first_start,
    first_end)`` from ``first_user``, who takes ``[second_start, second_end)`` in return."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="swaps")
    layer = models.CharField(max_length=16, choices=ShiftLayer.choices)
    first_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    first_start = models.DateTimeField()
    first_end = models.DateTimeField()
    second_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    second_start = models.DateTimeField()
    second_end = models.DateTimeField()
    reason = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(first_end__gt=models.F("first_start")),
                name="swap_first_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(second_end__gt=models.F("second_start")),
                name="swap_second_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(first_user=models.F("second_user")), name="swap_two_people"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_user} ⇄ {self.second_user} on {self.schedule}"


class ShiftReminder(models.Model):
    """The day-before reminder of one shift, as data (DESIGN.md): unique per (schedule, person,
    layer, shift start); the beat sweep claims due rows with a conditional update."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        CLAIMED = "claimed", "Claimed"
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "Skipped (no longer needed)"

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="shift_reminders")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shift_reminders"
    )
    layer = models.CharField(max_length=16, choices=ShiftLayer.choices)
    shift_start = models.DateTimeField()
    shift_end = models.DateTimeField()
    due_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "user", "layer", "shift_start"],
                name="shift_reminder_unique_shift",
            )
        ]
        indexes = [models.Index(fields=["status", "due_at"], name="shift_reminder_due_idx")]

    def __str__(self) -> str:
        return f"{self.user} {self.layer} on {self.schedule} from {self.shift_start:%Y-%m-%d %H:%M} ({self.status})"


class CalendarFeed(models.Model):
    """A person's own iCal feed of their shifts on every schedule, behind a secret URL."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=_feed_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"


# --- weekly alert review (the logic is in oncall/alert_review.py) --------------------------------


class AlertReview(models.Model):
    """One week's alert review for one scope: a Monday, and the alerts of some services and/or
    of one ``team`` label (empty scope: every alert). Teams live in a higher layer, so the scope
    is plain text. ``scope_key`` is the canonical form of the scope, unique per week.

    ``recipients`` are extra usernames who get the summary when the review is closed, besides
    everyone who set a decision. ``summary`` is the text sent, frozen at closing.
    """

    week_start = models.DateField(help_text="The Monday the reviewed week starts on.")
    service_slugs = models.JSONField(default=list, blank=True)
    team = models.CharField(max_length=100, blank=True)
    scope_key = models.CharField(max_length=600)
    recipients = models.JSONField(default=list, blank=True)
    summary = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-week_start", "scope_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["week_start", "scope_key"], name="alert_review_unique_week_scope"
            )
        ]

    def __str__(self) -> str:
        return f"Alert review of {self.week_start} ({self.scope_key or 'all alerts'})"


class AlertReviewDecision(models.Model):
    """The answers to Real-World SRE's five questions for one alert name in one review."""

    review = models.ForeignKey(AlertReview, on_delete=models.CASCADE, related_name="decisions")
    alert_name = models.CharField(max_length=200)
    responded_appropriately = models.TextField(blank=True)
    right_level = models.TextField(blank=True)
    keep = models.TextField(blank=True)
    change = models.TextField(blank=True)
    wished_alerted_about = models.TextField(blank=True)
    first_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["review", "alert_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "alert_name"], name="alert_review_decision_unique_name"
            )
        ]

    def __str__(self) -> str:
        return f"{self.alert_name} in {self.review}"


# --- notification preferences, escalation policies and pages (oncall/escalation.py, paging.py) ---


class NotificationPreference(models.Model):
    """How one person wants to be notified. No row means the defaults: every transport that
    applies to them, for both urgencies, and no quiet hours.

    ``high_disabled_transports`` / ``low_disabled_transports`` name the transports (from
    ``oncall.notify``) the person turned off per urgency, so a transport installed later is on;
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


class EscalationPolicy(models.Model):
    """Who is paged, in which order, when a critical alert for ``service_slug`` is not acknowledged.

    The steps run in order, each after its delay; when the last step has been paged and nobody
    acknowledged, the whole policy runs again ``repeats`` more times, ``repeat_after_minutes``
    after the last step.
    """

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    # A plain slug, not a foreign key: the oncall layer never imports incidents.
    service_slug = models.SlugField(max_length=100, blank=True)
    repeats = models.PositiveSmallIntegerField(default=0)
    repeat_after_minutes = models.PositiveIntegerField(default=15)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "escalation policies"
        constraints = [
            models.UniqueConstraint(
                fields=["service_slug"],
                condition=~models.Q(service_slug=""),
                name="escalation_policy_one_per_service",
            ),
            models.CheckConstraint(condition=models.Q(repeats__lte=10), name="policy_repeats_max"),
            models.CheckConstraint(
                condition=models.Q(repeat_after_minutes__gte=1, repeat_after_minutes__lte=1440),
                name="policy_repeat_after_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class EscalationStep(models.Model):
    """One step of a policy: whom to page, ``delay_minutes`` after the previous step (the first
    step: after the alert arrived)."""

    class Target(models.TextChoices):
        SCHEDULE_PRIMARY = "schedule_primary", "Primary on call of a schedule"
        SCHEDULE_SECONDARY = "schedule_secondary", "Secondary on call of a schedule"
        USER = "user", "A person"
        USERS = "users", "A list of people (e.g. a team)"

    policy = models.ForeignKey(EscalationPolicy, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    delay_minutes = models.PositiveIntegerField(default=0)
    target = models.CharField(max_length=24, choices=Target.choices)
    schedule = models.ForeignKey(
        Schedule, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    usernames = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["policy", "position"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "position"], name="escalation_step_position"),
            models.CheckConstraint(
                condition=models.Q(delay_minutes__lte=1440), name="escalation_step_delay_max"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.policy} step {self.position + 1}: {self.get_target_display()}"


class Page(models.Model):
    """One page of one person for one alert, as data (DESIGN.md): unique per (alert, step,
    repeat, person); the beat sweep claims due rows with a conditional update, firing re-checks
    the alert under a lock and plans the next step."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        CLAIMED = "claimed", "Claimed"
        SENT = "sent", "Sent"
        CANCELLED = "cancelled", "Cancelled"

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="pages")
    policy = models.ForeignKey(
        EscalationPolicy, null=True, blank=True, on_delete=models.SET_NULL, related_name="pages"
    )
    step_index = models.PositiveSmallIntegerField()
    repeat = models.PositiveSmallIntegerField(default=0)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pages"
    )
    due_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["alert", "step_index", "repeat", "person"], name="page_unique_key"
            )
        ]
        indexes = [models.Index(fields=["status", "due_at"], name="page_due_idx")]

    def __str__(self) -> str:
        return f"Page {self.person} for alert {self.alert_id} (step {self.step_index + 1}, {self.status})"
