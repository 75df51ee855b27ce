"""A team responder (not an admin) sets up an on-call schedule in a real browser: picks people
from the directory and the service from a list, watches the three-month preview follow the
rotation, saves, and finds the rotation on the schedule's timeline — on a laptop and a phone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from oncall.models import Schedule
from tests.browser.test_incident_flow import log_in, record_csp_violations
from tests.factories import ServiceFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.browser

SHOTS = "/tmp/firebreak-schedule-{size}-{page}.png"


def no_sideways_scroll(page) -> None:
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], widths


@pytest.fixture
def edge_team(responder):
    """rita (a responder, not an admin) is in the edge team, which owns edge routing; storage
    belongs to another team. Ana and Ben have been around; Nia joined last week."""
    edge = TeamFactory(slug="edge", name="Edge & Networking")
    edge.members.add(responder)
    ServiceFactory(slug="edge-router", name="Edge routing", team=edge)
    ServiceFactory(slug="object-storage", name="Object storage", team=TeamFactory(slug="storage"))
    people = {
        "ana": UserFactory(
            username="ana", first_name="Ana", last_name="Lima", timezone="Europe/Lisbon"
        ),
        "ben": UserFactory(
            username="ben", first_name="Ben", last_name="Okoro", timezone="America/New_York"
        ),
        "nia": UserFactory(
            username="nia", first_name="Nia", last_name="Berg", timezone="Asia/Tokyo"
        ),
    }
    people["nia"].date_joined = timezone.now() - timedelta(days=6)
    people["nia"].save(update_fields=["date_joined"])
    return people


def test_a_team_responder_creates_a_schedule_and_sees_it_on_the_timeline(
    live_server, browser, responder, edge_team
):
    base = live_server.url
    page = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    csp = record_csp_violations(page)
    log_in(page, base, "rita")

    page.goto(f"{base}/schedules/")
    page.get_by_role("link", name="New schedule").click()
    page.get_by_label("Name").fill("Edge primary")
    page.get_by_label("Slug").fill("edge-primary")
    service = page.get_by_label("Service", exact=True)
    assert service.locator("option").all_inner_texts() == [
        "— choose a service —",
        "Edge routing (Edge & Networking)",
    ]
    service.select_option(label="Edge routing (Edge & Networking)")
    page.get_by_label("Time zone").select_option("Europe/London")

    picker = page.get_by_test_id("people-picker")
    nia_row = picker.locator("li", has_text="Nia Berg")
    expect(nia_row).to_contain_text("Asia/Tokyo")
    expect(nia_row).to_contain_text("new: joined 6 days ago, never on call")
    page.get_by_label("Ana Lima", exact=True).check()
    page.get_by_label("Ben Okoro", exact=True).check()
    page.get_by_label("Nia Berg", exact=True).check()
    nia_row.get_by_label("Shadow (Nia Berg)").check()
    expect(nia_row.get_by_label("Position of Nia Berg")).to_have_value("3")

    preview = page.get_by_test_id("preview")
    expect(preview).to_contain_text("Primary: Ana Lima")
    expect(preview).to_contain_text("Secondary: Nia Berg")  # Nia shadows Ben, never primary
    expect(preview.locator('g[data-layer="primary"][data-person="nia"]')).to_have_count(0)
    weekly_bars = preview.locator("g.tl-bar").count()
    page.get_by_label("Rotation").select_option("daily")
    expect(preview.locator("g.tl-bar")).not_to_have_count(weekly_bars)  # the preview followed
    page.get_by_label("Rotation").select_option("weekly")
    expect(preview.locator("g.tl-bar")).to_have_count(weekly_bars)
    page.screenshot(path=SHOTS.format(size="1440", page="form"), full_page=True)
    no_sideways_scroll(page)

    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(f"{base}/schedules/edge-primary/")
    expect(page.locator(".messages")).to_contain_text("Schedule Edge primary created.")
    timeline = page.get_by_test_id("timeline")
    expect(timeline.locator('g[data-layer="primary"][data-person="ana"]').first).to_be_visible()
    expect(timeline.get_by_role("list", name="Colours")).to_contain_text("Nia Berg")
    page.screenshot(path=SHOTS.format(size="1440", page="timeline"), full_page=True)
    no_sideways_scroll(page)
    schedule = Schedule.objects.get(slug="edge-primary")
    assert schedule.created_by == responder and schedule.service_slug == "edge-router"
    assert [p.user.username for p in schedule.participants.order_by("position")] == [
        "ana",
        "ben",
        "nia",
    ]

    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    csp += record_csp_violations(phone)
    log_in(phone, base, "rita")
    phone.goto(f"{base}/schedules/edge-primary/")
    expect(phone.get_by_test_id("timeline")).to_contain_text("Primary")
    no_sideways_scroll(phone)
    box = phone.locator(".shift-timeline-scroll")
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")  # the timeline scrolls in its box
    phone.screenshot(path=SHOTS.format(size="390", page="timeline"), full_page=True)
    phone.goto(f"{base}/schedules/edge-primary/edit/")
    expect(phone.get_by_test_id("preview")).to_contain_text("Primary: Ana Lima")
    no_sideways_scroll(phone)
    phone.screenshot(path=SHOTS.format(size="390", page="form"), full_page=True)
    assert csp == []
