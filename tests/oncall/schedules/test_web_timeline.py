"""The schedule page's timeline: four weeks of coloured bars per layer in the viewer's time zone,
with a legend and the same shifts as text, earlier/later navigation, and overrides shown."""

from __future__ import annotations

import re
from datetime import date

import pytest

from oncall.models import ScheduleOverride
from oncall.schedules.timeline import PALETTE
from tests.oncall.schedules.support import make_schedule, utc


@pytest.fixture
def payments(clock, admin_user, people):
    # Weekly, Monday 09:00 UTC from 6 Jan 2025: ana/ben, ben/cat, cat/ana, ...
    return make_schedule(admin_user, [people["ana"], people["ben"], people["cat"]])


def page(client, user, path, timezone_name="UTC") -> str:
    user.timezone = timezone_name
    user.save(update_fields=["timezone"])
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def bars(html: str) -> list[tuple[str, str, str]]:
    """(layer row, person, full text) of every bar drawn."""
    return re.findall(
        r'<g class="tl-bar" data-layer="([a-z]+)" data-person="([a-z]+)"><title>([^<]+)</title>',
        html,
    )


def fill_of(html: str, layer: str, username: str) -> set[str]:
    found = re.findall(
        rf'data-layer="{layer}" data-person="{username}"><title>[^<]*</title>\s*<rect [^>]*fill="(#[0-9A-Fa-f]+)"',
        html,
    )
    return set(found)


def test_four_weeks_of_bars_in_the_viewers_time_zone(client, responder, payments):
    html = page(client, responder, f"/schedules/{payments.slug}/", "America/New_York")
    drawn = bars(html)
    # The 09:00 UTC Monday hand-off is 04:00 in New York; the window is 6 Jan – 2 Feb.
    assert ("primary", "ana", "Primary: Ana, Mon 6 Jan 04:00 – Mon 13 Jan 04:00") in drawn
    assert ("secondary", "ben", "Secondary: Ben, Mon 6 Jan 04:00 – Mon 13 Jan 04:00") in drawn
    assert ("primary", "ben", "Primary: Ben, Mon 13 Jan 04:00 – Mon 20 Jan 04:00") in drawn
    assert "Mon 6 Jan 2025 – Sun 2 Feb 2025" in html and "America/New_York" in html
    # Nothing is drawn outside the window; the last primary bar is cut at the window's end.
    assert ("primary", "ana", "Primary: Ana, Mon 27 Jan 04:00 – Mon 3 Feb 00:00") in drawn
    assert len([b for b in drawn if b[0] == "primary"]) == 4
    # The same shifts as text, for print and screen readers, and a legend naming each colour.
    assert "<li>Primary: Ana, Mon 6 Jan 04:00 – Mon 13 Jan 04:00</li>" in html
    assert 'aria-label="Colours"' in html and "primary 7 days" in html
    assert 'href="?from=2024-12-09"' in html and 'href="?from=2025-02-03"' in html
    assert 'class="table calendar"' not in html  # a timeline, not the old text table


def test_each_person_keeps_one_colour_from_the_palette(client, viewer, payments):
    html = page(client, viewer, f"/schedules/{payments.slug}/")
    colours = {
        u: fill_of(html, "primary", u) | fill_of(html, "secondary", u)
        for u in ("ana", "ben", "cat")
    }
    assert all(len(c) == 1 for c in colours.values()), colours
    assert len({c.pop() for c in colours.values()}) == 3  # three people, three colours
    palette = {fill for fill, _ in PALETTE}
    bar_fills = set(
        re.findall(
            r'<rect x="[0-9.]+" y="[0-9.]+" width="[0-9.]+" height="24" rx="3" fill="(#[0-9A-Fa-f]{6})"',
            html,
        )
    )
    assert bar_fills and bar_fills <= palette


def test_the_window_follows_the_march_change_in_the_schedules_zone(
    client, admin_user, people, clock
):
    london = make_schedule(
        admin_user,
        [people["ana"], people["ben"], people["cat"]],
        slug="london",
        timezone_name="Europe/London",
        start=date(2025, 3, 17),
    )
    html = page(client, admin_user, f"/schedules/{london.slug}/?from=2025-03-19", "Europe/London")
    assert "Primary: Ana, Mon 17 Mar 09:00 – Mon 24 Mar 09:00" in html  # GMT
    assert "Primary: Cat, Mon 31 Mar 09:00 – Mon 7 Apr 09:00" in html  # BST, 09:00 on the wall
    utc_html = page(client, admin_user, f"/schedules/{london.slug}/?from=2025-03-17", "UTC")
    assert "Primary: Cat, Mon 31 Mar 08:00 – Mon 7 Apr 08:00" in utc_html


def test_an_override_shows_in_its_layer_and_in_the_overrides_row(
    client, responder, payments, people
):
    ScheduleOverride.objects.create(
        schedule=payments,
        layer="primary",
        user=people["dev"],
        start_at=utc(2025, 1, 9, 18),
        end_at=utc(2025, 1, 10, 6),
        created_by=responder,
    )
    drawn = bars(page(client, responder, f"/schedules/{payments.slug}/"))
    assert (
        "primary",
        "dev",
        "Primary: Dev, Thu 9 Jan 18:00 – Fri 10 Jan 06:00 (override)",
    ) in drawn
    assert (
        "overrides",
        "dev",
        "Primary: Dev, Thu 9 Jan 18:00 – Fri 10 Jan 06:00 (override)",
    ) in drawn
    # ana's week is cut around the override
    assert ("primary", "ana", "Primary: Ana, Mon 6 Jan 09:00 – Thu 9 Jan 18:00") in drawn


@pytest.mark.parametrize("when", ["1999-01-01", "9999-12-31", "yesterday", "2025-02-30"])
def test_any_window_asked_for_is_bounded_and_never_an_error(client, viewer, payments, when):
    html = page(client, viewer, f"/schedules/{payments.slug}/?from={when}")
    assert len(bars(html)) <= 3 * 4 * 7  # four weeks: at most a bar per layer per day here
    assert "Mon 6 Jan 2025 – Sun 2 Feb 2025" in html  # nonsense falls back to this week


def test_far_ahead_the_rotation_is_still_drawn(client, viewer, payments):
    html = page(client, viewer, f"/schedules/{payments.slug}/?from=2030-06-05")
    assert "Mon 3 Jun 2030 – Sun 30 Jun 2030" in html
    assert len([b for b in bars(html) if b[0] == "primary"]) == 5
