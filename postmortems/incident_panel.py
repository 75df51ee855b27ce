"""The incident page's "Postmortem" and "Action items" cards, registered into `incidents.ui`.

`incidents` never imports `postmortems` (DESIGN.md layers); `PostmortemsConfig.ready()` calls
`register()` so the incident page shows these cards. Forms here post to postmortems' own views.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from incidents.ui import (
    IncidentLink,
    IncidentPanel,
    register_incident_link,
    register_incident_panel,
)
from oncall.access import can_respond
from postmortems import forms, selectors


def postmortem_panel_context(request, incident) -> dict:
    """The incident's postmortem if the user may see it; otherwise the ways to get one."""
    return {
        "postmortem": selectors.postmortem_for_incident(user=request.user, incident=incident),
        "can_write": can_respond(request.user),
        "request_form": forms.RequestForm(),
    }


def action_items_panel_context(request, incident) -> dict:
    """The incident's action items the user may see, each marked overdue when open past due."""
    today = timezone.localdate()  # the same "today" as the Overdue view of the action item list
    items = selectors.action_item_list(user=request.user, incident=incident)
    return {
        "rows": [
            {"item": item, "overdue": item.is_open and item.due_date < today} for item in items
        ],
        "can_write": can_respond(request.user),
        "item_form": forms.ActionItemForm(),
    }


POSTMORTEM_PANEL = IncidentPanel(
    key="postmortems.postmortem",
    template="postmortems/_incident_postmortem_panel.html",
    context=postmortem_panel_context,
    order=10,
    column="side",
)
ACTION_ITEMS_PANEL = IncidentPanel(
    key="postmortems.action_items",
    template="postmortems/_incident_action_items_panel.html",
    context=action_items_panel_context,
    order=10,
    column="main",
)


def postmortem_link(request, incident) -> IncidentLink | None:
    """The header's link to the incident's postmortem, when there is one the user may see."""
    postmortem = selectors.postmortem_for_incident(user=request.user, incident=incident)
    if postmortem is None:
        return None
    return IncidentLink(
        "Postmortem", reverse("postmortems:detail", args=[postmortem.pk]), "postmortem"
    )


def register() -> None:
    register_incident_link("postmortems.postmortem", postmortem_link)
    register_incident_panel(POSTMORTEM_PANEL)
    register_incident_panel(ACTION_ITEMS_PANEL)
