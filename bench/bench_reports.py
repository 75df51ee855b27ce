"""Reports on a large history, on PostgreSQL: the quarterly summary, each figure against a
hand-written SQL query, and the XLSX export's peak memory.

    .venv/bin/python bench/bench_reports.py [--scale 1.0] [--repeats 3] [--keep] [--db NAME [--reuse]]
        [--only summary,figures,page,pdf,xlsx]

At ``--scale 1`` it generates 100,000 incidents, 2,000,000 alert instances and 20,000 postmortems
(plus stakeholder updates, action items, pages) spread over 2024-01-01 … 2026-10-01, with COPY,
in a throwaway database (``firebreak_bench_reports_<pid>``, or ``--db NAME``) on the server of ``DATABASE_URL`` (default
postgres://root@127.0.0.1:5432/test), created and migrated here and dropped at the end, also on
failure (``--keep`` keeps it; ``--reuse`` runs again on a kept one without regenerating).
``--scale 0.1`` is a quick run. ``--only page,pdf`` measures only those parts (default: all of
``summary``, ``figures``, ``page``, ``pdf``, ``xlsx``), for quick iterations on a kept database.

It prints (never asserts):
- the time of the 2026Q3 summary for all services (target < 2 s), and scoped to one team, one
  service and one severity;
- per figure, the ORM function's time against a hand-written SQL query computing the same
  figure, and the ratio (target ≤ 3×); the two results are compared too;
- the Reports page for the quarter with 50 on-call schedules: queries (target < 100) and time
  (target < 2 s);
- ``export_quarterly_report`` as PDF (target < 20 s) and XLSX in a child process: time and peak
  RSS (target < 300 MB).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
import warnings
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# A throwaway name per run (engineers share the server); --db names a kept one to --reuse.
BENCH_DB = f"firebreak_bench_reports_{os.getpid()}"
DEFAULT_URL = "postgres://root@127.0.0.1:5432/test"
HISTORY_START = datetime(2024, 1, 1, tzinfo=UTC)
HISTORY_END = datetime(2026, 10, 1, tzinfo=UTC)
QUARTER = "2026Q3"
SIZES = {"incidents": 100_000, "alerts": 2_000_000, "postmortems": 20_000, "pages": 200_000}
SERVICES, TEAMS, PEOPLE, FINGERPRINTS, ALERT_NAMES = 50, 10, 60, 5_000, 200
SCHEDULES = 50  # one per service, twelve-hour shifts: 184 primary shifts each per quarter
PARTS = ("summary", "figures", "page", "pdf", "xlsx")
ZONES = ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC", "Australia/Sydney"]


# The database helpers every bench shares (bench/throwaway_db.py).
sys.path.insert(0, str(Path(__file__).resolve().parent))
from throwaway_db import admin_connection, with_database  # noqa: E402


def drop_database(url: str) -> None:
    with admin_connection(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


def database_exists(url: str) -> bool:
    with admin_connection(url) as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]).fetchone()
    return row is not None


def main() -> None:
    global BENCH_DB
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--keep", action="store_true", help="keep the database at the end (its name is printed)"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse the --db kept by an earlier --keep run (migrated, not regenerated)",
    )
    parser.add_argument("--db", help="database name (default: a new one per run)")
    parser.add_argument(
        "--only",
        default=",".join(PARTS),
        help=f"comma-separated parts to measure (default: all of {', '.join(PARTS)})",
    )
    args = parser.parse_args()
    parts = [part.strip() for part in args.only.split(",") if part.strip()]
    unknown = sorted(set(parts) - set(PARTS))
    if unknown or not parts:
        raise SystemExit(f"--only takes parts among {', '.join(PARTS)} (got {args.only!r}).")
    BENCH_DB = args.db or BENCH_DB
    if not 0 < args.scale <= 10:
        raise SystemExit("--scale must be in (0, 10].")
    server_url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if not server_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("DATABASE_URL must point at PostgreSQL for this benchmark.")
    reuse = args.reuse and database_exists(server_url)
    if not reuse:
        drop_database(server_url)
        with admin_connection(server_url) as conn:
            conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    os.environ["DATABASE_URL"] = with_database(server_url, BENCH_DB)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ.pop("REDIS_URL", None)
    try:
        run(args.scale, args.repeats, reuse=reuse, parts=parts)
    finally:
        from django.db import connections

        connections.close_all()
        if args.keep:
            print(f"\nKept database {BENCH_DB} (reuse it with --reuse --db {BENCH_DB}).")
        else:
            drop_database(server_url)


# --- data ----------------------------------------------------------------------------------------


def copy_rows(model, fields: list[str], rows) -> int:
    """COPY ``rows`` (tuples in ``fields`` order) into ``model``'s table; every other column gets
    the field's default (or now for auto timestamps, NULL when nullable)."""
    from django.db import connection
    from django.db.models import DateTimeField, JSONField
    from django.utils import timezone

    provided = set(fields)
    extra = []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in provided or field.attname in provided:
            continue
        value = field.get_default()
        if value is None and not field.null and isinstance(field, DateTimeField):
            value = timezone.now()
        if isinstance(field, JSONField) and value is not None:
            value = json.dumps(value)
        extra.append((field.column, value))
    columns = [model._meta.get_field(f).column for f in fields] + [c for c, _ in extra]
    tail = tuple(v for _, v in extra)
    count = 0
    with connection.cursor() as cursor:
        sql = f'COPY "{model._meta.db_table}" ({", ".join(columns)}) FROM STDIN'
        with cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(tuple(row) + tail)
                count += 1
    return count


