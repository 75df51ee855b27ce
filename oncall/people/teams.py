"""Teams and the services they own, as the oncall layer sees them.

Teams and services are rows of the higher incidents layer, which oncall never imports. That layer
registers a :class:`TeamDirectory` here when it starts (``register_team_directory``); without
one (oncall on its own) there are no services to pick and nobody belongs to a team, so only
admins manage schedules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class ServiceEntry:
    """A service someone can put a schedule on, with the team that owns it (may be blank)."""

    slug: str
    name: str
    team_slug: str = ""
    team_name: str = ""

    @property
    def label(self) -> str:
        return f"{self.name} ({self.team_name})" if self.team_name else self.name


class TeamDirectory(Protocol):
    def services(self) -> list[ServiceEntry]:
        """Every service, by name."""

    def service_slugs_of_member(self, user) -> set[str]:
        """Slugs of the services owned by the teams ``user`` is a member of."""

    def team_names_of(self, user_ids: Iterable[int]) -> dict[int, list[str]]:
        """The names of each person's teams, by user id (people in no team are left out)."""


_directory: TeamDirectory | None = None


def register_team_directory(directory: TeamDirectory) -> TeamDirectory:
    global _directory
    _directory = directory
    return directory


def service_entries() -> list[ServiceEntry]:
    return _directory.services() if _directory is not None else []


def service_slugs_of_member(user) -> set[str]:
    if _directory is None or user is None or not getattr(user, "is_authenticated", False):
        return set()
    return _directory.service_slugs_of_member(user)


def team_names_of(user_ids: Iterable[int]) -> dict[int, list[str]]:
    return _directory.team_names_of(list(user_ids)) if _directory is not None else {}
