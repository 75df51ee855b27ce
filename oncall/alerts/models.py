"""Alert integrations (one secret per monitoring system), alert instances, and the delivery ids
that make webhook redeliveries idempotent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Case, F, IntegerField, OuterRef, Q, QuerySet, Value, When


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


# The alerts inbox's order (issue 18): what needs someone now first. Lower comes first.
INBOX_FIRING_CRITICAL, INBOX_FIRING_TODAY, INBOX_FIRING_EVENTUALLY = 0, 1, 2
INBOX_ACKNOWLEDGED, INBOX_RESOLVED = 3, 4


def inbox_rank() -> Case:
    """Firing and unacknowledged critical, today, eventually; then acknowledged and still
    firing; then resolved. The inbox sorts by this, then newest first; the partial index
    ``alert_inbox_idx`` holds exactly this expression, so the first page reads a few index
    entries instead of sorting every alert."""
    unacknowledged = Q(status="firing", acknowledged_at__isnull=True)
    return Case(
        When(unacknowledged & Q(urgency="critical"), then=Value(INBOX_FIRING_CRITICAL)),
        When(unacknowledged & Q(urgency="today"), then=Value(INBOX_FIRING_TODAY)),
        When(unacknowledged, then=Value(INBOX_FIRING_EVENTUALLY)),
        When(status="firing", then=Value(INBOX_ACKNOWLEDGED)),
        default=Value(INBOX_RESOLVED),
        output_field=IntegerField(),
    )


class Alert(models.Model):
    """One alert instance: ``(integration, fingerprint, fired_at)`` (METRICS.md, alerts).

    Repeated deliveries of the same instance update this row (``receive_count``,
    ``last_received_at``, labels); they never create a second one. The same alert firing again
    (flapping, a daily job failing daily) is a new instance with the same ``(integration,
    fingerprint)``, its *alert key*; ``superseded`` marks every instance but the newest of its key,
    so the inbox lists one row per alert without looking at its older instances.
    """

    class Status(models.TextChoices):
        FIRING = "firing", "Firing"
        RESOLVED = "resolved", "Resolved"

    class Urgency(models.TextChoices):
        # See oncall.alerts.urgency for how labels map to these.
        CRITICAL = "critical", "Critical — page now, respond within 30 minutes"
        TODAY = "today", "Today — working hours, respond within 24 hours"
        EVENTUALLY = "eventually", "Eventually — queued, no paging"

    # No index of its own: alert_unique_instance leads with it. A second one only tempted the
    # planner into scanning an integration's every alert when ingest looks up a few fingerprints.
    integration = models.ForeignKey(
        Integration, on_delete=models.PROTECT, related_name="alerts", db_index=False
    )
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
    # True once a newer instance of the same key exists (set by ingest). A hint for the inbox's
    # index: two deliveries recording instances of one key at the same moment may both leave
    # theirs unsuperseded, so the inbox still checks for a newer instance, on few rows.
    superseded = models.BooleanField(default=False, db_default=False, editable=False)

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
            # Ingest's look-up of each alert's newest firing: one entry per alert, however many
            # times it fired before.
            models.Index(
                fields=["integration", "fingerprint"],
                name="alert_newest_firing_idx",
                condition=Q(superseded=False),
            ),
            models.Index(
                inbox_rank(),
                F("fired_at").desc(),
                F("id").desc(),
                name="alert_inbox_idx",
                condition=Q(superseded=False),
            ),
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


def newer_firings() -> QuerySet[Alert]:
    """For ``Exists()``: firings of the outer row's alert key that started after it (the inbox's
    guard against two newest firings recorded at the same moment)."""
    return Alert.objects.filter(
        integration_id=OuterRef("integration_id"),
        fingerprint=OuterRef("fingerprint"),
        fired_at__gt=OuterRef("fired_at"),
    )


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
