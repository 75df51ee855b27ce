"""Writing a built pack: JSON, a CSV zip, an XLSX workbook (streamed) or a PDF."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from postmortems.exports import metrics_appendix
from postmortems.reports import humanize, metrics
from postmortems.reports.pack.model import (
    KIND_OF_UNIT,
    Pack,
    Progress,
    Table,
    _noop,
    safe_cell,
)


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
    if kind == "hours":
        return humanize.hours(value)
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
    "count": "#,##0",  # a whole number; a fraction shows with up to two decimals (below)
    "hours": '#,##0" h"',  # the cell holds the exact hours
    "datetime": "yyyy-mm-dd hh:mm",
}
XLSX_WIDTHS = {"duration": 12, "hours": 11, "ratio": 10, "availability": 12, "count": 10, "datetime": 17,
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


def _xlsx_format(value, kind: str) -> str:
    """The column's number format; "#,##0.##" would print a whole count as "13." in Excel."""
    if kind == "count" and isinstance(value, float) and not value.is_integer():
        return "#,##0.0#"
    return XLSX_FORMATS[kind]


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
                    cell.number_format = _xlsx_format(row[i], kinds[i])
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
