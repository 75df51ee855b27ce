"""Exports of a postmortem: Markdown with YAML front matter, standalone HTML and PDF.

Every export carries METRICS.md (versioned) as an appendix, and every export is inert: user
Markdown goes through the same render-then-sanitise path as the web page (HTML, PDF) or is
neutralised as text (Markdown).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.utils.text import slugify

from config.errors import ValidationFailed

FORMATS = ("md", "html", "pdf")


@dataclass(frozen=True)
class Export:
    content: bytes
    content_type: str
    filename: str


@lru_cache(maxsize=1)
def metrics_appendix() -> tuple[str, str]:
    """(version label, Markdown text) of the metric definitions shipped with this release."""
    text = (settings.BASE_DIR / "templates" / "docs" / "METRICS.md").read_text(encoding="utf-8")
    match = re.search(r"\(version (\d+)\)", text.splitlines()[0] if text else "")
    return (f"METRICS.md v{match.group(1)}" if match else "METRICS.md", text)


def export_filename(postmortem, extension: str) -> str:
    return f"postmortem-{postmortem.incident.reference.lower()}-v{postmortem.version}-{slugify(postmortem.title)[:40]}.{extension}"


def export_postmortem(postmortem, fmt: str) -> Export:
    """Build one export. ``fmt`` is md, html or pdf; anything else is a clear 400."""
    if fmt == "md":
        from postmortems.exports.markdown_export import export_markdown

        return Export(
            export_markdown(postmortem).encode("utf-8"),
            "text/markdown; charset=utf-8",
            export_filename(postmortem, "md"),
        )
    if fmt == "html":
        from postmortems.exports.html_export import export_html

        return Export(
            export_html(postmortem).encode("utf-8"),
            "text/html; charset=utf-8",
            export_filename(postmortem, "html"),
        )
    if fmt == "pdf":
        from postmortems.exports.pdf_export import export_pdf

        return Export(export_pdf(postmortem), "application/pdf", export_filename(postmortem, "pdf"))
    raise ValidationFailed(
        f"format must be one of {', '.join(FORMATS)}.",
        field_errors={"format": ["md, html or pdf."]},
    )
