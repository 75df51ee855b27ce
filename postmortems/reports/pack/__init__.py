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

The package: ``model`` (tables, columns, the figures compared), ``build`` (``build_pack``) and
``writers`` (``write_pack`` and one writer per format).
"""

from __future__ import annotations

from postmortems.reports.pack.build import build_pack, trend_summary
from postmortems.reports.pack.model import (
    FORMATS,
    HEADLINE,
    KIND_OF_UNIT,
    TREND,
    UNITS,
    Column,
    Pack,
    Progress,
    Table,
    pick,
    safe_cell,
)
from postmortems.reports.pack.writers import human, progress_steps, write_pack

__all__ = [
    "FORMATS",
    "HEADLINE",
    "KIND_OF_UNIT",
    "TREND",
    "UNITS",
    "Column",
    "Pack",
    "Progress",
    "Table",
    "build_pack",
    "human",
    "pick",
    "progress_steps",
    "safe_cell",
    "trend_summary",
    "write_pack",
]
