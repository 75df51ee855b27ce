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


# --- links in the incident page's header ---------------------------------------------------------


@dataclass(frozen=True)
class IncidentLink:
    label: str
    url: str
    key: str = ""


# ``(request, incident) -> IncidentLink | None``, registered by higher layers (the postmortem).
_link_providers: dict[str, Callable[[HttpRequest, Incident], IncidentLink | None]] = {}


def register_incident_link(
    key: str, provider: Callable[[HttpRequest, Incident], IncidentLink | None]
) -> None:
    """Add a header link; the same key again replaces it (``ready()`` may run twice)."""
    _link_providers[key] = provider


def incident_links(request: HttpRequest, incident: Incident) -> list[IncidentLink]:
    """Where to go from the header: the Slack channel, the status page entry when the incident
    is published there, then whatever higher layers registered (the postmortem).

    Precondition: ``incident`` was loaded through the visibility selectors for ``request.user``.
    """
    from django.urls import reverse

    from incidents.models import StakeholderUpdate

    links = []
    if _has_slack_channel(incident):
        channel = incident.slack_channel
        links.append(
            IncidentLink(
                f"#{channel.name}",
                f"https://slack.com/app_redirect?channel={channel.channel_id}",
                "slack",
            )
        )
    if incident.updates.filter(audience=StakeholderUpdate.Audience.EXTERNAL).exists():
        links.append(IncidentLink("Status page", reverse("knowledge:status"), "status-page"))
    for _key, provider in sorted(_link_providers.items()):
        link = provider(request, incident)
        if link is not None:
            links.append(link)
    return links


def _has_slack_channel(incident: Incident) -> bool:
    from django.core.exceptions import ObjectDoesNotExist

    try:
        incident.slack_channel  # noqa: B018 — the reverse one-to-one loads or raises
    except ObjectDoesNotExist:
        return False
    return True
