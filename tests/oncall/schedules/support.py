"""Helpers for the on-call schedule tests (tests/oncall/schedules/)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from incidents.models import Service, Team
from oncall.schedules import selectors, services
from oncall.schedules.shifts import ParticipantInput
from tests.factories import UserFactory

# The team that owns the services of the schedules these tests make (make_schedule puts every
# schedule on a service). conftest.py makes rita and omar, the responder personas, its members,
# so they manage these schedules; other people are members of no team unless a test says so.
TEAM_SLUG = "schedule-keepers"


def team_of(*members, slug: str = TEAM_SLUG, name: str = "Schedule keepers") -> Team:
    team = Team.objects.get_or_create(slug=slug, defaults={"name": name})[0]
    team.members.add(*members)
    return team


def service_of(team: Team, slug: str) -> Service:
    """The service ``slug`` (created when missing), owned by ``team``."""
    service = Service.objects.get_or_create(
        slug=slug, defaults={"name": slug.title(), "team": team}
    )[0]
    return service


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def person(username: str, timezone: str = "UTC", groups=("responder",)):
    return UserFactory(
        username=username, first_name=username.capitalize(), timezone=timezone, groups=list(groups)
    )


def make_schedule(
    admin,
    people,
    *,
    slug: str = "payments",
    rotation: str = "weekly",
    timezone_name: str = "UTC",
    handoff: time = time(9),
    start: date = date(2025, 1, 6),
    new=(),
    site_b=(),
    shift_hours=None,
    service_slug: str | None = None,
):
    """A schedule created through the service, people given as users in rotation order. It is
    on the service ``service_slug`` (default: one named like the schedule), owned by the
    schedule keepers' team; ``service_slug=""`` makes a schedule on no service."""
    if service_slug is None:
        service_slug = slug
    if service_slug:
        service_of(team_of(), service_slug)
    return services.schedule_create(
        user=admin,
        name=slug.replace("-", " ").title(),
        slug=slug,
        timezone_name=timezone_name,
        rotation=rotation,
        handoff_time=handoff,
        start_date=start,
        participants=[
            ParticipantInput(p, new=p in new, site=1 if p in site_b else 0) for p in people
        ],
        shift_hours=shift_hours,
        service_slug=service_slug,
    )


def who(schedule, at) -> tuple[str | None, str | None]:
    """(primary username, secondary username) at an instant."""
    now = selectors.oncall_at(schedule=schedule, at=at)
    return (
        now.primary.username if now.primary else None,
        now.secondary.username if now.secondary else None,
    )
