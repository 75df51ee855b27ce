"""Similar past incidents, for the declare page and the incident/postmortem pages.

"See whether a particular type of problem happens across multiple pieces of software"
(Real-World SRE, ch. 4): a responder sees the closest past incidents and whether their action
items shipped (the backlog check). Similarity combines text (the search index, any word),
shared services and shared alert names. Only incidents the user may see are considered.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count

from incidents.models import Incident, Kind
from incidents.selectors import incident_visible_queryset
from postmortems.models import ActionItem
from postmortems.search.selectors import ranked_document_ids

TEXT_WEIGHT = 3.0
SERVICE_WEIGHT = 1.0
ALERT_WEIGHT = 2.0
CANDIDATES = 50


@dataclass
class SimilarIncident:
    incident: Incident
    score: float
    reasons: list[str]
    action_items: list[ActionItem] = field(default_factory=list)

    @property
    def items_by_status(self) -> dict[str, int]:
        return dict(Counter(item.get_status_display() for item in self.action_items))

    @property
    def open_items(self) -> int:
        return sum(1 for item in self.action_items if item.is_open)


def similar_incidents(
    *,
    user,
    text: str = "",
    service_slugs=(),
    alert_names=(),
    exclude_incident_id: int | None = None,
    limit: int = 5,
) -> list[SimilarIncident]:
    """The ``limit`` most similar visible past incidents, best first, with their action items."""
    scores: Counter[int] = Counter()
    reasons: dict[int, list[str]] = {}
    visible = incident_visible_queryset(user).exclude(kind=Kind.DRILL)
    if exclude_incident_id is not None:
        visible = visible.exclude(pk=exclude_incident_id)

    ranked = ranked_document_ids(user=user, text=text, mode="any", limit=CANDIDATES)
    best_per_incident: dict[int, float] = {}
    for doc, score in ranked:
        if doc.incident_id != exclude_incident_id:
            best_per_incident[doc.incident_id] = max(
                best_per_incident.get(doc.incident_id, 0), score
            )
    top = max(best_per_incident.values(), default=0)
    for incident_id, score in best_per_incident.items():
        if top > 0 and score > 0:
            scores[incident_id] += TEXT_WEIGHT * score / top
            reasons.setdefault(incident_id, []).append("similar text")

    slugs = sorted({s for s in service_slugs if s})
    if slugs:
        shared = (
            visible.filter(services__slug__in=slugs)
            .annotate(shared=Count("services", distinct=True))
            .order_by("-declared_at")
            .values_list("pk", "shared")[:CANDIDATES]
        )
        for incident_id, count in shared:
            scores[incident_id] += SERVICE_WEIGHT * min(count, 2)
            reasons.setdefault(incident_id, []).append("same service")

    names = sorted({n for n in alert_names if n})
    if names:
        for incident_id in (
            visible.filter(alerts__name__in=names)
            .order_by("-declared_at")
            .values_list("pk", flat=True)
            .distinct()[:CANDIDATES]
        ):
            scores[incident_id] += ALERT_WEIGHT
            reasons.setdefault(incident_id, []).append("same alert")

    if not scores:
        return []
    incidents = visible.filter(pk__in=list(scores)).prefetch_related("services").in_bulk()
    ranked_ids = sorted(
        (pk for pk in scores if pk in incidents),
        key=lambda pk: (-scores[pk], -incidents[pk].declared_at.timestamp(), pk),
    )[:limit]
    items: dict[int, list[ActionItem]] = {}
    for item in ActionItem.objects.filter(incident_id__in=ranked_ids).order_by("due_date", "id"):
        items.setdefault(item.incident_id, []).append(item)
    return [
        SimilarIncident(
            incident=incidents[pk],
            score=round(scores[pk], 4),
            reasons=list(dict.fromkeys(reasons[pk])),
            action_items=items.get(pk, []),
        )
        for pk in ranked_ids
    ]


def similar_to_incident(*, user, incident: Incident, limit: int = 5) -> list[SimilarIncident]:
    """Past incidents like ``incident`` (precondition: the user may see it)."""
    return similar_incidents(
        user=user,
        text=f"{incident.title} {incident.summary}",
        service_slugs=list(incident.services.values_list("slug", flat=True)),
        alert_names=list(incident.alerts.values_list("name", flat=True)),
        exclude_incident_id=incident.pk,
        limit=limit,
    )
