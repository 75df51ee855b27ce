"""The incident page's "Similar incidents" card, registered into `incidents.ui`."""

from __future__ import annotations

from incidents.ui import IncidentPanel, register_incident_panel
from postmortems.similar import similar_to_incident


def similar_panel_context(request, incident) -> dict:
    return {"similar": similar_to_incident(user=request.user, incident=incident)}


SIMILAR_PANEL = IncidentPanel(
    key="postmortems.similar_incidents",
    template="knowledge/_similar_panel.html",
    context=similar_panel_context,
    order=30,
    column="side",
)


def register() -> None:
    register_incident_panel(SIMILAR_PANEL)
