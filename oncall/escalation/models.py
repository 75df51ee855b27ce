"""Escalation policies, their ordered steps, and pages (one row per person to page, swept by beat)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from oncall.alerts.models import Alert
from oncall.schedules.models import Schedule


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
    # Every channel of the person failed (issue 20): the escalation moved on without waiting.
    channels_failed_at = models.DateTimeField(null=True, blank=True)
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