def _schedules(people, services) -> None:
    """SCHEDULES twelve-hour rotations of four people, one per service."""
    from datetime import date
    from datetime import time as clock

    from oncall import services as oncall_services
    from oncall.models import User
    from oncall.schedules.shifts import ParticipantInput

    admin = User.objects.create(username="bench-admin", is_superuser=True)
    for index in range(SCHEDULES):
        service = services[index % len(services)]
        oncall_services.schedule_create(
            user=admin, name=f"Rotation {index}", slug=f"rotation-{index}", timezone_name="UTC",
            rotation="custom", handoff_time=clock(9), start_date=date(2024, 1, 1), shift_hours=12,
            participants=[ParticipantInput(people[(index * 4 + k) % len(people)]) for k in range(4)],
            service_slug=service.slug,
        )  # fmt: skip


def generate(scale: float) -> dict:
    from incidents.models import Incident, Service, Severity, StakeholderUpdate, Team
    from oncall.models import Alert, Integration, Notification, NotificationDelivery, User
    from postmortems.models import ActionItem, Postmortem

    rng = random.Random(42)
    span = (HISTORY_END - HISTORY_START).total_seconds()
    sizes = {key: max(1, int(value * scale)) for key, value in SIZES.items()}
    teams = [Team.objects.create(slug=f"team-{i}", name=f"Team {i}") for i in range(TEAMS)]
    services = [
        Service.objects.create(slug=f"service-{i}", name=f"Service {i}", team=teams[i % TEAMS])
        for i in range(SERVICES)
    ]
    people = [
        User.objects.create(username=f"person-{i}", timezone=ZONES[i % len(ZONES)])
        for i in range(PEOPLE)
    ]
    for i, person in enumerate(people):
        teams[i % TEAMS].members.add(person)
    integration = Integration.objects.create(kind="alertmanager", name="prom", token_hash="b" * 64)
    _schedules(people, services)

    def moment() -> datetime:
        return HISTORY_START + timedelta(seconds=rng.random() * span)

    started = time.perf_counter()
    incidents = []
    for number in range(1, sizes["incidents"] + 1):
        start = moment().replace(microsecond=0)
        detected = start + timedelta(seconds=rng.randint(0, 600))
        declared = detected + timedelta(seconds=rng.randint(0, 600))
        acknowledged = (
            None if rng.random() < 0.1 else detected + timedelta(seconds=rng.randint(0, 900))
        )
        if acknowledged and acknowledged < declared:
            acknowledged = declared
        mitigated = (
            None if rng.random() < 0.05 else declared + timedelta(seconds=rng.randint(60, 6 * 3600))
        )
        resolved = (mitigated or declared) + timedelta(seconds=rng.randint(0, 7200))
        incidents.append(
            (number, f"Incident {number}", rng.choice(Severity.values),
             "incident" if rng.random() < 0.95 else "drill", rng.random() < 0.05,
             rng.choice(["code_change", "config_change", "traffic_change", "unknown"]),
             start, detected, declared, acknowledged, mitigated, resolved, "resolved")
        )  # fmt: skip
    copy_rows(
        Incident,
        ["number", "title", "severity", "kind", "private", "trigger_category", "started_at",
         "detected_at", "declared_at", "acknowledged_at", "mitigated_at", "resolved_at", "status"],
        incidents,
    )  # fmt: skip
    ids = dict(Incident.objects.values_list("number", "pk"))
    links = set()
    for number in ids:
        for _ in range(1 if rng.random() < 0.8 else 2):
            links.add((ids[number], rng.choice(services).pk))
    copy_rows(Incident.services.through, ["incident", "service"], sorted(links))

    def updates():
        for number, *_rest in incidents:
            declared, mitigated = _rest[7], _rest[9]
            end = mitigated or declared + timedelta(hours=1)
            posted = declared
            while True:
                posted += timedelta(seconds=rng.randint(600, 2700))
                if posted > end:
                    break
                yield ids[number], "Update", posted

    copy_rows(StakeholderUpdate, ["incident", "body", "posted_at"], updates())

    chosen = rng.sample(list(ids), sizes["postmortems"])
    by_number = {row[0]: row for row in incidents}

    def postmortems():
        for number in chosen:
            resolved = by_number[number][11]
            published = rng.random() < 0.6
            yield (ids[number], f"PM {number}", rng.random() < 0.7,
                   "published" if published else "draft",
                   resolved + timedelta(days=rng.randint(1, 20)) if published else None)  # fmt: skip

    copy_rows(
        Postmortem, ["incident", "title", "required", "status", "published_at"], postmortems()
    )
    pm_ids = dict(Postmortem.objects.values_list("incident_id", "pk"))

    def items():
        for incident_id, pm_id in pm_ids.items():
            for _item in range(2):
                created = HISTORY_START + timedelta(seconds=rng.random() * span)
                due = (created + timedelta(days=rng.choice([28, 56, 90]))).date()
                done = rng.random() < 0.6
                yield (incident_id, pm_id, f"Action {rng.randint(0, 5000)}", due,
                       "done" if done else "open",
                       created + timedelta(days=rng.randint(1, 100)) if done else None,
                       created)  # fmt: skip

    copy_rows(ActionItem, ["incident", "postmortem", "title", "due_date", "status",
                           "completed_at", "created_at"], items())  # fmt: skip

    names = [f"Alert{i}" for i in range(ALERT_NAMES)]

    def alerts():
        for i in range(sizes["alerts"]):
            fired = HISTORY_START + timedelta(seconds=span * i / sizes["alerts"])
            fired += timedelta(microseconds=rng.randint(0, 999_999))
            fingerprint = f"fp{rng.randrange(FINGERPRINTS)}"
            critical = rng.random() < 0.3
            acknowledged = (
                fired + timedelta(seconds=rng.randint(10, 1800))
                if critical and rng.random() < 0.7
                else None
            )
            resolved = (
                fired + timedelta(seconds=rng.randint(60, 7200)) if rng.random() < 0.9 else None
            )
            reviewed = rng.random() < 0.3
            yield (integration.pk, fingerprint, fired, names[hash(fingerprint) % ALERT_NAMES],
                   "resolved" if resolved else "firing", "critical" if critical else "today",
                   f"service-{rng.randrange(SERVICES)}", resolved, acknowledged,
                   (rng.random() < 0.5) if reviewed else None, fired, fired)  # fmt: skip

    copy_rows(Alert, ["integration", "fingerprint", "fired_at", "name", "status", "urgency",
                      "service_slug", "resolved_at", "acknowledged_at", "actionable",
                      "first_received_at", "last_received_at"], alerts())  # fmt: skip

    copy_rows(Notification, ["recipient", "subject", "key", "urgency"],
              ((rng.choice(people).pk, "Page", f"page-{i}", "high")
               for i in range(sizes["pages"])))  # fmt: skip
    notification_ids = list(Notification.objects.values_list("pk", flat=True))
    copy_rows(NotificationDelivery, ["notification", "transport", "status", "sent_at"],
              ((pk, rng.choice(["sms", "push", "slack", "email"]), "sent", moment())
               for pk in notification_ids))  # fmt: skip
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    sizes["seconds"] = round(time.perf_counter() - started, 1)
    return sizes


