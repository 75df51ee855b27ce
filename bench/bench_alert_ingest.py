"""Alert ingestion throughput on PostgreSQL, through the real webhook path.

    .venv/bin/python bench/bench_alert_ingest.py [--deliveries 50] [--alerts-per-delivery 100]
        [--repeats 3] [--no-analyze]

Creates a throwaway database (``firebreak_bench_ingest_<pid>_<hex>``) on the server of
``DATABASE_URL`` (default postgres://root@127.0.0.1:5432/test), migrates it, posts batched
Alertmanager v4 deliveries to ``/hooks/alertmanager/<token>/`` with Django's test client (URL
routing, middleware, token check, JSON parsing, validation, one transaction per delivery), then
resolves them all with a second round of deliveries. It prints instances per second for both and
compares them with a raw ``bulk_create`` of the same rows (one transaction per batch, rows built
beforehand), each delivery timed beside one such batch so that both see the machine in the same
state: median and best of ``--repeats`` rounds after a warm-up round, as the machine may be
shared. The database is dropped at the end, also on failure. Timings are printed, never asserted.

Every round posts new alerts (fingerprints of their own) to one integration, as a company's one
Alertmanager sends to one URL. After the warm-up round the alert table is ANALYZEd, as autovacuum
keeps a live table's statistics: on a table created seconds before, with none, PostgreSQL guesses
that an integration has a handful of alerts and scans all of them instead of looking the
delivery's fingerprints up. ``--no-analyze`` measures that fresh-table case.
"""

from __future__ import annotations

import argparse
import json
import secrets
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throwaway_db import server_line, setup_django, throwaway_database  # noqa: E402

TARGET_PER_SECOND = 1000


def make_deliveries(
    count: int, per_delivery: int, status: str, start: datetime, series: int = 0
) -> list[bytes]:
    """Realistic Alertmanager v4 bodies: one group per delivery, distinct instances per alert;
    each ``series`` has fingerprints of its own."""
    bodies = []
    for group in range(count):
        service = f"service-{group % 25}"
        alertname = f"HighErrorRate{group % 40}"
        alerts = []
        for index in range(per_delivery):
            starts_at = start + timedelta(seconds=group * per_delivery + index)
            ends_at = starts_at + timedelta(minutes=20) if status == "resolved" else None
            labels = {
                "alertname": alertname,
                "service": service,
                "severity": ("critical", "warning", "info")[index % 3],
                "team": f"team-{group % 7}",
                "instance": f"{service}-{index}:8080",
                "job": service,
            }
            alerts.append(
                {
                    "status": status,
                    "labels": labels,
                    "annotations": {
                        "summary": f"{service}: 5xx above 5%",
                        "description": f"{service}-{index} returns 7.{index % 10}% 5xx over 5m",
                        "runbook_url": f"https://runbooks.example.com/{alertname.lower()}",
                    },
                    "startsAt": starts_at.isoformat().replace("+00:00", "Z"),
                    "endsAt": ends_at.isoformat().replace("+00:00", "Z")
                    if ends_at
                    else "0001-01-01T00:00:00Z",
                    "generatorURL": "http://prometheus.example.com:9090/graph?g0.expr=job%3Aerrors%3Aratio5m",
                    "fingerprint": f"{series:02x}{group:06x}{index:04x}{0xABCDEF:04x}",
                }
            )
        body = {
            "version": "4",
            "groupKey": f'{{}}:{{alertname="{alertname}", service="{service}"}}',
            "truncatedAlerts": 0,
            "status": status,
            "receiver": "firebreak",
            "groupLabels": {"alertname": alertname, "service": service},
            "commonLabels": {"alertname": alertname, "service": service},
            "commonAnnotations": {},
            "externalURL": "http://alertmanager.example.com:9093",
            "alerts": alerts,
        }
        bodies.append(json.dumps(body).encode())
    return bodies


def post_all(client, url: str, bodies: list[bytes]) -> float:
    started = time.perf_counter()
    for body in bodies:
        response = client.post(url, data=body, content_type="application/json")
        if response.status_code != 200:
            raise SystemExit(f"delivery failed: {response.status_code} {response.content[:300]!r}")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--deliveries", type=int, default=50)
    parser.add_argument("--alerts-per-delivery", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--no-analyze",
        action="store_true",
        help="leave the alert table without statistics (a table created seconds before)",
    )
    args = parser.parse_args()

    with throwaway_database("firebreak_bench_ingest"):
        run(args.deliveries, args.alerts_per_delivery, args.repeats, analyze=not args.no_analyze)


