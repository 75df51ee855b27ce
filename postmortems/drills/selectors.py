"""Reads for drills. The scenario page is the game master's (and admins'); never the trainee's."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from config.errors import NotFound, PermissionDenied
from incidents.selectors import incident_visible_queryset
from oncall.access import is_admin
from postmortems.drills.models import Drill


def drill_get_for_game_master(*, user, pk) -> Drill:
    """The drill whose scenario ``user`` may read and run.

    The trainee gets 403 (the scenario would spoil the drill); someone who cannot see the drill
    incident gets 404, as for a missing drill; any other member of the drill incident gets 403.
    """
    try:
        drill = Drill.objects.select_related(
            "incident", "postmortem", "game_master", "trainee"
        ).get(pk=pk)
    except (Drill.DoesNotExist, ValueError, TypeError):
        raise NotFound("No such drill.") from None
    if user.pk == drill.trainee_id:
        raise PermissionDenied("This page is the game master's: it shows the whole scenario.")
    if user.pk == drill.game_master_id or is_admin(user):
        return drill
    if not incident_visible_queryset(user).filter(pk=drill.incident_id).exists():
        raise NotFound("No such drill.")
    raise PermissionDenied("This page is the game master's: it shows the whole scenario.")


def drill_list_for(*, user) -> QuerySet[Drill]:
    """Drills this person runs or trains in, newest first."""
    return (
        Drill.objects.filter(Q(game_master=user) | Q(trainee=user))
        .select_related("incident", "postmortem", "game_master", "trainee")
        .order_by("-started_at", "-id")
    )


def drills_of_postmortem(*, user, postmortem) -> QuerySet[Drill]:
    return drill_list_for(user=user).filter(postmortem=postmortem)
