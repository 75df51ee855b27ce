"""Writing warnings in the editor, in a real Chromium: each warning sits beside the sentence it is
about, with the sentence marked and a rewrite hint built from it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from postmortems import services
from postmortems.lint.names import directory_cache_clear
from tests.postmortems.conftest import build_edge_router_incident
from tests.postmortems.test_browser_editor import DEADLINE_MS, log_in, people  # noqa: F401

pytestmark = pytest.mark.browser

ROOT_CAUSE = (
    "The SRE on shift restarted the whole database cluster at once.\n\n"
    "- The reviewer might have caught the missing WHERE clause.\n"
    "- The alert failed to fire because the metric had been renamed.\n\n"
    "Root cause: operator error during the failover. Chris's typo sent traffic to the wrong "
    "region.\n\n"
    "```\n2026-05-01 ERROR user=chris dropped table orders\n```"
)
SCREENSHOTS = {
    (1440, 900): "/tmp/firebreak-lint-notes-1440.png",
    (390, 844): "/tmp/firebreak-lint-notes-390.png",
}


def test_each_warning_is_shown_beside_its_sentence_with_a_hint(live_server, browser, people):  # noqa: F811
    rita, _ = people
    directory_cache_clear()
    incident = build_edge_router_incident(rita)
    postmortem = services.postmortem_create(user=rita, incident=incident)
    for (width, height), path in SCREENSHOTS.items():
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        log_in(page, live_server.url, "rita")
        page.goto(f"{live_server.url}/postmortems/{postmortem.pk}/edit/")
        page.locator("textarea[data-section-key=root_cause]").fill(ROOT_CAUSE)
        section = page.locator("#pm-preview #section-root_cause")

        role = section.locator(".pm-note.pm-note-placed[data-rule=person_role]")
        expect(role).to_contain_text('"The SRE on shift"', timeout=DEADLINE_MS)
        expect(role).to_contain_text('"We restarted the whole database cluster at once."')
        # The note follows the paragraph whose sentence is marked.
        marked = role.locator("xpath=preceding-sibling::*[1]").locator("mark.pm-flag")
        expect(marked).to_have_text(
            "The SRE on shift restarted the whole database cluster at once."
        )

        hindsight = section.locator("li .pm-note[data-rule=hindsight]")
        expect(hindsight).to_contain_text("might have caught")
        expect(hindsight).to_contain_text("action item")
        cause = section.locator(".pm-note[data-rule=blame_as_cause]")
        expect(cause).to_contain_text('"operator error"')
        expect(cause).to_contain_text("the failover")
        expect(section.locator(".pm-note[data-rule=person_name]")).to_contain_text("Chris's")
        # A system as subject and a quoted log line are not blame.
        expect(section.locator("mark.pm-flag")).to_have_count(4)
        assert "failed to fire" not in " ".join(section.locator("mark.pm-flag").all_inner_texts())
        assert section.locator("pre .pm-flag").count() == 0

        page.locator("#section-root_cause").scroll_into_view_if_needed()
        page.screenshot(path=path, full_page=False)
        context.close()
