"""The incident page at 100 / 1,000 / 10,000 timeline events, on PostgreSQL (not a test).

    .venv/bin/python bench/bench_incident_page.py [--sizes 100,1000,10000] [--viewers 100]

Creates a throwaway database (``firebreak_bench_incident_page_<pid>``) on the server of
``DATABASE_URL`` (default postgres://root@127.0.0.1:5432/test), migrates it, declares one
incident per size through the real service and fills its timeline with that many events (one in
40 highlighted, one in 100 a correction of an earlier event, one in 20 a stakeholder update).
Then, through Django's test client as a responder:

- **page**: GET the incident page — wall time (median of 3), SQL queries, bytes;
- **refresh**: the URL the page's live timeline polls (read from the page's ``hx-get``), with
  nothing new since the page loaded — median time of 20 and bytes;
- **viewers**: ``--viewers`` such refreshes back to back (one poll round of that many viewers);
- **API**: GET ``/api/v1/incidents/{id}/timeline/`` as a client without a cursor would.

Timings are printed, never asserted. The database is dropped at the end, also on failure.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


BENCH_DB = f"firebreak_bench_incident_page_{os.getpid()}"
DEFAULT_URL = "postgres://root@127.0.0.1:5432/test"


# The database helpers every bench shares (bench/throwaway_db.py).
sys.path.insert(0, str(Path(__file__).resolve().parent))
from throwaway_db import admin_connection, with_database  # noqa: E402

KINDS = ["note", "status_changed", "role_assigned", "alert_linked", "reminder_sent", "note"]


def make_incident(declarer, events: int):
    """One incident with ``events`` timeline events spread over the last few hours."""
    from django.utils import timezone

    from incidents import services
    from incidents.models import TimelineEvent

    incident = services.incident_declare(
        user=declarer, title=f"Checkout returns 500s ({events} events)", severity="SEV1"
    )
    start = timezone.now() - timedelta(hours=6)
    step = timedelta(hours=6) / max(events, 1)
    target = events - incident.timeline.count()
    plain = target
    while plain > 0 and plain + sum(1 for i in range(plain) if i % 100 == 50) > target:
        plain -= 1
    rows = []
    for i in range(plain):
        kind = "stakeholder_update" if i % 20 == 0 else KINDS[i % len(KINDS)]
        data = {"label": "Update"} if kind == "stakeholder_update" else {}
        at = start + step * i
        rows.append(
            TimelineEvent(
                incident=incident,
                kind=kind,
                body=f"Event {i}: checked the payment gateway pool, error rate {i % 37} %.",
                occurred_at=at,
                recorded_at=at,
                actor=declarer,
                data=data,
                highlighted=i % 40 == 0,
            )
        )
    created = TimelineEvent.objects.bulk_create(rows, batch_size=2000)
    # Corrections point at earlier events (one in 100).
    corrections = []
    for i, target in enumerate(created):
        if i % 100 == 50:
            corrections.append(
                TimelineEvent(
                    incident=incident,
                    kind="correction",
                    body=f"Correction: event {target.pk} was at a different time.",
                    occurred_at=target.occurred_at + step / 2,
                    recorded_at=target.occurred_at + step / 2,
                    actor=declarer,
                    corrects=target,
                )
            )
    TimelineEvent.objects.bulk_create(corrections)
    return incident


def median_ms(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), result


def measure(client, incident, viewers: int) -> dict:
    from django.db import connection

    page_url = f"/incidents/{incident.number}/"
    client.get(page_url)  # warm up: templates compiled, URL resolver and caches filled
    page_ms, page = median_ms(lambda: client.get(page_url), 5)
    assert page.status_code == 200, page.status_code
    queries = []
    # Counted with a wrapper: the test client's request_started resets connection.queries.
    with connection.execute_wrapper(
        lambda execute, sql, *a: queries.append(sql) or execute(sql, *a)
    ):
        client.get(page_url)
    html = page.content.decode()
    poll = re.search(r'id="timeline[^"]*"[^>]*hx-get="([^"]+)"', html) or re.search(
        r'hx-get="([^"]+)"[^>]*hx-trigger="every', html
    )
    poll_url = poll.group(1).replace("&amp;", "&")
    refresh_ms, refresh = median_ms(lambda: client.get(poll_url, HTTP_HX_REQUEST="true"), 20)
    assert refresh.status_code in (200, 204, 286), refresh.status_code
    t0 = time.perf_counter()
    for _ in range(viewers):
        client.get(poll_url, HTTP_HX_REQUEST="true")
    viewers_s = time.perf_counter() - t0
    api_ms, api = median_ms(lambda: client.get(f"/api/v1/incidents/{incident.pk}/timeline/"), 3)
    assert api.status_code == 200, api.status_code
    return {
        "page_ms": page_ms,
        "queries": len(queries),
        "page_kb": len(page.content) / 1024,
        "refresh_ms": refresh_ms,
        "refresh_bytes": len(refresh.serialize_headers()) + len(refresh.content),  # on the wire
        "viewers_s": viewers_s,
        "api_ms": api_ms,
        "api_kb": len(api.content) / 1024,
    }


def run(sizes: list[int], viewers: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from tests.factories import UserFactory

    call_command("migrate", verbosity=0)
    from django.contrib.auth.models import Group

    from oncall.access import GROUPS

    for name in GROUPS:
        Group.objects.get_or_create(name=name)
    rita = UserFactory(username="rita", first_name="Rita", groups=["responder"])
    client = Client(HTTP_HOST="localhost")
    client.force_login(rita)
    print(f"PostgreSQL, one incident per size; {viewers} viewers = that many polls back to back")
    header = (
        f"{'events':>7} | {'page ms':>8} | {'queries':>7} | {'page KB':>8} | {'refresh ms':>10} | "
        f"{'refresh B':>9} | {viewers} viewers s | {'API ms':>7} | {'API KB':>7}"
    )
    print(header)
    print("-" * len(header))
    for size in sizes:
        incident = make_incident(rita, size)
        r = measure(client, incident, viewers)
        print(
            f"{size:>7,} | {r['page_ms']:>8.0f} | {r['queries']:>7} | {r['page_kb']:>8.0f} | "
            f"{r['refresh_ms']:>10.1f} | {r['refresh_bytes']:>9,} | {r['viewers_s']:>13.2f} | "
            f"{r['api_ms']:>7.0f} | {r['api_kb']:>7.0f}",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--viewers", type=int, default=100)
    args = parser.parse_args()
    server_url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if not server_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("DATABASE_URL must point at PostgreSQL for this benchmark.")
    with admin_connection(server_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    os.environ["DATABASE_URL"] = with_database(server_url, BENCH_DB)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ.pop("REDIS_URL", None)
    try:
        run([int(s) for s in args.sizes.split(",")], args.viewers)
    finally:
        from django.db import connections

        connections.close_all()
        with admin_connection(server_url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


if __name__ == "__main__":
    main()
