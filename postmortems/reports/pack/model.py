"""What a quarterly pack holds: its tables and columns, the headline and trend figures it
compares, and the cell rules every format shares."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from postmortems.reports.metrics import Period, Scope
from postmortems.reports.params import previous_quarter

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
    ``ratio`` (a share; ``availability`` for two decimals), ``hours`` (time on call), ``datetime`` (aware), ``trigger`` and
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
    "hours": "hours",
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
