"""Markdown is rendered, then sanitised: nothing a user types can run in a reader's browser."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from postmortems import services
from postmortems.placeholders import expand, template_errors
from postmortems.rendering import render_document, render_markdown

HOSTILE = [
    "[x](javascript:alert(1))",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    '<a href="javascript:alert(2)" onclick="alert(3)">y</a>',
    "[z](JaVaScRiPt:alert(4))",
    "<iframe src=https://evil.example></iframe>",
    '<p style="background:url(javascript:alert(5))">s</p>',
    "<svg onload=alert(6)>",
    "[ref][r]\n\n[r]: javascript:alert(7)",
]


class _ActiveContentFinder(HTMLParser):
    """Collects what a browser would act on: dangerous elements, handlers, script URLs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in {
            "script",
            "iframe",
            "img",
            "svg",
            "object",
            "embed",
            "style",
            "form",
            "meta",
            "link",
        }:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            value = "".join((value or "").split()).lower()
            if name.startswith("on") or name == "style":
                self.found.append(f"{tag}[{name}]")
            if name in {"href", "src", "action", "formaction"} and value.startswith(
                ("javascript:", "vbscript:", "data:")
            ):
                self.found.append(f"{tag}[{name}={value}]")


def assert_no_active_content(html: str) -> None:
    """Structural check: text that merely mentions "<script>" is fine, an element is not."""
    finder = _ActiveContentFinder()
    finder.feed(html)
    assert finder.found == [], finder.found


def assert_inert(html: str) -> None:
    """Sanitised output: no active content, and not even the words of it survive as markup."""
    assert_no_active_content(html)
    lowered = html.lower()
    for marker in (
        "<script",
        "javascript:",
        "onerror",
        "onclick",
        "onload",
        "<img",
        "<iframe",
        "<svg",
        "style=",
    ):
        assert marker not in lowered, (marker, html)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_markdown_renders_inert(text):
    assert_inert(str(render_markdown(text)))


def test_ordinary_markdown_survives():
    html = str(
        render_markdown(
            "**bold** [docs](https://example.com/a) `code`\n\n| a | b |\n|:--|--|\n| 1 | 2 |"
        )
    )
    assert "<strong>bold</strong>" in html
    assert '<a href="https://example.com/a" rel="noopener noreferrer nofollow">docs</a>' in html
    assert "<code>code</code>" in html
    assert '<th align="left">a</th>' in html


def test_hostile_section_text_is_inert_in_the_rendered_document(postmortem, responder):
    services.postmortem_save(
        user=responder,
        postmortem=postmortem,
        version=1,
        sections=[{"key": "summary", "body": "\n\n".join(HOSTILE)}],
    )
    postmortem.refresh_from_db()
    for section in render_document(postmortem).sections:
        assert_inert(str(section.html))


def test_hostile_incident_title_and_timeline_text_are_inert(responder, edge_incident):
    from incidents import services as incident_services

    incident_services.incident_update(
        incident=edge_incident, user=responder, changes={"title": "<script>alert(1)</script>"}
    )
    edge_incident.refresh_from_db()
    incident_services.timeline_note_add(
        incident=edge_incident,
        user=responder,
        body="<img src=x onerror=alert(1)> | [x](javascript:alert(1))",
        highlighted=True,
    )
    draft = services.postmortem_create(user=responder, incident=edge_incident)
    doc = render_document(draft)
    for section in doc.sections:
        assert_inert(str(section.html))
    for _label, value in doc.header_html:
        assert_inert(str(value))
    assert "&lt;script&gt;" in str(doc.header_html[0][1])


def test_placeholders_are_a_closed_list():
    values = {"incident.title": "Title", "timeline": "T"}
    assert expand("{{ incident.title }} / {{ incident.members }} / {{timeline}}", values) == (
        "Title / {{ incident.members }} / T"
    )
    assert template_errors("{{ incident.declared_by.password }}")
    assert template_errors("{% for u in users %}{{ u }}{% endfor %}")
    assert template_errors("{{ people }}\n\n{{ timeline }}") == []
