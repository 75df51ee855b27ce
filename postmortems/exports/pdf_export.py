"""PDF export with ReportLab (pure PyPI, no system libraries).

The input is the same sanitised HTML the web page shows, converted element by element into
ReportLab flowables: real pagination, tables (the timeline) that split across pages and repeat
their header row, and page numbers. Text uses the Bitstream Vera fonts shipped with ReportLab.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from html.parser import HTMLParser

import reportlab
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    CondPageBreak,
    HRFlowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
    XPreformatted,
)

from postmortems.exports import metrics_appendix
from postmortems.rendering import render_document, render_markdown

PAGE_SIZE = A4
MARGIN = 18 * mm
TEXT_WIDTH = PAGE_SIZE[0] - 2 * MARGIN
MONO = "Courier"
INK = colors.HexColor("#1d2330")
RULE = colors.HexColor("#c9ced8")
SHADE = colors.HexColor("#eef0f4")
SAFE_LINK_PREFIXES = ("http://", "https://", "mailto:")


# --- fonts and styles -----------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _register_fonts() -> str:
    """Register Vera (ships with ReportLab: Latin, punctuation, €, −) once per process."""
    folder = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    faces = {
        "Vera": "Vera.ttf",
        "Vera-Bold": "VeraBd.ttf",
        "Vera-Italic": "VeraIt.ttf",
        "Vera-BoldItalic": "VeraBI.ttf",
    }
    for name, filename in faces.items():
        pdfmetrics.registerFont(TTFont(name, os.path.join(folder, filename)))
    pdfmetrics.registerFontFamily(
        "Vera", normal="Vera", bold="Vera-Bold", italic="Vera-Italic", boldItalic="Vera-BoldItalic"
    )
    return "Vera"


@lru_cache(maxsize=1)
def _styles() -> dict[str, ParagraphStyle]:
    font = _register_fonts()
    base = ParagraphStyle(
        "body",
        fontName=font,
        fontSize=9.5,
        leading=13,
        textColor=INK,
        alignment=TA_LEFT,
        spaceAfter=5,
    )
    styles = {
        "body": base,
        "title": ParagraphStyle(
            "title", parent=base, fontName="Vera-Bold", fontSize=18, leading=22, spaceAfter=8
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName="Vera-Bold",
            fontSize=13,
            leading=17,
            spaceBefore=10,
            spaceAfter=5,
        ),
        "h3": ParagraphStyle(
            "h3",
            parent=base,
            fontName="Vera-Bold",
            fontSize=11,
            leading=14,
            spaceBefore=6,
            spaceAfter=3,
        ),
        "h4": ParagraphStyle(
            "h4",
            parent=base,
            fontName="Vera-Bold",
            fontSize=10,
            leading=13,
            spaceBefore=4,
            spaceAfter=2,
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11, spaceAfter=0),
        "head_cell": ParagraphStyle(
            "head_cell", parent=base, fontName="Vera-Bold", fontSize=8.5, leading=11, spaceAfter=0
        ),
        "code": ParagraphStyle(
            "code",
            parent=base,
            fontName=MONO,
            fontSize=8,
            leading=10,
            backColor=SHADE,
            borderPadding=4,
            spaceBefore=2,
            spaceAfter=7,
        ),
        "quote": ParagraphStyle(
            "quote", parent=base, leftIndent=12, textColor=colors.HexColor("#4a5263")
        ),
        "meta_label": ParagraphStyle(
            "meta_label", parent=base, fontName="Vera-Bold", fontSize=8.5, leading=11, spaceAfter=0
        ),
        "meta": ParagraphStyle("meta", parent=base, fontSize=8.5, leading=11, spaceAfter=0),
    }
    return styles


# --- a tiny DOM of the sanitised HTML -------------------------------------------------------------

VOID = {"br", "hr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list = field(default_factory=list)  # Node or str


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


# --- HTML → ReportLab ------------------------------------------------------------------------------

INLINE_TAGS = {"a", "abbr", "b", "strong", "i", "em", "code", "kbd", "del", "s", "sub", "sup", "br"}


def inline_markup(node: Node | str, *, pre: bool = False) -> str:
    """ReportLab paragraph markup for inline content; every text run is XML-escaped."""
    if isinstance(node, str):
        return escape(node if pre else _collapse(node), quote=False)
    inner = "".join(inline_markup(child, pre=pre) for child in node.children)
    tag = node.tag
    if tag in ("b", "strong"):
        return f"<b>{inner}</b>"
    if tag in ("i", "em"):
        return f"<i>{inner}</i>"
    if tag in ("code", "kbd"):
        return f'<font face="{MONO}">{inner}</font>'
    if tag in ("del", "s"):
        return f"<strike>{inner}</strike>"
    if tag == "sub":
        return f"<sub>{inner}</sub>"
    if tag == "sup":
        return f"<super>{inner}</super>"
    if tag == "br":
        return "<br/>"
    if tag == "a":
        href = node.attrs.get("href", "")
        if href.startswith(SAFE_LINK_PREFIXES):
            return f'<link href="{escape(href, quote=True)}" color="#1f5fbf"><u>{inner}</u></link>'
        return inner
    return inner


def _collapse(text: str) -> str:
    """Collapse runs of whitespace to one space, keeping a leading/trailing space if present."""
    collapsed = " ".join(text.split())
    if text[:1].isspace():
        collapsed = " " + collapsed
    if text[-1:].isspace() and collapsed and not collapsed.endswith(" "):
        collapsed += " "
    return collapsed


def _text_of(node: Node | str) -> str:
    if isinstance(node, str):
        return node
    return "".join(_text_of(c) for c in node.children)


class Converter:
    def __init__(self):
        self.styles = _styles()

    def blocks(self, node: Node, *, indent: int = 0) -> list:
        flowables: list = []
        pending_inline: list = []

        def flush():
            markup = "".join(inline_markup(n) for n in pending_inline).strip()
            if markup:
                flowables.append(Paragraph(markup, self._indented("body", indent)))
            pending_inline.clear()

        for child in node.children:
            if isinstance(child, str) or child.tag in INLINE_TAGS:
                pending_inline.append(child)
                continue
            flush()
            flowables.extend(self.block(child, indent=indent))
        flush()
        return flowables

    def _indented(self, name: str, indent: int) -> ParagraphStyle:
        style = self.styles[name]
        if not indent:
            return style
        return ParagraphStyle(
            f"{name}-{indent}", parent=style, leftIndent=style.leftIndent + indent * 12
        )

    def block(self, node: Node, *, indent: int = 0) -> list:
        tag = node.tag
        if tag in ("h1", "h2"):
            return [CondPageBreak(30 * mm), Paragraph(inline_markup(node), self.styles["h2"])]
        if tag in ("h3",):
            return [CondPageBreak(20 * mm), Paragraph(inline_markup(node), self.styles["h3"])]
        if tag in ("h4", "h5", "h6"):
            return [Paragraph(inline_markup(node), self.styles["h4"])]
        if tag == "p":
            markup = inline_markup(node).strip()
            return [Paragraph(markup, self._indented("body", indent))] if markup else []
        if tag == "pre":
            return [
                XPreformatted(
                    escape(_text_of(node).rstrip("\n"), quote=False), self._indented("code", indent)
                )
            ]
        if tag == "blockquote":
            inner = self.blocks(node, indent=indent + 1)
            return inner
        if tag == "hr":
            return [
                HRFlowable(width="100%", color=RULE, thickness=0.6, spaceBefore=4, spaceAfter=6)
            ]
        if tag in ("ul", "ol"):
            return self.list_(node, ordered=tag == "ol", indent=indent)
        if tag == "table":
            return [self.table(node), Spacer(1, 6)]
        return self.blocks(node, indent=indent)

    def list_(self, node: Node, *, ordered: bool, indent: int) -> list:
        flowables = []
        try:
            number = int(node.attrs.get("start", "1"))
        except ValueError:
            number = 1
        base = self.styles["body"]
        style = ParagraphStyle(
            f"list-{indent}",
            parent=base,
            leftIndent=(indent + 1) * 14,
            bulletIndent=indent * 14 + 2,
            spaceAfter=2,
        )
        for item in (c for c in node.children if isinstance(c, Node) and c.tag == "li"):
            bullet = f"{number}." if ordered else "•"
            inline_parts = [
                c
                for c in item.children
                if isinstance(c, str) or c.tag in INLINE_TAGS or c.tag == "p"
            ]
            nested = [
                c
                for c in item.children
                if isinstance(c, Node) and c.tag not in INLINE_TAGS and c.tag != "p"
            ]
            markup = " ".join(
                inline_markup(c).strip() for c in inline_parts if (isinstance(c, Node) or c.strip())
            ).strip()
            flowables.append(Paragraph(markup or "&nbsp;", style, bulletText=bullet))
            for child in nested:
                flowables.extend(self.block(child, indent=indent + 1))
            number += 1
        return flowables

    def table(self, node: Node) -> Table:
        rows: list[list[Node]] = []
        header_rows = 0
        for section in (c for c in node.children if isinstance(c, Node)):
            trs = (
                [section]
                if section.tag == "tr"
                else [c for c in section.children if isinstance(c, Node) and c.tag == "tr"]
            )
            for tr in trs:
                cells = [c for c in tr.children if isinstance(c, Node) and c.tag in ("th", "td")]
                if cells:
                    rows.append(cells)
                    if section.tag == "thead":
                        header_rows += 1
        if not rows:
            return Table([[""]])
        columns = max(len(r) for r in rows)
        widths = column_widths([[_text_of(cell) for cell in row] for row in rows], columns)
        data = []
        for row_index, row in enumerate(rows):
            style = self.styles["head_cell"] if row_index < header_rows else self.styles["cell"]
            cells = [Paragraph(inline_markup(cell).strip() or "", style) for cell in row]
            cells += [""] * (columns - len(cells))
            data.append(cells)
        table = Table(data, colWidths=widths, repeatRows=header_rows, hAlign="LEFT")
        commands = [
            ("GRID", (0, 0), (-1, -1), 0.5, RULE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
        if header_rows:
            commands.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), SHADE))
        table.setStyle(TableStyle(commands))
        return table


CELL_PADDING = 16  # the table's left + right padding (6 + 6) and a little slack, points
BOLD_SLACK = 1.08  # header cells are bold, a little wider


def column_widths(rows: list[list[str]], columns: int) -> list[float]:
    """Columns never narrower than their longest word; the rest of the width goes to the columns
    with the most text, so a short "14:12" column does not wrap and the event text gets room."""
    font = _register_fonts()
    size = _styles()["cell"].fontSize
    minimum = [12.0] * columns
    desired = [12.0] * columns
    for row in rows:
        for index, text in enumerate(row):
            words = text.split() or [""]
            longest = max(pdfmetrics.stringWidth(w, font, size) for w in words) * BOLD_SLACK
            whole = pdfmetrics.stringWidth(" ".join(words), font, size) * BOLD_SLACK
            minimum[index] = max(minimum[index], min(longest + CELL_PADDING, TEXT_WIDTH * 0.4))
            desired[index] = max(desired[index], whole + CELL_PADDING)
    if sum(desired) <= TEXT_WIDTH:
        spare = TEXT_WIDTH - sum(desired)
        return [w + spare * w / sum(desired) for w in desired]
    spare = max(TEXT_WIDTH - sum(minimum), 0)
    wants = [max(d - m, 0) for d, m in zip(desired, minimum, strict=True)]
    total_want = sum(wants) or 1
    return [m + spare * w / total_want for m, w in zip(minimum, wants, strict=True)]


# --- the document ----------------------------------------------------------------------------------


def _header_table(doc, styles) -> Table:
    rows = [
        [
            Paragraph(escape(label), styles["meta_label"]),
            Paragraph(inline_markup(parse(str(value))), styles["meta"]),
        ]
        for label, value in doc.header_html
    ]
    table = Table(rows, colWidths=[35 * mm, TEXT_WIDTH - 35 * mm], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#f5f6f8")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def export_pdf(postmortem) -> bytes:
    doc = render_document(postmortem)
    styles = _styles()
    converter = Converter()
    version_label, appendix = metrics_appendix()
    story: list = [
        Paragraph(escape(doc.title), styles["title"]),
        _header_table(doc, styles),
        Spacer(1, 8),
    ]
    for section in doc.sections:
        heading = Paragraph(escape(section.title), styles["h2"])
        body = converter.blocks(parse(str(section.html))) or [
            Paragraph("<i>(empty)</i>", styles["body"])
        ]
        # Keep each heading with the start of its section.
        story.append(CondPageBreak(30 * mm))
        story.append(KeepTogether([heading, body[0]]))
        story.extend(body[1:])
    story.append(PageBreak())
    story.append(Paragraph(escape(f"Appendix: metric definitions ({version_label})"), styles["h2"]))
    story.extend(converter.blocks(parse(str(render_markdown(appendix)))))

    footer_text = f"{doc.title} · version {postmortem.version} · {postmortem.get_status_display()}"

    def decorate(canvas, document):
        canvas.saveState()
        canvas.setFont("Vera", 7.5)
        canvas.setFillColor(colors.HexColor("#6b7386"))
        canvas.drawString(MARGIN, 10 * mm, footer_text[:110])
        canvas.drawRightString(PAGE_SIZE[0] - MARGIN, 10 * mm, f"Page {document.page}")
        canvas.restoreState()

    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(
        buffer,
        pagesize=PAGE_SIZE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=doc.title,
        author="Firebreak",
        subject=f"Postmortem of {postmortem.incident.reference}",
    )
    pdf.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()
