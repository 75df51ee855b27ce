"""Who may manage which schedule.

- **Admins** create and manage every schedule.
- **Responders** create schedules for the services their teams own, and manage (edit, promote,
  override, swap, cancel, renew the calendar link) the schedules of those services. A schedule's
  team is the team that owns its service (``Schedule.service_slug``); a schedule on no service,
  or on a service no team owns, is managed by admins only.
- Everyone else (viewers, responders of other teams) reads schedules and manages none.

Teams live in the incidents layer; ``oncall.people.teams`` is how this layer sees them.
"""

from __future__ import annotations

from oncall.access import can_respond, is_admin
from oncall.people.teams import service_slugs_of_member


def manageable_service_slugs(user) -> set[str] | None:
    """The services whose schedules ``user`` manages; None means every schedule (an admin)."""
    if is_admin(user):
        return None
    if not can_respond(user):
        return set()
    return service_slugs_of_member(user)


def may_manage_service(user, service_slug: str) -> bool:
    return manages(manageable_service_slugs(user), service_slug)


def manages(manageable: set[str] | None, service_slug: str) -> bool:
    """Whether ``manageable`` (from ``manageable_service_slugs``, read once for a whole list)
    covers a schedule on ``service_slug``."""
    return manageable is None or bool(service_slug) and service_slug in manageable


def may_manage(user, schedule) -> bool:
    return may_manage_service(user, schedule.service_slug)


def may_create(user) -> bool:
    """Whether ``user`` may create any schedule at all (shows the "New schedule" button)."""
    slugs = manageable_service_slugs(user)
    return slugs is None or bool(slugs)
