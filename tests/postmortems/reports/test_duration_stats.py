"""Mean, median and p90 of durations: computed by the database, the same on PostgreSQL (its
``percentile_disc`` aggregate) and anywhere else (ranked rows), on hand-computed data."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from incidents.models import Incident
from postmortems.reports import metrics
from postmortems.reports.metrics import Period, Scope
from postmortems.reports.metrics.base import (
    measured_durations,
    ranked_portable,
    ranked_postgresql,
)

pytestmark = pytest.mark.django_db

START = datetime(2026, 7, 1, tzinfo=UTC)
Q3 = Period(START, datetime(2026, 10, 1, tzinfo=UTC))


def incidents(recoveries: list[float | None], *, first: int = 1) -> None:
    """One incident per entry, started a day apart: recovered after that many seconds (None:
    never mitigated; negative: mitigated before it started, imported data)."""
    for offset, seconds in enumerate(recoveries):
        started = START + timedelta(days=offset, hours=1)
        Incident.objects.create(
            number=first + offset, title=f"Incident {first + offset}", severity="SEV2",
            started_at=started, detected_at=started, declared_at=started,
            mitigated_at=None if seconds is None else started + timedelta(seconds=seconds),
        )  # fmt: skip


@pytest.mark.parametrize(
    ("recoveries", "median", "p90"),
    [
        # odd count: the middle value; nearest rank ceil(0.9 × 5) = 5
        ([600, 60, 1800, 60, 7200.5], 600.0, 7200.5),
        # even count: the mean of the two middle ones; ceil(0.9 × 4) = 4
        ([100, 400, 200, 300], 250.0, 400.0),
        # ties, and ten values: ceil(0.9 × 10) = 9
        ([5, 5, 5, 5, 5, 5, 9, 9, 9, 90], 5.0, 9.0),
        # one value
        ([42.25], 42.25, 42.25),
    ],
)
def test_median_and_p90_of_time_to_recover(recoveries, median, p90):
    incidents(recoveries)

    stats = metrics.mttr(Q3, Scope())

    assert stats["median_seconds"] == median
    assert stats["p90_seconds"] == p90
    assert stats["count"] == len(recoveries)
    assert stats["mean_seconds"] == round(sum(recoveries) / len(recoveries), 3)


def test_missing_and_out_of_order_stamps_are_counted_apart_never_ranked():
    incidents([300, None, -60, 100, 200, None])

    stats = metrics.mttr(Q3, Scope())

    assert (stats["count"], stats["missing"], stats["inconsistent"]) == (3, 2, 1)
    assert (stats["median_seconds"], stats["p90_seconds"], stats["mean_seconds"]) == (
        200.0, 300.0, 200.0,
    )  # fmt: skip
    assert stats["missing_items"] == [2, 6]
    assert stats["inconsistent_items"] == [3]


def test_nothing_measured_has_no_median():
    incidents([None, -5])

    stats = metrics.mttr(Q3, Scope())

    assert stats["median_seconds"] is None and stats["p90_seconds"] is None
    assert (stats["count"], stats["missing"], stats["inconsistent"]) == (0, 1, 1)


def _reference(recoveries: list) -> tuple:
    """METRICS.md by hand: total, count, mean, inconsistent, median (mean of the two middle
    values) and p90 (nearest rank ceil(0.9 n)) of the durations in order."""
    measured = sorted(r for r in recoveries if r is not None and r >= 0)
    n = len(measured)
    if not n:
        return (
            len(recoveries),
            0,
            None,
            sum(r is not None and r < 0 for r in recoveries),
            None,
            None,
        )
    median = (measured[(n - 1) // 2] + measured[n // 2]) / 2
    p90 = measured[math.ceil(0.9 * n) - 1]
    inconsistent = sum(r is not None and r < 0 for r in recoveries)
    return len(recoveries), n, sum(measured) / n, inconsistent, median, p90


@pytest.mark.parametrize("size", [0, 1, 2, 3, 7, 10, 11, 20, 99, 100, 101])
def test_the_database_aggregates_give_the_definitions_values(size):
    """Irregular durations (ties, missing, out of order) of every small count: the ranked-rows
    query (both databases) and PostgreSQL's percentile aggregate (there) return the total,
    count, median, p90 and inconsistent count METRICS.md defines, and its mean to the
    microsecond."""
    recoveries = [
        None if i % 7 == 3 else -30 if i % 11 == 5 else (i * 7919) % 3600 + (i % 3) * 0.25
        for i in range(size)
    ]
    incidents(recoveries)
    rows = measured_durations(metrics.incidents_in(Q3, Scope()), "mitigated_at", "started_at")
    in_quarter = (Q3.end - START - timedelta(hours=1)).days + 1  # one incident a day from START
    expected = _reference(recoveries[:in_quarter])

    results = [ranked_portable(rows)]
    if connection.vendor == "postgresql":
        results.append(ranked_postgresql(rows))

    for total, count, mean, inconsistent, median, p90 in results:
        assert (total, count, inconsistent, median, p90) == (
            expected[0], expected[1], expected[3], expected[4], expected[5],
        )  # fmt: skip
        assert (mean is None and expected[2] is None) or round(mean, 6) == round(expected[2], 6)
