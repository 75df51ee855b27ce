"""Standalone HTML export: one file with its own styles, no scripts, and a CSP that forbids them."""

from __future__ import annotations

from django.template.loader import render_to_string

from postmortems.exports import metrics_appendix
from postmortems.rendering import render_document, render_markdown


def export_html(postmortem) -> str:
    version_label, appendix = metrics_appendix()
    return render_to_string(
        "postmortems/export.html",
        {
            "doc": render_document(postmortem),
            "postmortem": postmortem,
            "metrics_version": version_label,
            "metrics_html": render_markdown(appendix),
        },
    )
