"""A person sets up their paging channels in a real browser, on a phone-sized screen: adds a
push topic and a phone number, fixes a mistyped number, puts SMS first."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from oncall.models import ContactMethod
from tests.browser.test_incident_flow import log_in, record_csp_violations

pytestmark = pytest.mark.browser

SCREENSHOT = "/tmp/firebreak-contact-methods.png"


def test_add_fix_and_reorder_contact_methods_on_a_phone(live_server, browser, responder):
    base = live_server.url
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    csp = record_csp_violations(page)
    log_in(page, base, "rita")

    page.goto(f"{base}/profile/")
    page.get_by_role("link", name="Contact methods").click()
    page.get_by_label("Channel").select_option(label="Push (ntfy)")
    page.get_by_label("Number, topic or URL").fill("rita-pager-7f3k")
    page.get_by_role("button", name="Add").click()
    page.get_by_label("Channel").select_option(label="SMS (Twilio)")
    page.get_by_label("Number, topic or URL").fill("0151 1234")
    page.get_by_role("button", name="Add").click()
    expect(page.locator(".form-error")).to_contain_text("international form")
    page.get_by_label("Number, topic or URL").fill("+4915112345678")
    page.get_by_role("button", name="Add").click()
    page.get_by_role("button", name="Try SMS (Twilio) earlier").click()

    rows = page.get_by_test_id("contact-methods").locator("li")
    expect(rows.nth(0)).to_contain_text("SMS (Twilio)")
    expect(rows.nth(1)).to_contain_text("rita-pager-7f3k")
    # The list fits its card on a phone (a table used to overflow it).
    widths = page.get_by_test_id("contact-methods").evaluate(
        "el => [el.scrollWidth, el.clientWidth]"
    )
    assert widths[0] <= widths[1]
    page.screenshot(path=SCREENSHOT, full_page=True)
    assert list(ContactMethod.objects.filter(user=responder).values_list("kind", flat=True)) == [
        "sms",
        "push",
    ]
    assert csp == []
