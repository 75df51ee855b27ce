"""Incidents, ICS roles, the append-only timeline, stakeholder updates and reminders (as data)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from oncall.models import validate_timezone


class Severity(models.TextChoices):
    SEV1 = "SEV1", "SEV1 — critical"
    SEV2 = "SEV2", "SEV2 — major"
    SEV3 = "SEV3", "SEV3 — minor"
    SEV4 = "SEV4", "SEV4 — low"


SEVERITY_DESCRIPTIONS = {
    Severity.SEV1: "Critical: a core service is down or data is at risk for many customers. All hands; update every 30 minutes or faster.",
    Severity.SEV2: "Major: a core feature is degraded or down for a significant share of customers.",
    Severity.SEV3: "Minor: a non-core feature is degraded, or a core one for few customers; a workaround exists.",
    Severity.SEV4: "Low: little or no customer impact; handled in working hours.",
}


class Status(models.TextChoices):
    INVESTIGATING = "investigating", "Investigating"
    IDENTIFIED = "identified", "Identified"
    MONITORING = "monitoring", "Monitoring"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"


ACTIVE_STATUSES = (Status.INVESTIGATING, Status.IDENTIFIED, Status.MONITORING)


class Kind(models.TextChoices):
    INCIDENT = "incident", "Incident"
    DRILL = "drill", "Drill (Wheel of Misfortune, DiRT)"
    EVENT = "event", "Event (launch review)"
    MAINTENANCE = "maintenance", "Scheduled maintenance"


class TriggerCategory(models.TextChoices):
    CODE_CHANGE = "code_change", "Code change"
    CONFIG_CHANGE = "config_change", "Configuration change"
    TRAFFIC_CHANGE = "traffic_change", "Input / traffic change"
    DEPENDENCY_FAILURE = "dependency_failure", "Dependency failure"
    INFRASTRUCTURE_CHANGE = "infrastructure_change", "Infrastructure / environment change"
    UNKNOWN = "unknown", "Unknown"


class Role(models.TextChoices):
    INCIDENT_COMMANDER = "incident_commander", "Incident commander"
    DEPUTY = "deputy", "Deputy"
    COMMUNICATIONS_LEAD = "communications_lead", "Communications lead"
    OPERATIONS_LEAD = "operations_lead", "Operations lead"
    PLANNING_LEAD = "planning_lead", "Planning lead"
    SCRIBE = "scribe", "Scribe"
    SUBJECT_MATTER_EXPERT = "subject_matter_expert", "Subject-matter expert"
    CUSTOMER_LIAISON = "customer_liaison", "Customer liaison"


# Roles with several concurrent holders; every other role has at most one active holder.
MULTI_HOLDER_ROLES = frozenset({Role.SUBJECT_MATTER_EXPERT})

# The seven timestamps of METRICS.md, in chronological reading order.
TIMESTAMP_FIELDS = (
    "started_at",
    "detected_at",
    "declared_at",
    "acknowledged_at",
    "mitigated_at",
    "resolved_at",
    "closed_at",
)


class Team(models.Model):
    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=120)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="teams")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    class Tier(models.IntegerChoices):
        TIER1 = 1, "Tier 1 — customer-facing, critical"
        TIER2 = 2, "Tier 2 — important"
        TIER3 = 3, "Tier 3 — internal"

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    tier = models.PositiveSmallIntegerField(choices=Tier.choices, default=Tier.TIER2)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="services"
    )
    # e.g. 0.999 for "three nines"; used for availability and error budget in reports.
    slo_target = models.DecimalField(
        max_digits=6,
        decimal_places=5,
        default=Decimal("0.999"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    """A free label on incidents ("certificates", "dns"): lower case, no spaces (see taxonomy)."""

    name = models.CharField(max_length=50, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ContributingFactor(models.Model):
    """Something that made an incident possible or worse ("missing alert", "manual deploy")."""

    name = models.CharField(max_length=120, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Incident(models.Model):
    number = models.PositiveIntegerField(unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    impact = models.TextField(blank=True)
    severity = models.CharField(max_length=4, choices=Severity.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.INVESTIGATING)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.INCIDENT)
    trigger_category = models.CharField(
        max_length=32, choices=TriggerCategory.choices, default=TriggerCategory.UNKNOWN
    )
    private = models.BooleanField(default=False)
    services = models.ManyToManyField(Service, blank=True, related_name="incidents")
    # The taxonomy beside trigger_category; edited from the incident and from its postmortem.
    tags = models.ManyToManyField(Tag, blank=True, related_name="incidents")
    contributing_factors = models.ManyToManyField(
        ContributingFactor, blank=True, related_name="incidents"
    )
    # Alerts that led to (or were seen during) this incident; the earliest sets detected_at.
    alerts = models.ManyToManyField("oncall.Alert", blank=True, related_name="incidents")
    # The time zone the incident is narrated in (the declarer's by default): the postmortem
    # timeline is written in it.
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])

    started_at = models.DateTimeField()
    detected_at = models.DateTimeField()
    declared_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    mitigated_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    # None → the severity's interval (settings), else the global default.
    update_interval_minutes = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(1440)]
    )
    next_update_due_at = models.DateTimeField(null=True, blank=True)
    # History entered after the fact (an import, a back-filled record): every stamp was given at
    # creation, so the update cadence does not apply to it (METRICS.md v2).
    recorded_after_the_fact = models.BooleanField(default=False)
    # The title the public status page shows; set when the incident is first published there.
    public_title = models.CharField(max_length=200, blank=True)

    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # People who can see a private incident. Role holders are added automatically.
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="incident_memberships"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-declared_at", "-number"]
        indexes = [
            models.Index(fields=["status"], name="incident_status_idx"),
            models.Index(fields=["started_at"], name="incident_started_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(started_at__lte=models.F("detected_at")),
                name="incident_started_le_detected",
            ),
            models.CheckConstraint(
                condition=Q(detected_at__lte=models.F("declared_at")),
                name="incident_detected_le_declared",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        return f"INC-{self.number}"

    @property
    def is_active(self) -> bool:
        """Declared and not yet mitigated (METRICS.md: expects stakeholder updates)."""
        return self.mitigated_at is None and self.status in ACTIVE_STATUSES

    @property
    def severity_description(self) -> str:
        return SEVERITY_DESCRIPTIONS.get(self.severity, "")

    def clean(self) -> None:
        from incidents.chronology import chronology_errors

        errors = chronology_errors({f: getattr(self, f) for f in TIMESTAMP_FIELDS})
        if errors:
            raise ValidationError(errors)


class IncidentCounter(models.Model):
    """The last INC-<n> handed out: one row, incremented in place under its row lock.

    Concurrent declarations queue on that lock instead of racing for max(number)+1 and retrying.
    """

    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"INC-{self.last_number}"


class RoleAssignment(models.Model):
    """Who held an ICS role on an incident, from when until when. Rows are never deleted."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(max_length=32, choices=Role.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="incident_roles"
    )
    assigned_at = models.DateTimeField()
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["assigned_at", "id"]
        constraints = [
            # Exactly one active incident commander (and one holder of every single-holder role).
            models.UniqueConstraint(
                fields=["incident", "role"],
                condition=Q(ended_at__isnull=True)
                & ~Q(role__in=[r.value for r in MULTI_HOLDER_ROLES]),
                name="role_single_active_holder",
            ),
            models.UniqueConstraint(
                fields=["incident", "role", "user"],
                condition=Q(ended_at__isnull=True),
                name="role_no_duplicate_active_holder",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.incident.reference} {self.get_role_display()}: {self.user}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class TimelineQuerySet(models.QuerySet):
    """Bulk writes obey the same append-only rule as single saves."""

    def update(self, **kwargs):
        if not set(kwargs) <= TimelineEvent.MUTABLE_FIELDS:
            raise ValueError("The timeline is append-only: write a correction event instead.")
        return super().update(**kwargs)

    def delete(self):
        raise ValueError("The timeline is append-only: timeline events are never deleted.")


class TimelineEvent(models.Model):
    """One line of the incident's append-only timeline.

    ``occurred_at`` is when it happened (a note may be back-dated); ``recorded_at`` is when
    Firebreak learnt of it and never changes. Corrections are new events pointing at ``corrects``.
    """

    class EventKind(models.TextChoices):
        DECLARED = "declared", "Declared"
        STATUS_CHANGED = "status_changed", "Status changed"
        SEVERITY_CHANGED = "severity_changed", "Severity changed"
        ROLE_ASSIGNED = "role_assigned", "Role assigned"
        ROLE_HANDED_OFF = "role_handed_off", "Role handed off"
        ROLE_RELEASED = "role_released", "Role released"
        NOTE = "note", "Note"
        STAKEHOLDER_UPDATE = "stakeholder_update", "Stakeholder update"
        ALERT_LINKED = "alert_linked", "Alert linked"
        ALERT_ACKNOWLEDGED = "alert_acknowledged", "Page acknowledged"
        REMINDER_SENT = "reminder_sent", "Reminder sent"
        REMINDERS_SNOOZED = "reminders_snoozed", "Reminders snoozed"
        HELP_SUGGESTED = "help_suggested", "Help suggested"
        TIMESTAMP_CORRECTED = "timestamp_corrected", "Timestamp corrected"
        FIELD_CHANGED = "field_changed", "Details changed"
        MITIGATED = "mitigated", "Mitigated"
        CORRECTION = "correction", "Correction"

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(max_length=32, choices=EventKind.choices)
    body = models.TextField(blank=True)
    occurred_at = models.DateTimeField()
    recorded_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)
    highlighted = models.BooleanField(default=False)
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    # Idempotency key for events that arrive from outside (Slack message ts, alert id).
    source_key = models.CharField(max_length=200, blank=True)

    # Only this curation flag may change after an event is written.
    MUTABLE_FIELDS = frozenset({"highlighted"})

    objects = TimelineQuerySet.as_manager()

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [
            models.Index(fields=["incident", "occurred_at"], name="timeline_incident_time_idx")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "source_key"],
                condition=~Q(source_key=""),
                name="timeline_unique_source_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.incident.reference} {self.kind} @ {self.occurred_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            update_fields = kwargs.get("update_fields")
            if update_fields is None or not set(update_fields) <= self.MUTABLE_FIELDS:
                raise ValueError("The timeline is append-only: write a correction event instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("The timeline is append-only: timeline events are never deleted.")


class StakeholderUpdate(models.Model):
    class Audience(models.TextChoices):
        INTERNAL = "internal", "Internal"
        EXTERNAL = "external", "External (customers)"

    class UpdateKind(models.TextChoices):
        UPDATE = "update", "Update"
        RESOLUTION = "resolution", "Resolution (all clear)"
        FOLLOW_UP = "follow_up", "Root-cause follow-up"

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(max_length=16, choices=UpdateKind.choices, default=UpdateKind.UPDATE)
    audience = models.CharField(max_length=16, choices=Audience.choices, default=Audience.INTERNAL)
    body = models.TextField()
    posted_at = models.DateTimeField()
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    next_update_at = models.DateTimeField(null=True, blank=True)
    # Resolution messages say whether a root-cause follow-up will come.
    follow_up_expected = models.BooleanField(null=True, blank=True)
    # Posted by the IC or communications lead, or to the external audience (METRICS.md v2): only
    # these reset the update clock; an update by anyone else stays inside the incident.
    reaches_stakeholders = models.BooleanField(default=True)
    # The incident's status when the update was posted: the status page shows it beside the
    # update, so its status line always agrees with the latest public update.
    incident_status = models.CharField(max_length=16, choices=Status.choices, blank=True)

    class Meta:
        ordering = ["posted_at", "id"]

    def __str__(self) -> str:
        return f"{self.incident.reference} {self.kind} @ {self.posted_at:%Y-%m-%d %H:%M}"


class Reminder(models.Model):
    """A reminder that is due at a time: a row, claimed by the beat sweep with a conditional update.

    ``(incident, kind, due_at)`` is unique, so a second scheduler or a replayed task can never
    create a duplicate; ``status`` moves pending → claimed → sent (or cancelled/skipped).
    """

    class ReminderKind(models.TextChoices):
        UPDATE_DUE = "update_due", "Stakeholder update due"
        ASK_FOR_HELP = "ask_for_help", "Ask for help"

    class ReminderStatus(models.TextChoices):
        PENDING = "pending", "Pending"
        CLAIMED = "claimed", "Claimed"
        SENT = "sent", "Sent"
        CANCELLED = "cancelled", "Cancelled"
        SKIPPED = "skipped", "Skipped (no longer needed)"

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=16, choices=ReminderKind.choices)
    due_at = models.DateTimeField()
    status = models.CharField(
        max_length=16, choices=ReminderStatus.choices, default=ReminderStatus.PENDING
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "kind", "due_at"], name="reminder_unique_due"
            ),
        ]
        indexes = [models.Index(fields=["status", "due_at"], name="reminder_status_due_idx")]

    def __str__(self) -> str:
        return f"{self.incident.reference} {self.kind} due {self.due_at:%Y-%m-%d %H:%M} ({self.status})"


from incidents.slack.models import *  # noqa
