"""The people directory a schedule is built from: names, time zones, teams, and who is new.

Somebody is **new** (and the picker says why) when either
- they *joined recently*: their account was created less than ``NEW_FOR_DAYS`` (90) days ago, or
- they were *never on call*: they are not a full (primary-eligible) member of any schedule's
  rotation and have never covered a shift by an override.
New people usually shadow first: on a rotation, mark them "shadow" (secondary only) until promoted.

Read in a constant number of queries whatever the number of people or schedules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from oncall.people.selectors import active_responders
from oncall.people.teams import team_names_of
from oncall.schedules.models import ScheduleOverride, ScheduleParticipant

NEW_FOR_DAYS = 90


@dataclass(frozen=True)
class PersonEntry:
    user: object
    teams: tuple[str, ...]
    joined_days_ago: int
    never_on_call: bool

    @property
    def joined_recently(self) -> bool:
        return self.joined_days_ago < NEW_FOR_DAYS

    @property
    def is_new(self) -> bool:
        return self.joined_recently or self.never_on_call

    @property
    def new_reason(self) -> str:
        reasons = []
        if self.joined_recently:
            days = self.joined_days_ago
            reasons.append(
                "joined today" if days == 0 else f"joined {days} day{'s' if days != 1 else ''} ago"
            )
        if self.never_on_call:
            reasons.append("never on call")
        return ", ".join(reasons)


def people_directory(*, now: datetime, include_ids: Iterable[int] = ()) -> list[PersonEntry]:
    """Active people who can be on call (responders and admins), plus ``include_ids`` (people
    already on the schedule being edited), by name."""
    from django.contrib.auth import get_user_model

    extra = [pk for pk in include_ids]
    users = list(
        get_user_model()
        .objects.filter(Q(pk__in=active_responders().values("pk")) | Q(pk__in=extra))
        .order_by("first_name", "last_name", "username")
    )
    ids = [u.pk for u in users]
    on_call = set(
        ScheduleParticipant.objects.filter(user_id__in=ids, is_new=False).values_list(
            "user_id", flat=True
        )
    ) | set(
        ScheduleOverride.objects.filter(
            user_id__in=ids, cancelled_at__isnull=True, start_at__lt=now
        ).values_list("user_id", flat=True)
    )
    teams = team_names_of(ids)
    return [
        PersonEntry(
            user=u,
            teams=tuple(teams.get(u.pk, ())),
            joined_days_ago=max(0, (now - u.date_joined).days),
            never_on_call=u.pk not in on_call,
        )
        for u in users
    ]
