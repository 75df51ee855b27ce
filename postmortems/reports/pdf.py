"""The quarterly pack as PDF (ReportLab, fonts and HTML conversion from
``postmortems.exports.pdf_export``). Page 1 is the story: five sentences from the figures and
the headline table with the change against the previous quarter, an arrow saying better or
worse. Then the four-quarter trend, charts, per team and per service, people health, what
triggered the incidents, action items, the incidents with links, and the definitions."""

from __future__ import annotations

import io
import re
from html import escape

from reportlab.graphics.shapes import Drawing, Polygon, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (
    CondPageBreak,
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as PdfTable

from postmortems.exports import metrics_appendix
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
from postmortems.reports import charts
from postmortems.reports.pack import KIND_OF_UNIT, Pack, Table, human

# Okabe–Ito: readable with every common colour-vision deficiency.
BETTER = colors.HexColor("#0072B2")
WORSE = colors.HexColor("#D55E00")
GRID = colors.HexColor("#c9ced8")
HEAD = colors.HexColor("#eef0f4")
TABLE_KEYS = ("teams", "services", "people_health", "interruptions", "noisiest_alerts",
              "contributing_factors", "trigger_categories", "postmortems", "action_items",
              "repeated_action_items", "incidents")  # fmt: skip
CHUNK = 40
PDF_STEPS = 2 + len(charts.CHARTS) + len(TABLE_KEYS) + 1


NUMBER_UNIT = re.compile(r"(\d) (?=[%a-zA-Z])")


def _keep(text: str) -> str:
    """A number and its unit on one line: ``99.95 %`` and ``36 min`` never wrap apart."""
    return NUMBER_UNIT.sub("\\1\u00a0", text)


def _widths(header: list[str], rows: list[list[str]]) -> list[float]:
    """``column_widths`` for these cells, where a number with its unit is one word and a header
    word is measured a little wider (it is bold)."""
    measured = [[f"{word}i" for word in cell.split()] for cell in header]
    sample = [[" ".join(words) for words in measured]] + [
        [_keep(cell).replace("\u00a0", "0") for cell in row] for row in rows
    ]
    widths = column_widths(sample, len(header))
    total = sum(widths)
    return widths if total <= TEXT_WIDTH else [w * TEXT_WIDTH / total for w in widths]


def _verdict(verdict: str) -> Drawing | str:
    """A triangle pointing up (better) or down (worse), in colour and in words."""
    if verdict not in ("better", "worse"):
        return Paragraph("same" if verdict == "same" else "", _styles()["cell"])
    drawing = Drawing(50, 10)
    colour = BETTER if verdict == "better" else WORSE
    points = [0, 1, 8, 1, 4, 8] if verdict == "better" else [0, 8, 8, 8, 4, 1]
    drawing.add(Polygon(points, fillColor=colour, strokeColor=colour))
    drawing.add(String(11, 1.5, verdict, fontName="Vera-Bold", fontSize=8, fillColor=colour))
    return drawing


def _grid(cells: list[list], widths: list[float], *, header: bool = True) -> PdfTable:
    table = PdfTable(cells, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.25, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), HEAD))
    table.setStyle(TableStyle(commands))
    return table


def _figure_table(table: Table, zone, *, verdicts: bool) -> PdfTable:
    """Headline or trend: figure, values per period (in the row's unit), change, verdict."""
    styles = _styles()
    shown = [i for i, c in enumerate(table.columns) if c.title not in ("Unit", "Verdict")]
    header = [table.columns[i].title for i in shown] + (["Better or worse"] if verdicts else [])
    text_rows = []
    verdict_cells = []
    for row in table.rows():
        kind = KIND_OF_UNIT.get(row[1], "text")
        text_rows.append(
            [human(row[i], kind if table.columns[i].kind == "figure" else "text", zone)
             for i in shown]
        )  # fmt: skip
        verdict_cells.append(_verdict(row[-1]))
    widths = _widths(header, text_rows)
    if verdicts:
        widths = _widths(header[:-1], text_rows)
        widths = [w * (TEXT_WIDTH - 24 * mm) / sum(widths) for w in widths] + [24 * mm]
    cells = [[Paragraph(escape(h), styles["head_cell"]) for h in header]]
    for index, row in enumerate(text_rows):
        cells.append([Paragraph(escape(_keep(c)), styles["cell"]) for c in row]
                     + ([verdict_cells[index]] if verdicts else []))  # fmt: skip
    return _grid(cells, widths)


