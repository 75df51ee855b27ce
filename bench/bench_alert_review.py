"""The weekly alert review page on PostgreSQL at alert-storm sizes: time and peak memory.

    .venv/bin/python bench/bench_alert_review.py [--alerts 10000 100000]

For each size, creates a throwaway database (``firebreak_bench_review_<pid>_<hex>``), inserts
that many alerts into one week (one INSERT ... SELECT: 300 alert names, a tenth of them critical
and acknowledged, some flapping fingerprints), and times GET /alerts/review/?week=... as an admin
(median of 3 after a warm-up) with its peak Python memory (tracemalloc) and HTML size. Figures
are printed, never asserted; each database is dropped at the end, also on failure.
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
    args = parser.parse_args()
    printed = False
    for size in args.alerts:
        with throwaway_database("firebreak_bench_review"):
            setup_django()
            if not printed:
                print(server_line())
                print(f"{'alerts':>10}{'median s':>10}{'peak MB':>10}{'HTML MB':>10}")
                printed = True
            one_size(size)


def one_size(total: int) -> None:
    from django.db import connection
    from django.test import Client

    from oncall.alerts.services import integration_create
    from oncall.models import User

    admin = User.objects.create_superuser("bench", "bench@example.com", secrets.token_urlsafe(16))
    integration = integration_create(user=admin, kind="alertmanager", name="Bench").integration
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO oncall_alert (integration_id, fingerprint, fired_at, name, status, urgency,
                labels, annotations, details, summary, description, runbook_url, generator_url,
                service_slug, group_key, first_received_at, last_received_at, receive_count,
                acknowledged_at, resolved_at)
            SELECT %s, 'fp-' || (n %% (%s / 4 + 1)),
                {WEEK_START_SQL} + (n * (604000.0 / %s)) * interval '1 second',
                'Alert' || (n %% 300), 'resolved',
                CASE WHEN n %% 10 = 0 THEN 'critical' ELSE 'today' END,
                jsonb_build_object('alertname', 'Alert' || (n %% 300), 'severity', 'warning'),
                '{{}}'::jsonb, '{{}}'::jsonb, 'Restart the worker pool ' || (n %% 300), '',
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
    admin.timezone = "UTC"
    admin.save(update_fields=["timezone"])
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(admin)
    url = f"/alerts/review/?week={WEEK}"
    size = len(client.get(url).content)  # warm-up
    samples = []
    for _ in range(3):
        started = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200
    tracemalloc.start()
    client.get(url)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{total:>10,}{statistics.median(samples):>10.2f}{peak / 2**20:>10.1f}{size / 2**20:>10.1f}"
    )


if __name__ == "__main__":
    main()
