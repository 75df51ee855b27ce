"""Postmortem templates, documents with their revisions and reviews, action items and meetings."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class SectionPurpose(models.TextChoices):
    """What a section is for: the blameless lint reads summaries, impact, root causes and lessons
    (and sections titled "contributing factors"), never the timeline."""

    SUMMARY = "summary", "Summary"
    IMPACT = "impact", "Impact"
    TIMELINE = "timeline", "Timeline"
    ROOT_CAUSE = "root_cause", "Root cause"
    ACTION_ITEMS = "action_items", "Action items"
    LESSONS = "lessons", "Lessons learned"
    OTHER = "other", "Other"


class PostmortemTemplate(models.Model):
    """A Markdown template made of ordered sections. Built-in templates are read-only."""

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    built_in = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-built_in", "name"]

    def __str__(self) -> str:
        return self.name


class TemplateSection(models.Model):
    template = models.ForeignKey(
        PostmortemTemplate, on_delete=models.CASCADE, related_name="sections"
    )
    position = models.PositiveSmallIntegerField()
    key = models.SlugField(max_length=64)
    title = models.CharField(max_length=120)
    purpose = models.CharField(
        max_length=16, choices=SectionPurpose.choices, default=SectionPurpose.OTHER
    )
    # Shown to the author in the editor; never part of the document.
    guidance = models.TextField(blank=True)
    # The section's starting Markdown; may hold allow-listed placeholders such as {{ timeline }}.
    body = models.TextField(blank=True)

    class Meta:
        ordering = ["template", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["template", "key"], name="template_section_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.template.slug}/{self.key}"


class PostmortemStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"


class Visibility(models.TextChoices):
    INTERNAL = "internal", "Internal"
    CUSTOMERS = "customers", "Customers"
    PUBLIC = "public", "Public"


class Postmortem(models.Model):
    """The postmortem of one incident.

    ``version`` is the optimistic lock: every accepted edit increments it, and an edit made from
    an older version is refused (409) and kept as a conflict revision. ``snapshot`` holds the
    generated blocks frozen at publication; while a draft is open they are computed live.
    """

    incident = models.OneToOneField(
        "incidents.Incident", on_delete=models.CASCADE, related_name="postmortem"
    )
    template = models.ForeignKey(
        PostmortemTemplate,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="postmortems",
    )
    title = models.CharField(max_length=200)
    status = models.CharField(
        max_length=16, choices=PostmortemStatus.choices, default=PostmortemStatus.DRAFT
    )
    visibility = models.CharField(
        max_length=16, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    version = models.PositiveIntegerField(default=1)
    tags = models.JSONField(default=list, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_postmortems",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Why a postmortem is required (METRICS.md rules); empty when written voluntarily.
    required = models.BooleanField(default=False)
    required_reasons = models.JSONField(default=list, blank=True)
    due_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    snapshot = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "due_date"], name="postmortem_status_due_idx")]

    def __str__(self) -> str:
        return f"Postmortem of {self.incident.reference}"

    @property
    def is_published(self) -> bool:
        return self.status == PostmortemStatus.PUBLISHED


class PostmortemSection(models.Model):
    postmortem = models.ForeignKey(Postmortem, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField()
    key = models.SlugField(max_length=64)
    title = models.CharField(max_length=120)
    purpose = models.CharField(
        max_length=16, choices=SectionPurpose.choices, default=SectionPurpose.OTHER
    )
    guidance = models.TextField(blank=True)
    body = models.TextField(blank=True)

    class Meta:
        ordering = ["postmortem", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["postmortem", "key"], name="postmortem_section_unique_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.postmortem_id}/{self.key}"


class PostmortemRevision(models.Model):
    """A copy of the whole document as saved. Nothing is ever deleted.

    An accepted edit is a *save* (or *amended*, after publication) numbered with the version it
    created; *submitted* and *published* record workflow steps on a version. An edit refused because
    someone else saved first is kept as a *conflict* carrying the version it was based on, so the
    losing text can always be recovered and merged.
    """

    class RevisionKind(models.TextChoices):
        CREATED = "created", "Created"
        SAVE = "save", "Saved"
        CONFLICT = "conflict", "Refused edit (conflict), kept for merging"
        SUBMITTED = "submitted", "Sent for review"
        PUBLISHED = "published", "Published"
        AMENDED = "amended", "Amended after publication"

    postmortem = models.ForeignKey(Postmortem, on_delete=models.CASCADE, related_name="revisions")
    kind = models.CharField(max_length=16, choices=RevisionKind.choices)
    # For accepted kinds: the version this revision is. For conflicts: the version edited from.
    version = models.PositiveIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    title = models.CharField(max_length=200)
    # [{"key", "title", "body"}] in document order.
    sections = models.JSONField(default=list)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["postmortem", "id"]
        constraints = [
            # One text per version; workflow events (submitted, published) point at a version.
            models.UniqueConstraint(
                fields=["postmortem", "version"],
                condition=Q(kind__in=["created", "save", "amended"]),
                name="revision_unique_text_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.postmortem_id} v{self.version} ({self.kind})"

    def body_of(self, key: str) -> str:
        for section in self.sections:
            if section.get("key") == key:
                return section.get("body", "")
        return ""


class PostmortemReview(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"

    postmortem = models.ForeignKey(Postmortem, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="postmortem_reviews"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField()
    decision = models.CharField(max_length=20, choices=Decision.choices, default=Decision.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    # The version the decision was made on.
    decided_version = models.PositiveIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)
    # The lint warnings the reviewer saw and acknowledged when approving.
    acknowledged_warnings = models.JSONField(default=list, blank=True)
    # Superseded when the postmortem is sent for review again; kept for the record.
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["postmortem", "requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["postmortem", "reviewer"],
                condition=Q(active=True),
                name="review_one_active_per_reviewer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} on {self.postmortem_id}: {self.decision}"


class ActionItem(models.Model):
    class ItemType(models.TextChoices):
        PREVENT = "prevent", "Prevent"
        MITIGATE = "mitigate", "Mitigate"
        DETECT = "detect", "Detect"
        PROCESS = "process", "Process"

    class Priority(models.TextChoices):
        HIGH = "high", "High"
        MEDIUM = "medium", "Medium"
        LOW = "low", "Low"

    class ItemStatus(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        WONT_DO = "wont_do", "Won't do"

    incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.CASCADE, related_name="action_items"
    )
    postmortem = models.ForeignKey(
        Postmortem, null=True, blank=True, on_delete=models.SET_NULL, related_name="action_items"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    item_type = models.CharField(max_length=16, choices=ItemType.choices, default=ItemType.PREVENT)
    priority = models.CharField(max_length=8, choices=Priority.choices, default=Priority.MEDIUM)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_items",
    )
    due_date = models.DateField()
    status = models.CharField(max_length=16, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    wont_do_reason = models.TextField(blank=True)
    tracker_url = models.URLField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    OPEN_STATUSES = (ItemStatus.OPEN, ItemStatus.IN_PROGRESS)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["owner", "status"], name="action_item_owner_status_idx"),
            models.Index(fields=["status", "due_date"], name="action_item_status_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="wont_do") | ~Q(wont_do_reason=""),
                name="action_item_wont_do_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def tracker_key(self) -> str:
        from postmortems.trackers import tracker_key

        return tracker_key(self.tracker_url)


class Meeting(models.Model):
    """The postmortem review meeting: scheduled with an .ics invite, run from the postmortem."""

    class Format(models.TextChoices):
        FORMAL = "formal", "Formal agenda (timeline, root cause, questions, action items)"
        INFORMAL = "informal", "Informal round (what worked, what didn't, start, stop, improve)"

    postmortem = models.ForeignKey(Postmortem, on_delete=models.CASCADE, related_name="meetings")
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    location = models.CharField(max_length=300, blank=True)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="postmortem_meetings"
    )
    format = models.CharField(max_length=16, choices=Format.choices, default=Format.FORMAL)
    # Formal: {"timeline_summary", "root_cause", "questions", "action_items"}.
    # Informal: {"<user id>": {"worked", "did_not_work", "start", "stop", "improve"}}.
    notes = models.JSONField(default=dict, blank=True)
    # iCalendar SEQUENCE: bumped on every reschedule so calendars update the invite.
    sequence = models.PositiveIntegerField(default=0)
    cancelled = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return f"Review of {self.postmortem_id} at {self.starts_at:%Y-%m-%d %H:%M}"


from postmortems.drills.models import Drill  # noqa: E402, F401  (Wheel of Misfortune drills)
from postmortems.reports.models import ReportPackJob  # noqa: E402, F401  (packs made in the background)
from postmortems.search.models import SearchDocument  # noqa: E402, F401  (the search index)


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "XLSX"


class ReportSubscription(models.Model):
    """Someone who gets the quarterly manager pack by e-mail on the first day of each quarter.

    The recipient is a person (their account's address, and their view of private incidents) or a
    bare e-mail address (private incident titles never listed). Team / service narrow the pack.
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="report_subscriptions",
    )
    email = models.EmailField(blank=True, help_text="Used instead of the person's own address.")
    format = models.CharField(max_length=8, choices=ReportFormat.choices, default=ReportFormat.PDF)
    team = models.ForeignKey(
        "incidents.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    service = models.ForeignKey(
        "incidents.Service", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(email=""),
                name="report_subscription_has_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_email} ({self.format}, {self.scope_label})"

    @property
    def recipient_email(self) -> str:
        return self.email or (self.person.email if self.person_id else "")

    @property
    def scope_label(self) -> str:
        if self.service_id:
            return f"service {self.service.slug}"
        if self.team_id:
            return f"team {self.team.slug}"
        return "all services"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.person_id is None and not self.email:
            raise ValidationError("Give a person or an e-mail address.")
        if self.service_id and self.team_id and self.service.team_id != self.team_id:
            raise ValidationError({"service": "The service does not belong to the team."})


class ReportDelivery(models.Model):
    """One e-mail of one quarter's pack to one subscription: a row, claimed by the beat sweep.

    ``quarter`` is the pack's quarter (the one that just ended). The unique key (subscription,
    quarter) makes planning idempotent; the status changes are conditional updates, so a second
    beat, a replayed task or a killed worker neither sends twice nor loses the send.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        CLAIMED = "claimed", "Claimed"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "Skipped"
        FAILED = "failed", "Failed"

    subscription = models.ForeignKey(
        ReportSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    quarter = models.CharField(max_length=6)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    due_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-quarter", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "quarter"], name="report_delivery_once_per_quarter"
            ),
        ]
        indexes = [models.Index(fields=["status", "due_at"], name="report_delivery_due_idx")]

    def __str__(self) -> str:
        return f"{self.quarter} pack to subscription {self.subscription_id} ({self.status})"
