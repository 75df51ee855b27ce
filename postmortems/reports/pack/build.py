"""``build_pack``: the figures of a quarter, the quarter before and the four-quarter trend, and
the pack's tables (rows produced lazily, so the incident list streams)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import datetime

from django.conf import settings
from django.db.models import Count, F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from incidents.models import Incident, Service, Team
from incidents.selectors import incident_visible_queryset
from postmortems.reports import humanize, metrics, people, story
from postmortems.reports.metrics import Period, Scope
from postmortems.reports.pack.model import (
    FACTOR_LIMIT,
    HEADLINE,
    INCIDENT_BATCH,
    PDF_INCIDENTS,
    TREND,
    UNITS,
    Column,
    Pack,
    Progress,
    Table,
    _noop,
    pick,
)
from postmortems.reports.params import previous_quarter, quarter_period
from postmortems.reports.selectors import report_summary


def _headline_rows(now: dict, before: dict) -> list[list]:
    rows = []
    for label, path, kind, better in HEADLINE:
        current, previous = pick(now, path), pick(before, path)
        text, verdict = humanize.change(current, previous, better=better,
                                        kind="percent" if kind == "ratio" else kind)  # fmt: skip
        rows.append([label, UNITS[kind], current, previous, text, verdict])
    return rows


def trend_summary(period: Period, scope: Scope, *, now: datetime) -> dict:
    """Only the figures of ``TREND``, shaped like ``metrics.summary`` (older quarters)."""
    downtime, failures, _gap = metrics.incidents._downtime_and_failures(period, scope, now)
    per_person = metrics.interruptions_per_person(period, scope)
    return {
        "incidents": metrics.incident_count(period, scope),
        "mttr": metrics.mttr(period, scope),
        "mtbf": {"downtime_seconds": downtime, "failures": failures},
        "alerts": {
            "paged": metrics.alert_counts(period, scope)["paged"],
            "sleep_interruptions": sum(row["sleep"] for row in per_person),
        },
        "postmortems": metrics.postmortem_coverage(period, scope),
    }


def _stats(values: list[float]) -> tuple[float | None, float | None]:
    """Median and nearest-rank p90, as ``duration_stats`` computes them."""
    if not values:
        return None, None
    values = sorted(values)
    n = len(values)
    median = (values[(n - 1) // 2] + values[n // 2]) / 2
    return median, values[math.ceil(0.9 * n) - 1]


def _recovery_by(period: Period, scope: Scope) -> tuple[dict, dict]:
    """TTR of every counted incident per service id and per team id, from one query (a team
    counts an incident on two of its services once). Out-of-order stamps are left out."""
    links = Incident.services.through.objects.filter(
        incident__in=metrics.incidents_in(period, scope)
    ).annotate(ttr=metrics.SecondsBetween("incident__mitigated_at", "incident__started_at"))
    by_service: dict[int, dict[int, float | None]] = {}
    by_team: dict[int, dict[int, float | None]] = {}
    rows = links.values_list("incident_id", "service_id", "service__team_id", "ttr")
    for incident_id, service_id, team_id, ttr in rows.iterator(chunk_size=INCIDENT_BATCH):
        value = ttr if ttr is None or ttr >= 0 else None
        by_service.setdefault(service_id, {})[incident_id] = value
        if team_id is not None:
            by_team.setdefault(team_id, {})[incident_id] = value
    return by_service, by_team


def _measured(ttrs: dict) -> list[float]:
    return [value for value in ttrs.values() if value is not None]


def _service_rows(period: Period, summary: dict, recovery: dict, ids: dict) -> list[list]:
    rows = []
    for row in summary["availability"]:
        median, p90 = _stats(_measured(recovery.get(ids[row["service"]], {})))
        rows.append(
            [
                row["name"],
                row["team"],
                row["incidents"],
                median,
                p90,
                row["downtime_seconds"],
                row["availability"],
                row["slo_target"],
                row["error_budget_used"],
            ]
        )
    return rows


def _team_rows(period: Period, scope: Scope, summary: dict, recovery: dict, now: datetime
               ) -> list[list]:  # fmt: skip
    teams = [scope.team] if scope.team else list(Team.objects.order_by("name"))
    if scope.service is not None:
        teams = [scope.service.team] if scope.service.team else []
    downtime = metrics.downtime_by_team(period, scope, now=now)
    # Team totals add up everyone's interruptions: the summary has them when it is unscoped.
    everyone = summary["alerts"]["per_person"] if scope == Scope() else None
    pages_by_team = _interruptions_by_team(period, [team.pk for team in teams], everyone)
    over_budget: dict[str, int] = {}
    for row in summary["availability"]:
        if (row["error_budget_used"] or 0) > 1:
            over_budget[row["team"]] = over_budget.get(row["team"], 0) + 1
    rows = []
    for team in teams:
        ttrs = recovery.get(team.pk, {})
        median, p90 = _stats(_measured(ttrs))
        pages = pages_by_team.get(team.pk, {"interruptions": 0, "sleep": 0})
        rows.append(
            [
                team.name,
                len(ttrs),
                median,
                p90,
                downtime.get(team.pk, 0.0),
                over_budget.get(team.name, 0),
                pages["interruptions"],
                pages["sleep"],
            ]
        )
    return rows


def _interruptions_by_team(period: Period, team_ids: list[int],
                           everyone: list[dict] | None = None) -> dict[int, dict]:  # fmt: skip
    """Interruptions of each team's members (a person in two teams counts in both): the
    per-person figures once (``everyone``: the unscoped ``interruptions_per_person`` when the
    caller has them), added up by membership."""
    if everyone is None:
        everyone = metrics.interruptions_per_person(period, Scope())
    per_person = {row["person"]: row for row in everyone}
    memberships = Team.members.through.objects.filter(team_id__in=team_ids).values_list(
        "team_id", "user__username"
    )
    totals: dict[int, dict] = {}
    for team_id, username in memberships:
        row = per_person.get(username)
        if row is None:
            continue
        total = totals.setdefault(team_id, {"interruptions": 0, "sleep": 0})
        total["interruptions"] += row["interruptions"]
        total["sleep"] += row["sleep"]
    return totals


def _incident_rows(user, period: Period, scope: Scope, *, longest: int | None = None
                   ) -> Iterator[list]:  # fmt: skip
    """Every counted incident (or the ``longest`` ones by impact, in start order); a private
    one's title only for people who may see it."""
    incidents = metrics.incidents_in(period, scope)
    if longest is not None:
        impact = metrics.SecondsBetween(
            Coalesce("mitigated_at", "resolved_at", Value(timezone.now())), "started_at"
        )
        chosen = incidents.annotate(_impact=impact).order_by(
            F("_impact").desc(nulls_last=True), "pk"
        )
        incidents = Incident.objects.filter(
            pk__in=list(chosen.values_list("pk", flat=True)[:longest])
        )
    visible = incident_visible_queryset(user) if user is not None else Incident.objects.none()
    visible_ids = set(visible.filter(pk__in=incidents.values("pk")).values_list("pk", flat=True))
    links = Incident.services.through.objects.filter(incident__in=incidents)
    services: dict[int, list[str]] = {}
    for incident_id, name in links.values_list("incident_id", "service__name").iterator():
        services.setdefault(incident_id, []).append(name)
    rows = (
        incidents.annotate(ttr=metrics.SecondsBetween("mitigated_at", "started_at"))
        .order_by("started_at", "number")
        .values_list("pk", "number", "title", "private", "severity", "trigger_category",
                     "started_at", "mitigated_at", "resolved_at", "ttr")
    )  # fmt: skip
    base = settings.FIREBREAK_BASE_URL
    for (
        pk,
        number,
        title,
        private,
        severity,
        trigger,
        started,
        mitigated,
        resolved,
        ttr,
    ) in rows.iterator(chunk_size=INCIDENT_BATCH):
        if private and pk not in visible_ids:
            # Counted, not named: no number, title or link reaches someone who may not see it.
            yield ["", "A private incident", severity, "", trigger, started, mitigated,
                   resolved, None if ttr is None or ttr < 0 else round(ttr, 3), ""]  # fmt: skip
            continue
        yield [
            f"INC-{number}",
            title,
            severity,
            ", ".join(sorted(services.get(pk, []))),
            trigger,
            started,
            mitigated,
            resolved,
            None if ttr is None or ttr < 0 else round(ttr, 3),
            f"{base}/incidents/{number}/",
        ]


