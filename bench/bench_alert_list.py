"""The alerts inbox at production size on PostgreSQL: first and deep page, web and API, and the
capped count.

    .venv/bin/python bench/bench_alert_list.py [--alerts 2000000] [--keys 20000]

Creates a throwaway database (``firebreak_bench_inbox_<pid>_<hex>``), migrates it, and writes
``--alerts`` alert instances of ``--keys`` alerts (integration, fingerprint) over five years in
one server-side ``INSERT ... SELECT`` from ``generate_series`` (no rows cross the wire, like COPY):
every alert fires again and again (old firings resolved and superseded), about one in seven is
firing now, a third of those acknowledged. Then, as a responder (so the private-incident
visibility filter applies, as for most people), it prints for the inbox (one row per alert,
``oncall.alerts.selectors.alert_inbox``):

- GET /alerts/ first page and a deep page (page 200, offset 9,950), and the same pages of
  GET /api/v1/alerts/inbox/: median time of 5 and SQL queries;
- the capped count alone (``oncall.pagination.capped_count``, stops at 10,000), against a full
  ``COUNT(*)`` of every instance;
- the plan of the first page's query (EXPLAIN ANALYZE).

Figures are printed, never asserted; the database is dropped at the end, also on failure.
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throwaway_db import server_line, setup_django, throwaway_database  # noqa: E402

DEEP_PAGE = 200


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--alerts", type=int, default=2_000_000)
    parser.add_argument("--keys", type=int, default=20_000)
    args = parser.parse_args()
    with throwaway_database("firebreak_bench_inbox"):
        setup_django()
        print(server_line())
        responder = populate(args.alerts, args.keys)
        measure(responder)


def populate(total: int, keys: int):
    from django.db import connection

    from oncall.alerts.services import integration_create
    from oncall.models import User

    admin = User.objects.create_superuser("bench", "bench@example.com", secrets.token_urlsafe(16))
    responder = User.objects.create_user("responder", timezone="Europe/Berlin")
    responder.groups.add(_responders_group())
    integration = integration_create(user=admin, kind="alertmanager", name="Bench").integration
    started = time.perf_counter()
    # Instance n (1 = newest) is a firing of key n % keys, every ~79 s over five years; the newest
    # firing of each key is n <= keys (superseded = a newer firing of the key exists).
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO oncall_alert (integration_id, fingerprint, fired_at, name, status, urgency,
                labels, annotations, details, summary, description, runbook_url, generator_url,
                service_slug, group_key, ends_at, resolved_at, acknowledged_at,
                first_received_at, last_received_at, receive_count, superseded)
            SELECT %(integration)s, 'fp-' || (n %% %(keys)s), t,
                'Restart worker ' || (n %% %(keys)s),
                CASE WHEN n <= %(keys)s AND n %% 7 = 0 THEN 'firing' ELSE 'resolved' END,
                (ARRAY['critical', 'today', 'eventually'])[1 + (n %% %(keys)s) %% 3],
                '{}'::jsonb, '{}'::jsonb, '{}'::jsonb, '', '', 'https://runbooks.example/r', '',
                'service-' || (n %% 25), '',
                CASE WHEN n <= %(keys)s AND n %% 7 = 0 THEN NULL ELSE t + interval '5 minutes' END,
                CASE WHEN n <= %(keys)s AND n %% 7 = 0 THEN NULL ELSE t + interval '5 minutes' END,
                CASE WHEN n %% 21 = 0 THEN t + interval '3 minutes' END,
                t, t + interval '5 minutes', 1 + n %% 3, n > %(keys)s
            FROM (SELECT n, now() - n * interval '79 seconds' AS t
                  FROM generate_series(1, %(total)s) AS n) AS series
            """,
            {"integration": integration.pk, "keys": keys, "total": total},
        )
        cursor.execute("VACUUM ANALYZE oncall_alert")
    print(
        f"Wrote {total:,} alert instances of {keys:,} alerts in "
        f"{time.perf_counter() - started:.0f} s (insert, indexes, VACUUM ANALYZE)."
    )
    return responder


def _responders_group():
    from django.contrib.auth.models import Group

    from oncall.access import RESPONDER

    return Group.objects.get_or_create(name=RESPONDER)[0]


def _timed(fn, rounds: int = 5) -> tuple[float, int]:
    """(median ms, SQL queries of one call)."""
    from django.db import connection

    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        fn()  # warm-up, and the query count
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000, len(executed)


def measure(responder) -> None:
    from django.db import connection
    from django.test import Client

    from oncall.alerts.selectors import alert_inbox
    from oncall.models import Alert
    from oncall.pagination import COUNT_CAP, capped_count

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(responder)
    deep_offset = (DEEP_PAGE - 1) * 50

    def get(path: str):
        def call():
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)

        return call

    rows = [
        ("GET /alerts/ (first page)", get("/alerts/")),
        (
            f"GET /alerts/?page={DEEP_PAGE} (offset {deep_offset:,})",
            get(f"/alerts/?page={DEEP_PAGE}"),
        ),
        ("GET /alerts/?status=firing", get("/alerts/?status=firing")),
        ("GET /api/v1/alerts/inbox/?limit=50", get("/api/v1/alerts/inbox/?limit=50")),
        (
            f"GET /api/v1/alerts/inbox/?limit=50&offset={deep_offset}",
            get(f"/api/v1/alerts/inbox/?limit=50&offset={deep_offset}"),
        ),
        ("GET /api/v1/alerts/?limit=50 (instances)", get("/api/v1/alerts/?limit=50")),
        (
            f"GET /api/v1/alerts/?limit=50&offset={deep_offset} (instances)",
            get(f"/api/v1/alerts/?limit=50&offset={deep_offset}"),
        ),
    ]
    print("\nAs a responder, median of 5 (ms) and SQL queries per request:")
    for label, call in rows:
        ms, queries = _timed(call)
        print(f"  {label:<62}{ms:8.0f} ms{queries:5d} queries")

    inbox = alert_inbox(user=responder)
    capped_ms, _ = _timed(lambda: capped_count(inbox, upto=COUNT_CAP))
    counted, capped = capped_count(inbox, upto=COUNT_CAP)
    full_ms, _ = _timed(lambda: Alert.objects.count())
    print("\nCount alone, median of 5 (ms):")
    shown = f"{counted:,}{'+' if capped else ''}"
    print(f"  inbox count, capped at {COUNT_CAP:,} (shows {shown} alerts){capped_ms:14.0f}")
    print(f"  full COUNT(*) of every instance (what lists once did)       {full_ms:8.0f}")

    counting = inbox.order_by().select_related(None).values("pk")[: COUNT_CAP + 1]
    for title, queryset in (("first page", inbox[:50]), ("capped count's rows", counting)):
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS OFF, COSTS OFF) " + sql, params)
            plan = [row[0] for row in cursor.fetchall()]
        print(f"\nEXPLAIN ANALYZE of the inbox's {title}:")
        for line in plan:
            print("  " + line)


if __name__ == "__main__":
    main()
