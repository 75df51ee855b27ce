"""From the alerts page to a declared incident in a real browser.

The checkboxes in the alert table belong to the "declare" GET form through their ``form``
attribute (no script), so only a browser shows that ticking them really carries them along.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from oncall.alerts.services import alert_ingest, integration_create
from oncall.models import Alert
from tests.browser.test_incident_flow import log_in, record_csp_violations
from tests.factories import ServiceFactory
from tests.oncall.fixtures import payload

pytestmark = pytest.mark.browser

SCREENSHOT = "/tmp/firebreak-declare-from-alerts.png"


def test_tick_alerts_declare_and_see_them_linked(live_server, browser, responder):
    ServiceFactory(slug="checkout", name="Checkout")
    issued = integration_create(user=responder, kind="alertmanager", name="prod")
    alert_ingest(integration=issued.integration, payload=payload("alertmanager-firing.json"))
    first, second = Alert.objects.order_by("fired_at")
    base = live_server.url

    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    csp = record_csp_violations(page)
    log_in(page, base, "rita")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Alerts").click()
    page.locator(f"#select-alert-{first.pk}").check()
    page.locator(f"#select-alert-{second.pk}").check()
    page.get_by_role("button", name="Declare incident from selected alerts").click()

    expect(page.locator(".alerts-box")).to_contain_text("Declaring from 2 alerts")
    expect(page.get_by_label("Title", exact=True)).to_have_value("Roll back checkout: 5xx above 5%")
    page.get_by_role("button", name="Declare incident").click()

    expect(page.locator(".messages")).to_contain_text("Linked 2 alert(s).")
    expect(page.locator("#alerts .linked-alerts tbody tr")).to_have_count(2)
    page.screenshot(path=SCREENSHOT, full_page=True)
    assert csp == []
