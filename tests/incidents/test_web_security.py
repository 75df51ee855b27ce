"""Every page carries the CSP header and nothing the CSP would block (no inline script or style)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from incidents import services
from tests.factories import declare

pytestmark = pytest.mark.django_db


class InlineCodeFinder(HTMLParser):
    """Collects everything a ``script-src 'self'; style-src 'self'`` policy would refuse."""

    def __init__(self):
        super().__init__()
        self.problems: list[str] = []
        self.scripts_with_src: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, _ in attrs:
            if name == "style" or name.startswith("on") or name.startswith("hx-on"):
                self.problems.append(f"<{tag} {name}=...>")
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "script":
            self._in_script = True
            if attributes.get("src"):
                self.scripts_with_src.append(attributes["src"])
            else:
                self.problems.append("<script> without src")
        if tag == "a" and (attributes.get("href") or "").lower().startswith("javascript:"):
            self.problems.append("javascript: link")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.problems.append(f"inline script body: {data.strip()[:40]!r}")


def inline_code(html: str) -> InlineCodeFinder:
    finder = InlineCodeFinder()
    finder.feed(html)
    return finder


def test_the_checker_notices_inline_code():
    found = inline_code('<p style="color:red" onclick="x()"></p><script>alert(1)</script>')
    assert len(found.problems) == 4


@pytest.fixture
def busy_incident(responder, other_responder):
    incident = declare(responder, title="Checkout returns 500s")
    services.role_assign(incident=incident, user=responder, role="scribe", assignee=other_responder)
    services.status_update_post(incident=incident, user=responder, body="What we know: a lot.")
    note = services.timeline_note_add(incident=incident, user=responder, body="Rolled back.")
    services.timeline_note_add(
        incident=incident, user=responder, body="Not rolled back.", corrects=note
    )
    return incident


def test_every_page_has_the_csp_header_and_no_inline_code(client, responder, busy_incident):
    pages = ["/login/"]
    client.force_login(responder)
    pages += [
        "/incidents/",
        "/incidents/declare/",
        f"/incidents/{busy_incident.number}/",
        f"/incidents/{busy_incident.number}/timeline/",
        "/profile/",
        "/notifications/",
        "/incidents/999/",  # no such incident
        "/no-such-page/",  # the 404 page
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code in (200, 404), path
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy, path
        assert "unsafe-inline" not in policy, path
        found = inline_code(response.content.decode())
        assert found.problems == [], (path, found.problems)


def test_pages_load_htmx_and_our_script_from_our_own_origin(client, responder, busy_incident):
    client.force_login(responder)
    page = client.get(f"/incidents/{busy_incident.number}/").content.decode()
    assert inline_code(page).scripts_with_src == [
        "/static/vendor/htmx.min.js",
        "/static/js/firebreak.js",
    ]
    # HTMX must not inject its indicator <style> (blocked by the CSP), and sends the CSRF token.
    assert '"includeIndicatorStyles": false' in page
    assert 'hx-headers=\'{"X-CSRFToken": "' in page


def test_a_form_error_page_has_no_inline_code_either(client, responder, busy_incident):
    client.force_login(responder)
    response = client.post(f"/incidents/{busy_incident.number}/status/", {"status": "closed"})
    assert response.status_code == 400
    assert inline_code(response.content.decode()).problems == []


def test_user_text_is_escaped_not_executed(client, responder):
    incident = declare(responder, title="<script>alert('title')</script>")
    services.timeline_note_add(
        incident=incident, user=responder, body='<img src=x onerror="alert(1)">'
    )
    client.force_login(responder)
    for path in (f"/incidents/{incident.number}/", "/incidents/"):
        page = client.get(path).content.decode()
        assert "<script>alert" not in page
        assert inline_code(page).problems == []
    assert "&lt;img src=x onerror=" in client.get(f"/incidents/{incident.number}/").content.decode()


def test_an_expired_form_gets_a_friendly_403_without_inline_code(responder):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(responder)
    response = client.post("/incidents/declare/", {"title": "x", "severity": "SEV2"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "This form has expired" in page
    assert inline_code(page).problems == []
