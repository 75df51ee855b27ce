"""Follow-through (METRICS.md): postmortem coverage and lead time, action items."""

from __future__ import annotations

from datetime import datetime

from django.db.models import (
    Count,
    F,
    Q,
    QuerySet,
    Value,
)
from django.utils import timezone

from incidents.models import Incident, Kind
from postmortems.models import ActionItem, Postmortem, PostmortemStatus
from postmortems.selectors import action_item_repeats

from .base import (
    Period,
    Scope,
    _ratio,
    _scoped,
    duration_stats,
    incidents_in,
)

# --- postmortems and action items --------------------------------------------------------------


def postmortem_coverage(period: Period, scope: Scope) -> dict:
    """Required postmortems, how many of them are published, and coverage = published ÷ required."""
    postmortems = Postmortem.objects.filter(incident__in=incidents_in(period, scope))
    counts = postmortems.aggregate(
        n_required=Count("pk", filter=Q(required=True)),
        n_published=Count("pk", filter=Q(required=True, status=PostmortemStatus.PUBLISHED)),
        n_published_all=Count("pk", filter=Q(status=PostmortemStatus.PUBLISHED)),
    )
    return {
        "required": counts["n_required"],
        "published": counts["n_published"],
        "published_all": counts["n_published_all"],
        "coverage": _ratio(counts["n_published"], counts["n_required"]),
    }


def postmortem_lead_time(period: Period, scope: Scope) -> dict:
    """Lead time = ``published_at − resolved_at`` over published postmortems (median, p90)."""
    published = Postmortem.objects.filter(
        incident__in=incidents_in(period, scope), status=PostmortemStatus.PUBLISHED
    )
    stats = duration_stats(
        published, "published_at", "incident__resolved_at", label="incident__number"
    )
    return stats


def _items(scope: Scope) -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(
        incident__in=_scoped(Incident.objects.filter(kind=Kind.INCIDENT), scope)
    )


def action_items(period: Period, scope: Scope, *, now: datetime | None = None) -> dict:
    """On-time completion = items done by their due date ÷ items due in the period; open and
    overdue (open, past due) as of ``now``; median age of open items. (The repeated items are a
    listing of titles, not a figure: ``repeated_action_items``.)

    Dates are UTC dates; an item done on its due date is on time.
    """
    now = now or timezone.now()
    items = _items(scope).order_by()
    due = Q(due_date__gte=period.start.date(), due_date__lt=period.end.date())
    is_open = Q(status__in=ActionItem.OPEN_STATUSES, created_at__lte=now)
    # One pass over the items for the three conditional counts.
    due_counts = items.aggregate(
        due=Count("pk", filter=due),
        done_on_time=Count(
            "pk",
            filter=due
            & Q(status=ActionItem.ItemStatus.DONE, completed_at__date__lte=F("due_date")),
        ),
        overdue=Count("pk", filter=is_open & Q(due_date__lt=now.date())),
    )
    open_items = items.filter(is_open).annotate(as_of=Value(now))
    age = duration_stats(open_items, "as_of", "created_at", label=None)
    return {
        "due": due_counts["due"],
        "done_on_time": due_counts["done_on_time"],
        "on_time_rate": _ratio(due_counts["done_on_time"], due_counts["due"]),
        "open": age["count"],
        "overdue": due_counts["overdue"],
        "open_median_age_seconds": age["median_seconds"],
    }


def repeated_action_items(scope: Scope, *, among: QuerySet[ActionItem]) -> list[dict]:
    """Actions asked for in more than one postmortem of the scope's incidents (same title,
    ignoring case and surrounding spaces), most postmortems first.

    ``among`` is the items the reader may see: the titles are text from the postmortems, so a
    private incident's items are listed to its members only (``action_item_visible_queryset``).
    """
    items = _items(scope).filter(pk__in=among.values("pk"))
    return [
        {"title": row["key"], "postmortems": row["postmortems"]}
        for row in action_item_repeats(items)
    ]


def action_items_opened_done(period: Period, scope: Scope) -> dict:
    """Action items created, and items marked done, in the period (scope through the incident)."""
    items = _items(scope)
    return {
        "opened": items.filter(created_at__gte=period.start, created_at__lt=period.end).count(),
        "done": items.filter(
            status=ActionItem.ItemStatus.DONE,
            completed_at__gte=period.start,
            completed_at__lt=period.end,
        ).count(),
    }
