"""A Wheel of Misfortune drill: a private incident of kind *drill* replaying a published postmortem."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Drill(models.Model):
    """Links the source postmortem, the drill incident and the two people running it.

    ``scenario`` is frozen at creation: ``[{"position", "offset_seconds", "at", "who", "kind",
    "text"}]`` in the order they happened, with people replaced by their roles. ``revealed_steps``
    counts how many the game master has posted to the drill's timeline so far.
    """

    postmortem = models.ForeignKey(
        "postmortems.Postmortem", on_delete=models.CASCADE, related_name="drills"
    )
    incident = models.OneToOneField(
        "incidents.Incident", on_delete=models.CASCADE, related_name="drill"
    )
    game_master = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="drills_run"
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="drills_trained"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    scenario = models.JSONField(default=list)
    revealed_steps = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"Drill {self.pk} of postmortem {self.postmortem_id}"

    @property
    def is_running(self) -> bool:
        return self.ended_at is None

    @property
    def steps_left(self) -> int:
        return max(len(self.scenario) - self.revealed_steps, 0)