def _table(table: Table, zone) -> list:
    styles = _styles()
    title = [CondPageBreak(30 * mm), Paragraph(escape(table.title), styles["h2"])]
    keep = [c.kind != "link" and c.in_pdf for c in table.columns]
    columns = [c for c, kept in zip(table.columns, keep, strict=True) if kept]
    link_at = next((i for i, c in enumerate(table.columns) if c.kind == "link"), None)
    rows = [[c.title for c in columns]]
    links = []
    if table.pdf_rows is not None:
        title.append(Paragraph(escape(table.pdf_note), styles["body"]))
    for row in (table.pdf_rows or table.rows)():
        rows.append([human(v, c.kind, zone)
                     for v, c, kept in zip(row, table.columns, keep, strict=True) if kept])  # fmt: skip
        links.append(row[link_at] if link_at is not None else None)
    if len(rows) == 1:
        return [*title, Paragraph("<i>None in this period.</i>", styles["body"])]
    cells = [[Paragraph(escape(c), styles["head_cell"]) for c in rows[0]]]
    for link, row in zip(links, rows[1:], strict=True):
        first = escape(row[0])
        if link:  # the incident number links to its page
            first = f'<link href="{escape(link, quote=True)}" color="#1f5fbf"><u>{first}</u></link>'
        cells.append([Paragraph(first, styles["cell"])]
                     + [Paragraph(escape(_keep(c)), styles["cell"]) for c in row[1:]])  # fmt: skip
    widths = _widths(rows[0], rows[1:])
    # Tables of at most CHUNK rows: ReportLab splits one long table across pages slowly.
    # The pieces are stacked without a gap, so they read as one table.
    grids = [_grid(cells[: CHUNK + 1], widths)] + [
        _grid(cells[start : start + CHUNK], widths, header=False)
        for start in range(CHUNK + 1, len(cells), CHUNK)
    ]
    return [*title, *grids, Spacer(1, 6)]


def _chart(png: bytes) -> Image:
    """A chart across the text width at its own aspect (a "no data" chart is a short strip)."""
    width, height = ImageReader(io.BytesIO(png)).getSize()
    return Image(io.BytesIO(png), width=TEXT_WIDTH, height=TEXT_WIDTH * height / width)


def write_pack_pdf(pack: Pack, out, progress) -> None:
    styles = _styles()
    font = _register_fonts()
    zone = pack.zone
    by_key = {table.key: table for table in pack.tables}
    version, appendix = metrics_appendix()
    measured = pack.summary.get("measured_to", "")
    so_far = (
        f" Measured up to {pack.generated_at.astimezone(zone):%Y-%m-%d %H:%M}: the quarter so far."
        if measured and measured < pack.period.end.isoformat()
        else ""
    )
    progress("headline")
    story: list = [
        Paragraph(escape(pack.title), styles["title"]),
        Paragraph(
            escape(
                f"{pack.period.start:%d %b %Y} to {pack.period.end:%d %b %Y} (end exclusive) · "
                f"{pack.scope_text} · times in {pack.time_zone}.{so_far}"
            ),
            styles["body"],
        ),
        Paragraph("The quarter in five sentences", styles["h2"]),
        *[Paragraph(escape(sentence), styles["body"], bulletText="•") for sentence in pack.story],
        Spacer(1, 4),
        Paragraph(f"Headline figures against {escape(pack.previous_label)}", styles["h2"]),
        _figure_table(by_key["headline"], zone, verdicts=True),
        PageBreak(),
        Paragraph("The last four quarters", styles["h2"]),
        _figure_table(by_key["trend"], zone, verdicts=False),
        Spacer(1, 6),
    ]
    progress("trend chart")
    story.append(_chart(charts.quarterly_trend(pack.trend)))
    story.append(Paragraph("This quarter in charts", styles["h2"]))
    # What the summary holds already is drawn from it rather than read again.
    known = {
        "downtime": {"rows": pack.summary["availability"]},
        "interruptions": {"rows": pack.summary["alerts"]["per_person"]},
    }
    for slug, (_title, draw) in charts.CHARTS.items():
        progress(f"chart {slug}")
        png = draw(pack.period, pack.scope, **known.get(slug, {}))
        story.append(KeepTogether([_chart(png), Spacer(1, 4)]))
    story.append(PageBreak())
    for key in TABLE_KEYS:
        progress(by_key[key].title)
        story += _table(by_key[key], zone)
    story.append(PageBreak())
    story.append(Paragraph(escape(f"Appendix: metric definitions ({version})"), styles["h2"]))
    story.extend(Converter().blocks(parse(str(render_markdown(appendix)))))

    def decorate(canvas, document):
        canvas.saveState()
        canvas.setFont(font, 7.5)
        canvas.setFillColor(colors.HexColor("#6b7386"))
        canvas.drawString(MARGIN, 10 * mm, f"{pack.title} · {pack.scope_text} · {version}")
        canvas.drawRightString(PAGE_SIZE[0] - MARGIN, 10 * mm, f"Page {document.page}")
        canvas.restoreState()

    progress("layout")
    SimpleDocTemplate(
        out, pagesize=PAGE_SIZE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN, title=pack.title, author="Firebreak",
    ).build(story, onFirstPage=decorate, onLaterPages=decorate)  # fmt: skip
