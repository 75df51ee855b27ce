"""The issue's acceptance scenario, in a real browser.

Rita logs in, declares an incident, hands command to Omar and posts a stakeholder update. Omar,
who opened the incident page before all that, sees the handoff and the update arrive on the live
timeline without reloading; Omar adds a note and Rita's page shows it the same way.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.factories import ServiceFactory

pytestmark = pytest.mark.browser

SCREENSHOT = "/tmp/firebreak-incident.png"
# Longer than a few HTMX polls (every 5 s): a deadline for the poll, not a timing assertion.
LIVE_UPDATE_DEADLINE_MS = 20_000


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{base_url}/incidents/")


def record_navigations(page: Page) -> list[str]:
    """Main-frame navigations from now on: an HTMX refresh must not add any."""
    navigations: list[str] = []
    page.on(
        "framenavigated",
        lambda frame: navigations.append(frame.url) if frame == page.main_frame else None,
    )
    return navigations


def record_csp_violations(page: Page) -> list[str]:
    """What Chromium reports on the console when the CSP blocks something."""
    violations: list[str] = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return violations


def test_declare_hand_off_post_an_update_and_follow_the_live_timeline(
    live_server, browser, responder, other_responder
):
    ServiceFactory(slug="checkout", name="Checkout")
    responder.timezone = "Europe/Berlin"
    responder.save()
    base = live_server.url

    rita = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    rita_csp = record_csp_violations(rita)
    log_in(rita, base, "rita")

    # Declare through the form.
    rita.get_by_role("navigation", name="Main").get_by_role("link", name="Declare incident").click()
    rita.get_by_label("Title", exact=True).fill("Checkout returns 500s")
    rita.get_by_role("radio", name=re.compile(r"^SEV2")).check()
    rita.get_by_label("Summary").fill("Card payments fail for about a third of customers.")
    rita.get_by_label("Trigger").select_option("code_change")
    rita.get_by_label("Services").select_option("checkout")
    rita.get_by_role("button", name="Declare incident").click()

    expect(rita).to_have_url(f"{base}/incidents/1/")
    expect(rita.locator(".messages")).to_contain_text(
        "Declared INC-1. You are the incident commander."
    )
    expect(rita.locator(".incident-header")).to_contain_text("Checkout returns 500s")
    expect(rita.locator(".incident-header")).to_contain_text("CET")  # Rita's zone, not UTC
    # The countdown script runs under the CSP and counts down to the next update.
    expect(rita.locator(".countdown-remaining")).to_have_text(re.compile(r"^in \d+:\d\d$"))

    # Omar opens the incident now and keeps the page open.
    omar = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    omar_csp = record_csp_violations(omar)
    log_in(omar, base, "omar")
    omar.goto(f"{base}/incidents/1/")
    expect(omar.locator("#roles tr.role-incident_commander")).to_contain_text("Rita")
    omar_navigations = record_navigations(omar)

    # Rita hands command to Omar.
    roles = rita.locator("#roles")
    roles.get_by_label("Role", exact=True).select_option("incident_commander")
    roles.get_by_label("Person").select_option(label="Omar")
    roles.get_by_role("button", name="Assign").click()
    expect(rita.locator(".messages")).to_contain_text("Omar is now incident commander.")
    expect(rita.locator("#roles tr.role-incident_commander")).to_contain_text("Omar")

    # Rita posts a stakeholder update from the pre-filled composer.
    composer = rita.locator("#compose")
    expect(composer.get_by_label("Message")).to_have_value(
        "What we know:\n\nWhat we are doing:\n\nNext update at:"
    )
    composer.get_by_label("Message").fill(
        "What we know: card payments fail since deploy 4711.\n"
        "What we are doing: rolling back.\nNext update at: in 30 minutes."
    )
    composer.get_by_role("button", name="Post update").click()
    expect(rita.locator(".messages")).to_contain_text("Posted the internal update.")

    # Omar's page shows both on its live timeline without being reloaded.
    omar_timeline = omar.locator("#timeline")
    expect(omar_timeline).to_contain_text(
        "Incident commander handed off from Rita to Omar.", timeout=LIVE_UPDATE_DEADLINE_MS
    )
    expect(omar_timeline).to_contain_text(
        "card payments fail since deploy 4711", timeout=LIVE_UPDATE_DEADLINE_MS
    )
    expect(omar_timeline).to_contain_text("Internal update by Rita")
    assert omar_navigations == []

    # And the other way round: Omar adds a note, Rita's page shows it live.
    rita_navigations = record_navigations(rita)
    note_form = omar.locator("#note")
    note_form.get_by_label("Note", exact=True).fill("Rollback to v41 finished; error rate falling.")
    note_form.get_by_label("Highlight").check()
    note_form.get_by_role("button", name="Add note").click()
    expect(omar.locator(".messages")).to_contain_text("Note added to the timeline.")

    rita_timeline = rita.locator("#timeline")
    expect(rita_timeline).to_contain_text(
        "Rollback to v41 finished; error rate falling.", timeout=LIVE_UPDATE_DEADLINE_MS
    )
    expect(rita_timeline.locator(".event.highlighted")).to_contain_text("Rollback to v41")
    assert rita_navigations == []

    # Highlighting an event swaps the timeline in place too.
    handoff = rita_timeline.locator(".event-role_handed_off")
    handoff.get_by_role("button", name="☆ Highlight").click()
    expect(handoff).to_have_class(re.compile(r"\bhighlighted\b"))
    expect(rita_timeline.locator(".event-role_handed_off")).to_contain_text("★ Highlighted")
    assert rita_navigations == []

    rita.screenshot(path=SCREENSHOT, full_page=True)
    assert rita_csp == [] and omar_csp == []
