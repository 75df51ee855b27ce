"""On-call list pages on PostgreSQL: queries of the schedule list, time of the alert list's count.

    .venv/bin/python bench/bench_oncall_lists.py [--schedules 5 50] [--alerts 2000000]

Creates a throwaway database (``firebreak_bench_lists_<pid>_<hex>``), migrates it, then
1. creates schedules of four people each (with an override apiece) and counts the SQL queries of
   GET /schedules/ and GET /api/v1/schedules/ at each size given (the same at every size = constant);
2. inserts ``--alerts`` alert rows in one INSERT ... SELECT and times GET /alerts/ and
   GET /api/v1/alerts/ (their count stops at 10,000 past the page: oncall.pagination) against
   a full ``COUNT(*)`` of the same rows. Figures are printed, never asserted; the database is
   dropped at the end, also on failure.
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import sys
import time
from datetime import date, timedelta
from datetime import time as clock_time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throwaway_db import server_line, setup_django, throwaway_database  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--schedules", type=int, nargs="+", default=[5, 50])
    parser.add_argument("--alerts", type=int, default=2_000_000)
    args = parser.parse_args()
    with throwaway_database("firebreak_bench_lists"):
        setup_django()
        print(server_line())
        schedule_queries(sorted(args.schedules))
        if args.alerts:
            alert_count(args.alerts)


def _queries(client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    return len(captured)


def schedule_queries(sizes: list[int]) -> None:
    from django.test import Client
    from django.utils import timezone

    from oncall.models import ScheduleOverride, User
    from oncall.schedules.services import schedule_create
    from oncall.schedules.shifts import ParticipantInput

    admin = User.objects.create_superuser("bench", "bench@example.com", secrets.token_urlsafe(16))
    people = [User.objects.create_user(f"person{i}", timezone="Europe/Berlin") for i in range(8)]
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(admin)
    now = timezone.now()
    print("Schedule list, SQL queries per page load (four people and one override per schedule):")
    print(f"  {'schedules':>10}{'/schedules/':>14}{'/api/v1/schedules/':>20}")
    made = 0
    for size in sizes:
        while made < size:
            rota = [people[(made + k) % len(people)] for k in range(4)]
            schedule = schedule_create(
                user=admin,
                name=f"Team {made}",
                slug=f"team-{made}",
                timezone_name="Europe/Berlin",
                rotation="weekly",
                handoff_time=clock_time(9),
                start_date=date.today() - timedelta(days=30),
                participants=[ParticipantInput(p) for p in rota],
                service_slug=f"service-{made}",
            )
            ScheduleOverride.objects.create(
                schedule=schedule,
                layer="primary",
                user=rota[-1],
                start_at=now - timedelta(hours=1),
                end_at=now + timedelta(hours=1),
                created_by=admin,
            )
            made += 1
        web = _queries(client, "/schedules/")
        api = _queries(client, f"/api/v1/schedules/?limit={size}")
        print(f"  {size:>10}{web:>14}{api:>20}")


def alert_count(total: int) -> None:
    from django.db import connection
    from django.test import Client

    from oncall.alerts.services import integration_create
    from oncall.models import Alert, User

    owner = User.objects.get(username="bench")
    integration = integration_create(user=owner, kind="alertmanager", name="Bench").integration
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO oncall_alert (integration_id, fingerprint, fired_at, name, status, urgency,
                labels, annotations, details, summary, description, runbook_url, generator_url,
                service_slug, group_key, first_received_at, last_received_at, receive_count)
            SELECT %s, 'fp-' || n, now() - n * interval '90 seconds', 'Alert' || (n %% 300),
                CASE WHEN n %% 10 = 0 THEN 'firing' ELSE 'resolved' END,
                (ARRAY['critical', 'today', 'eventually'])[1 + n %% 3],
                '{}'::jsonb, '{}'::jsonb, '{}'::jsonb, '', '', '', '', 'service-' || (n %% 25), '',
                now() - n * interval '90 seconds', now() - n * interval '90 seconds', 1
            FROM generate_series(1, %s) AS n
            """,
            [integration.pk, total],
        )
        cursor.execute("ANALYZE oncall_alert")
    print(f"\nInserted {total:,} alerts in {time.perf_counter() - started:.0f} s.")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(owner)

    def timed(fn, rounds=5) -> float:
        fn()  # warm-up
        samples = []
        for _ in range(rounds):
            started = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - started)
        return statistics.median(samples) * 1000

    full = timed(lambda: Alert.objects.count())
    web = timed(lambda: client.get("/alerts/"))
    web_filtered = timed(lambda: client.get("/alerts/?status=firing"))
    api = timed(lambda: client.get("/api/v1/alerts/"))
    print("Alert list at this size, median of 5 (ms):")
    print(f"  full COUNT(*) of every alert (what the list did)   {full:8.0f}")
    print(f"  GET /alerts/ (count capped at 10,000)              {web:8.0f}")
    print(f"  GET /alerts/?status=firing                         {web_filtered:8.0f}")
    print(f"  GET /api/v1/alerts/ (count capped at 10,000)       {api:8.0f}")


if __name__ == "__main__":
    main()
