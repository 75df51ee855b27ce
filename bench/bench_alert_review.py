"""The weekly alert review page on PostgreSQL at alert-storm sizes: time and peak memory.

    .venv/bin/python bench/bench_alert_review.py [--alerts 10000 100000]

For each size, creates a throwaway database (``firebreak_bench_review_<pid>_<hex>``), inserts
that many alerts into one week (one INSERT ... SELECT: ``--names`` alert names, default 300; 1 is
a storm of one alert, a single group of every instance; a tenth of them critical
and acknowledged, some flapping fingerprints), and times, as an admin (median of 3 after a
warm-up), with its SQL queries (count, total and slowest seconds), peak Python memory
(tracemalloc) and response size:
- ``review``: GET /alerts/review/?week=... (figures of every group, the first page of groups
  with each group's newest instances);
- ``group``: the last page of the noisiest group's own instance pages (the deepest offset);
- ``api``: GET /api/v1/alert-reviews/?week=... (every group, up to 100 alert ids each).
Figures are printed, never asserted; each database is dropped at the end, also on failure.
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throwaway_db import server_line, setup_django, throwaway_database  # noqa: E402

WEEK = "2026-W10"  # Monday 2 March 2026
WEEK_START_SQL = "timestamp with time zone '2026-03-02 00:00:00+00'"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--alerts", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--names", type=int, default=300, help="distinct alert names (groups)")
    args = parser.parse_args()
    # One database for every size (Django is set up once per process): each size replaces the
    # week's alerts.
    with throwaway_database("firebreak_bench_review"):
        setup_django()
        from oncall.alerts.services import integration_create
        from oncall.models import User

        print(server_line())
        print(
            f"{'alerts':>10} {'page':<8}{'median s':>10}{'queries':>9}{'SQL s':>9}{'slowest':>9}"
            f"{'peak MB':>9}{'size MB':>9}"
        )
        admin = User.objects.create_superuser(
            "bench", "bench@example.com", secrets.token_urlsafe(16), timezone="UTC"
        )
        integration = integration_create(user=admin, kind="alertmanager", name="Bench").integration
        for size in args.alerts:
            one_size(size, admin, integration, args.names)


def one_size(total: int, admin, integration, names: int) -> None:
    from django.db import connection
    from django.test import Client

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM oncall_alert")
        cursor.execute(
            f"""
            INSERT INTO oncall_alert (integration_id, fingerprint, fired_at, name, status, urgency,
                labels, annotations, details, summary, description, runbook_url, generator_url,
                service_slug, group_key, first_received_at, last_received_at, receive_count,
                acknowledged_at, resolved_at)
            SELECT %s, 'fp-' || (n %% (%s / 4 + 1)),
                {WEEK_START_SQL} + (n * (604000.0 / %s)) * interval '1 second',
                'Alert' || (n %% {names}), 'resolved',
                CASE WHEN n %% 10 = 0 THEN 'critical' ELSE 'today' END,
                jsonb_build_object('alertname', 'Alert' || (n %% {names}), 'severity', 'warning'),
                '{{}}'::jsonb, '{{}}'::jsonb, 'Restart the worker pool ' || (n %% {names}), '',
                CASE WHEN n %% 3 = 0 THEN '' ELSE 'https://runbooks.example.com/a' END, '',
                'service-' || (n %% 25), '',
                {WEEK_START_SQL} + (n * (604000.0 / %s)) * interval '1 second',
                {WEEK_START_SQL} + (n * (604000.0 / %s)) * interval '1 second', 1,
                CASE WHEN n %% 10 = 0
                    THEN {WEEK_START_SQL} + (n * (604000.0 / %s) + 300) * interval '1 second'
                END,
                {WEEK_START_SQL} + (n * (604000.0 / %s) + 1200) * interval '1 second'
            FROM generate_series(1, %s) AS n
            """,
            [integration.pk, total, total, total, total, total, total, total],
        )
        cursor.execute("ANALYZE oncall_alert")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(admin)
    # n % names == 1 for n = 1, 1 + names, ...: as many as any other name (Alert0 with one name).
    noisiest = "Alert1" if names > 1 else "Alert0"
    per_group = -(-total // names)
    last_page = (per_group + 49) // 50
    pages = {
        "review": f"/alerts/review/?week={WEEK}",
        "group": f"/alerts/review/group/?week={WEEK}&name={noisiest}&page={last_page}",
        "api": f"/api/v1/alert-reviews/?week={WEEK}",
    }
    for label, url in pages.items():
        measure(client, total, label, url)


def measure(client, total: int, label: str, url: str) -> None:
    from django.db import connection

    size = len(client.get(url).content)  # warm-up
    samples = []
    for _ in range(3):
        started = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    timings: list[float] = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timings.append(time.perf_counter() - started)

    with connection.execute_wrapper(timed):
        client.get(url)
    tracemalloc.start()
    client.get(url)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{total:>10,} {label:<8}{statistics.median(samples):>10.3f}{len(timings):>9}"
        f"{sum(timings):>9.3f}{max(timings):>9.3f}{peak / 2**20:>9.1f}{size / 2**20:>9.2f}"
    )


if __name__ == "__main__":
    main()
