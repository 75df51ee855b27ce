"""Reactions to domain signals of lower layers (never ``post_save``)."""

from __future__ import annotations

from postmortems.services import postmortem_require_if_needed


def on_incident_resolved(sender, *, incident_id: int, **kwargs) -> None:
    """Sent after commit: apply the METRICS.md rules and create the required draft if needed."""
    postmortem_require_if_needed(incident_id=incident_id)
