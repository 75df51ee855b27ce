"""The search index: one row per searchable object, denormalised for filtering.

The full-text part lives beside the table and is created by migration ``RunSQL`` per database:
on PostgreSQL a stored generated ``tsvector`` column with a GIN index; on SQLite an FTS5 table
kept in step with this table by SQL triggers. Privacy is never denormalised alone: queries join
to the incident and apply `incident_visible_queryset` (members and admins see private rows).
"""

from __future__ import annotations

from django.db import models


class SearchDocument(models.Model):
    class DocKind(models.TextChoices):
        POSTMORTEM = "postmortem", "Postmortem"
        INCIDENT = "incident", "Incident"
        TIMELINE_NOTE = "timeline_note", "Timeline note"
        ACTION_ITEM = "action_item", "Action item"

    kind = models.CharField(max_length=16, choices=DocKind.choices)
    object_id = models.PositiveBigIntegerField()
    incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.CASCADE, related_name="search_documents"
    )
    # A copy of the incident's flag, for reading; visibility is decided by the join.
    private = models.BooleanField(default=False)
    # Weighted text: title (A) > summary, e.g. a root cause (B) > body (C).
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300)
    # Space-delimited with a leading and trailing space, so " slug " matches exactly one slug.
    service_slugs = models.CharField(max_length=1000, blank=True, default=" ")
    team_slugs = models.CharField(max_length=1000, blank=True, default=" ")
    severity = models.CharField(max_length=4)
    trigger_category = models.CharField(max_length=32)
    occurred_at = models.DateTimeField()

    class Meta:
        ordering = ["-occurred_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique"),
        ]
        indexes = [
            models.Index(fields=["incident"], name="search_document_incident_idx"),
            models.Index(fields=["occurred_at"], name="search_document_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"