# --- hand-written SQL, one per figure ------------------------------------------------------------

COUNTED = """
    FROM incidents_incident i
    WHERE i.kind = 'incident' AND i.started_at >= %(start)s AND i.started_at < %(end)s
"""

SQL = {
    "incident_count": "SELECT count(*) " + COUNTED,
    "mttr": """
        SELECT avg(extract(epoch FROM mitigated_at - started_at)),
               count(mitigated_at),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM mitigated_at - started_at)),
               percentile_disc(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM mitigated_at - started_at))
    """
    + COUNTED,
    "mtbf": """
        WITH spans AS (
            SELECT started_at AS s, least(coalesce(mitigated_at, resolved_at, %(end)s), %(end)s) AS e
            """
    + COUNTED
    + """
        ), marked AS (
            SELECT s, e, CASE WHEN s <= max(e) OVER (ORDER BY s, e ROWS BETWEEN UNBOUNDED
                PRECEDING AND 1 PRECEDING) THEN 0 ELSE 1 END AS new_island FROM spans
        ), islands AS (
            SELECT s, e, sum(new_island) OVER (ORDER BY s, e) AS island FROM marked
        )
        SELECT (SELECT count(*) FROM spans),
               coalesce(sum(extract(epoch FROM island_end - island_start)), 0)
        FROM (SELECT min(s) AS island_start, max(e) AS island_end FROM islands GROUP BY island) x
    """,
    "alert_counts": """
        SELECT count(*), count(*) FILTER (WHERE urgency = 'critical'),
               count(actionable), count(*) FILTER (WHERE actionable)
        FROM oncall_alert WHERE fired_at >= %(start)s AND fired_at < %(end)s
    """,
    "alert_mtta": """
        SELECT avg(extract(epoch FROM acknowledged_at - fired_at)), count(acknowledged_at),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM acknowledged_at - fired_at)),
               percentile_disc(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM acknowledged_at - fired_at))
        FROM oncall_alert
        WHERE fired_at >= %(start)s AND fired_at < %(end)s AND urgency = 'critical'
    """,
    "flapping": """
        SELECT count(DISTINCT fingerprint) FROM (
            SELECT fingerprint, fired_at,
                   lead(fired_at, 2) OVER (PARTITION BY fingerprint ORDER BY fired_at) AS third
            FROM oncall_alert WHERE fired_at >= %(start)s AND fired_at < %(end)s + interval '24 hours'
        ) x WHERE fired_at < %(end)s AND third < fired_at + interval '24 hours'
    """,
    "interruptions": """
        SELECT count(*),
               count(*) FILTER (WHERE extract(hour FROM sent_at AT TIME ZONE tz) >= 22
                                   OR extract(hour FROM sent_at AT TIME ZONE tz) < 8)
        FROM (
            SELECT d.sent_at, u.timezone AS tz,
                   lag(d.sent_at) OVER (PARTITION BY n.recipient_id ORDER BY d.sent_at, d.id) AS prev
            FROM oncall_notificationdelivery d
            JOIN oncall_notification n ON n.id = d.notification_id
            JOIN oncall_user u ON u.id = n.recipient_id
            WHERE d.status = 'sent' AND d.transport IN ('slack', 'sms', 'phone', 'push')
              AND n.urgency = 'high' AND d.sent_at >= %(start)s - interval '60 seconds'
              AND d.sent_at < %(end)s
        ) x
        WHERE sent_at >= %(start)s AND (prev IS NULL OR prev < sent_at - interval '60 seconds')
    """,
    "postmortem_coverage": """
        SELECT count(*) FILTER (WHERE p.required),
               count(*) FILTER (WHERE p.required AND p.status = 'published')
        FROM postmortems_postmortem p JOIN incidents_incident i ON i.id = p.incident_id
        WHERE i.kind = 'incident' AND i.started_at >= %(start)s AND i.started_at < %(end)s
    """,
    # On-time gaps, and all gaps: between updates while active (the first from declared_at),
    # plus the stretch from the last one (or the declaration) to mitigated_at when it is late.
    "update_on_time_rate": """
        WITH counted AS (
            SELECT i.id, i.declared_at, i.mitigated_at,
                   coalesce(i.update_interval_minutes, %(default_minutes)s) * 60 AS limit_s
            """
    + COUNTED
    + """
        ), gaps AS (
            SELECT c.limit_s, c.mitigated_at, u.posted_at,
                   extract(epoch FROM u.posted_at - coalesce(lag(u.posted_at) OVER w, c.declared_at)) AS gap,
                   lead(u.posted_at) OVER w AS next_at
            FROM incidents_stakeholderupdate u JOIN counted c ON c.id = u.incident_id
            WHERE u.posted_at >= c.declared_at
              AND (c.mitigated_at IS NULL OR u.posted_at <= c.mitigated_at)
            WINDOW w AS (PARTITION BY u.incident_id ORDER BY u.posted_at, u.id)
        ), silent AS (
            SELECT count(*) AS late FROM counted c
            WHERE c.mitigated_at IS NOT NULL
              AND extract(epoch FROM c.mitigated_at - c.declared_at) > c.limit_s
              AND NOT EXISTS (SELECT 1 FROM incidents_stakeholderupdate u WHERE u.incident_id = c.id
                              AND u.posted_at >= c.declared_at AND u.posted_at <= c.mitigated_at)
        )
        SELECT count(*) FILTER (WHERE gap <= limit_s),
               count(*) + count(*) FILTER (WHERE next_at IS NULL AND mitigated_at IS NOT NULL
                   AND extract(epoch FROM mitigated_at - posted_at) > limit_s)
               + (SELECT late FROM silent)
        FROM gaps
    """,
}


