"""The placeholder language of postmortem templates: ``{{ name }}`` from a fixed allow-list.

Templates are user-editable, so they are never given to a template engine. A placeholder is a
name looked up in a dictionary of already-rendered Markdown values; nothing else is evaluated, so
a template cannot read anything outside this list.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

PLACEHOLDER_RE = re.compile(r"\{\{\s*([A-Za-z0-9_.]+)\s*\}\}")
TEMPLATE_TAG_RE = re.compile(r"\{%.*?%\}", re.DOTALL)

# name → what it shows (shown in the template editor).
PLACEHOLDERS: dict[str, str] = {
    "incident.reference": "The incident's reference, e.g. INC-42.",
    "incident.title": "The incident's title.",
    "incident.severity": "Severity, e.g. SEV2 — major.",
    "incident.status": "Current status.",
    "incident.kind": "Incident, drill, event or maintenance.",
    "incident.trigger": "Trigger category (code change, configuration change, ...).",
    "incident.services": "The affected services.",
    "incident.timezone": "The time zone the incident is narrated in.",
    "incident.date": "The date impact began, in the incident's time zone.",
    "incident.started_at": "When impact began ([Outage Begins]).",
    "incident.detected_at": "When the problem was detected.",
    "incident.declared_at": "When the incident was declared.",
    "incident.acknowledged_at": "When the first responder took it.",
    "incident.mitigated_at": "When impact ended ([Outage Ends]).",
    "incident.resolved_at": "When the response was over.",
    "incident.commander": "The incident commander.",
    "incident.summary": "The summary written during the incident.",
    "incident.impact": "The impact written during the incident.",
    "people": "Everyone involved: role holders and timeline authors.",
    "durations": "Table of TTD, TTA, TTR and time to resolve (METRICS.md v2).",
    "roles": "Table of the ICS roles and who held them, when.",
    "timeline": "Timeline table of the highlighted events, with [Outage Begins] and [Outage Ends].",
    "alerts": "The alerts linked to the incident.",
    "action_items": "The postmortem's action items.",
}

# Placeholders that expand to a block (a table or list) and belong on a line of their own.
BLOCK_PLACEHOLDERS = frozenset({"durations", "roles", "timeline", "alerts", "action_items"})


def placeholders_used(text: str) -> list[str]:
    return [m.group(1) for m in PLACEHOLDER_RE.finditer(text or "")]


def unknown_placeholders(text: str) -> list[str]:
    return sorted({name for name in placeholders_used(text) if name not in PLACEHOLDERS})


def template_errors(text: str) -> list[str]:
    """Messages for anything in a template body that is not plain Markdown or an allowed placeholder."""
    errors = []
    unknown = unknown_placeholders(text)
    if unknown:
        errors.append(
            "Unknown placeholder(s): "
            + ", ".join("{{ " + name + " }}" for name in unknown)
            + ". Allowed: "
            + ", ".join(sorted(PLACEHOLDERS))
            + "."
        )
    if TEMPLATE_TAG_RE.search(text or ""):
        errors.append("Template tags ({% ... %}) are not supported; use only {{ placeholders }}.")
    return errors


def expand(text: str, values: Mapping[str, str]) -> str:
    """Replace every allowed placeholder by its value; anything else is left as typed."""

    def substitute(match: re.Match) -> str:
        name = match.group(1)
        if name in PLACEHOLDERS and name in values:
            return values[name]
        return match.group(0)

    return PLACEHOLDER_RE.sub(substitute, text or "")


def strip_placeholders(text: str) -> str:
    """The author's own words: the text without placeholders (what the lint reads)."""
    return PLACEHOLDER_RE.sub("", text or "")


_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|!])")


def escape_inline(text: str) -> str:
    """Markdown-escape a one-line value so it shows exactly as written (titles, names)."""
    text = " ".join(str(text).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def table_cell(text: str) -> str:
    """User Markdown made safe for one table cell: one line, pipes escaped."""
    return " ".join(str(text).split()).replace("|", "\\|")
