"""The weekly alert review in a real browser: a storm group lists its newest alerts, its own page
pages through the rest and marks an alert there, on a laptop and on a phone without sideways
scrolling."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from oncall.alerts.services import integration_create
from oncall.models import Alert

pytestmark = pytest.mark.browser

WEEK = "2026-W47"
START = datetime(2026, 11, 17, 1, 0, tzinfo=UTC)


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{base}/incidents/")


def sideways_overflow(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize(
    "viewport", [{"width": 1440, "height": 900}, {"width": 390, "height": 844}], ids=str
)
def test_a_storm_group_pages_through_its_alerts_and_marks_one(
    live_server, browser, responder, viewport
):
    responder.timezone = "UTC"
    responder.save()
    source = integration_create(user=responder, kind="generic", name="cron").integration
    Alert.objects.bulk_create(
        Alert(
            integration=source,
            name="QueueBacklog",
            fingerprint=f"q-{k}",
            fired_at=START + timedelta(minutes=k),
            summary="Drain the queue backlog",
            first_received_at=START,
            last_received_at=START,
        )
        for k in range(60)
    )
    oldest = Alert.objects.get(fingerprint="q-0")
    page = browser.new_context(viewport=viewport).new_page()
    log_in(page, live_server.url, responder.username)

    page.goto(f"{live_server.url}/alerts/review/?week={WEEK}")
    group = page.locator('section[data-group="QueueBacklog"]')
    group.locator("details.review-alerts > summary").click()
    expect(group.locator("tr.review-alert")).to_have_count(20)
    assert sideways_overflow(page) == 0
    group.get_by_role("link", name="All 60 of this week, page by page").click()

    expect(page.get_by_role("heading", name="Alerts 1–50 of 60 newest first")).to_be_visible()
    page.get_by_role("link", name="Older alerts →").click()
    expect(page.get_by_role("heading", name="Alerts 51–60 of 60 newest first")).to_be_visible()
    assert sideways_overflow(page) == 0
    row = page.locator(f'tr[data-alert-id="{oldest.pk}"]')
    row.scroll_into_view_if_needed()
    row.get_by_role("button", name="Not actionable").click()

    expect(page.get_by_text("Marked 1 alert not actionable.")).to_be_visible()
    expect(page.get_by_role("heading", name="Alerts 51–60 of 60 newest first")).to_be_visible()
    expect(page.locator(f'tr[data-alert-id="{oldest.pk}"] td.actionable')).to_contain_text(
        "not actionable"
    )
    page.screenshot(path=f"/tmp/firebreak-alert-review-{viewport['width']}.png", full_page=True)