def _factor_rows(period: Period, scope: Scope) -> list[list]:
    links = Incident.contributing_factors.through.objects.filter(
        incident__in=metrics.incidents_in(period, scope)
    )
    counted = (
        links.order_by()
        .values_list("contributingfactor__name")
        .annotate(n=Count("incident_id", distinct=True))
        .order_by("-n", "contributingfactor__name")[:FACTOR_LIMIT]
    )
    return [list(row) for row in counted]


def build_pack(user, quarter: str, scope: Scope | None = None, progress: Progress = _noop,
               *, now: datetime | None = None) -> Pack:  # fmt: skip
    """The figures for ``quarter`` (``2026Q3``), the quarter before and the four-quarter trend.
    ``user`` decides which private incident titles are listed (None: none) and the report's time
    zone. ``ValueError`` when the quarter is bad."""
    scope = scope or Scope()
    now = now or timezone.now()
    period = quarter_period(quarter)
    previous_label = previous_quarter(quarter.upper())
    previous_period = Period(quarter_period(previous_label).start, period.start)
    progress("summary")
    # What this person may read: a private incident's numbers and items only for its members.
    summary = report_summary(user, period, scope, now=now)
    progress("previous quarter")
    # Compared against, not listed: without its listings (see ``metrics.summary``).
    previous = report_summary(user, previous_period, scope, now=now, comparison=True)
    zone = getattr(user, "timezone", "") or "UTC"
    pack = Pack(quarter.upper(), period, previous_period, scope, summary, previous, time_zone=zone)
    pack.story = story.sentences(summary, previous, previous_label)
    progress("trend")
    older = [previous_quarter(previous_label)]
    older.insert(0, previous_quarter(older[0]))
    pack.trend = [
        *[(label, trend_summary(quarter_period(label), scope, now=now)) for label in older],
        (previous_label, previous),
        (pack.quarter, summary),
    ]
    progress("tables")
    triggers = list(
        metrics.incidents_in(period, scope)
        .order_by()
        .values_list("trigger_category")
        .annotate(n=Count("pk"))
        .order_by("-n", "trigger_category")
    )
    service_ids = dict(Service.objects.values_list("slug", "pk"))
    recovery_by_service, recovery_by_team = _recovery_by(period, scope)
    services = _service_rows(period, summary, recovery_by_service, service_ids)
    teams = _team_rows(period, scope, summary, recovery_by_team, now)
    factors = _factor_rows(period, scope)
    lead = summary["postmortems"]["lead_time"]
    items = summary["action_items"]
    # The summary's interruptions per person serve people health, the teams and the chart.
    health = people.people_health(period, scope, per_person=summary["alerts"]["per_person"])
    C = Column
    pack.tables = [
        Table("headline", "Headline figures",
              [C("Figure"), C("Unit"), C(pack.quarter, "figure"), C(previous_label, "figure"),
               C("Change"), C("Verdict")],
              lambda: _headline_rows(summary, previous)),
        Table("trend", "Last four quarters",
              [C("Figure"), C("Unit")] + [C(label, "figure") for label, _ in pack.trend],
              lambda: [[label, UNITS[kind]] + [pick(data, path) for _, data in pack.trend]
                       for label, path, kind in TREND]),
        Table("services", "Per service",
              [C("Service"), C("Team", in_pdf=False), C("Incidents", "count"),
               C("Median recovery", "duration"), C("p90 recovery", "duration"),
               C("Downtime", "duration"), C("Available", "availability"),
               C("SLO", "availability"), C("Budget used", "ratio")],
              lambda: services),
        Table("teams", "Per team",
              [C("Team"), C("Incidents", "count"), C("Median recovery", "duration"),
               C("p90 recovery", "duration"), C("Downtime (merged)", "duration"),
               C("Services over budget", "count"), C("Interruptions", "count"),
               C("At night", "count")],
              lambda: teams),
        Table("people_health", "People health",
              [C("Person"), C("Pages", "count"), C("Interruptions", "count"),
               C("Interruptions during sleep", "count"), C("On call", "hours"),
               C("Shifts", "count"), C("Shifts over 2 incidents per 12 h", "count")],
              lambda: [[r["person"], r["pages"], r["interruptions"], r["sleep_interruptions"],
                        r["hours_on_call"], r["shifts"], r["shifts_over_budget"]]
                       for r in health]),
        Table("interruptions", "Interruptions per person (recipient's local time)",
              [C("Person"), C("Interruptions", "count"), C("Business hours", "count"),
               C("Off-hours", "count"), C("Sleep hours", "count")],
              lambda: [[r["person"], r["interruptions"], r["business"], r["off_hours"],
                        r["sleep"]] for r in summary["alerts"]["per_person"]]),
        Table("noisiest_alerts", "Noisiest alerts",
              [C("Alert"), C("Instances", "count"), C("Reviewed", "count"),
               C("Actionable", "count"), C("Actionable rate", "ratio")],
              lambda: [[r["name"], r["instances"], r["reviewed"], r["actionable"],
                        r["actionable_rate"]] for r in summary["alerts"]["noisiest"]]),
        Table("contributing_factors", "Top contributing factors",
              [C("Contributing factor"), C("Incidents", "count")], lambda: factors),
        Table("trigger_categories", "What triggered the incidents",
              [C("Trigger", "trigger"), C("Incidents", "count")],
              lambda: [list(row) for row in triggers]),
        Table("postmortems", "Postmortems",
              [C("Required", "count"), C("Published (required)", "count"),
               C("Coverage", "ratio"), C("Lead time, median", "duration"),
               C("Lead time, p90", "duration"), C("Lead times measured", "count")],
              lambda: [[summary["postmortems"]["required"], summary["postmortems"]["published"],
                        summary["postmortems"]["coverage"], lead["median_seconds"],
                        lead["p90_seconds"], lead["count"]]]),
        Table("action_items", "Action items",
              [C("Due in quarter", "count"), C("Done on time", "count"),
               C("On-time rate", "ratio"), C("Open", "count"), C("Overdue", "count"),
               C("Open, median age", "duration")],
              lambda: [[items["due"], items["done_on_time"], items["on_time_rate"],
                        items["open"], items["overdue"], items["open_median_age_seconds"]]]),
        Table("repeated_action_items", "Repeated action items",
              [C("Action"), C("Postmortems", "count")],
              lambda: [[r["title"], r["postmortems"]] for r in items["repeated"]]),
        Table("incidents", "Incidents",
              [C("Incident"), C("Title"), C("Severity", "severity"), C("Services"),
               C("Trigger", "trigger"), C("Started", "datetime"), C("Mitigated", "datetime"),
               C("Resolved", "datetime", in_pdf=False), C("Time to recover", "duration"), C("Link", "link")],
              lambda: _incident_rows(user, period, scope), streamed=True,
              pdf_rows=(lambda: _incident_rows(user, period, scope, longest=PDF_INCIDENTS))
              if summary["incidents"]["count"] > PDF_INCIDENTS else None,
              pdf_note=f"The {PDF_INCIDENTS} incidents with the longest impact of "
                       f"{summary['incidents']['count']:,}, in the order they started; every "
                       "incident is in the XLSX and CSV packs."),
    ]  # fmt: skip
    return pack
