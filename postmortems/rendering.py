"""Markdown → HTML for postmortems: render with Python-Markdown, then sanitise with nh3.

Sanitising happens *after* rendering (DESIGN.md), with an explicit allow-list: no scripts, no
event handlers, no images (they would load from anywhere), links only to http, https and mailto.
The result is the only HTML from users that templates ever mark safe.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

from postmortems.blocks import fmt_local, incident_tz, placeholder_values, tz_header
from postmortems.models import Postmortem
from postmortems.placeholders import expand

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "kbd", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td",
    "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "code": {"class"},
    "ol": {"start"},
    "td": {"align"},
    "th": {"align"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
MARKDOWN_EXTENSIONS = ["tables", "fenced_code", "sane_lists"]
MARKDOWN_CONFIG = {"tables": {"use_align_attribute": True}}


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def render_markdown(text: str) -> SafeString:
    """Markdown from a user → sanitised HTML, safe to embed in a page."""
    return mark_safe(_rendered(text or ""))  # noqa: S308 — sanitised by nh3 with the allow-list above


@lru_cache(maxsize=512)
def _rendered(text: str) -> str:
    """Remembered per text: the editor's preview re-renders every section on each pause in
    typing, and all but the one being typed in are unchanged."""
    html = markdown.markdown(
        text, extensions=MARKDOWN_EXTENSIONS, extension_configs=MARKDOWN_CONFIG
    )
    return sanitize_html(html)


# --- whole documents ---------------------------------------------------------------------------------


def document_values(postmortem: Postmortem) -> dict[str, str]:
    """The frozen snapshot once published; live values computed from the incident before that."""
    if postmortem.is_published and postmortem.snapshot:
        return dict(postmortem.snapshot.get("values", {}))
    return placeholder_values(postmortem.incident)


@dataclass
class RenderedSection:
    key: str
    title: str
    purpose: str
    guidance: str
    body: str  # as the author wrote it (with placeholders)
    markdown: str  # placeholders expanded
    html: SafeString
    # Writing warnings about this section's sentences, shown beside them in the editor's preview.
    notes: list = field(default_factory=list)


@dataclass
class RenderedDocument:
    postmortem: Postmortem
    title: str
    header: list[tuple[str, str]]  # (label, Markdown value)
    sections: list[RenderedSection] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)

    @property
    def header_html(self) -> list[tuple[str, SafeString]]:
        return [(label, render_inline(value)) for label, value in self.header]


def render_inline(text: str) -> SafeString:
    """One line of Markdown as sanitised HTML without the wrapping paragraph."""
    html = str(render_markdown(text)).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return mark_safe(html)  # noqa: S308 — came out of render_markdown (sanitised)


def document_header(postmortem: Postmortem, values: dict[str, str]) -> list[tuple[str, str]]:
    from postmortems.placeholders import escape_inline

    incident = postmortem.incident
    tz = incident_tz(incident)
    header = [
        ("Incident", f"{incident.reference} — {escape_inline(incident.title)}"),
        ("People involved", values.get("people", "")),
        (
            "Incident date",
            f"{values.get('incident.date', '')} ({values.get('incident.timezone', tz_header(incident))})",
        ),
        ("Last modified", fmt_local(postmortem.updated_at, tz) if postmortem.updated_at else "—"),
        ("Tags", ", ".join(escape_inline(t) for t in postmortem.tags) or "—"),
        (
            "Status",
            f"{postmortem.get_status_display()} · version {postmortem.version} · {postmortem.get_visibility_display()}",
        ),
    ]
    if postmortem.published_at:
        header.append(("Published", fmt_local(postmortem.published_at, tz)))
    return header


def render_document(postmortem: Postmortem, *, sections=None) -> RenderedDocument:
    """The whole postmortem: header plus every section expanded and rendered.

    ``sections`` (``[{key, title, body}]``) renders unsaved text, e.g. the editor's live preview.
    """
    values = document_values(postmortem)
    if sections is None:
        sections = [
            {
                "key": s.key,
                "title": s.title,
                "purpose": s.purpose,
                "guidance": s.guidance,
                "body": s.body,
            }
            for s in postmortem.sections.all()
        ]
    document = RenderedDocument(
        postmortem=postmortem,
        title=postmortem.title,
        header=document_header(postmortem, values),
        values=values,
    )
    for s in sections:
        expanded = expand(s.get("body", ""), values)
        document.sections.append(
            RenderedSection(
                key=s["key"],
                title=s.get("title", s["key"]),
                purpose=s.get("purpose", "other"),
                guidance=s.get("guidance", ""),
                body=s.get("body", ""),
                markdown=expanded,
                html=render_markdown(expanded),
            )
        )
    return document


def render_template_preview(sections: list[dict], incident) -> list[RenderedSection]:
    """A template's sections filled in from a real incident (the admin's template preview)."""
    values = placeholder_values(incident)
    rendered = []
    for s in sections:
        expanded = expand(s.get("body", ""), values)
        rendered.append(
            RenderedSection(
                key=s.get("key", ""),
                title=s.get("title", ""),
                purpose=s.get("purpose", "other"),
                guidance=s.get("guidance", ""),
                body=s.get("body", ""),
                markdown=expanded,
                html=render_markdown(expanded),
            )
        )
    return rendered
