"""Which of our objects came from which object of another on-call tool (for idempotent re-runs)."""

from __future__ import annotations

from django.db import models


class ImportedObject(models.Model):
    """Our ``kind`` object ``object_id`` was made from ``vendor``'s object ``external_id``.

    ``fingerprint`` is a digest of what the source said when it was imported, so a later run can
    tell "unchanged" from "changed at the source since"."""

    class Vendor(models.TextChoices):
        PAGERDUTY = "pagerduty", "PagerDuty"
        OPSGENIE = "opsgenie", "Opsgenie"
        GRAFANA_ONCALL = "grafana-oncall", "Grafana OnCall"

    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        SCHEDULE = "schedule", "Schedule"
        OVERRIDE = "override", "Schedule override"
        POLICY = "policy", "Escalation policy"
        INTEGRATION = "integration", "Alert integration"

    vendor = models.CharField(max_length=16, choices=Vendor.choices)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    external_id = models.CharField(max_length=200)
    object_id = models.PositiveIntegerField()
    fingerprint = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["vendor", "kind", "external_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "kind", "external_id"], name="imported_object_unique_source"
            )
        ]

    def __str__(self) -> str:
        return f"{self.vendor} {self.kind} {self.external_id} → #{self.object_id}"
