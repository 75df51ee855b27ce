"""The demo data a new user explores: people, teams, services and six incidents.

Idempotent: people are found by username, teams and services by slug, incidents by title, so a
second load finds everything and changes nothing. ``manage.py load_demo`` (in postmortems, the
top layer) loads these and then the postmortems written about them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from config.errors import ApplicationError
from incidents.demo.base import (
    ADMIN_PASSWORD,
    DEMO_PASSWORD,
    PEOPLE,
    SERVICES,
    TEAMS,
    People,
    clock,
    ensure_catalogue,
    ensure_people,
)
from incidents.demo.scenarios import SCENARIOS, add_taxonomy
from incidents.models import Incident

__all__ = [
    "ADMIN_PASSWORD",
    "DEMO_PASSWORD",
    "PEOPLE",
    "SERVICES",
    "TEAMS",
    "DemoLoadError",
    "IncidentsLoaded",
    "People",
    "clock",
    "load_demo_incidents",
]


class DemoLoadError(Exception):
    """A scenario could not be replayed (e.g. an existing "demo" account is not a responder)."""


@dataclass
class IncidentsLoaded:
    people: People
    created: list[Incident] = field(default_factory=list)
    existing: list[Incident] = field(default_factory=list)


def load_demo_incidents() -> IncidentsLoaded:
    """Create whatever part of the demo people, catalogue and incidents is missing."""
    with transaction.atomic():
        people = ensure_people()
        ensure_catalogue(people.admin)
    result = IncidentsLoaded(people=people)
    for title, build in SCENARIOS:
        # One transaction per incident: a failure leaves no half-loaded incident behind.
        with transaction.atomic():
            found = Incident.objects.filter(title=title).order_by("number").first()
            if found is not None:
                result.existing.append(found)
                continue
            try:
                incident = build(people).incident
                add_taxonomy(incident)
            except ApplicationError as exc:
                raise DemoLoadError(f"Could not load {title!r}: {exc.message}") from exc
            result.created.append(incident)
    return result
