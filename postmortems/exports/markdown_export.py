"""Markdown export with YAML front matter. The text is neutralised so that any Markdown viewer
shows it inert: raw HTML is escaped and links may only use http, https or mailto."""

from __future__ import annotations

import html
import json
import re

from postmortems.blocks import fmt_local, incident_tz, people_involved
from postmortems.exports import metrics_appendix
from postmortems.rendering import ALLOWED_URL_SCHEMES, render_document

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.DOTALL)
# A destination may hold balanced parentheses: [x](javascript:alert(1)).
_INLINE_LINK = re.compile(r"(\]\(\s*)(<[^>]*>|(?:[^\s()]|\([^\s()]*\))+)")
_REFERENCE_DEF = re.compile(r"^(\s{0,3}\[[^\]]+\]:\s*)(\S+)", re.MULTILINE)
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
REMOVED_LINK = "#unsafe-link-removed"


def _safe_destination(destination: str) -> str:
    bare = (
        destination[1:-1]
        if destination.startswith("<") and destination.endswith(">")
        else destination
    )
    decoded = re.sub(r"[\x00-\x20\x7f]", "", html.unescape(bare))
    match = _SCHEME.match(decoded)
    if match and match.group(1).lower() not in ALLOWED_URL_SCHEMES:
        return REMOVED_LINK  # also catches entity-encoded schemes (javascript&#58;...)
    return destination


def _neutralise_prose(text: str) -> str:
    pieces = []
    last = 0
    for match in _CODE_SPAN.finditer(text):
        pieces.append(_neutralise_plain(text[last : match.start()]))
        pieces.append(match.group(0))
        last = match.end()
    pieces.append(_neutralise_plain(text[last:]))
    return "".join(pieces)


def _neutralise_plain(text: str) -> str:
    # Links first (their <destination> form needs the raw "<"), then every "<" becomes text.
    text = _INLINE_LINK.sub(lambda m: m.group(1) + _safe_destination(m.group(2)), text)
    text = _REFERENCE_DEF.sub(lambda m: m.group(1) + _safe_destination(m.group(2)), text)
    return text.replace("<", "&lt;")


def neutralise_markdown(text: str) -> str:
    """Markdown that renders the same words but can carry no HTML and no script links.

    Fenced code blocks and code spans are left alone (Markdown already shows them as text).
    """
    out: list[str] = []
    prose: list[str] = []
    fence: str | None = None
    for line in text.splitlines(keepends=True):
        match = _FENCE.match(line)
        if fence is None:
            if match:
                out.append(_neutralise_prose("".join(prose)))
                prose = []
                fence = match.group(1)[0] * 3
                out.append(line)
            else:
                prose.append(line)
        else:
            out.append(line)
            if match and match.group(1).startswith(fence):
                fence = None
    out.append(_neutralise_prose("".join(prose)))
    return "".join(out)


def _yaml(value) -> str:
    """JSON scalars and lists are valid YAML (and need no escaping rules of their own)."""
    # "<" as \u003c: a viewer that shows front matter as text must not meet a tag in it.
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")


def export_markdown(postmortem) -> str:
    doc = render_document(postmortem)
    incident = postmortem.incident
    tz = incident_tz(incident)
    version_label, appendix = metrics_appendix()
    front = {
        "title": postmortem.title,
        "incident": incident.reference,
        "incident_title": incident.title,
        "severity": incident.severity,
        "status": postmortem.status,
        "visibility": postmortem.visibility,
        "version": postmortem.version,
        "incident_date": doc.values.get("incident.date", ""),
        "timezone": incident.timezone,
        "last_modified": postmortem.updated_at.isoformat() if postmortem.updated_at else None,
        "published_at": postmortem.published_at.isoformat() if postmortem.published_at else None,
        "people": [
            getattr(u, "display_name", None) or u.get_username() for u in people_involved(incident)
        ],
        "tags": list(postmortem.tags),
        "required_reasons": list(postmortem.required_reasons),
        "metrics_definitions": version_label,
    }
    lines = ["---"] + [f"{key}: {_yaml(value)}" for key, value in front.items()] + ["---", ""]
    lines.append(f"# {neutralise_markdown(postmortem.title)}")
    lines.append("")
    for label, value in doc.header:
        lines.append(f"- **{label}:** {neutralise_markdown(value)}")
    if postmortem.updated_at:
        lines.append(
            f"- **Exported version:** {postmortem.version} (last modified {fmt_local(postmortem.updated_at, tz)})"
        )
    lines.append("")
    for section in doc.sections:
        lines.append(f"## {neutralise_markdown(section.title)}")
        lines.append("")
        lines.append(neutralise_markdown(section.markdown).strip() or "_(empty)_")
        lines.append("")
    lines.append(f"## Appendix: metric definitions ({version_label})")
    lines.append("")
    # Demote the appendix's own headings below ours.
    lines.append(re.sub(r"^(#+)", r"##\1", appendix, flags=re.MULTILINE).strip())
    lines.append("")
    return "\n".join(lines)
