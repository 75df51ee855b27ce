"""On-call schedules: the schedule, its rotation versions and participants, overrides, swaps,
shift reminders and personal calendar feeds. The rotation maths is in ``rotations``."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from oncall.people.models import validate_timezone


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
