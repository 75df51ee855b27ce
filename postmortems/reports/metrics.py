"""The figures of METRICS.md (version 1), one function per figure, computed in the database.

Read this beside ``templates/docs/METRICS.md``. Every function takes a ``Period`` (half-open
``[start, end)``) and a ``Scope`` (team, service, severity — all optional) and returns plain data.

Where the work happens:

- Counts, means and conditional counts are ORM aggregates. Durations are ``SecondsBetween``, which
  compiles to exact SQL on both backends (PostgreSQL ``EXTRACT(EPOCH FROM a - b)``, SQLite Django's
  own ``django_timestamp_diff`` in microseconds), so both give the same seconds.
- Mean, count, median and p90 are read from the database in one query: ``ROW_NUMBER()`` over the
  durations in order, with the count and the mean as windows over the whole set, keeping only the
  rows at the ranks computed from the count (``percentile_cont`` does not exist on SQLite).
  Median is the mean of the two middle values for an even count; p90 is the nearest rank
  ``ceil(0.9 × n)``.
- Downtime D (MTBF, availability) is a union of intervals with overlaps merged. SQL has no portable
  interval-union operator; a window pass does it: with the intervals sorted by start, each adds
  what reaches past the furthest end of the ones before it (``MAX(end) OVER (… ROWS BETWEEN
  UNBOUNDED PRECEDING AND 1 PRECEDING)``), and D is the sum of those additions.
- Hours buckets use each recipient's own time zone: the database extracts the local hour and ISO
  weekday with one ``CASE`` branch per distinct time zone people have.
- Text partitions and groups that need no language order (fingerprints, repeated item titles)
  are compared bytewise (``COLLATE "C"`` on PostgreSQL, SQLite's default): same groups, faster
  sorts, and the same order on both databases.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import (
    Avg,
    Case,
    Count,
    F,
    FloatField,
    Func,
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
    ExtractHour,
    ExtractIsoWeekDay,
    Greatest,
    Lag,
    Lead,
    Least,
    RowNumber,
)
from django.utils import timezone

from incidents.models import Incident, Kind, Reminder, Service, StakeholderUpdate, Team
from oncall.models import Alert, Notification, NotificationDelivery
from postmortems.models import ActionItem, Postmortem, PostmortemStatus
from postmortems.selectors import action_item_repeats

DEFINITIONS_VERSION = 1

# METRICS.md, alert fatigue: interrupting channels (not e-mail, not the web inbox).
INTERRUPTING_TRANSPORTS = ("slack", "sms", "phone", "push")  # "slack": DMs (incidents.slack)
INTERRUPTION_MERGE_WINDOW = timedelta(seconds=60)
FLAPPING_WINDOW = timedelta(hours=24)
FLAPPING_MIN_FIRINGS = 3
NOISIEST_LIMIT = 10


@dataclass(frozen=True)
class Period:
    """A half-open period ``[start, end)`` of aware datetimes, ``start < end``."""

    start: datetime
    end: datetime

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds()

    def previous(self) -> Period:
        """The period of the same length just before this one."""
        return Period(self.start - (self.end - self.start), self.start)


@dataclass(frozen=True)
class Scope:
    """What a report covers; all ``None`` means everything."""

    team: Team | None = None
    service: Service | None = None
    severity: str | None = None


class SecondsBetween(Func):
    """``end − start`` in seconds (float), exact on PostgreSQL and SQLite."""

    output_field = FloatField()

    def __init__(self, end, start, **extra):
        super().__init__(end, start, **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="EXTRACT(EPOCH FROM (%(expressions)s))::double precision",
            arg_joiner=" - ",
            **extra,
        )

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="(django_timestamp_diff(%(expressions)s) / 1000000.0)",
            arg_joiner=", ",
            **extra,
        )


class BytewiseOrder(Func):
    """A text column compared byte by byte, for grouping and partitioning only (equality does not
    depend on collation, so results are the same): PostgreSQL sorts ``COLLATE "C"`` text several
    times faster than under a language collation. SQLite compares bytewise already."""

    template = "%(expressions)s"

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template='(%(expressions)s) COLLATE "C"', **extra)


def _round(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(float(value), digits)


def _ratio(numerator: int | float, denominator: int | float) -> float | None:
    """A share, or ``None`` when there is nothing to divide by (shown as "no data")."""
    return None if not denominator else round(numerator / denominator, 6)


# --- scopes ------------------------------------------------------------------------------------


def _scoped(incidents: QuerySet[Incident], scope: Scope) -> QuerySet[Incident]:
    if scope.severity:
        incidents = incidents.filter(severity=scope.severity)
    links = Incident.services.through.objects
    if scope.service is not None:
        incidents = incidents.filter(
            pk__in=links.filter(service=scope.service).values("incident_id")
        )
    elif scope.team is not None:
        incidents = incidents.filter(
            pk__in=links.filter(service__team=scope.team).values("incident_id")
        )
    return incidents


def _counted(period: Period, scope: Scope, prefix: str) -> Q:
    """``incidents_in`` as a condition on a related incident (``prefix`` ``"incident__"``), so a
    query over updates or postmortems joins the incident once instead of adding ``IN (…)``."""
    condition = Q(
        **{
            f"{prefix}kind": Kind.INCIDENT,
            f"{prefix}started_at__gte": period.start,
            f"{prefix}started_at__lt": period.end,
        }
    )
    if scope.severity:
        condition &= Q(**{f"{prefix}severity": scope.severity})
    links = Incident.services.through.objects
    if scope.service is not None:
        condition &= Q(
            **{f"{prefix}pk__in": links.filter(service=scope.service).values("incident_id")}
        )
    elif scope.team is not None:
        condition &= Q(
            **{f"{prefix}pk__in": links.filter(service__team=scope.team).values("incident_id")}
        )
    return condition


def incidents_in(period: Period, scope: Scope) -> QuerySet[Incident]:
    """Incidents that count: kind *incident*, ``started_at`` in ``[start, end)``, in scope."""
    counted = Incident.objects.filter(
        kind=Kind.INCIDENT, started_at__gte=period.start, started_at__lt=period.end
    )
    return _scoped(counted, scope)


def services_in(scope: Scope) -> QuerySet[Service]:
    if scope.service is not None:
        return Service.objects.filter(pk=scope.service.pk)
    if scope.team is not None:
        return Service.objects.filter(team=scope.team)
    return Service.objects.all()


def _service_slugs(scope: Scope) -> QuerySet | None:
    """The alert scope: alerts carry a service slug (no severity: alerts are not incidents)."""
    if scope.service is None and scope.team is None:
        return None
    return services_in(scope).values("slug")


# --- duration statistics -----------------------------------------------------------------------


def duration_stats(rows: QuerySet, end: str, start: str, *, label: str | None = "number") -> dict:
    """Mean, median, p90 and count of ``end − start`` over ``rows`` that have both stamps.

    Rows missing a stamp are counted in ``missing`` and listed by ``label`` (for incidents their
    number) in ``missing_items`` (unless ``label`` is None); they never count as zero.
    """
    measured = rows.order_by().annotate(_seconds=SecondsBetween(F(end), F(start)))
    # One query: every row ranked by its duration (missing ones last), with the count, the
    # measured count and the mean over the whole set as windows; only the rows at the ranks of
    # the middle value(s) and of the nearest-rank p90 come back, ranks computed from the count
    # n in SQL: (n − 1) div 2 + 1, n div 2 + 1 and ceil(0.9 n) = (9 n + 9) div 10.
    n = F("_count")
    picked = list(
        measured.annotate(
            _rank=Window(RowNumber(), order_by=[F("_seconds").asc(nulls_last=True), F("pk").asc()]),
            _total=Window(Count("pk")),
            _count=Window(Count("_seconds")),
            _mean=Window(Avg("_seconds")),
        )
        .filter(Q(_rank=(n - 1) / 2 + 1) | Q(_rank=n / 2 + 1) | Q(_rank=(9 * n + 9) / 10))
        .values_list("_rank", "_seconds", "_total", "_count", "_mean")
    )
    total = picked[0][2] if picked else 0
    count = picked[0][3] if picked else 0
    mean = picked[0][4] if picked else None
    median = p90 = None
    if count:
        at = {rank: seconds for rank, seconds, *_ in picked}
        low, high, p90_rank = (count - 1) // 2 + 1, count // 2 + 1, math.ceil(0.9 * count)
        median = (at[low] + at[high]) / 2
        p90 = at[p90_rank]
    missing_items = []
    if label is not None and count < total:
        missing_rows = rows.filter(Q(**{f"{end}__isnull": True}) | Q(**{f"{start}__isnull": True}))
        missing_items = sorted(missing_rows.values_list(label, flat=True))
    return {
        "mean_seconds": _round(mean),
        "median_seconds": _round(median),
        "p90_seconds": _round(p90),
        "count": count,
        "missing": total - count,
        "missing_items": missing_items,
    }


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
    """MTTR: mean TTR = ``mitigated_at − started_at`` over incidents that have ``mitigated_at``."""
    return duration_stats(incidents_in(period, scope), "mitigated_at", "started_at")


def mttd(period: Period, scope: Scope) -> dict:
    """MTTD: mean ``detected_at − started_at``."""
    return duration_stats(incidents_in(period, scope), "detected_at", "started_at")


def mtta(period: Period, scope: Scope) -> dict:
    """MTTA: mean ``acknowledged_at − detected_at`` over incidents that have both."""
    return duration_stats(incidents_in(period, scope), "acknowledged_at", "detected_at")


def mean_time_to_resolve(period: Period, scope: Scope) -> dict:
    """Mean ``resolved_at − started_at``."""
    return duration_stats(incidents_in(period, scope), "resolved_at", "started_at")


def _new_downtime(rows: QuerySet, period: Period, *, prefix: str = "", partition=None):
    """Annotate ``_new``: the seconds each impact interval adds to the union of the intervals
    before it (sorted by start), so that the union's length is the sum of ``_new`` over positive
    values — the merge of overlaps done by one window pass in the database.

    The interval is ``[started_at, mitigated_at | resolved_at | end of P)`` clipped to P; an
    interval adds what reaches past the furthest end among the earlier ones (``_reach``).
    ``partition`` gives one union per value (per service).
    """
    span_start = Greatest(F(f"{prefix}started_at"), Value(period.start))
    span_end = Least(
        Coalesce(f"{prefix}mitigated_at", f"{prefix}resolved_at", Value(period.end)),
        Value(period.end),
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


def downtime_seconds(period: Period, scope: Scope) -> float:
    """D: union of impact intervals ``[started_at, mitigated_at | resolved_at | end of P)``,
    clipped to P, overlaps merged."""
    return _downtime_and_failures(period, scope)[0]


def _downtime_and_failures(period: Period, scope: Scope) -> tuple[float, int, float | None]:
    """D, N and ``last start − first start`` (seconds) in one query."""
    totals = _new_downtime(incidents_in(period, scope).order_by(), period).aggregate(
        downtime=Sum("_new", filter=Q(_new__gt=0)),
        n=Count("pk"),
        first=Min("started_at"),
        last=Max("started_at"),
    )
    gap = (totals["last"] - totals["first"]).total_seconds() if totals["n"] else None
    return float(totals["downtime"] or 0.0), totals["n"], gap


def mtbf(period: Period, scope: Scope) -> dict:
    """MTBF = ``(|P| − D) / N``; N = 0 → "no failures" (``seconds`` is None).

    Beside it, the mean gap between starts ``(last start − first start) / (N − 1)`` for N ≥ 2.
    """
    downtime, failures, gap = _downtime_and_failures(period, scope)
    return {
        "seconds": _round((period.seconds - downtime) / failures) if failures else None,
        "failures": failures,
        "downtime_seconds": _round(downtime),
        "no_failures": failures == 0,
        "mean_gap_between_starts_seconds": (
            _round(gap / (failures - 1)) if failures >= 2 else None
        ),
    }


def availability(period: Period, scope: Scope) -> list[dict]:
    """Per service: availability ``1 − D/|P|`` and error budget used ``D / ((1 − SLO) × |P|)``.

    D is computed per service (an incident on two services is downtime for both). A service with
    no incidents has availability 1.
    """
    services = list(services_in(scope).order_by("name", "pk"))
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
        links.order_by(), period, prefix="incident__", partition=[F("service_id")]
    ).values_list("service_id", "_new")
    incidents: dict[int, int] = {}
    downtimes: dict[int, float] = {}
    for service_id, new in contributions.iterator(chunk_size=5000):
        incidents[service_id] = incidents.get(service_id, 0) + 1
        downtimes[service_id] = downtimes.get(service_id, 0.0) + max(new, 0.0)
    rows = []
    for service in services:
        downtime = downtimes.get(service.pk, 0.0)
        budget = (1 - float(service.slo_target)) * period.seconds
        rows.append(
            {
                "service": service.slug,
                "name": service.name,
                "slo_target": float(service.slo_target),
                "incidents": incidents.get(service.pk, 0),
                "downtime_seconds": _round(downtime),
                "availability": round(1 - downtime / period.seconds, 6),
                "error_budget_used": round(downtime / budget, 6) if budget > 0 else None,
            }
        )
    return rows


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

    Gaps run between consecutive updates posted while the incident was active (declared until
    mitigated), the first from ``declared_at``. The stretch from the last update to
    ``mitigated_at`` is a gap only when it exceeds the interval (an update was due and missed).
    """
    incidents = incidents_in(period, scope)
    active = Q(incident__mitigated_at__isnull=True) | Q(posted_at__lte=F("incident__mitigated_at"))
    updates = StakeholderUpdate.objects.filter(
        active, _counted(period, scope, "incident__"), posted_at__gte=F("incident__declared_at")
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


# --- alerts and alert fatigue ------------------------------------------------------------------


def alerts_in(period: Period, scope: Scope) -> QuerySet[Alert]:
    """Alert instances fired in ``[start, end)`` for the scope's services (severity not used)."""
    alerts = Alert.objects.filter(fired_at__gte=period.start, fired_at__lt=period.end)
    slugs = _service_slugs(scope)
    if slugs is not None:
        alerts = alerts.filter(service_slug__in=slugs)
    return alerts


PAGED = Q(urgency=Alert.Urgency.CRITICAL)
REVIEWED = Q(actionable__isnull=False)
ACTIONABLE = Q(actionable=True)
AUTO_RESOLVED_UNACKNOWLEDGED = (
    PAGED
    & Q(resolved_at__isnull=False)
    & (Q(acknowledged_at__isnull=True) | Q(acknowledged_at__gt=F("resolved_at")))
)

# The alerts behind each alert figure (the reports page links a figure to its list): title, filter.
ALERT_FIGURES = {
    "fired": ("Alerts fired", Q()),
    "paged": ("Alerts paged (critical)", PAGED),
    "reviewed": ("Alerts reviewed", REVIEWED),
    "actionable": ("Alerts reviewed as actionable", ACTIONABLE),
    "not_actionable": ("Alerts reviewed as not actionable", Q(actionable=False)),
    "unreviewed": ("Alerts not reviewed", Q(actionable__isnull=True)),
    "acknowledged": ("Paged alerts acknowledged (in alert MTTA)", PAGED & ~Q(acknowledged_at=None)),
    "unacknowledged": ("Paged alerts never acknowledged", PAGED & Q(acknowledged_at=None)),
    "auto_resolved": (
        "Paged alerts resolved before anyone acknowledged",
        AUTO_RESOLVED_UNACKNOWLEDGED,
    ),
}


def alerts_behind(
    period: Period, scope: Scope, which: str, *, name: str = "", fingerprint: str = ""
) -> QuerySet[Alert]:
    """The alerts a figure counts: ``which`` of ``ALERT_FIGURES``, optionally one alert name (a
    noisiest-alerts row) or one fingerprint (a flapping one)."""
    alerts = alerts_in(period, scope).filter(ALERT_FIGURES[which][1])
    if name:
        alerts = alerts.filter(name=name)
    if fingerprint:
        alerts = alerts.filter(fingerprint=fingerprint)
    return alerts


def _paged(alerts: QuerySet[Alert]) -> QuerySet[Alert]:
    return alerts.filter(PAGED)


def _alert_totals(period: Period, scope: Scope) -> dict:
    """``alert_counts`` and ``auto_resolved_unacknowledged`` from one pass over the alerts."""
    counts = alerts_in(period, scope).aggregate(
        fired=Count("pk"),
        paged=Count("pk", filter=PAGED),
        reviewed=Count("pk", filter=REVIEWED),
        actionable=Count("pk", filter=ACTIONABLE),
        auto_resolved_unacknowledged=Count("pk", filter=AUTO_RESOLVED_UNACKNOWLEDGED),
    )
    return counts


def alert_counts(period: Period, scope: Scope, *, totals: dict | None = None) -> dict:
    """Alerts fired and paged (critical); actionable rate over reviewed alerts; unreviewed count."""
    counts = dict(totals or _alert_totals(period, scope))
    counts.pop("auto_resolved_unacknowledged")
    return {
        **counts,
        "unreviewed": counts["fired"] - counts["reviewed"],
        "actionable_rate": _ratio(counts["actionable"], counts["reviewed"]),
    }


def alert_mtta(period: Period, scope: Scope) -> dict:
    """Alert MTTA over paged alerts that were acknowledged; unacknowledged counted apart."""
    paged = _paged(alerts_in(period, scope))
    stats = duration_stats(paged, "acknowledged_at", "fired_at", label=None)
    stats.pop("missing_items")
    unacknowledged = stats.pop("missing")
    total = stats["count"] + unacknowledged
    stats["unacknowledged"] = unacknowledged
    stats["unacknowledged_share"] = _ratio(unacknowledged, total)
    return stats


def auto_resolved_unacknowledged(period: Period, scope: Scope) -> int:
    """Paged alerts that resolved before anyone acknowledged them."""
    return alerts_in(period, scope).filter(AUTO_RESOLVED_UNACKNOWLEDGED).count()


def noisiest_alerts(period: Period, scope: Scope, limit: int = NOISIEST_LIMIT) -> list[dict]:
    """Top alert names by instances, each with its actionable rate."""
    rows = (
        alerts_in(period, scope)
        .order_by()
        .values("name")
        .annotate(
            instances=Count("pk"),
            reviewed=Count("pk", filter=REVIEWED),
            actionable=Count("pk", filter=ACTIONABLE),
        )
        .order_by("-instances", "name")[:limit]
    )
    return [{**row, "actionable_rate": _ratio(row["actionable"], row["reviewed"])} for row in rows]


def flapping(period: Period, scope: Scope) -> list[dict]:
    """Fingerprints firing 3+ times within 24 h, counting firings in the period: some firing's
    second successor (``LEAD(fired_at, 2)`` per fingerprint) comes less than 24 h after it.
    Each is listed with its firings in the period."""
    alerts = alerts_in(period, scope)
    nth_next = Window(
        Lead("fired_at", FLAPPING_MIN_FIRINGS - 1),
        partition_by=[BytewiseOrder(F("fingerprint"))],
        order_by=[F("fired_at").asc(), F("pk").asc()],
    )
    run_starts = (
        alerts.order_by()
        .annotate(nth_next=nth_next)
        .filter(nth_next__lt=F("fired_at") + FLAPPING_WINDOW)
        .values_list("fingerprint", flat=True)
    )
    flapping_fingerprints = set(run_starts)
    if not flapping_fingerprints:
        return []
    # The firings per fingerprint in a second, hash-grouped pass (joining it to the window's
    # result in the database would scan and sort the alerts once more).
    per_fingerprint = (
        alerts.order_by()
        .values("fingerprint")
        .annotate(name=Max("name"), firings=Count("pk"))
        .values_list("fingerprint", "name", "firings")
    )
    rows = [
        {"fingerprint": fingerprint, "name": name, "firings": firings}
        for fingerprint, name, firings in per_fingerprint
        if fingerprint in flapping_fingerprints
    ]
    return sorted(rows, key=lambda row: (-row["firings"], row["fingerprint"]))


def _interruptions(period: Period, scope: Scope) -> QuerySet[NotificationDelivery]:
    """Interruptions: high-urgency notifications sent through an interrupting transport, minus
    those that reached the same person within 60 s after an earlier one (chained, so a burst
    counts once). Scope: the people of the team (a service's owning team).

    The earlier page is ``LAG(sent_at)`` per recipient over the period plus the 60 s before it,
    so a page just after the period starts still merges with one just before.
    """
    team = scope.team or (scope.service.team if scope.service is not None else None)
    if scope.service is not None and team is None:
        return NotificationDelivery.objects.none()
    interrupting = NotificationDelivery.objects.filter(
        status=NotificationDelivery.Status.SENT,
        transport__in=INTERRUPTING_TRANSPORTS,
        notification__urgency=Notification.Urgency.HIGH,
        sent_at__gte=period.start - INTERRUPTION_MERGE_WINDOW,
        sent_at__lt=period.end,
    )
    if team is not None:
        interrupting = interrupting.filter(notification__recipient__teams=team)
    previous_page = Window(
        Lag("sent_at"),
        partition_by=[F("notification__recipient")],
        order_by=[F("sent_at").asc(), F("pk").asc()],
    )
    first_of_burst = interrupting.annotate(previous_sent_at=previous_page).filter(
        Q(previous_sent_at__isnull=True)
        | Q(previous_sent_at__lt=F("sent_at") - INTERRUPTION_MERGE_WINDOW)
    )
    return NotificationDelivery.objects.filter(
        pk__in=first_of_burst.values("pk"), sent_at__gte=period.start
    )


def _with_hours_bucket(deliveries: QuerySet[NotificationDelivery]) -> QuerySet:
    """Annotate ``bucket`` (business / off_hours / sleep) in the recipient's own time zone."""
    # Every time zone people have (a short list from the small people table): a branch for a zone
    # nobody in scope has is never taken, and reading the zones off the deliveries costs a scan.
    zones = sorted(
        set(get_user_model().objects.order_by().values_list("timezone", flat=True).distinct())
    )
    if not zones:
        return deliveries.annotate(bucket=Value("business"))

    def local(extract):
        return Case(
            *[
                When(
                    notification__recipient__timezone=zone,
                    then=extract("sent_at", tzinfo=ZoneInfo(zone)),
                )
                for zone in zones
            ],
            output_field=IntegerField(),
        )

    return deliveries.annotate(
        local_hour=local(ExtractHour), local_weekday=local(ExtractIsoWeekDay)
    ).annotate(
        bucket=Case(
            When(Q(local_hour__gte=22) | Q(local_hour__lt=8), then=Value("sleep")),
            When(local_weekday__lte=5, local_hour__lt=18, then=Value("business")),
            default=Value("off_hours"),
        )
    )


def _bucket_counts():
    # Off-hours is what is neither business nor sleep (the buckets cover the week): one
    # conditional count fewer, and the bucket expression is evaluated per row once less.
    return {
        "interruptions": Count("pk"),
        "business": Count("pk", filter=Q(bucket="business")),
        "sleep": Count("pk", filter=Q(bucket="sleep")),
    }


def _with_off_hours(row: dict) -> dict:
    off_hours = row["interruptions"] - row["business"] - row["sleep"]
    return {**row, "off_hours": off_hours}


def interruptions(period: Period, scope: Scope) -> dict:
    """Interruptions in the period, split by the recipient's local hours bucket."""
    counts = _with_hours_bucket(_interruptions(period, scope)).aggregate(**_bucket_counts())
    return _with_off_hours(counts)


def interruptions_per_person(period: Period, scope: Scope) -> list[dict]:
    """Per person: interruptions and their business / off-hours / sleep split."""
    rows = (
        _with_hours_bucket(_interruptions(period, scope))
        .order_by()
        .values(person=F("notification__recipient__username"))
        .annotate(**_bucket_counts())
        .order_by("-interruptions", "person")
    )
    return [_with_off_hours(row) for row in rows]


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
    overdue (open, past due) as of ``now``; median age of open items; repeated items.

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
    repeated = action_item_repeats(items)
    return {
        "due": due_counts["due"],
        "done_on_time": due_counts["done_on_time"],
        "on_time_rate": _ratio(due_counts["done_on_time"], due_counts["due"]),
        "open": age["count"],
        "overdue": due_counts["overdue"],
        "open_median_age_seconds": age["median_seconds"],
        "repeated": [{"title": row["key"], "postmortems": row["postmortems"]} for row in repeated],
    }


# --- the summary -------------------------------------------------------------------------------


def _public(stats: dict) -> dict:
    return {key: value for key, value in stats.items() if key != "missing_items"}


def summary(period: Period, scope: Scope, *, now: datetime | None = None) -> dict:
    """Every headline figure for one period and scope (the API's and the dashboard's data)."""
    totals = _alert_totals(period, scope)
    alerts = alert_counts(period, scope, totals=totals)
    per_person = interruptions_per_person(period, scope)
    # The totals are the per-person rows added up: one grouped query instead of two.
    hours = {
        key: sum(row[key] for row in per_person)
        for key in ("interruptions", "business", "off_hours", "sleep")
    }
    postmortems = postmortem_coverage(period, scope)
    mttr_stats = mttr(period, scope)
    return {
        "definitions_version": DEFINITIONS_VERSION,
        "period": {"from": period.start.isoformat(), "to": period.end.isoformat()},
        "incidents": incident_count(period, scope),
        "mttr": mttr_stats,
        "mttd": mttd(period, scope),
        "mtta": mtta(period, scope),
        "mean_time_to_resolve": mean_time_to_resolve(period, scope),
        "mtbf": mtbf(period, scope),
        "availability": availability(period, scope),
        "updates": update_on_time_rate(period, scope),
        "alerts": {
            **alerts,
            "mtta": _public(alert_mtta(period, scope)),
            "auto_resolved_unacknowledged": totals["auto_resolved_unacknowledged"],
            "interruptions": hours["interruptions"],
            "business_interruptions": hours["business"],
            "off_hours_interruptions": hours["off_hours"],
            "sleep_interruptions": hours["sleep"],
            "per_person": per_person,
            "noisiest": noisiest_alerts(period, scope),
            "flapping": flapping(period, scope),
            "fired_per_postmortem_published": (
                _round(alerts["fired"] / postmortems["published_all"])
                if postmortems["published_all"]
                else None
            ),
        },
        "postmortems": {**postmortems, "lead_time": postmortem_lead_time(period, scope)},
        "action_items": action_items(period, scope, now=now),
    }


# --- series for charts (one period split into months or weeks) ---------------------------------


def split(period: Period, unit: str) -> list[Period]:
    """``period`` cut at calendar-month starts (``unit="month"``) or Mondays (``"week"``), UTC."""
    cuts = [period.start]
    cursor = period.start
    while True:
        if unit == "month":
            year, month = cursor.year + (cursor.month == 12), cursor.month % 12 + 1
            cursor = cursor.replace(year=year, month=month, day=1, hour=0, minute=0, second=0,
                                    microsecond=0)  # fmt: skip
        else:
            monday = (cursor - timedelta(days=cursor.weekday())).replace(
                hour=0, minute=0, second=0, microsecond=0
            )
            cursor = monday + timedelta(days=7)
        if cursor >= period.end:
            break
        cuts.append(cursor)
    cuts.append(period.end)
    return [Period(a, b) for a, b in zip(cuts, cuts[1:], strict=False)]


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
