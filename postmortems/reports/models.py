"""A quarterly pack produced in the background: one row per (person, quarter, scope, format),
its progress, and the file it wrote under ``VAR_DIR/report-packs/``."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ReportPackJob(models.Model):
    """The same parameters always map to the same row (``key``), so asking twice starts one job;
    a finished file is served until it is older than ``FRESH_FOR`` (then the next request makes
    it again, since figures change as incidents are edited)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    key = models.CharField(max_length=64, unique=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    quarter = models.CharField(max_length=6)
    format = models.CharField(max_length=8)
    team = models.ForeignKey(
        "incidents.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    service = models.ForeignKey(
        "incidents.Service", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    severity = models.CharField(max_length=8, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    steps_done = models.PositiveIntegerField(default=0)
    steps_total = models.PositiveIntegerField(default=1)
    step = models.CharField(max_length=120, blank=True)
    file_name = models.CharField(max_length=120, blank=True)
    path = models.CharField(max_length=500, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    error = models.TextField(blank=True)
    requested_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.quarter} {self.format} pack ({self.status})"

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.steps_done / max(self.steps_total, 1)))
