"""The incidents layer's teams and services, handed to the lower oncall layer (which may not
import them) as its team directory: who owns which service, and who is in which team."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from incidents.models import Service, Team
from oncall.people.teams import ServiceEntry


class IncidentsTeamDirectory:
    def services(self) -> list[ServiceEntry]:
        rows = Service.objects.select_related("team").order_by("name", "slug")
        return [
            ServiceEntry(
                slug=s.slug,
                name=s.name,
                team_slug=s.team.slug if s.team else "",
                team_name=s.team.name if s.team else "",
            )
            for s in rows
        ]

    def service_slugs_of_member(self, user) -> set[str]:
        return set(Service.objects.filter(team__members=user).values_list("slug", flat=True))

    def team_names_of(self, user_ids: Iterable[int]) -> dict[int, list[str]]:
        names: dict[int, list[str]] = defaultdict(list)
        memberships = Team.members.through.objects.filter(user_id__in=list(user_ids))
        for user_id, name in memberships.order_by("team__name").values_list(
            "user_id", "team__name"
        ):
            names[user_id].append(name)
        return dict(names)
