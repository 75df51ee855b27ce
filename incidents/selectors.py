"""Reads: querysets and values for incidents. Visibility is applied here, for every caller."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from config.errors import NotFound
from incidents.models import (
    ACTIVE_STATUSES,
    MULTI_HOLDER_ROLES,
    ContributingFactor,
    Incident,
    Kind,
    Role,
    RoleAssignment,
    Service,
    StakeholderUpdate,
    Tag,
    Team,
    TimelineEvent,
    TriggerCategory,
)
from oncall.access import is_admin
from oncall.alerts.selectors import alert_list


def incident_visible_queryset(user) -> QuerySet[Incident]:
    """Everything a person may see: public incidents, plus private ones they are a member of.

    Admins see everything. Anonymous users see nothing.
    """
    qs = Incident.objects.all()
    if user is None or not user.is_authenticated:
        return qs.none()
    if is_admin(user):
        return qs
    membership = Incident.members.through.objects.filter(
        incident_id=OuterRef("pk"), user_id=user.pk
    )
    return qs.filter(Q(private=False) | Exists(membership))


def incident_get(*, user, number: int | None = None, pk: int | None = None) -> Incident:
    """Load one visible incident or raise NotFound (404 for anyone who may not see it)."""
    qs = incident_visible_queryset(user)
    try:
        if number is not None:
            return qs.get(number=number)
        return qs.get(pk=pk)
    except (Incident.DoesNotExist, ValueError, TypeError):
        raise NotFound("No such incident.") from None


def incident_list(
    *,
    user,
    status: str | None = None,
    severity: str | None = None,
    kind: str | None = None,
    service: str | None = None,
    active: bool | None = None,
    query: str | None = None,
    trigger_category: str | None = None,
    tag: str | None = None,
    factor: str | None = None,
) -> QuerySet[Incident]:
    """Incidents ``user`` may see, newest first. ``tag`` and ``factor`` are names as stored
    (normalised: see incidents.services.taxonomy.lookup_name)."""
    qs = incident_visible_queryset(user)
    if status:
        qs = qs.filter(status=status)
    if severity:
        qs = qs.filter(severity=severity)
    if kind:
        qs = qs.filter(kind=kind)
    if service:
        qs = qs.filter(services__slug=service)
    if active is True:
        qs = qs.filter(status__in=ACTIVE_STATUSES)
    elif active is False:
        qs = qs.exclude(status__in=ACTIVE_STATUSES)
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(summary__icontains=query))
    if trigger_category:
        qs = qs.filter(trigger_category=trigger_category)
    if tag:
        qs = qs.filter(tags__name=tag)
    if factor:
        qs = qs.filter(contributing_factors__name=factor)
    return (
        qs.prefetch_related("services", "tags", "contributing_factors", active_roles_prefetch())
        .distinct()
        .order_by("-declared_at", "-number")
    )


def active_roles_prefetch() -> Prefetch:
    return Prefetch(
        "role_assignments",
        queryset=RoleAssignment.objects.filter(ended_at__isnull=True).select_related("user"),
        to_attr="active_assignments",
    )


@dataclass(frozen=True)
class EffectiveRole:
    role: str
    label: str
    holders: list  # users actively holding the role
    delegated: bool  # False → held by the IC because nobody else has it


def effective_roles(incident: Incident, *, active_assignments=None) -> list[EffectiveRole]:
    """Who effectively holds each ICS role: the delegate, or else the incident commander.

    ``active_assignments`` (the incident's active RoleAssignments, users loaded, e.g. from
    ``active_roles_prefetch()``) spares the query when listing many incidents.
    """
    if active_assignments is not None:
        active = sorted(active_assignments, key=lambda a: (a.assigned_at, a.pk))
    else:
        active = list(
            RoleAssignment.objects.filter(incident=incident, ended_at__isnull=True)
            .select_related("user")
            .order_by("assigned_at")
        )
    by_role: dict[str, list] = {}
    for assignment in active:
        by_role.setdefault(assignment.role, []).append(assignment.user)
    commander = by_role.get(Role.INCIDENT_COMMANDER, [])
    result = []
    for role in Role:
        holders = by_role.get(role.value, [])
        if role == Role.INCIDENT_COMMANDER or holders:
            result.append(EffectiveRole(role.value, role.label, holders, True))
        elif role in MULTI_HOLDER_ROLES:
            result.append(EffectiveRole(role.value, role.label, [], False))
        else:
            result.append(EffectiveRole(role.value, role.label, commander, False))
    return result


def role_history(incident: Incident) -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.filter(incident=incident).select_related(
        "user", "assigned_by", "ended_by"
    )


def active_role_assignments(incident: Incident) -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.filter(incident=incident, ended_at__isnull=True).select_related(
        "user"
    )


def timeline_for(incident: Incident, *, since_id: int | None = None) -> QuerySet[TimelineEvent]:
    """The incident's events, oldest first, each with its actor, the event it corrects and the
    ids of the events that correct it loaded in bulk (no query per event in a template)."""
    qs = (
        TimelineEvent.objects.filter(incident=incident)
        .select_related("actor", "corrects")
        .prefetch_related(
            Prefetch("corrections", queryset=TimelineEvent.objects.only("id", "corrects_id"))
        )
    )
    if since_id:
        qs = qs.filter(pk__gt=since_id)
    return qs.order_by("occurred_at", "id")


TIMELINE_PAGE_SIZE = 50  # events on the incident page; older ones load on demand
HIGHLIGHTS_SHOWN = 10


@dataclass(frozen=True)
class TimelinePage:
    """A slice of the timeline, newest first, and where to go on from it."""

    events: list  # newest first
    has_older: bool
    oldest_id: int | None  # the cursor for the next older page
    newest_id: int  # the cursor the live refresh polls from (0: no event yet)


def timeline_page(
    incident: Incident, *, before_id: int | None = None, limit: int = TIMELINE_PAGE_SIZE
) -> TimelinePage:
    """The latest ``limit`` events (or those just older than event ``before_id``), newest first.

    A long incident's page shows only this slice; older events load on demand. An unknown
    ``before_id`` (not on this timeline) gives an empty page rather than the whole timeline.
    """
    qs = timeline_for(incident).order_by("-occurred_at", "-id")
    if before_id is not None:
        anchor = TimelineEvent.objects.filter(incident=incident, pk=before_id).first()
        if anchor is None:
            return TimelinePage([], False, None, 0)
        qs = qs.filter(
            Q(occurred_at__lt=anchor.occurred_at)
            | Q(occurred_at=anchor.occurred_at, id__lt=anchor.pk)
        )
    rows = list(qs[: limit + 1])
    events = rows[:limit]
    newest = 0
    if before_id is None:
        newest = (
            TimelineEvent.objects.filter(incident=incident)
            .order_by("-id")
            .values_list("id", flat=True)
            .first()
            or 0
        )
    return TimelinePage(events, len(rows) > limit, events[-1].pk if events else None, newest)


def timeline_highlights(incident: Incident, *, limit: int = HIGHLIGHTS_SHOWN) -> tuple[list, int]:
    """The latest ``limit`` highlighted events (newest first) and how many there are in all, so
    highlights stay in sight however long the timeline grows."""
    qs = TimelineEvent.objects.filter(incident=incident, highlighted=True)
    events = list(qs.select_related("actor").order_by("-occurred_at", "-id")[:limit])
    total = len(events) if len(events) < limit else qs.count()
    return events, total


def timeline_search(incident: Incident, text: str, *, limit: int = 10) -> list[TimelineEvent]:
    """Events a person may mean by ``text`` (an event number such as ``#42``, or words of its
    text), newest first: the "corrects" picker asks this instead of listing every event."""
    text = (text or "").strip().lstrip("#").strip()
    if not text:
        return []
    qs = TimelineEvent.objects.filter(incident=incident)
    if text.isascii() and text.isdigit() and len(text) < 19:
        match = Q(pk=int(text)) | Q(body__icontains=text)
    else:
        match = Q(body__icontains=text[:200])
    return list(qs.filter(match).order_by("-occurred_at", "-id")[:limit])


def updates_for(incident: Incident) -> QuerySet[StakeholderUpdate]:
    return (
        StakeholderUpdate.objects.filter(incident=incident)
        .select_related("posted_by")
        .order_by("-posted_at")
    )


def seconds_until_next_update(incident: Incident) -> int | None:
    if incident.next_update_due_at is None:
        return None
    return int((incident.next_update_due_at - timezone.now()).total_seconds())


def service_list() -> QuerySet[Service]:
    return Service.objects.select_related("team").order_by("name")


def team_list() -> QuerySet[Team]:
    return Team.objects.prefetch_related("members").order_by("name")


def hide_alerts_of_invisible_private_incidents(user, alerts: QuerySet) -> QuerySet:
    """Alert visibility filter (registered with oncall): drop alerts linked to a private incident
    this person may not see."""
    if is_admin(user):
        return alerts
    hidden = Incident.objects.filter(private=True).exclude(members=user)
    return alerts.exclude(incidents__in=hidden)


def linked_alerts(incident: Incident, *, user=None) -> QuerySet:
    """The incident's alerts, earliest first. With ``user``, only those that person may see (an
    alert also linked to another private incident stays hidden from non-members of that one)."""
    alerts = incident.alerts.select_related("integration", "acknowledged_by").order_by("fired_at")
    if user is not None:
        alerts = alerts.filter(pk__in=alert_list(user=user).values("pk"))
    return alerts


# --- taxonomy and recurrence ---------------------------------------------------------------------


@dataclass(frozen=True)
class Recurrence:
    """An earlier incident this one repeats, and why: shared services (with the same trigger
    category) and/or shared alert fingerprints."""

    incident: Incident
    services: list[str]
    fingerprints: list[str]


def incident_recurrences(incident: Incident, *, user, limit: int = 10) -> list[Recurrence]:
    """Earlier incidents (kind *incident*, started within FIREBREAK_RECURRENCE_DAYS before this
    one) that share a service and the trigger category, or an alert fingerprint; newest first.

    Only incidents ``user`` may see are returned: an outsider never learns that a private
    incident is an earlier occurrence.
    """
    if incident.kind != Kind.INCIDENT:
        return []
    my_services = {s.pk: s.slug for s in incident.services.all()}
    my_fingerprints = set(incident.alerts.values_list("integration_id", "fingerprint"))
    match = Q(pk__in=[])
    if incident.trigger_category != TriggerCategory.UNKNOWN and my_services:
        match |= Q(trigger_category=incident.trigger_category, services__in=list(my_services))
    for integration_id, fingerprint in my_fingerprints:
        match |= Q(alerts__integration_id=integration_id, alerts__fingerprint=fingerprint)
    if not my_services and not my_fingerprints:
        return []
    window = timedelta(days=settings.FIREBREAK_RECURRENCE_DAYS)
    earlier = list(
        incident_visible_queryset(user)
        .filter(
            match,
            kind=Kind.INCIDENT,
            started_at__lt=incident.started_at,
            started_at__gte=incident.started_at - window,
        )
        .exclude(pk=incident.pk)
        .distinct()
        .order_by("-started_at", "-number")
        .prefetch_related("services", "alerts")[:limit]
    )
    result = []
    for other in earlier:
        shared_services = (
            sorted(s.slug for s in other.services.all() if s.pk in my_services)
            if other.trigger_category == incident.trigger_category
            and incident.trigger_category != TriggerCategory.UNKNOWN
            else []
        )
        shared_fingerprints = sorted(
            {
                a.fingerprint
                for a in other.alerts.all()
                if (a.integration_id, a.fingerprint) in my_fingerprints
            }
        )
        result.append(Recurrence(other, shared_services, shared_fingerprints))
    return result


@dataclass(frozen=True)
class TaxonomyCount:
    value: str
    label: str
    count: int


def taxonomy_counts(*, user) -> dict[str, list[TaxonomyCount]]:
    """How many incidents (kind *incident*) carry each trigger category, tag and contributing
    factor, among the incidents ``user`` may see.

    Private incidents count only for their members and admins: tags and factors are free text,
    so counting a private incident for an outsider would tell them what it is about.
    """
    visible = incident_visible_queryset(user).filter(kind=Kind.INCIDENT)
    labels = dict(TriggerCategory.choices)
    triggers = {
        row["trigger_category"]: row["n"]
        for row in visible.order_by().values("trigger_category").annotate(n=Count("pk"))
    }
    result = {
        "trigger_categories": [
            TaxonomyCount(value, labels[value], triggers.get(value, 0))
            for value, _ in TriggerCategory.choices
        ]
    }
    for key, model in (("tags", Tag), ("contributing_factors", ContributingFactor)):
        rows = (
            model.objects.filter(incidents__in=visible)
            .order_by()
            .values("name")
            .annotate(n=Count("incidents", distinct=True))
            .order_by("-n", "name")
        )
        result[key] = [TaxonomyCount(r["name"], r["name"], r["n"]) for r in rows]
    return result
