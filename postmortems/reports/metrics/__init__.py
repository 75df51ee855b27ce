"""The figures of METRICS.md (version 2), one function per figure, computed in the database.

Read this beside ``templates/docs/METRICS.md``: ``base`` (periods, scopes, duration statistics),
``incidents`` (MTTR … availability, update cadence), ``alerts`` (alert fatigue, interruptions),
``followup`` (postmortems, action items); ``summary`` here puts them together. Every function
takes a ``Period`` (half-open ``[start, end)``) and a ``Scope`` (team, service, severity — all
optional) and returns plain data.

Where the work happens:

- Counts, means and conditional counts are ORM aggregates. Durations are ``SecondsBetween``, which
  compiles to exact SQL on both backends (PostgreSQL ``EXTRACT(EPOCH FROM a - b)``, SQLite Django's
  own ``django_timestamp_diff`` in microseconds), so both give the same seconds.
- Mean, count, median and p90 are read from the database in one query. On PostgreSQL it is one
  aggregate with ``percentile_disc`` (the middle values from either end, and p90); elsewhere
  ``ROW_NUMBER()`` over the durations in order, with the count and the mean as windows over the
  whole set, keeping only the rows at the ranks computed from the count (SQLite has no
  percentile functions). Both give the same values (tested on the same data). Median is the mean
  of the two middle values for an even count; p90 is the nearest rank ``ceil(0.9 × n)``.
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

from datetime import datetime

from django.utils import timezone

from .alerts import (  # noqa: F401 (the figures are read as metrics.<name>)
    ACTIONABLE,
    ALERT_FIGURES,
    AUTO_RESOLVED_UNACKNOWLEDGED,
    FLAPPING_MIN_FIRINGS,
    FLAPPING_WINDOW,
    INTERRUPTING_TRANSPORTS,
    INTERRUPTION_MERGE_WINDOW,
    NOISIEST_LIMIT,
    PAGED,
    REVIEWED,
    _alert_totals,
    alert_counts,
    alert_mtta,
    alerts_behind,
    alerts_in,
    auto_resolved_unacknowledged,
    flapping,
    interruptions,
    interruptions_per_person,
    noisiest_alerts,
)
from .base import (  # noqa: F401 (the figures are read as metrics.<name>)
    BytewiseOrder,
    Period,
    Scope,
    SecondsBetween,
    _round,
    duration_stats,
    incidents_in,
    services_in,
    split,
)
from .followup import (  # noqa: F401 (the figures are read as metrics.<name>)
    action_items,
    action_items_opened_done,
    postmortem_coverage,
    postmortem_lead_time,
    repeated_action_items,
)
from .incidents import (  # noqa: F401 (the figures are read as metrics.<name>)
    availability,
    downtime_by_team,
    downtime_seconds,
    incident_count,
    mean_time_to_resolve,
    mtbf,
    mtta,
    mttd,
    mttr,
    update_on_time_rate,
)

DEFINITIONS_VERSION = 2

# --- the summary -------------------------------------------------------------------------------


def _public(stats: dict) -> dict:
    return {
        key: value
        for key, value in stats.items()
        if key not in ("missing_items", "inconsistent_items")
    }


def summary(
    period: Period, scope: Scope, *, now: datetime | None = None, comparison: bool = False
) -> dict:
    """Every headline figure for one period and scope (the API's and the dashboard's data).

    ``comparison``: only what a comparison with another period needs — the listings (noisiest
    alerts, flapping fingerprints, per-service availability) are left empty, saving their
    queries (flapping alone is a second over two million alerts)."""
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
    now = now or timezone.now()
    return {
        "definitions_version": DEFINITIONS_VERSION,
        "period": {"from": period.start.isoformat(), "to": period.end.isoformat()},
        "incidents": incident_count(period, scope),
        "mttr": mttr_stats,
        "mttd": mttd(period, scope),
        "mtta": mtta(period, scope),
        "mean_time_to_resolve": mean_time_to_resolve(period, scope),
        "measured_to": period.measured_end(now).isoformat(),
        "mtbf": mtbf(period, scope, now=now),
        "availability": [] if comparison else availability(period, scope, now=now),
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
            "noisiest": [] if comparison else noisiest_alerts(period, scope),
            "flapping": [] if comparison else flapping(period, scope),
            "fired_per_postmortem_published": (
                _round(alerts["fired"] / postmortems["published_all"])
                if postmortems["published_all"]
                else None
            ),
        },
        "postmortems": {**postmortems, "lead_time": postmortem_lead_time(period, scope)},
        "action_items": action_items(period, scope, now=now),
    }
