"""Writes for Wheel of Misfortune drills: create from a published postmortem, reveal, end.

A drill is an ordinary incident of kind *drill* (excluded from every metric, METRICS.md), private
to the game master and the trainee. The game master declares it and at once hands command to the
trainee, so the trainee runs the response on the normal incident page: their notes, role changes
and updates land on the drill's own timeline through the normal incident services. The game
master replays the source incident one step at a time as "[Scenario]" notes on that timeline.
"""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from config.errors import NotFound, PermissionDenied, ValidationFailed
from incidents import services as incident_services
from incidents.models import Incident, Kind, Role, RoleAssignment, Status, TimelineEvent
from incidents.selectors import incident_visible_queryset
from oncall.access import can_respond, is_admin
from postmortems.drills.models import Drill
from postmortems.models import Postmortem, PostmortemStatus
from postmortems.services._common import authorize_view, display_name

EventKind = TimelineEvent.EventKind

TITLE_MAX = 200
SCENARIO_PREFIX = "[Scenario]"
# Without highlights, the scenario is what people wrote and how the incident moved.
FALLBACK_KINDS = (
    EventKind.NOTE,
    EventKind.CORRECTION,
    EventKind.STATUS_CHANGED,
    EventKind.SEVERITY_CHANGED,
    EventKind.MITIGATED,
)
DRILL_SUMMARY = (
    "Wheel of Misfortune drill. The game master reveals what happens step by step on this "
    "timeline, marked [Scenario]; respond as you would for real. Drills never count in metrics."
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
SLACK_MENTION = re.compile(r"<@[A-Z0-9]+(\|[^>]*)?>")


def _authorize_responder(person, what: str) -> None:
    if person is None or not person.is_active or not can_respond(person):
        raise ValidationFailed(
            f"The {what} must be an active responder.",
            field_errors={what.replace(" ", "_"): ["Not an active responder."]},
        )


def _can_see(person, incident: Incident) -> bool:
    return incident_visible_queryset(person).filter(pk=incident.pk).exists()


def format_offset(seconds: int) -> str:
    """``T+8 min``, ``T+1 h 05 min``: minutes since the scenario's first step."""
    minutes = max(int(seconds), 0) // 60
    if minutes < 60:
        return f"T+{minutes} min"
    return f"T+{minutes // 60} h {minutes % 60:02d} min"


class _Anonymizer:
    """Replaces people named in the source incident by their role in it ("incident commander").

    People who held roles are named by their first role (numbered when two share a label);
    other people of the source incident (members, actors) are "a responder"; anyone else known to
    Firebreak by full name, username or e-mail is "a colleague". Stray e-mail addresses and Slack
    mentions are removed too.
    """

    def __init__(self, incident: Incident, events: list[TimelineEvent]):
        self.labels: dict[int, str] = {}
        counts: dict[str, int] = {}
        assignments = RoleAssignment.objects.filter(incident=incident).order_by("assigned_at", "id")
        for assignment in assignments:
            if assignment.user_id in self.labels:
                continue
            base = Role(assignment.role).label
            counts[base] = counts.get(base, 0) + 1
            self.labels[assignment.user_id] = (
                base if counts[base] == 1 else f"{base} {counts[base]}"
            )
        involved_ids = set(self.labels)
        involved_ids.update(incident.members.values_list("pk", flat=True))
        involved_ids.update(e.actor_id for e in events if e.actor_id)
        if incident.declared_by_id:
            involved_ids.add(incident.declared_by_id)
        for user_id in involved_ids:
            self.labels.setdefault(user_id, "a responder")

        replacements: dict[str, str] = {}
        users = get_user_model().objects.only("pk", "username", "first_name", "last_name", "email")
        for person in users:
            label = self.labels.get(person.pk)
            names = [person.get_full_name(), person.username, person.email]
            if label is not None:
                # Within their own incident even a first or last name alone means them.
                names += [person.first_name, person.last_name]
            for name in names:
                name = (name or "").strip()
                if len(name) >= 2 and name not in replacements:
                    replacements[name] = (label or "a colleague").lower()
        # Longest first, so "Rita Reyes" is replaced before "Rita".
        ordered = sorted(replacements, key=len, reverse=True)
        self.pattern = (
            re.compile(r"(?<!\w)(" + "|".join(re.escape(n) for n in ordered) + r")(?!\w)")
            if ordered
            else None
        )
        self.replacements = replacements

    def who(self, user_id: int | None) -> str:
        if user_id is None:
            return "Firebreak"
        label = self.labels.get(user_id, "a responder")
        return label[:1].upper() + label[1:]

    def text(self, value: str) -> str:
        value = SLACK_MENTION.sub("a colleague", value)
        if self.pattern is not None:
            value = self.pattern.sub(lambda m: self.replacements[m.group(1)], value)
        return EMAIL.sub("[e-mail]", value)


def scenario_for(incident: Incident) -> list[dict]:
    """The steps of the source incident in the order they happened (``occurred_at``, then id).

    Highlighted events when there are any (they are what the postmortem's timeline is made of);
    otherwise every note, correction, status/severity change and mitigation. Offsets count from
    the first step. Names of people are replaced by their roles.
    """
    events = TimelineEvent.objects.filter(incident=incident).order_by("occurred_at", "id")
    chosen = list(events.filter(highlighted=True))
    if not chosen:
        chosen = list(events.filter(kind__in=FALLBACK_KINDS))
    if not chosen:
        return []
    anonymize = _Anonymizer(incident, chosen)
    first = chosen[0].occurred_at
    steps = []
    for position, event in enumerate(chosen, start=1):
        offset = int((event.occurred_at - first).total_seconds())
        steps.append(
            {
                "position": position,
                "offset_seconds": offset,
                "at": format_offset(offset),
                "who": anonymize.who(event.actor_id),
                "kind": event.kind,
                "text": anonymize.text(event.body) or event.get_kind_display(),
            }
        )
    return steps


def scenario_note(step: dict) -> str:
    return f"{SCENARIO_PREFIX} {step['at']} — {step['who']}: {step['text']}"


@transaction.atomic
def drill_create(*, user, postmortem: Postmortem, trainee, game_master=None) -> Drill:
    """Start a drill replaying a published postmortem's incident.

    Preconditions: ``user`` is a responder who can see the postmortem (else 404/403); it is
    published; the game master (``user`` unless named) and the trainee are two different active
    responders who can both see the source incident, so a private incident never leaks through a
    drill. The game master declares the drill incident (kind drill, private, severity and services
    of the source, title "Drill: <source title>") and hands command to the trainee at once.
    """
    if not can_respond(user):
        raise PermissionDenied("Only responders can run drills; your account can only read.")
    authorize_view(user, postmortem.incident)
    postmortem = Postmortem.objects.select_related("incident").get(pk=postmortem.pk)
    if postmortem.status != PostmortemStatus.PUBLISHED:
        raise ValidationFailed(
            "Drills are built from published postmortems only; this one is "
            f"{postmortem.get_status_display().lower()}.",
            field_errors={"postmortem": ["Not published."]},
        )
    game_master = game_master or user
    _authorize_responder(game_master, "game master")
    _authorize_responder(trainee, "trainee")
    if trainee.pk == game_master.pk:
        raise ValidationFailed(
            "The trainee and the game master must be two different people.",
            field_errors={"trainee": ["Not the game master."]},
        )
    source = postmortem.incident
    for person, what in ((game_master, "game master"), (trainee, "trainee")):
        if not _can_see(person, source):
            raise ValidationFailed(
                f"The {what} cannot see this private incident, so it cannot be replayed to them.",
                field_errors={what.replace(" ", "_"): ["Not a member of the private incident."]},
            )
    scenario = scenario_for(source)
    if not scenario:
        raise ValidationFailed(
            "The incident of this postmortem has no timeline to replay: add or highlight events first."
        )
    title = _Anonymizer(source, []).text(f"Drill: {source.title}")[:TITLE_MAX]
    incident = incident_services.incident_declare(
        user=game_master,
        title=title,
        severity=source.severity,
        summary=DRILL_SUMMARY,
        kind=Kind.DRILL,
        services=list(source.services.values_list("slug", flat=True)),
        private=True,
    )
    incident_services.role_assign(
        incident=incident, user=game_master, role=Role.INCIDENT_COMMANDER, assignee=trainee
    )
    return Drill.objects.create(
        postmortem=postmortem,
        incident=incident,
        game_master=game_master,
        trainee=trainee,
        created_by=user,
        scenario=scenario,
        started_at=incident.declared_at,
    )


def _lock_for_game_master(user, drill: Drill) -> Drill:
    drill = Drill.objects.select_for_update().select_related("incident").get(pk=drill.pk)
    if user.pk == drill.trainee_id:
        raise PermissionDenied("Only the game master runs the scenario; the trainee responds.")
    if user.pk != drill.game_master_id and not is_admin(user):
        if not _can_see(user, drill.incident):
            raise NotFound("No such drill.")
        raise PermissionDenied("Only the game master runs the scenario.")
    return drill


@transaction.atomic
def drill_reveal_next(*, user, drill: Drill) -> TimelineEvent:
    """Post the next scenario step to the drill's timeline, as a note from the game master.

    Only the game master (or an admin) reveals; a drill that has ended, or whose every step is
    revealed, refuses (400). The note's source key makes a replayed request harmless.
    """
    drill = _lock_for_game_master(user, drill)
    if not drill.is_running:
        raise ValidationFailed("This drill has ended; nothing more can be revealed.")
    if drill.revealed_steps >= len(drill.scenario):
        raise ValidationFailed(
            f"All {len(drill.scenario)} steps of the scenario have been revealed; end the drill."
        )
    step = drill.scenario[drill.revealed_steps]
    event = incident_services.timeline_note_add(
        incident=drill.incident,
        user=user,
        body=scenario_note(step),
        source_key=f"drill:{drill.pk}:step:{step['position']}",
    )
    drill.revealed_steps += 1
    drill.save(update_fields=["revealed_steps"])
    return event


@transaction.atomic
def drill_end(*, user, drill: Drill) -> Drill:
    """End the drill: the drill incident is resolved (unless the trainee already did).

    Only the game master (or an admin); ending twice is a 400.
    """
    drill = _lock_for_game_master(user, drill)
    if not drill.is_running:
        raise ValidationFailed("This drill has already ended.")
    incident = drill.incident
    if incident.status not in (Status.RESOLVED, Status.CLOSED):
        incident_services.incident_change_status(
            incident=incident,
            user=user,
            status=Status.RESOLVED,
            note=f"Drill ended by the game master, {display_name(user)}.",
        )
    drill.ended_at = timezone.now()
    drill.save(update_fields=["ended_at"])
    return drill
