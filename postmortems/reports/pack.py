"""The quarterly manager pack: the same figures as the dashboard, as tables, in four formats.

``build_pack`` computes the figures and describes each table (its rows are produced lazily, so
the incident list streams). ``write_pack`` writes one format to a binary file object:

- ``json``: one document;
- ``csv``: a zip with one CSV per table plus METRICS.md;
- ``xlsx``: openpyxl write-only workbook (rows streamed), a sheet per table plus the definitions;
- ``pdf``: ReportLab (fonts and HTML conversion from ``postmortems.exports.pdf_export``), with
  the charts embedded as PNG and METRICS.md as the appendix.

Cells that a spreadsheet would run as a formula (starting with = + - @ tab CR) are prefixed
with ``'`` in CSV and XLSX.
"""

from __future__ import annotations

import csv
import io
import json
import math
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from incidents.models import Incident, Service, Team
from incidents.selectors import incident_visible_queryset
from postmortems.exports import metrics_appendix
from postmortems.reports import humanize, metrics, people, story
from postmortems.reports.metrics import Period, Scope
from postmortems.reports.params import previous_quarter, quarter_period
from postmortems.reports.selectors import report_summary

FORMATS = {
    "pdf": ("application/pdf", "pdf"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "csv": ("application/zip", "zip"),
    "json": ("application/json", "json"),
}
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
INCIDENT_BATCH = 2000
FACTOR_LIMIT = 10
PDF_INCIDENTS = 200

Progress = Callable[[str], None]


def _noop(_: str) -> None:
    return None


@dataclass(frozen=True)
class Column:
    """A column's title and what its values are: ``text``, ``count``, ``duration`` (seconds),
    ``ratio`` (a share; ``availability`` for two decimals), ``datetime`` (aware), ``trigger`` and
    ``severity`` (codes), ``link`` (a URL). Machine formats write the value and name the unit in
    the header; people (PDF, XLSX display) get human units and labels."""

    title: str
    kind: str = "text"
    in_pdf: bool = True  # a printed page has room for fewer columns

    @property
    def machine_title(self) -> str:
        unit = MACHINE_UNITS.get(self.kind)
        return f"{self.title} ({unit})" if unit else self.title


MACHINE_UNITS = {
    "duration": "seconds",
    "ratio": "ratio",
    "availability": "ratio",
    "datetime": "UTC, ISO 8601",
    "trigger": "code",
}


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: Callable[[], Iterable[list]]  # called once per format; may stream from the database
    streamed: bool = False  # too long to hold: widths come from the column kinds
    # A PDF is read, not searched: a long list shows only the rows that matter, and says so.
    pdf_rows: Callable[[], Iterable[list]] | None = None
    pdf_note: str = ""

    @property
    def headers(self) -> list[str]:
        return [column.title for column in self.columns]


@dataclass
class Pack:
    quarter: str
    period: Period
    previous_period: Period
    scope: Scope
    summary: dict
    previous: dict
    tables: list[Table] = field(default_factory=list)
    generated_at: datetime = field(default_factory=timezone.now)
    time_zone: str = "UTC"
    story: list[str] = field(default_factory=list)
    trend: list[tuple[str, dict]] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"Incident response report {self.quarter}"

    @property
    def previous_label(self) -> str:
        return previous_quarter(self.quarter)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def scope_text(self) -> str:
        scope = self.scope
        parts = [
            scope.team and f"team {scope.team.name}",
            scope.service and f"service {scope.service.name}",
            scope.severity and f"severity {scope.severity}",
        ]
        return ", ".join(part for part in parts if part) or "all teams and services"

    def filename(self, fmt: str) -> str:
        return f"firebreak-report-{self.quarter.lower()}.{FORMATS[fmt][1]}"


def safe_cell(value):
    """A value a spreadsheet shows as text and never evaluates as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


# The headline figures: label, path in the summary, kind, which way is better.
HEADLINE = [
    ("Incidents", ("incidents", "count"), "count", "lower"),
    ("Time to recover, median", ("mttr", "median_seconds"), "duration", "lower"),
    ("Time to recover, 90th percentile", ("mttr", "p90_seconds"), "duration", "lower"),
    ("Time to recover, mean (MTTR)", ("mttr", "mean_seconds"), "duration", "lower"),
    ("Incidents without a recovery time", ("mttr", "missing"), "count", "lower"),
    ("Incidents with stamps out of order", ("mttr", "inconsistent"), "count", "lower"),
    ("Time to detect, mean", ("mttd", "mean_seconds"), "duration", "lower"),
    ("Time to acknowledge, mean", ("mtta", "mean_seconds"), "duration", "lower"),
    ("Mean time between failures", ("mtbf", "seconds"), "duration", "higher"),
    ("Downtime (overlaps merged)", ("mtbf", "downtime_seconds"), "duration", "lower"),
    ("Stakeholder updates on time", ("updates", "on_time_rate"), "ratio", "higher"),
    ("Alerts fired", ("alerts", "fired"), "count", "lower"),
    ("Pages (alerts paged)", ("alerts", "paged"), "count", "lower"),
    ("Time to acknowledge a page, mean", ("alerts", "mtta", "mean_seconds"), "duration", "lower"),
    ("Pages never acknowledged", ("alerts", "mtta", "unacknowledged"), "count", "lower"),
    ("Actionable alerts (of reviewed)", ("alerts", "actionable_rate"), "ratio", "higher"),
    ("Alerts not reviewed", ("alerts", "unreviewed"), "count", "lower"),
    ("Interruptions", ("alerts", "interruptions"), "count", "lower"),
    ("Interruptions during sleep hours", ("alerts", "sleep_interruptions"), "count", "lower"),
    ("Postmortems required", ("postmortems", "required"), "count", None),
    ("Postmortem coverage", ("postmortems", "coverage"), "ratio", "higher"),
    ("Postmortem lead time, median", ("postmortems", "lead_time", "median_seconds"), "duration",
     "lower"),
    ("Action items due", ("action_items", "due"), "count", None),
    ("Action items done on time", ("action_items", "on_time_rate"), "ratio", "higher"),
    ("Action items overdue (now)", ("action_items", "overdue"), "count", "lower"),
]  # fmt: skip

# The four-quarter trend: a few figures a director follows.
TREND = [
    ("Incidents", ("incidents", "count"), "count"),
    ("Time to recover, median", ("mttr", "median_seconds"), "duration"),
    ("Time to recover, 90th percentile", ("mttr", "p90_seconds"), "duration"),
    ("Downtime (overlaps merged)", ("mtbf", "downtime_seconds"), "duration"),
    ("Pages (alerts paged)", ("alerts", "paged"), "count"),
    ("Interruptions during sleep hours", ("alerts", "sleep_interruptions"), "count"),
    ("Postmortem coverage", ("postmortems", "coverage"), "ratio"),
]


def pick(data: dict, path: tuple):
    for key in path:
        data = data[key]
    return data


UNITS = {"count": "count", "duration": "seconds", "ratio": "ratio"}
KIND_OF_UNIT = {unit: kind for kind, unit in UNITS.items()}


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
               C("Interruptions during sleep", "count"), C("Hours on call", "count"),
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


# --- writers -------------------------------------------------------------------------------------


def _machine_value(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value


def _row_kinds(table: Table, row: list) -> list[str]:
    """Each cell's kind; a ``figure`` cell takes its kind from the row's Unit (second column)."""
    return [
        KIND_OF_UNIT.get(row[1], "text") if column.kind == "figure" else column.kind
        for column in table.columns
    ]


def write_json(pack: Pack, out) -> None:
    version, _ = metrics_appendix()
    document = {
        "title": pack.title,
        "quarter": pack.quarter,
        "definitions": version,
        "definitions_version": metrics.DEFINITIONS_VERSION,
        "time_zone": pack.time_zone,
        "story": pack.story,
        "summary": pack.summary,
        "previous_quarter": pack.previous,
        "tables": {
            t.key: [
                {c.machine_title: _machine_value(v) for c, v in zip(t.columns, row, strict=True)}
                for row in t.rows()
            ]
            for t in pack.tables
        },
    }
    out.write(json.dumps(document, indent=2, default=str).encode("utf-8"))


def write_csv_zip(pack: Pack, out, progress: Progress = _noop) -> None:
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for table in pack.tables:
            progress(table.title)
            with archive.open(f"{table.key}.csv", "w") as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
                writer = csv.writer(text)
                writer.writerow([column.machine_title for column in table.columns])
                for row in table.rows():
                    writer.writerow([safe_cell(_machine_value(cell)) for cell in row])
                text.flush()
                text.detach()
        archive.writestr("METRICS.md", metrics_appendix()[1])


def human(value, kind: str, zone: ZoneInfo | None = None) -> str:
    """A cell as people read it (PDF, web): human units, labels instead of codes."""
    if kind == "duration":
        return humanize.duration(value)
    if kind == "ratio":
        return humanize.percent(value)
    if kind == "availability":
        return humanize.percent(value, 2)
    if kind == "count":
        return humanize.count(value)
    if kind == "trigger":
        return humanize.trigger(value)
    if kind == "datetime":
        if value is None:
            return humanize.NONE
        return value.astimezone(zone or UTC).strftime("%Y-%m-%d %H:%M")
    return "" if value is None else str(value)


# XLSX: what a cell holds and how it shows. Durations are day fractions shown as [h]:mm.
XLSX_FORMATS = {
    "duration": "[h]:mm",
    "ratio": "0.0%",
    "availability": "0.00%",
    "count": "#,##0.##",
    "datetime": "yyyy-mm-dd hh:mm",
}
XLSX_WIDTHS = {"duration": 12, "ratio": 10, "availability": 12, "count": 10, "datetime": 17,
               "trigger": 30, "severity": 9, "link": 40, "text": 24}  # fmt: skip
XLSX_MAX_WIDTH = 60


def _xlsx_value(value, kind: str, zone: ZoneInfo):
    if value is None:
        return None
    if kind == "duration":
        return timedelta(seconds=value)
    if kind == "datetime":
        return value.astimezone(zone).replace(tzinfo=None)
    if kind == "trigger":
        return humanize.trigger(value)
    return safe_cell(value)


def _xlsx_width(value, kind: str) -> int:
    if value is None:
        return 4
    if kind in XLSX_FORMATS:
        return XLSX_WIDTHS[kind]
    return len(str(value)) + 2


def _measured_text(pack: Pack) -> str:
    end = datetime.fromisoformat(pack.summary["measured_to"]).astimezone(pack.zone)
    return f"{end:%Y-%m-%d %H:%M}" + (" (the period so far)" if end < pack.period.end else "")


def write_xlsx(pack: Pack, out, progress: Progress = _noop) -> None:
    """A sheet per table (header frozen and filtered, widths fitted, real durations, dates and
    percentages, labels not codes) and a README sheet; write-only, so rows stream."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    zone = pack.zone
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    readme = workbook.create_sheet("README")
    readme.column_dimensions["A"].width = 22
    readme.column_dimensions["B"].width = 100
    version, text = metrics_appendix()
    for label, value in [
        ("Report", pack.title),
        ("Period", f"{pack.period.start:%Y-%m-%d} to {pack.period.end:%Y-%m-%d} (end exclusive)"),
        ("Measured up to", _measured_text(pack)),
        ("Scope", pack.scope_text),
        ("Time zone of dates", pack.time_zone),
        ("Generated", pack.generated_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")),
        ("Definitions", f"{version} (below)"),
        ("Durations", "hours:minutes; percentages are shares of the whole"),
        *[("Summary", sentence) for sentence in pack.story],
    ]:
        cell = WriteOnlyCell(readme, label)
        cell.font = bold
        readme.append([cell, safe_cell(value)])
    readme.append([])
    for line in text.splitlines():
        readme.append([None, safe_cell(line)])
    for table in pack.tables:
        progress(table.title)
        shown = [i for i, c in enumerate(table.columns) if c.title not in ("Unit", "Verdict")]
        sheet = workbook.create_sheet(table.key[:31])
        rows = table.rows() if table.streamed else list(table.rows())
        widths = [len(table.columns[i].title) + 4 for i in shown]
        if table.streamed:
            widths = [max(w, XLSX_WIDTHS.get(table.columns[i].kind, 24)) for w, i in
                      zip(widths, shown, strict=True)]  # fmt: skip
            widths[table.headers.index("Title")] = 50
        else:
            for row in rows:
                kinds = _row_kinds(table, row)
                for position, i in enumerate(shown):
                    widths[position] = max(widths[position], _xlsx_width(row[i], kinds[i]))
        for position, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(position)].width = min(width, XLSX_MAX_WIDTH)
        sheet.freeze_panes = "A2"
        header = []
        for i in shown:
            cell = WriteOnlyCell(sheet, table.columns[i].title)
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            header.append(cell)
        sheet.append(header)
        count = 0
        for row in rows:
            kinds = _row_kinds(table, row)
            if table.key == "headline" and row[-1]:  # "worse: +3" reads, and is never a formula
                row = [*row[:-2], f"{row[-1]}: {row[-2]}", row[-1]]
            cells = []
            for i in shown:
                cell = WriteOnlyCell(sheet, _xlsx_value(row[i], kinds[i], zone))
                if kinds[i] in XLSX_FORMATS:
                    cell.number_format = XLSX_FORMATS[kinds[i]]
                cells.append(cell)
            sheet.append(cells)
            count += 1
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(shown))}{count + 1}"
    workbook.save(out)


def write_pdf(pack: Pack, out, progress: Progress = _noop) -> None:
    from postmortems.reports.pdf import write_pack_pdf

    write_pack_pdf(pack, out, progress)


WRITERS = {"pdf": write_pdf, "xlsx": write_xlsx, "csv": write_csv_zip}


def write_pack(pack: Pack, fmt: str, out, progress: Progress = _noop) -> None:
    """Write ``pack`` as ``fmt`` (pdf, xlsx, csv, json) to the binary file object ``out``."""
    if fmt == "json":
        write_json(pack, out)
    else:
        WRITERS[fmt](pack, out, progress)


def progress_steps(fmt: str) -> int:
    """How many times ``build_pack`` + ``write_pack`` call ``progress`` for this format."""
    build = 4
    if fmt == "pdf":
        from postmortems.reports.pdf import PDF_STEPS

        return build + PDF_STEPS
    if fmt in ("xlsx", "csv"):
        return build + 13
    return build
