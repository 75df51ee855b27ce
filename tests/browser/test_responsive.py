"""The app on a laptop and on a phone (Chromium, Playwright).

At 1440×900 and at 390×844 the incident page's header, its next-update countdown and the primary
actions (post update, add note, mitigate, resolve) are in the first screen; at 390 px no page of
the app scrolls sideways — every target of the navigation, walked as the demo responder and as
the admin, plus the pages an incident leads to.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from incidents.models import Incident

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1440, "height": 900}
SCREENSHOTS = "/tmp/firebreak-responsive-{name}.png"


@pytest.fixture
def demo(transactional_db):
    # A transactional test starts from a flushed database: restore what migrations had put there.
    call_command("sync_postmortem_templates", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())
    return Incident.objects.get(title__startswith="Web frontend")


def log_in(page: Page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{base}/incidents/")


def in_first_screen(page: Page, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    size = page.viewport_size
    return (
        box is not None
        and box["y"] >= 0
        and box["y"] + box["height"] <= size["height"]
        and box["x"] + box["width"] <= size["width"]
    )


def sideways_overflow(page: Page) -> int:
    """How many pixels the document is wider than the screen (0: no sideways scroll)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1440x900", "390x844"])
def test_header_countdown_and_primary_actions_are_in_the_first_screen(
    live_server, browser, demo, viewport
):
    page = browser.new_context(viewport=viewport).new_page()
    log_in(page, live_server.url, "demo", "firebreak-demo")
    page.goto(f"{live_server.url}/incidents/{demo.number}/")
    header = page.locator("#incident-header")
    expect(header).to_contain_text(demo.reference)
    expect(header).to_contain_text("Commander")
    for selector in (
        "#incident-header .head-title",
        "#incident-header .badge.sev",
        "#incident-header .badge.status",
        "#next-update",
        ".primary-actions >> text=Post update",
        ".primary-actions >> text=Add note",
        ".primary-actions >> text=Mark mitigated",
        ".primary-actions >> text=Resolve",
    ):
        assert in_first_screen(page, selector), f"{selector} is below the first screen"
    assert sideways_overflow(page) <= 0
    page.screenshot(path=SCREENSHOTS.format(name=f"incident-{viewport['width']}"))


def _navigation_targets(page: Page, base: str) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "header.topbar a[href]", "links => links.map(a => a.getAttribute('href'))"
    )
    return list(dict.fromkeys(h for h in hrefs if h.startswith("/")))


@pytest.mark.parametrize(
    "username,password", [("demo", "firebreak-demo"), ("admin", "firebreak-admin")]
)
def test_no_page_scrolls_sideways_on_a_phone(live_server, browser, demo, username, password):
    base = live_server.url
    page = browser.new_context(viewport=PHONE).new_page()
    log_in(page, base, username, password)
    # The menu opens on a phone and holds every navigation target.
    page.get_by_role("button", name="Menu").click()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    targets = _navigation_targets(page, base)
    assert len(targets) >= 8, targets
    incident = f"/incidents/{demo.number}/"
    postmortem = Incident.objects.filter(postmortem__isnull=False).first()
    extra = [incident, "/incidents/declare/", f"/incidents/{postmortem.number}/"]
    wide = {}
    for path in targets + extra:
        response = page.goto(f"{base}{path}")
        assert response.status < 500, path
        overflow = sideways_overflow(page)
        if overflow > 0:
            wide[path] = overflow
        # Pages one step further: the first postmortem, alert and schedule a list links to.
    for path in _first_details(page, base, targets):
        page.goto(f"{base}{path}")
        if (overflow := sideways_overflow(page)) > 0:
            wide[path] = overflow
    assert wide == {}, f"These pages scroll sideways at 390 px (pixels too wide): {wide}"


def _first_details(page: Page, base: str, targets: list[str]) -> list[str]:
    """One detail page behind each list in the navigation (a postmortem, an alert, ...)."""
    found = []
    for path in targets:
        page.goto(f"{base}{path}")
        hrefs = page.eval_on_selector_all(
            "main a[href]", "links => links.map(a => a.getAttribute('href'))"
        )
        for href in hrefs:
            if (
                href.startswith(path)
                and href != path
                and href.rstrip("/").split("/")[-1].isdigit()
                and href not in found
            ):
                found.append(href)
                break
    return found
