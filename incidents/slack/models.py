"""Slack bookkeeping: which channel belongs to which incident, deliveries seen, API failures.

Imported into ``incidents.models`` so that Django (app label ``incidents``) finds them.
"""

from __future__ import annotations

from django.db import models

__all__ = ["IncidentSlackChannel", "SlackApiFailure", "SlackDelivery"]


class IncidentSlackChannel(models.Model):
    """The responders' channel of one incident and its pinned header message."""

    incident = models.OneToOneField(
        "incidents.Incident", on_delete=models.CASCADE, related_name="slack_channel"
    )
    channel_id = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=80)
    header_ts = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"#{self.name} ({self.channel_id})"


class SlackDelivery(models.Model):
    """One inbound Slack delivery we acted on; the unique key makes retries do nothing.
    ``task_id`` is the Celery task that claimed it (its own retries may go on; empty for
    deliveries handled inside the request, such as modal submissions)."""

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32)
    task_id = models.CharField(max_length=64, blank=True, default="")
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key


class SlackApiFailure(models.Model):
    """A Slack API call that failed for good (not retried); shown on the incident page."""

    incident = models.ForeignKey(
        "incidents.Incident",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="slack_failures",
    )
    method = models.CharField(max_length=64)
    error = models.CharField(max_length=200)
    detail = models.CharField(max_length=500, blank=True)
    occurred_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return f"{self.method}: {self.error}"
