"""Fixtures for postmortem tests: the demo edge-router incident of 2016-02-22 (Los Angeles)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from incidents import services as incident_services
from incidents.models import Incident
from postmortems import services
from tests.factories import declare

LA = ZoneInfo("America/Los_Angeles")


def la(hour: int, minute: int, day: int = 22) -> datetime:
    return datetime(2016, 2, day, hour, minute, tzinfo=LA)


def build_edge_router_incident(commander, *, private: bool = False) -> Incident:
    """The Real-World SRE example: impact 14:12–15:17 PST, detected 14:45, declared 14:50."""
    incident = declare(
        commander,
        title="Edge router drops traffic after a route change",
        severity="SEV2",
        trigger_category="config_change",
        private=private,
    )
    incident_services.timeline_note_add(
        incident=incident,
        user=commander,
        body="Deploy of the new edge route config",
        occurred_at=la(14, 10),
        highlighted=True,
    )
    incident_services.timeline_note_add(
        incident=incident,
        user=commander,
        body="Pager fires: edge 5xx rate above 5%",
        occurred_at=la(14, 45),
        highlighted=True,
    )
    incident_services.timeline_note_add(
        incident=incident,
        user=commander,
        body="Rolled back the route config",
        occurred_at=la(15, 15),
        highlighted=True,
    )
    incident_services.timeline_note_add(
        incident=incident,
        user=commander,
        body="Coffee order placed",
        occurred_at=la(14, 30),
        highlighted=False,
    )
    # Direct timestamp edits: the service refuses to move declared_at, which a replayed demo needs.
    Incident.objects.filter(pk=incident.pk).update(
        timezone="America/Los_Angeles",
        started_at=la(14, 12),
        detected_at=la(14, 45),
        declared_at=la(14, 50),
        acknowledged_at=la(14, 52),
        mitigated_at=la(15, 17),
        resolved_at=la(16, 0),
        status="resolved",
    )
    incident.refresh_from_db()
    return incident


@pytest.fixture
def edge_incident(responder):
    return build_edge_router_incident(responder)


@pytest.fixture
def postmortem(edge_incident, responder):
    return services.postmortem_create(user=responder, incident=edge_incident)
