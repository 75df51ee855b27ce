"""Panels that higher layers add to the incident page, without `incidents` importing them.

DESIGN.md: a lower layer never imports a higher one; it exposes a registry the higher app fills.
`postmortems` registers its "Postmortem" and "Action items" panels here from its ``AppConfig.ready``;
the incident page renders whatever is registered for each column.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.template.loader import render_to_string

from incidents.models import Incident

COLUMNS = ("main", "side")


@dataclass(frozen=True)
class IncidentPanel:
    """One card on the incident page.

    ``context(request, incident)`` returns the template context, or None to leave the panel out
    (for this person or this incident). It is only called for an incident the user may see.
    """

    key: str
    template: str
    context: Callable[[HttpRequest, Incident], dict | None]
    order: int = 100
    column: str = "side"

    def __post_init__(self) -> None:
        if self.column not in COLUMNS:
            raise ValueError(f"column must be one of {', '.join(COLUMNS)}; got {self.column!r}.")


_panels: dict[str, IncidentPanel] = {}


def register_incident_panel(panel: IncidentPanel) -> IncidentPanel:
    """Add ``panel``; registering the same key again replaces it (``ready()`` may run twice)."""
    _panels[panel.key] = panel
    return panel


def registered_panels(column: str) -> list[IncidentPanel]:
    return sorted(
        (p for p in _panels.values() if p.column == column), key=lambda p: (p.order, p.key)
    )


def render_incident_panels(request: HttpRequest, incident: Incident, column: str) -> list[str]:
    """The HTML of each panel shown in ``column``, in order. The incident is in every context.

    Precondition: ``incident`` was loaded through the visibility selectors for ``request.user``.
    The strings are template output (already escaped and marked safe), so the page prints them
    as they are.
    """
    if column not in COLUMNS:
        raise ValueError(f"column must be one of {', '.join(COLUMNS)}; got {column!r}.")
    rendered = []
    for panel in registered_panels(column):
        context = panel.context(request, incident)
        if context is None:
            continue
        rendered.append(
            render_to_string(panel.template, {"incident": incident, **context}, request=request)
        )
    return rendered
