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
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db.models import Count
from django.utils import timezone

from incidents.models import Incident, Team
from incidents.selectors import incident_visible_queryset
from postmortems.exports import metrics_appendix
from postmortems.reports import charts, metrics, people
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

Progress = Callable[[str], None]


def _noop(_: str) -> None:
    return None


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: Callable[[], Iterable[list]]  # called once per format; may stream from the database


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

    @property
    def title(self) -> str:
        return f"Incident response report {self.quarter}"

    def filename(self, fmt: str) -> str:
        return f"firebreak-report-{self.quarter.lower()}.{FORMATS[fmt][1]}"


def safe_cell(value):
    """A value a spreadsheet shows as text and never evaluates as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _seconds(value) -> float | str:
    return "" if value is None else value


def _headline_rows(now: dict, before: dict) -> list[list]:
    figures = [
        ("Incidents", ("incidents", "count")),
        ("MTTR mean (s)", ("mttr", "mean_seconds")),
        ("MTTR median (s)", ("mttr", "median_seconds")),
        ("MTTR p90 (s)", ("mttr", "p90_seconds")),
        ("Incidents missing mitigated_at", ("mttr", "missing")),
        ("MTTD mean (s)", ("mttd", "mean_seconds")),
        ("MTTA mean (s)", ("mtta", "mean_seconds")),
        ("MTBF (s; empty = no failures)", ("mtbf", "seconds")),
        ("Downtime, merged (s)", ("mtbf", "downtime_seconds")),
        ("Update on-time rate", ("updates", "on_time_rate")),
        ("Alerts fired", ("alerts", "fired")),
        ("Alerts paged", ("alerts", "paged")),
        ("Alert MTTA mean (s)", ("alerts", "mtta", "mean_seconds")),
        ("Unacknowledged pages", ("alerts", "mtta", "unacknowledged")),
        ("Actionable rate (reviewed)", ("alerts", "actionable_rate")),
        ("Unreviewed alerts", ("alerts", "unreviewed")),
        ("Interruptions", ("alerts", "interruptions")),
        ("Sleep-hour interruptions", ("alerts", "sleep_interruptions")),
        ("Postmortems required", ("postmortems", "required")),
        ("Required postmortems published", ("postmortems", "published")),
        ("Postmortem coverage", ("postmortems", "coverage")),
        ("Postmortem lead time median (s)", ("postmortems", "lead_time", "median_seconds")),
        ("Action items due", ("action_items", "due")),
        ("Action items on-time rate", ("action_items", "on_time_rate")),
        ("Action items overdue (now)", ("action_items", "overdue")),
    ]

    def pick(data, path):
        for key in path:
            data = data[key]
        return data

    return [[label, _seconds(pick(now, p)), _seconds(pick(before, p))] for label, p in figures]


def _service_rows(period: Period, scope: Scope, summary: dict) -> list[list]:
    rows = []
    for row in summary["availability"]:
        service_scope = Scope(service=_service(row["service"]), severity=scope.severity)
        rows.append(
            [
                row["name"],
                row["incidents"],
                _seconds(metrics.mttr(period, service_scope)["mean_seconds"]),
                _seconds(metrics.mtbf(period, service_scope)["seconds"]),
                row["downtime_seconds"],
                row["availability"],
                row["slo_target"],
                _seconds(row["error_budget_used"]),
            ]
        )
    return rows


def _service(slug: str):
    from incidents.models import Service

    return Service.objects.select_related("team").get(slug=slug)


def _team_alert_rows(period: Period, scope: Scope) -> list[list]:
    teams = [scope.team] if scope.team else list(Team.objects.order_by("name"))
    if scope.service is not None:
        teams = [scope.service.team] if scope.service.team else []
    rows = []
    for team in teams:
        team_scope = Scope(team=team)
        counts = metrics.alert_counts(period, team_scope)
        hours = metrics.interruptions(period, team_scope)
        rows.append(
            [
                team.name,
                counts["fired"],
                counts["paged"],
                _seconds(counts["actionable_rate"]),
                counts["unreviewed"],
                hours["interruptions"],
                hours["sleep"],
            ]
        )
    return rows


def _incident_rows(user, period: Period, scope: Scope) -> Iterator[list]:
    """Every counted incident; a private one's title only for people who may see it."""
    incidents = metrics.incidents_in(period, scope)
    visible = incident_visible_queryset(user) if user is not None else Incident.objects.none()
    visible_ids = set(visible.filter(pk__in=incidents.values("pk")).values_list("pk", flat=True))
    links = Incident.services.through.objects.filter(incident__in=incidents)
    services: dict[int, list[str]] = {}
    for incident_id, slug in links.values_list("incident_id", "service__slug").iterator():
        services.setdefault(incident_id, []).append(slug)
    rows = (
        incidents.annotate(ttr=metrics.SecondsBetween("mitigated_at", "started_at"))
        .order_by("started_at", "number")
        .values_list(
            "pk",
            "number",
            "title",
            "private",
            "severity",
            "trigger_category",
            "started_at",
            "mitigated_at",
            "resolved_at",
            "ttr",
        )  # fmt: skip
    )
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
        shown = title if (not private or pk in visible_ids) else "Private incident"
        yield [
            f"INC-{number}",
            shown,
            severity,
            ", ".join(sorted(services.get(pk, []))),
            trigger,
            _utc(started),
            _utc(mitigated) if mitigated else "missing",
            _utc(resolved) if resolved else "missing",
            _seconds(None if ttr is None else round(ttr, 3)),
        ]


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def build_pack(user, quarter: str, scope: Scope | None = None, progress: Progress = _noop) -> Pack:
    """The figures for ``quarter`` (``2026Q3``) and the quarter before. ``user`` decides which
    private incident titles are listed (None: none). ``ValueError`` when the quarter is bad."""
    scope = scope or Scope()
    period = quarter_period(quarter)
    previous_period = Period(quarter_period(previous_quarter(quarter)).start, period.start)
    progress("summary")
    # What this person may read: a private incident's numbers and items only for its members.
    summary = report_summary(user, period, scope)
    progress("previous quarter")
    previous = report_summary(user, previous_period, scope)
    pack = Pack(quarter.upper(), period, previous_period, scope, summary, previous)
    progress("tables")
    triggers = list(
        metrics.incidents_in(period, scope)
        .order_by()
        .values_list("trigger_category")
        .annotate(n=Count("pk"))
        .order_by("-n", "trigger_category")
    )
    services = _service_rows(period, scope, summary)
    team_alerts = _team_alert_rows(period, scope)
    lead = summary["postmortems"]["lead_time"]
    items = summary["action_items"]
    pack.tables = [
        Table(
            "headline",
            "Headline figures",
            ["Figure", pack.quarter, "Previous quarter"],
            lambda: _headline_rows(summary, previous),
        ),  # fmt: skip
        Table(
            "services",
            "Per service",
            [
                "Service",
                "Incidents",
                "MTTR mean (s)",
                "MTBF (s)",
                "Downtime (s)",
                "Availability",
                "SLO",
                "Error budget used",
            ],
            lambda: services,
        ),  # fmt: skip
        Table(
            "alert_fatigue_teams",
            "Alert fatigue per team",
            [
                "Team",
                "Fired",
                "Paged",
                "Actionable rate",
                "Unreviewed",
                "Interruptions",
                "Sleep interruptions",
            ],
            lambda: team_alerts,
        ),  # fmt: skip
        Table(
            "alert_fatigue_people",
            "Interruptions per person (recipient's local time)",
            ["Person", "Interruptions", "Business", "Off-hours", "Sleep"],
            lambda: [
                [r["person"], r["interruptions"], r["business"], r["off_hours"], r["sleep"]]
                for r in summary["alerts"]["per_person"]
            ],
        ),  # fmt: skip
        Table(
            "people_health",
            "People health",
            [
                "Person",
                "Pages",
                "Interruptions",
                "Sleep interruptions",
                "Hours on call",
                "Shifts",
                "Shifts over budget",
            ],
            lambda: [
                [
                    r["person"],
                    r["pages"],
                    r["interruptions"],
                    r["sleep_interruptions"],
                    r["hours_on_call"],
                    r["shifts"],
                    r["shifts_over_budget"],
                ]
                for r in people.people_health(period, scope)
            ],
        ),  # fmt: skip
        Table(
            "noisiest_alerts",
            "Noisiest alerts",
            ["Alert", "Instances", "Reviewed", "Actionable", "Actionable rate"],
            lambda: [
                [
                    r["name"],
                    r["instances"],
                    r["reviewed"],
                    r["actionable"],
                    _seconds(r["actionable_rate"]),
                ]
                for r in summary["alerts"]["noisiest"]
            ],
        ),  # fmt: skip
        Table(
            "postmortems",
            "Postmortems",
            [
                "Required",
                "Published (required)",
                "Coverage",
                "Lead time median (s)",
                "Lead time p90 (s)",
                "Lead time count",
            ],
            lambda: [
                [
                    summary["postmortems"]["required"],
                    summary["postmortems"]["published"],
                    _seconds(summary["postmortems"]["coverage"]),
                    _seconds(lead["median_seconds"]),
                    _seconds(lead["p90_seconds"]),
                    lead["count"],
                ]
            ],
        ),  # fmt: skip
        Table(
            "action_items",
            "Action items",
            [
                "Due in quarter",
                "Done on time",
                "On-time rate",
                "Open",
                "Overdue",
                "Open median age (s)",
            ],
            lambda: [
                [
                    items["due"],
                    items["done_on_time"],
                    _seconds(items["on_time_rate"]),
                    items["open"],
                    items["overdue"],
                    _seconds(items["open_median_age_seconds"]),
                ]
            ],
        ),  # fmt: skip
        Table(
            "repeated_action_items",
            "Repeated action items",
            ["Action", "Postmortems"],
            lambda: [[r["title"], r["postmortems"]] for r in items["repeated"]],
        ),  # fmt: skip
        Table(
            "trigger_categories",
            "Recurring trigger categories",
            ["Trigger", "Incidents"],
            lambda: [list(row) for row in triggers],
        ),  # fmt: skip
        Table(
            "incidents",
            "Incidents",
            [
                "Incident",
                "Title",
                "Severity",
                "Services",
                "Trigger",
                "Started (UTC)",
                "Mitigated (UTC)",
                "Resolved (UTC)",
                "TTR (s)",
            ],
            lambda: _incident_rows(user, period, scope),
        ),  # fmt: skip
    ]
    return pack