def figure_functions(period, scope):
    from postmortems.reports import metrics

    return {
        "incident_count": lambda: metrics.incident_count(period, scope),
        "mttr": lambda: metrics.mttr(period, scope),
        "mtbf": lambda: metrics.mtbf(period, scope),
        "alert_counts": lambda: metrics.alert_counts(period, scope),
        "alert_mtta": lambda: metrics.alert_mtta(period, scope),
        "flapping": lambda: metrics.flapping(period, scope),
        "interruptions": lambda: metrics.interruptions(period, scope),
        "postmortem_coverage": lambda: metrics.postmortem_coverage(period, scope),
        "update_on_time_rate": lambda: metrics.update_on_time_rate(period, scope),
    }


def timed_runs(function, repeats: int) -> tuple[list[float], object]:
    """Every run's seconds (the first one warms caches) and the last result."""
    times, result = [], None
    for _ in range(repeats + 1):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return times, result


def best_of(function, repeats: int) -> tuple[float, object]:
    times, result = timed_runs(function, repeats)
    return min(times[1:]) if repeats else times[0], result


def run(scale: float, repeats: int, *, reuse: bool = False, parts=PARTS) -> None:
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from postmortems.reports.metrics import Scope
    from postmortems.reports.params import quarter_period

    call_command("migrate", verbosity=0)
    if reuse:
        from incidents.models import Incident
        from oncall.models import Alert

        print(f"Reusing {BENCH_DB}: {Incident.objects.count():,} incidents, "
              f"{Alert.objects.count():,} alerts (--scale ignored)")  # fmt: skip
    else:
        print(f"Generating history at scale {scale} …", flush=True)
        sizes = generate(scale)
        print(
            f"  {sizes['incidents']:,} incidents, {sizes['alerts']:,} alerts, "
            f"{sizes['postmortems']:,} postmortems, {sizes['pages']:,} pages in {sizes['seconds']} s"
        )
    period, scope = quarter_period(QUARTER), Scope()
    from django.conf import settings

    # (The bench's incidents have no per-severity intervals configured.)
    params = {
        "start": period.start,
        "end": period.end,
        "default_minutes": settings.FIREBREAK_UPDATE_INTERVAL_MINUTES,
    }

    if "summary" in parts:
        summary_part(period, scope, repeats)
    if "figures" in parts:
        figures_part(period, scope, params, repeats)
    if "page" in parts:
        quarter_page(repeats)
    for fmt, target_s in (("pdf", 20), ("xlsx", None)):
        if fmt in parts:
            export_in_child(fmt, target_s)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        print(f"\nPostgreSQL {cursor.fetchone()[0]}, {os.cpu_count()} CPUs; "
              f"times are the best of {repeats} runs after a warm-up")  # fmt: skip


