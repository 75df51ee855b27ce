"""Periods, scopes and the duration statistics every figure is built from."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connections
from django.db.models import (
    Aggregate,
    Avg,
    Case,
    Count,
    F,
    FloatField,
    Func,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import (
    RowNumber,
)

from incidents.models import Incident, Kind, Service, Team


@dataclass(frozen=True)
class Period:
    """A half-open period ``[start, end)`` of aware datetimes, ``start < end``."""

    start: datetime
    end: datetime

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds()

    def measured_end(self, now: datetime) -> datetime:
        """Where the period is measured up to: its end, or ``now`` while it is still running
        (METRICS v2: the current quarter is the quarter so far, never a forecast)."""
        return max(self.start, min(self.end, now))

    def measured_seconds(self, now: datetime) -> float:
        """``|P|`` = ``min(to, now) − from`` (0 for a period that has not begun)."""
        return (self.measured_end(now) - self.start).total_seconds()

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


class PercentileDisc(Aggregate):
    """PostgreSQL's ``percentile_disc(fraction) WITHIN GROUP (ORDER BY expression [DESC])``: the
    first value whose rank reaches ``ceil(fraction × n)`` (NULLs left out), read from the
    sorted values in the database. ``descending`` ranks from the largest value."""

    function = "PERCENTILE_DISC"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s%(direction)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, *, descending: bool = False, **extra):
        super().__init__(
            expression,
            fraction=repr(float(fraction)),
            direction=" DESC" if descending else "",
            **extra,
        )


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


def measured_durations(rows: QuerySet, end: str, start: str) -> QuerySet:
    """``rows`` with ``_seconds`` = ``end − start`` (None when a stamp is missing or they are out
    of order) and ``_out_of_order`` (1 or 0), what ``duration_stats`` ranks."""
    out_of_order = Q(**{f"{end}__lt": F(start)})
    return rows.order_by().annotate(
        _seconds=Case(
            When(out_of_order, then=Value(None)),
            default=SecondsBetween(F(end), F(start)),
            output_field=FloatField(),
        ),
        _out_of_order=Case(When(out_of_order, then=Value(1)), default=Value(0)),
    )


def duration_stats(rows: QuerySet, end: str, start: str, *, label: str | None = "number") -> dict:
    """Mean, median, p90 and count of ``end − start`` over ``rows`` that have both stamps in order.

    Rows missing a stamp are counted in ``missing`` and listed by ``label`` (for incidents their
    number) in ``missing_items``; rows whose stamps are out of order (``end < start``, only
    possible in imported data) are counted in ``inconsistent`` and listed in
    ``inconsistent_items`` (unless ``label`` is None). Neither is ever averaged in: no duration
    is negative (METRICS v2).
    """
    out_of_order = Q(**{f"{end}__lt": F(start)})
    measured = measured_durations(rows, end, start)
    if connections[rows.db].vendor == "postgresql":
        total, count, mean, inconsistent, median, p90 = ranked_postgresql(measured)
    else:
        total, count, mean, inconsistent, median, p90 = ranked_portable(measured)
    missing_items: list = []
    inconsistent_items: list = []
    if label is not None and count < total:
        missing_rows = rows.filter(Q(**{f"{end}__isnull": True}) | Q(**{f"{start}__isnull": True}))
        missing_items = sorted(missing_rows.values_list(label, flat=True))
        if inconsistent:
            inconsistent_items = sorted(rows.filter(out_of_order).values_list(label, flat=True))
    return {
        "mean_seconds": _round(mean),
        "median_seconds": _round(median),
        "p90_seconds": _round(p90),
        "count": count,
        "missing": total - count - inconsistent,
        "missing_items": missing_items,
        "inconsistent": inconsistent,
        "inconsistent_items": inconsistent_items,
    }


def ranked_postgresql(measured: QuerySet) -> tuple:
    """Total, measured count, mean, inconsistent count, median and p90 of ``_seconds`` in one
    aggregate: PostgreSQL sorts the durations for ``percentile_disc`` itself, without numbering
    every row. The median is the mean of the two middle values: the lower one is the value at
    rank ``ceil(n / 2)`` from the smallest, the upper one at that rank from the largest (they are
    the same value for an odd n); p90 is the nearest rank ``ceil(0.9 × n)``. The same values as
    ``ranked_portable`` (the mean may differ in its last bits, summed in another order; figures
    are rounded to the millisecond)."""
    totals = measured.aggregate(
        total=Count("pk"),
        count=Count("_seconds"),
        mean=Avg("_seconds"),
        inconsistent=Sum("_out_of_order"),
        low=PercentileDisc("_seconds", 0.5),
        high=PercentileDisc("_seconds", 0.5, descending=True),
        p90=PercentileDisc("_seconds", 0.9),
    )
    median = None if totals["low"] is None else (totals["low"] + totals["high"]) / 2
    return (
        totals["total"],
        totals["count"],
        totals["mean"],
        int(totals["inconsistent"] or 0),
        median,
        totals["p90"],
    )


def ranked_portable(measured: QuerySet) -> tuple:
    """``ranked_postgresql`` on any database (SQLite has no percentile functions)."""
    # One query: every row ranked by its duration (missing and inconsistent ones last), with the
    # count, the measured count, the inconsistent count and the mean over the whole set as
    # windows; only the rows at the ranks of the middle value(s) and of the nearest-rank p90 come
    # back, ranks computed from the count n in SQL: (n − 1) div 2 + 1, n div 2 + 1 and
    # ceil(0.9 n) = (9 n + 9) div 10.
    n = F("_count")
    picked = list(
        measured.annotate(
            _rank=Window(RowNumber(), order_by=[F("_seconds").asc(nulls_last=True), F("pk").asc()]),
            _total=Window(Count("pk")),
            _count=Window(Count("_seconds")),
            _inconsistent=Window(Sum("_out_of_order")),
            _mean=Window(Avg("_seconds")),
        )
        .filter(
            Q(_rank=(n - 1) / 2 + 1)
            | Q(_rank=n / 2 + 1)
            | Q(_rank=(9 * n + 9) / 10)
            | Q(_rank=1)  # the totals even when nothing was measured
        )
        .values_list("_rank", "_seconds", "_total", "_count", "_mean", "_inconsistent")
    )
    total = picked[0][2] if picked else 0
    count = picked[0][3] if picked else 0
    mean = picked[0][4] if picked else None
    inconsistent = int(picked[0][5] or 0) if picked else 0
    median = p90 = None
    if count:
        at = {rank: seconds for rank, seconds, *_ in picked}
        low, high, p90_rank = (count - 1) // 2 + 1, count // 2 + 1, math.ceil(0.9 * count)
        median = (at[low] + at[high]) / 2
        p90 = at[p90_rank]
    return total, count, mean, inconsistent, median, p90


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