def run(deliveries: int, per_delivery: int, repeats: int, *, analyze: bool) -> None:
    setup_django()
    from django.db import connection

    from oncall.alerts import services
    from oncall.models import User

    owner = User.objects.create_superuser("bench", "bench@example.com", secrets.token_urlsafe(16))
    issued = services.integration_create(user=owner, kind="alertmanager", name="Bench")
    total = deliveries * per_delivery
    rounds = []
    for repeat in range(repeats + 1):  # round 0 warms up connections, caches and code paths
        start = datetime(2026, 3, 1, tzinfo=UTC) + timedelta(days=repeat)
        rates = one_round(owner, services, issued, deliveries, per_delivery, start, repeat)
        if repeat:
            rounds.append(rates)
        elif analyze:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE oncall_alert")

    print(server_line())
    print(
        f"{repeats} rounds of {deliveries} Alertmanager deliveries x {per_delivery} alerts "
        f"= {total} instances each, posted to /hooks/alertmanager/<token>/ of one integration"
    )
    print(
        "alert table analyzed after the warm-up round"
        if analyze
        else "alert table never analyzed (--no-analyze)"
    )
    print(f"{'':32}{'median':>10}{'best':>10}")
    labels = {
        "new": "new instances (firing) /s",
        "bulk_new": "  raw bulk_create beside them",
        "resolve": "redelivered as resolved /s",
        "bulk_resolve": "  raw bulk_create beside them",
    }
    for key, label in labels.items():
        values = [r[key] for r in rounds]
        print(f"  {label:30}{statistics.median(values):10.0f}{max(values):10.0f}")
    for key in ("new", "resolve"):
        ratios = [r[key] / r[f"bulk_{key}"] for r in rounds]
        label = f"ratio {key} / bulk_create"
        print(f"  {label:30}{statistics.median(ratios):10.2f}{max(ratios):10.2f}")
    slowest = statistics.median([min(r["new"], r["resolve"]) for r in rounds])
    verdict = "meets" if slowest >= TARGET_PER_SECOND else "MISSES"
    print(f"  target >= {TARGET_PER_SECOND} instances/s (median of the slower path): {verdict}")


def one_round(
    owner,
    services,
    issued,
    deliveries: int,
    per_delivery: int,
    start: datetime,
    series: int,
) -> dict[str, float]:
    """One round: each delivery is timed beside a raw ``bulk_create`` of as many rows (the
    order alternating), so a machine that speeds up or slows down mid-round moves both."""
    from django.test import Client

    from oncall.models import Alert

    total = deliveries * per_delivery
    client = Client(HTTP_HOST="127.0.0.1")
    firing = make_deliveries(deliveries, per_delivery, "firing", start, series)
    resolved = make_deliveries(deliveries, per_delivery, "resolved", start, series)
    raw_new, raw_resolve = (
        services.integration_create(user=owner, kind="alertmanager", name=f"Raw {which} {series}")
        for which in ("new", "resolve")
    )
    created_seconds, bulk_new_seconds = post_beside_bulk(
        client, issued.url, firing, raw_rows(raw_new.integration, firing)
    )
    mine = Alert.objects.filter(
        integration=issued.integration, fired_at__gte=start, fired_at__lt=start + timedelta(days=1)
    )
    assert mine.count() == total
    resolved_seconds, bulk_resolve_seconds = post_beside_bulk(
        client, issued.url, resolved, raw_rows(raw_resolve.integration, resolved)
    )
    assert mine.count() == total and mine.filter(status=Alert.Status.RESOLVED).count() == total
    return {
        "new": total / created_seconds,
        "resolve": total / resolved_seconds,
        "bulk_new": total / bulk_new_seconds,
        "bulk_resolve": total / bulk_resolve_seconds,
    }


def raw_rows(integration, bodies: list[bytes]) -> list[list]:
    """The rows of each delivery as a bare ``bulk_create`` writes them, built before timing."""
    from oncall.alerts import alertmanager
    from oncall.models import Alert

    received_at = datetime.now(UTC)
    batches = []
    for body in bodies:
        batches.append(
            [
                Alert(
                    integration=integration,
                    fingerprint=alert.fingerprint,
                    fired_at=alert.fired_at,
                    name=alert.name,
                    status=alert.status,
                    urgency=alert.urgency,
                    labels=alert.labels,
                    annotations=alert.annotations,
                    summary=alert.summary,
                    description=alert.description,
                    runbook_url=alert.runbook_url,
                    generator_url=alert.generator_url,
                    service_slug=alert.service_slug,
                    group_key=alert.group_key,
                    ends_at=alert.ends_at,
                    first_received_at=received_at,
                    last_received_at=received_at,
                )
                for alert in alertmanager.parse(json.loads(body)).alerts
            ]
        )
    return batches


def post_beside_bulk(client, url: str, bodies: list[bytes], batches: list[list]):
    """Seconds spent posting ``bodies``, and seconds spent bulk-creating ``batches`` (one
    transaction each), one of each in turn."""
    from django.db import transaction

    from oncall.models import Alert

    posting = bulk = 0.0
    for index, (body, rows) in enumerate(zip(bodies, batches, strict=True)):
        for step in ("post", "bulk") if index % 2 == 0 else ("bulk", "post"):
            started = time.perf_counter()
            if step == "post":
                post_all(client, url, [body])
                posting += time.perf_counter() - started
            else:
                with transaction.atomic():
                    Alert.objects.bulk_create(rows)
                bulk += time.perf_counter() - started
    return posting, bulk


if __name__ == "__main__":
    main()