# --- writers -------------------------------------------------------------------------------------


def write_json(pack: Pack, out) -> None:
    version, _ = metrics_appendix()
    document = {
        "title": pack.title,
        "quarter": pack.quarter,
        "definitions": version,
        "definitions_version": metrics.DEFINITIONS_VERSION,
        "summary": pack.summary,
        "previous_quarter": pack.previous,
        "tables": {
            t.key: [dict(zip(t.headers, row, strict=True)) for row in t.rows()] for t in pack.tables
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
                writer.writerow(table.headers)
                for row in table.rows():
                    writer.writerow([safe_cell(cell) for cell in row])
                text.flush()
                text.detach()
        archive.writestr("METRICS.md", metrics_appendix()[1])


def write_xlsx(pack: Pack, out, progress: Progress = _noop) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for table in pack.tables:
        progress(table.title)
        sheet = workbook.create_sheet(table.key[:31])
        sheet.append(table.headers)
        for row in table.rows():
            sheet.append([safe_cell(cell) for cell in row])
    definitions = workbook.create_sheet("definitions")
    version, text = metrics_appendix()
    definitions.append([version])
    for line in text.splitlines():
        definitions.append([safe_cell(line)])
    workbook.save(out)


def write_pdf(pack: Pack, out, progress: Progress = _noop) -> None:
    from html import escape

    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        Image,
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        TableStyle,
    )
    from reportlab.platypus import (
        Table as PdfTable,
    )

    from postmortems.exports.pdf_export import (
        MARGIN,
        PAGE_SIZE,
        TEXT_WIDTH,
        Converter,
        _register_fonts,
        _styles,
        column_widths,
        parse,
    )
    from postmortems.rendering import render_markdown

    styles = _styles()
    font = _register_fonts()
    scope = pack.scope
    scope_text = ", ".join(
        part
        for part in (
            scope.team and f"team {scope.team.name}",
            scope.service and f"service {scope.service.name}",
            scope.severity and f"severity {scope.severity}",
        )
        if part
    )
    story: list = [
        Spacer(1, 40 * mm),
        Paragraph(escape(pack.title), styles["title"]),
        Paragraph(
            escape(
                f"{pack.period.start:%Y-%m-%d} – {pack.period.end:%Y-%m-%d} (UTC, end exclusive)"
                f" · {scope_text or 'all teams and services'}"
            ),
            styles["body"],
        ),
        Paragraph(
            escape(
                f"Generated {pack.generated_at:%Y-%m-%d %H:%M} UTC. Definitions: "
                f"{metrics_appendix()[0]} (appendix)."
            ),  # fmt: skip
            styles["body"],
        ),
        PageBreak(),
    ]

    def table_flowables(table: Table, limit: int | None = None) -> list:
        rows = [[str(cell) for cell in table.headers]]
        for index, row in enumerate(table.rows()):
            if limit is not None and index >= limit:
                break
            rows.append([str(cell) for cell in row])
        if len(rows) == 1:
            return [Paragraph(escape(table.title), styles["h2"]),
                    Paragraph("<i>None in this period.</i>", styles["body"])]  # fmt: skip
        cells = [
            [Paragraph(escape(c), styles["head_cell" if i == 0 else "cell"]) for c in row]
            for i, row in enumerate(rows)
        ]
        pdf_table = PdfTable(cells, colWidths=column_widths(rows, len(rows[0])), repeatRows=1)
        pdf_table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#c9ced8")),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef0f4")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        return [Paragraph(escape(table.title), styles["h2"]), pdf_table, Spacer(1, 6)]

    by_key = {table.key: table for table in pack.tables}
    progress("headline")
    story += table_flowables(by_key["headline"])
    story.append(PageBreak())
    story.append(Paragraph("Charts", styles["h2"]))
    for slug, (_title, draw) in charts.CHARTS.items():
        progress(f"chart {slug}")
        png = draw(pack.period, pack.scope)
        width = TEXT_WIDTH
        story.append(Image(io.BytesIO(png), width=width, height=width * 320 / 750))
        story.append(Spacer(1, 4))
    story.append(PageBreak())
    for key in ("services", "alert_fatigue_teams", "alert_fatigue_people", "people_health",
                "noisiest_alerts",
                "postmortems", "action_items", "repeated_action_items",
                "trigger_categories", "incidents"):  # fmt: skip
        progress(by_key[key].title)
        story += table_flowables(by_key[key])
    story.append(PageBreak())
    version, appendix = metrics_appendix()
    story.append(Paragraph(escape(f"Appendix: metric definitions ({version})"), styles["h2"]))
    story.extend(Converter().blocks(parse(str(render_markdown(appendix)))))

    def decorate(canvas, document):
        canvas.saveState()
        canvas.setFont(font, 7.5)
        canvas.setFillColor(colors.HexColor("#6b7386"))
        canvas.drawString(MARGIN, 10 * mm, f"{pack.title} · {version}")
        canvas.drawRightString(PAGE_SIZE[0] - MARGIN, 10 * mm, f"Page {document.page}")
        canvas.restoreState()

    progress("layout")
    SimpleDocTemplate(
        out, pagesize=PAGE_SIZE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN, title=pack.title, author="Firebreak",
    ).build(story, onFirstPage=decorate, onLaterPages=decorate)  # fmt: skip


WRITERS = {"pdf": write_pdf, "xlsx": write_xlsx, "csv": write_csv_zip}


def write_pack(pack: Pack, fmt: str, out, progress: Progress = _noop) -> None:
    """Write ``pack`` as ``fmt`` (pdf, xlsx, csv, json) to the binary file object ``out``."""
    if fmt == "json":
        write_json(pack, out)
    else:
        WRITERS[fmt](pack, out, progress)


def progress_steps(fmt: str) -> int:
    """How many times ``build_pack`` + ``write_pack`` call ``progress`` for this format."""
    build = 3
    if fmt == "pdf":
        return build + 1 + len(charts.CHARTS) + 10 + 1
    if fmt in ("xlsx", "csv"):
        return build + 11
    return build
