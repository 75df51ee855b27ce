"""Incident figures (METRICS.md: MTTR, MTTD, MTTA, MTBF, availability) and update cadence."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    F,
    FloatField,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.expressions import RowRange
from django.db.models.functions import (
    Coalesce,
    Greatest,
    Lag,
    Lead,
    Least,
)
from django.utils import timezone

from incidents.models import Incident, Kind, Reminder, StakeholderUpdate

from .base import (
    Period,
    Scope,
    SecondsBetween,
    _counted,
    _ratio,
    _round,
    duration_stats,
    incidents_in,
    services_in,
)

# --- incidents ---------------------------------------------------------------------------------


def incident_count(period: Period, scope: Scope) -> dict:
    """Number of incidents, overall and per severity."""
    by_severity = dict(
        incidents_in(period, scope)
        .order_by()
        .values_list("severity")
        .annotate(n=Count("pk"))
        .values_list("severity", "n")
    )
    return {"count": sum(by_severity.values()), "by_severity": by_severity}


def mttr(period: Period, scope: Scope) -> dict:
    """MTTR: mean TTR = ``mitigated_at − started_at`` over incidents that have ``mitigated_at``.
    ``ongoing`` counts those of the missing ones still going on (neither mitigated nor resolved):
    they have no recovery time yet, which is not a gap in the data."""
    rows = incidents_in(period, scope)
    stats = duration_stats(rows, "mitigated_at", "started_at")
    stats["ongoing"] = (
        rows.filter(mitigated_at__isnull=True, resolved_at__isnull=True).count()
        if stats["missing"]
        else 0
    )
    return stats


def mttd(period: Period, scope: Scope) -> dict:
    """MTTD: mean ``detected_at − started_at``."""
    return duration_stats(incidents_in(period, scope), "detected_at", "started_at")


def mtta(period: Period, scope: Scope) -> dict:
    """MTTA: mean ``acknowledged_at − detected_at`` over incidents that have both."""
    return duration_stats(incidents_in(period, scope), "acknowledged_at", "detected_at")


def mean_time_to_resolve(period: Period, scope: Scope) -> dict:
    """Mean ``resolved_at − started_at``."""
    return duration_stats(incidents_in(period, scope), "resolved_at", "started_at")


def _new_downtime(rows: QuerySet, period: Period, now: datetime, *, prefix: str = "",
                  partition=None):  # fmt: skip
    """Annotate ``_new``: the seconds each impact interval adds to the union of the intervals
    before it (sorted by start), so that the union's length is the sum of ``_new`` over positive
    values — the merge of overlaps done by one window pass in the database.

    The interval is ``[started_at, mitigated_at | resolved_at | now)`` clipped to P and to now
    (an ongoing incident is downtime up to now, not to the end of the period); an interval adds
    what reaches past the furthest end among the earlier ones (``_reach``). An interval whose end
    is before its start adds nothing. ``partition`` gives one union per value (per service).
    """
    limit = period.measured_end(now)
    span_start = Greatest(F(f"{prefix}started_at"), Value(period.start))
    span_end = Least(
        Coalesce(f"{prefix}mitigated_at", f"{prefix}resolved_at", Value(limit)),
        Value(limit),
    )
    reach = Window(
        Max("_span_end"),
        partition_by=partition,
        order_by=[F("_span_start").asc(), F("_span_end").asc(), F("pk").asc()],
        frame=RowRange(start=None, end=-1),
    )
    return (
        rows.annotate(_span_start=span_start, _span_end=span_end)
        .annotate(_reach=reach)
        .annotate(
            _new=SecondsBetween(
                F("_span_end"), Greatest(F("_span_start"), Coalesce(F("_reach"), F("_span_start")))
            )
        )
    )


def downtime_seconds(period: Period, scope: Scope, *, now: datetime | None = None) -> float:
    """D: union of impact intervals ``[started_at, mitigated_at | resolved_at | now)``,
    clipped to P and to now, overlaps merged."""
    return _downtime_and_failures(period, scope, now or timezone.now())[0]


def _downtime_and_failures(
    period: Period, scope: Scope, now: datetime
) -> tuple[float, int, float | None]:
    """D, N and ``last start − first start`` (seconds) in one query."""
    totals = _new_downtime(incidents_in(period, scope).order_by(), period, now).aggregate(
        downtime=Sum("_new", filter=Q(_new__gt=0)),
        n=Count("pk"),
        first=Min("started_at"),
        last=Max("started_at"),
    )
    gap = (totals["last"] - totals["first"]).total_seconds() if totals["n"] else None
    return float(totals["downtime"] or 0.0), totals["n"], gap


def mtbf(period: Period, scope: Scope, *, now: datetime | None = None) -> dict:
    """MTBF = ``(|P| − D) / N`` with ``|P|`` measured up to now; N = 0 → "no failures"
    (``seconds`` is None).

    Beside it, the mean gap between starts ``(last start − first start) / (N − 1)`` for N ≥ 2.
    """
    now = now or timezone.now()
    downtime, failures, gap = _downtime_and_failures(period, scope, now)
    measured = period.measured_seconds(now)
    return {
        "seconds": _round(max(measured - downtime, 0.0) / failures) if failures else None,
        "failures": failures,
        "downtime_seconds": _round(downtime),
        "no_failures": failures == 0,
        "mean_gap_between_starts_seconds": (
            _round(gap / (failures - 1)) if failures >= 2 else None
        ),
    }


def availability(period: Period, scope: Scope, *, now: datetime | None = None) -> list[dict]:
    """Per service: availability ``1 − D/|P|`` and error budget used ``D / ((1 − SLO) × |P|)``,
    with ``|P|`` and D measured up to now (the current quarter's availability so far).

    D is computed per service (an incident on two services is downtime for both). A service with
    no incidents has availability 1; a period that has not begun has no figures (None).
    """
    now = now or timezone.now()
    measured = period.measured_seconds(now)
    services = list(services_in(scope).select_related("team").order_by("name", "pk"))
    links = Incident.services.through.objects.filter(
        incident__kind=Kind.INCIDENT,
        incident__started_at__gte=period.start,
        incident__started_at__lt=period.end,
    )
    if scope.service is not None or scope.team is not None:
        # (Not for all services: the planner would then walk every link by service.)
        links = links.filter(service__in=[service.pk for service in services])
    if scope.severity:
        links = links.filter(incident__severity=scope.severity)
    # One union per service, merged by the window in the database; a GROUP BY cannot sit over a
    # window in the same query, so the per-interval contributions are added up here.
    contributions = _new_downtime(
        links.order_by(), period, now, prefix="incident__", partition=[F("service_id")]
    ).values_list("service_id", "_new")
    incidents: dict[int, int] = {}
    downtimes: dict[int, float] = {}
    for service_id, new in contributions.iterator(chunk_size=5000):
        incidents[service_id] = incidents.get(service_id, 0) + 1
        downtimes[service_id] = downtimes.get(service_id, 0.0) + max(new, 0.0)
    rows = []
    for service in services:
        downtime = downtimes.get(service.pk, 0.0)
        budget = (1 - float(service.slo_target)) * measured
        rows.append(
            {
                "service": service.slug,
                "name": service.name,
                "team": service.team.name if service.team_id else "",
                "slo_target": float(service.slo_target),
                "incidents": incidents.get(service.pk, 0),
                "downtime_seconds": _round(downtime),
                "measured_seconds": _round(measured),
                "availability": round(1 - downtime / measured, 6) if measured else None,
                "error_budget_used": round(downtime / budget, 6) if budget > 0 else None,
            }
        )
    return rows


def downtime_by_team(period: Period, scope: Scope, *, now: datetime | None = None) -> dict:
    """Per team id: the union of its services' impact intervals (an incident on two of the
    team's services counts once), measured as for ``downtime_seconds``."""
    links = Incident.services.through.objects.filter(
        incident__in=incidents_in(period, scope), service__team__isnull=False
    )
    contributions = _new_downtime(
        links.order_by(), period, now or timezone.now(), prefix="incident__",
        partition=[F("service__team_id")],
    ).values_list("service__team_id", "_new")  # fmt: skip
    downtime: dict[int, float] = {}
    for team_id, new in contributions.iterator(chunk_size=5000):
        downtime[team_id] = downtime.get(team_id, 0.0) + max(new or 0.0, 0.0)
    return {team_id: _round(seconds) for team_id, seconds in downtime.items()}


# --- communication -----------------------------------------------------------------------------


def _interval_seconds(prefix: str = ""):
    """Expected update interval in seconds: per incident, else per severity, else the default."""
    by_severity = settings.FIREBREAK_UPDATE_INTERVAL_BY_SEVERITY
    severity_default = Case(
        *[
            When(**{f"{prefix}severity": sev}, then=Value(minutes))
            for sev, minutes in by_severity.items()
        ],
        default=Value(settings.FIREBREAK_UPDATE_INTERVAL_MINUTES),
        output_field=IntegerField(),
    )
    return Coalesce(f"{prefix}update_interval_minutes", severity_default) * 60


def update_on_time_rate(period: Period, scope: Scope) -> dict:
    """Update on-time rate = on-time gaps ÷ all gaps, the longest gap, and reminders sent.

    Only stakeholder-facing updates count, and incidents recorded after the fact have no gaps.
    Gaps run between consecutive updates posted while the incident was active (declared until
    mitigated), the first from ``declared_at``. The stretch from the last update to
    ``mitigated_at`` is a gap only when it exceeds the interval (an update was due and missed).
    """
    # Incidents recorded after the fact were never active in the tool: no cadence (METRICS v2).
    incidents = incidents_in(period, scope).filter(recorded_after_the_fact=False)
    active = Q(incident__mitigated_at__isnull=True) | Q(posted_at__lte=F("incident__mitigated_at"))
    # Only updates that reach stakeholders count; a note inside the incident does not.
    updates = StakeholderUpdate.objects.filter(
        active,
        _counted(period, scope, "incident__"),
        posted_at__gte=F("incident__declared_at"),
        reaches_stakeholders=True,
        incident__recorded_after_the_fact=False,
    ).order_by()
    # The update before each one (LAG per incident), else the declaration.
    previous_at = Window(
        Lag("posted_at"),
        partition_by=[F("incident")],
        order_by=[F("posted_at").asc(), F("pk").asc()],
    )
    next_at = Window(
        Lead("posted_at"),
        partition_by=[F("incident")],
        order_by=[F("posted_at").asc(), F("pk").asc()],
    )
    # One pass over the updates: each one's gap from the one before (or the declaration), and
    # for the last one before mitigation the stretch from it to mitigated_at. (Django runs the
    # aggregate over the windowed rows as a subquery.)
    gaps = (
        updates.annotate(
            gap=SecondsBetween(F("posted_at"), Coalesce(previous_at, F("incident__declared_at"))),
            limit=_interval_seconds("incident__"),
            next_at=next_at,
        )
        .annotate(
            trailing=Case(
                When(
                    next_at__isnull=True,
                    incident__mitigated_at__isnull=False,
                    then=SecondsBetween(F("incident__mitigated_at"), F("posted_at")),
                ),
                default=None,
                output_field=FloatField(),
            )
        )
        .aggregate(
            gaps=Count("pk"),
            on_time=Count("pk", filter=Q(gap__lte=F("limit"))),
            longest=Max("gap"),
            trailing_late=Count("pk", filter=Q(trailing__gt=F("limit"))),
            trailing_longest=Max("trailing"),
        )
    )
    # Mitigated incidents without any update while active: the whole stretch from declared_at.
    silent = (
        incidents.filter(mitigated_at__isnull=False)
        # A correlated "first id" (LIMIT 1) probes the updates index per incident; EXISTS would
        # be planned as an anti-join hashing every update ever posted.
        .annotate(
            _any_update=Subquery(
                StakeholderUpdate.objects.filter(
                    incident=OuterRef("pk"),
                    reaches_stakeholders=True,
                    posted_at__gte=OuterRef("declared_at"),
                    posted_at__lte=OuterRef("mitigated_at"),
                )
                .order_by()
                .values("pk")[:1]
            )
        )
        .filter(_any_update__isnull=True)
        .annotate(
            gap=SecondsBetween(F("mitigated_at"), F("declared_at")), limit=_interval_seconds()
        )
        .aggregate(late=Count("pk", filter=Q(gap__gt=F("limit"))), longest=Max("gap"))
    )
    trailing = {
        "late": gaps["trailing_late"] + silent["late"],
        "longest": max(
            (v for v in (gaps["trailing_longest"], silent["longest"]) if v is not None),
            default=None,
        ),
    }
    all_gaps = gaps["gaps"] + trailing["late"]
    longest = max(
        (v for v in (gaps["longest"], trailing["longest"]) if v is not None), default=None
    )
    return {
        "on_time_rate": _ratio(gaps["on_time"], all_gaps),
        "on_time": gaps["on_time"],
        "gaps": all_gaps,
        "longest_gap_seconds": _round(longest),
        "reminders_sent": Reminder.objects.filter(
            incident__in=incidents,
            kind=Reminder.ReminderKind.UPDATE_DUE,
            status=Reminder.ReminderStatus.SENT,
        ).count(),
    }
