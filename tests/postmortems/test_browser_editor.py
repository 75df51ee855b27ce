"""The postmortem editor in a real Chromium: live preview, blameless warnings, autosave, and the
409 merge when two people edit the same section at the same time."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from postmortems import services
from postmortems.models import Postmortem, PostmortemRevision
from tests.postmortems.conftest import build_edge_router_incident

pytestmark = pytest.mark.browser

SCREENSHOT = "/tmp/firebreak-postmortem-editor.png"
# Deadlines for debounced autosave and HTMX round trips, not timing assertions.
DEADLINE_MS = 15_000


@pytest.fixture
def people(transactional_db):
    """Transactional tests flush the database: recreate the groups and built-in templates."""
    from django.contrib.auth.models import Group

    from oncall.access import GROUPS
    from tests.factories import UserFactory

    for name in GROUPS:
        Group.objects.get_or_create(name=name)
    services.postmortem_templates_sync_builtin()
    rita = UserFactory(username="rita", first_name="Rita", groups=["responder"])
    omar = UserFactory(username="omar", first_name="Omar", groups=["responder"])
    UserFactory(username="chris", first_name="Chris", groups=["viewer"])
    return rita, omar


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/incidents/")


def test_write_with_live_preview_autosave_and_merge_after_a_conflict(live_server, browser, people):
    rita, omar = people
    incident = build_edge_router_incident(rita)
    postmortem = services.postmortem_create(user=rita, incident=incident)
    base = live_server.url

    # The browser's own clock is in Tokyo; Rita's zone (UTC) is what the page must show.
    context = browser.new_context(
        viewport={"width": 1500, "height": 1100}, timezone_id="Asia/Tokyo", locale="en-US"
    )
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    csp_violations: list[str] = []
    page.on(
        "console",
        lambda msg: (
            csp_violations.append(msg.text) if "Content Security Policy" in msg.text else None
        ),
    )

    log_in(page, base, "rita")
    page.goto(f"{base}/postmortems/{postmortem.pk}/edit/")
    preview = page.locator("#pm-preview")
    expect(preview.locator("#section-timeline")).to_contain_text("[Outage Begins]")
    expect(preview.locator("#section-timeline")).to_contain_text("14:12")

    summary = page.locator("textarea[data-section-key=summary]")
    summary.fill(
        "Chris committed a software change that broke everything.\n\n"
        "<img src=x onerror=alert(1)> <script>alert(2)</script> [x](javascript:alert(3))"
    )
    # The live preview (HTMX) shows the text sanitised, and the blameless warning.
    expect(preview.locator("[data-rule=person_name]")).to_contain_text(
        '"Chris"', timeout=DEADLINE_MS
    )
    expect(preview.locator("#section-summary")).to_contain_text("Chris committed a software change")
    assert preview.locator("#section-summary script, #section-summary img").count() == 0
    assert preview.locator("#section-summary a[href^=javascript]").count() == 0

    # Autosave through the API with the version lock.
    status = page.locator("#pm-save-status")
    expect(status).to_contain_text("Saved version 2", timeout=DEADLINE_MS)
    # One time format everywhere: "2026-03-08 10:58 UTC" in the person's zone, as the server
    # writes times — not the browser's "2:09:49 PM".
    expect(status).to_have_text(re.compile(r"^Saved version 2 at \d{4}-\d\d-\d\d \d\d:\d\d UTC$"))
    assert (
        Postmortem.objects.get(pk=postmortem.pk)
        .sections.get(key="summary")
        .body.startswith("Chris committed")
    )

    # Omar saves the same section from his own (current) copy while Rita keeps typing.
    services.postmortem_save(
        user=omar,
        postmortem=postmortem,
        version=2,
        sections=[{"key": "summary", "body": "A change was made that introduced a new route."}],
    )
    summary.fill("We deployed a route change; the parser threw on it.")
    conflict = page.locator("#pm-conflict")
    expect(conflict).to_be_visible(timeout=DEADLINE_MS)
    expect(conflict.locator(".pm-theirs")).to_have_text(
        "A change was made that introduced a new route."
    )
    expect(conflict.locator(".pm-yours")).to_have_text(
        "We deployed a route change; the parser threw on it."
    )
    expect(status).to_contain_text("someone else saved version 3")
    assert PostmortemRevision.objects.filter(postmortem=postmortem, kind="conflict").count() == 1

    # Rita merges by hand and saves: version 4 carries both.
    summary.fill("We deployed a route change that introduced a new route; the parser threw on it.")
    page.get_by_role("button", name="I have merged: save").click()
    expect(status).to_contain_text("Saved version 4", timeout=DEADLINE_MS)
    expect(conflict).to_be_hidden()
    saved = Postmortem.objects.get(pk=postmortem.pk)
    assert (
        saved.sections.get(key="summary").body
        == "We deployed a route change that introduced a new route; the parser threw on it."
    )
    kinds = list(
        PostmortemRevision.objects.filter(postmortem=postmortem).values_list("kind", "version")
    )
    assert kinds == [("created", 1), ("save", 2), ("save", 3), ("conflict", 2), ("save", 4)]

    expect(preview.locator("[data-rule=person_name]")).to_have_count(0, timeout=DEADLINE_MS)
    page.screenshot(path=SCREENSHOT, full_page=False)
    assert dialogs == [], "a script from the postmortem text ran"
    assert csp_violations == []
    context.close()


def test_reload_offers_text_that_never_reached_the_server(live_server, browser, people):
    rita, _ = people
    incident = build_edge_router_incident(rita)
    postmortem = services.postmortem_create(user=rita, incident=incident)
    base = live_server.url
    context = browser.new_context()
    page = context.new_page()
    log_in(page, base, "rita")
    page.goto(f"{base}/postmortems/{postmortem.pk}/edit/")
    # The server refuses every save (as if offline): the text must survive a reload.
    page.route(f"**/api/v1/postmortems/{postmortem.pk}/", lambda route: route.abort())
    page.locator("textarea[data-section-key=root_cause]").fill("Typed while the network was down.")
    expect(page.locator("#pm-save-status")).to_contain_text(
        "Your text is kept in this browser", timeout=DEADLINE_MS
    )
    page.unroute(f"**/api/v1/postmortems/{postmortem.pk}/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.reload()
    page.get_by_role("button", name="Restore it").click()
    expect(page.locator("textarea[data-section-key=root_cause]")).to_have_value(
        "Typed while the network was down."
    )
    expect(page.locator("#pm-save-status")).to_contain_text("Saved version 2", timeout=DEADLINE_MS)
    assert (
        Postmortem.objects.get(pk=postmortem.pk).sections.get(key="root_cause").body
        == "Typed while the network was down."
    )
    context.close()


def test_write_review_and_publish_a_postmortem(live_server, browser, people):
    """The whole workflow a user sees: write from the incident page, send for review, the reviewer
    approves (acknowledging the writing warnings), the author publishes."""
    rita, omar = people
    incident = build_edge_router_incident(rita)
    base = live_server.url

    author = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    log_in(author, base, "rita")
    author.goto(f"{base}/incidents/{incident.number}/")
    author.get_by_role("link", name="Write postmortem").click()
    author.get_by_role("button", name="Create draft").click()
    author.wait_for_url(f"{base}/postmortems/*/edit/")
    postmortem = Postmortem.objects.get(incident=incident)

    author.locator("textarea[data-section-key=summary]").fill(
        "A route change made our parser throw, so the edge routers rejected traffic for 65 minutes."
    )
    expect(author.locator("#pm-save-status")).to_contain_text("Saved version", timeout=DEADLINE_MS)

    author.goto(f"{base}/postmortems/{postmortem.pk}/")
    author.locator("#review").get_by_label("Omar").check()
    author.get_by_role("button", name="Send for review").click()
    expect(author.locator("#review")).to_contain_text("Omar")
    assert Postmortem.objects.get(pk=postmortem.pk).status == "in_review"

    reviewer = browser.new_context().new_page()
    log_in(reviewer, base, "omar")
    reviewer.goto(f"{base}/postmortems/{postmortem.pk}/")
    reviewer.locator("#review").get_by_label("Approve").check()
    acknowledge = reviewer.get_by_label("I have read the writing warnings")
    if acknowledge.count():
        acknowledge.check()
    reviewer.get_by_role("button", name="Record review").click()
    expect(reviewer.locator("#review")).to_contain_text("Approved")

    author.goto(f"{base}/postmortems/{postmortem.pk}/")
    author.locator("#review select").select_option("internal")
    author.get_by_role("button", name="Publish").click()
    expect(author.locator("#review")).to_contain_text("Published")
    published = Postmortem.objects.get(pk=postmortem.pk)
    assert published.status == "published"
    assert published.published_at is not None
    expect(author.locator("body")).to_contain_text("A route change made our parser throw")
