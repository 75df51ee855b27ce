"""The weekly alert review: one review per week and scope, and the decisions per alert group."""

from __future__ import annotations

from django.conf import settings
from django.db import models


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
