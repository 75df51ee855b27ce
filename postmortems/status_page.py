"""The public status page (no login) and its Atom feed.

What customers may see, and nothing else: incidents that are not private (incidents and
scheduled maintenance, never drills or launch events) *and that someone published* by posting an
update for the external audience — declaring alone publishes nothing —, only their external
updates, under their public title, and postmortems published with visibility ``public``. Every
query starts from `public_incidents()` so an unpublished or private incident cannot contribute a
title, an update or a count. Times are in the reader's time zone when signed in, else UTC (the
time-zone middleware activates it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import feedgenerator, timezone
from django.utils.html import strip_tags
from django.views.decorators.http import require_GET

from incidents.models import ACTIVE_STATUSES, Incident, Kind, Service, StakeholderUpdate
from incidents.stakeholder_messages import clock_text, next_update_sentence, stakeholder_text
from postmortems.models import Postmortem, PostmortemStatus, Visibility
from postmortems.rendering import render_document

HISTORY_DAYS = 90
PUBLIC_KINDS = (Kind.INCIDENT, Kind.MAINTENANCE)
# Worst first: the state a service shows for its worst active incident.
SEVERITY_STATES = {
    "SEV1": ("major_outage", "Major outage"),
    "SEV2": ("partial_outage", "Partial outage"),
    "SEV3": ("degraded", "Degraded performance"),
    "SEV4": ("degraded", "Degraded performance"),
}
OPERATIONAL = ("operational", "Operational")
MAINTENANCE = ("maintenance", "Under maintenance")


@dataclass
class ServiceState:
    service: Service
    code: str
    label: str
    incidents: list[Incident]


def _external_updates() -> Prefetch:
    return Prefetch(
        "updates",
        queryset=StakeholderUpdate.objects.filter(
            audience=StakeholderUpdate.Audience.EXTERNAL
        ).order_by("-posted_at", "-id"),
        to_attr="external_updates",
    )


def publishable_incidents() -> QuerySet[Incident]:
    """Incidents whose postmortem may be published publicly: never private ones, never drills or
    events."""
    return Incident.objects.filter(private=False, kind__in=PUBLIC_KINDS)


def public_incidents() -> QuerySet[Incident]:
    """Incidents customers may know about: publishable, and published by an external update."""
    published = StakeholderUpdate.objects.filter(
        incident=OuterRef("pk"), audience=StakeholderUpdate.Audience.EXTERNAL
    )
    return publishable_incidents().filter(Exists(published))


def status_line(incident: Incident) -> str:
    """What the latest public update said the state was, so the line and the update agree."""
    latest = incident.external_updates[0] if incident.external_updates else None
    if latest is None:
        return incident.get_status_display()
    if latest.kind != StakeholderUpdate.UpdateKind.UPDATE:
        return "Resolved"
    return latest.get_incident_status_display() or incident.get_status_display()


def _with_status_lines(incidents: list[Incident]) -> list[Incident]:
    """Each incident's status line, and each update's next-update sentence in the reader's zone."""
    zone = timezone.get_current_timezone_name()
    for incident in incidents:
        incident.status_line = status_line(incident)
        for update in incident.external_updates:
            update.next_sentence = next_update_sentence(update, lambda m: clock_text(m, zone))
    return incidents


def active_public_incidents() -> list[Incident]:
    return _with_status_lines(
        list(
            public_incidents()
            .filter(status__in=ACTIVE_STATUSES)
            .prefetch_related("services", _external_updates())
            .order_by("severity", "-declared_at")
        )
    )


def service_states(active: list[Incident]) -> list[ServiceState]:
    states = []
    for service in Service.objects.order_by("name"):
        hits = [i for i in active if any(s.pk == service.pk for s in i.services.all())]
        incidents_ = [i for i in hits if i.kind == Kind.INCIDENT]
        if incidents_:
            code, label = SEVERITY_STATES[min(i.severity for i in incidents_)]
        elif hits:
            code, label = MAINTENANCE
        else:
            code, label = OPERATIONAL
        states.append(ServiceState(service, code, label, hits))
    return states


def public_history(*, now=None) -> list[Incident]:
    since = (now or timezone.now()) - timedelta(days=HISTORY_DAYS)
    return _with_status_lines(
        list(
            public_incidents()
            .exclude(status__in=ACTIVE_STATUSES)
            .filter(declared_at__gte=since)
            .prefetch_related("services", _external_updates())
            .order_by("-declared_at")
        )
    )


def public_postmortems() -> QuerySet[Postmortem]:
    return (
        Postmortem.objects.filter(
            status=PostmortemStatus.PUBLISHED,
            visibility=Visibility.PUBLIC,
            incident__in=publishable_incidents(),
        )
        .select_related("incident")
        .order_by("-published_at", "-id")
    )


@require_GET
def status_page(request):
    active = active_public_incidents()
    return render(
        request,
        "knowledge/status.html",
        {
            "states": service_states(active),
            "active": active,
            "history": public_history(),
            "postmortems": public_postmortems()[:20],
            "history_days": HISTORY_DAYS,
        },
    )


@require_GET
def public_postmortem(request, pk: int):
    postmortem = get_object_or_404(public_postmortems(), pk=pk)
    return render(
        request,
        "knowledge/status_postmortem.html",
        {"postmortem": postmortem, "doc": render_document(postmortem)},
    )


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


@require_GET
def status_feed(request):
    """Atom: every external update of public incidents in the history window, and public
    postmortems, newest first."""
    page = _absolute(request, reverse("knowledge:status"))
    feed = feedgenerator.Atom1Feed(
        title="Service status",
        link=page,
        description="Incidents, updates and postmortems",
        feed_url=_absolute(request, reverse("knowledge:status-feed")),
        language="en",
    )
    since = timezone.now() - timedelta(days=HISTORY_DAYS)
    updates = (
        StakeholderUpdate.objects.filter(
            audience=StakeholderUpdate.Audience.EXTERNAL,
            incident__in=public_incidents(),
            posted_at__gte=since,
        )
        .select_related("incident")
        .order_by("-posted_at", "-id")[:100]
    )
    entries = [
        (
            update.posted_at,
            f"{update.incident.public_title or update.incident.title} — {update.get_kind_display()}",
            f"{page}#incident-{update.incident.number}",
            stakeholder_text(update, clock_text),
            f"tag:firebreak,status:update:{update.pk}",
        )
        for update in updates
    ]
    entries += [
        (
            pm.published_at,
            f"Postmortem: {pm.title}",
            _absolute(request, reverse("knowledge:status-postmortem", kwargs={"pk": pm.pk})),
            strip_tags(pm.title),
            f"tag:firebreak,status:postmortem:{pm.pk}",
        )
        for pm in public_postmortems()[:50]
    ]
    for when, title, link, body, unique_id in sorted(entries, key=lambda e: e[0], reverse=True):
        feed.add_item(
            title=title,
            link=link,
            description=body,
            unique_id=unique_id,
            updateddate=when,
            pubdate=when,
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response