def summary_part(period, scope, repeats: int) -> None:
    """The quarter's summary for all services (targeted), then scoped ones (printed only)."""
    from postmortems.reports import metrics
    from postmortems.reports.metrics import Scope

    summary_time, summary = best_of(lambda: metrics.summary(period, scope), repeats)
    verdict = "OK" if summary_time < 2 else "over target"
    print(f"\nQuarterly summary {QUARTER}, all services: {summary_time:.3f} s "
          f"(target < 2 s: {verdict}); {summary['incidents']['count']:,} incidents, "
          f"{summary['alerts']['fired']:,} alerts")  # fmt: skip

    # Scoped summaries (what a team lead or a service owner opens): printed, not targeted.
    from incidents.models import Service, Team

    team = Team.objects.order_by("slug").first()
    service = Service.objects.order_by("slug").first()
    for label, scoped in (
        (f"team {team.slug}", Scope(team=team)),
        (f"service {service.slug}", Scope(service=service)),
        ("severity SEV1", Scope(severity="SEV1")),
    ):
        scoped_time, scoped_summary = best_of(lambda s=scoped: metrics.summary(period, s), repeats)
        print(f"  scoped to {label}: {scoped_time:.3f} s; "
              f"{scoped_summary['incidents']['count']:,} incidents, "
              f"{scoped_summary['alerts']['fired']:,} alerts")  # fmt: skip


