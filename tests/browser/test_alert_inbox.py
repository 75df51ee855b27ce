"""The alerts inbox's Actionable / Not actionable buttons in a real browser: with script the
row's answer changes in place (no page load) and is recorded on the alert."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from oncall.alerts.services import alert_ingest, integration_create
from oncall.models import Alert
from tests.browser.test_incident_flow import log_in, record_csp_violations
from tests.oncall.fixtures import payload

pytestmark = pytest.mark.browser


def test_answering_on_a_row_changes_that_row_in_place_without_a_page_load(
    live_server, browser, responder
):
    issued = integration_create(user=responder, kind="alertmanager", name="prod")
    alert_ingest(integration=issued.integration, payload=payload("alertmanager-firing.json"))
    newest = Alert.objects.order_by("-fired_at").first()
    base = live_server.url

    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    csp = record_csp_violations(page)
    log_in(page, base, "rita")
    page.goto(f"{base}/alerts/?urgency=critical")
    page.evaluate("window.notReloaded = true")
    row = page.locator(f"#alert-{newest.pk}")

    row.get_by_role("button", name="Not actionable:").click()

    expect(row.locator(".answer-state")).to_have_text("Not actionable")
    expect(row.get_by_role("button", name="Not actionable:")).to_have_attribute(
        "aria-pressed", "true"
    )
    assert page.evaluate("window.notReloaded") is True  # swapped in place, no page load
    assert page.url == f"{base}/alerts/?urgency=critical"
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    newest.refresh_from_db()
    assert newest.actionable is False
    assert csp == []