def figures_part(period, scope, params: dict, repeats: int) -> None:
    """Each figure's ORM function against its hand-written SQL: times, ratio and results."""
    from django.db import connection

    print(f"\n{'figure':24}{'ORM s':>10}{'SQL s':>10}{'ratio':>8}  result (ORM | SQL)")
    for name, function in figure_functions(period, scope).items():
        orm_time, orm_result = best_of(function, repeats)

        def raw(name=name):
            with connection.cursor() as cursor:
                cursor.execute(SQL[name], params)
                return cursor.fetchone()

        sql_time, sql_result = best_of(raw, repeats)
        ratio = orm_time / sql_time if sql_time else float("inf")
        print(f"{name:24}{orm_time:10.4f}{sql_time:10.4f}{ratio:7.2f}x  "
              f"{_short(name, orm_result)} | {_short_sql(sql_result)}")  # fmt: skip


def quarter_page(repeats: int) -> None:
    """The Reports page for the quarter, as a signed-in admin sees it: queries and time."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from oncall.models import Schedule, User

    host = next(
        (h for h in settings.ALLOWED_HOSTS if h not in ("", "*") and h[0] != "."), "localhost"
    )
    client = Client(HTTP_HOST=host)
    client.force_login(User.objects.get(username="bench-admin"))

    def load():
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/reports/", {"preset": "quarter", "quarter": QUARTER})
        assert response.status_code == 200, response.status_code
        return len(queries.captured_queries)

    times, queries = timed_runs(load, repeats)
    seconds = min(times[1:]) if repeats else times[0]
    print(f"\nReports page {QUARTER} with {Schedule.objects.count()} schedules: {queries} queries "
          f"(target < 100: {'OK' if queries < 100 else 'over target'}), {seconds:.2f} s "
          f"(target < 2 s: {'OK' if seconds < 2 else 'over target'}); first run "
          f"{times[0]:.2f} s, median {statistics.median(times[1:] or times):.2f} s")  # fmt: skip


def export_in_child(fmt: str, target_s: float | None) -> None:
    """``export_quarterly_report`` in a child process (what the background job runs): time and
    the child's peak RSS (read by a small parent of its own, so each format is measured alone)."""
    out = Path("/tmp") / f"bench-reports-{os.getpid()}.{fmt}"
    measure = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
               "stdout=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN)"
               ".ru_maxrss)")  # fmt: skip
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", measure, sys.executable, str(ROOT / "manage.py"),
         "export_quarterly_report", "--quarter", QUARTER, "--format", fmt, "--out", str(out),
         "--no-progress"],
        check=True, env=os.environ.copy(), capture_output=True, text=True,
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    peak_mb = int(result.stdout.split()[-1]) / 1024  # Linux: KiB
    size_mb = out.stat().st_size / 1e6
    out.unlink()
    time_verdict = (
        f" (target < {target_s} s: {'OK' if elapsed < target_s else 'over target'})"
        if target_s
        else ""
    )
    print(f"{fmt.upper()} pack: {elapsed:.1f} s{time_verdict}, peak RSS "
          f"{peak_mb:.0f} MB (target < 300 MB: {'OK' if peak_mb < 300 else 'over target'}), "
          f"file {size_mb:.1f} MB")  # fmt: skip


def _short(name: str, result) -> str:
    if name == "incident_count":
        return str(result["count"])
    if name in ("mttr", "alert_mtta"):
        return f"mean {result['mean_seconds']}, n {result['count']}, median {result['median_seconds']}, p90 {result['p90_seconds']}"
    if name == "mtbf":
        return f"n {result['failures']}, D {result['downtime_seconds']}"
    if name == "flapping":
        return f"{len(result)} fingerprints"
    if name == "interruptions":
        return f"{result['interruptions']}, sleep {result['sleep']}"
    if name == "update_on_time_rate":
        return f"{result['on_time']} on time, {result['gaps']} gaps"
    return ", ".join(f"{k} {v}" for k, v in result.items() if not isinstance(v, list))[:80]


def _short_sql(row) -> str:
    return ", ".join(str(round(v, 3)) if isinstance(v, float) else str(v) for v in row)


if __name__ == "__main__":
    main()
