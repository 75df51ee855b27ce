"""Creating and editing a schedule on the web: people picked from the directory (names, time
zones, who is new), the service picked from a list, the next three months previewed as the
rotation changes (and with a Preview button without JavaScript), errors in plain words."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from oncall.models import Schedule, ScheduleParticipant
from tests.factories import ServiceFactory, TeamFactory, UserFactory
from tests.oncall.schedules.support import make_schedule, person


@pytest.fixture
def edge(clock, db, responder):
    """The edge team (rita is a member) owns the edge-router service."""
    team = TeamFactory(slug="edge", name="Edge & Networking")
    team.members.add(responder)
    return ServiceFactory(slug="edge-router", name="Edge routing", team=team)


@pytest.fixture
def storage(db):
    return ServiceFactory(
        slug="object-storage",
        name="Object storage",
        team=TeamFactory(slug="storage", name="Storage"),
    )


def picked(*people, new=(), sites=None) -> dict:
    """The picker's fields for ``people`` in rotation order."""
    data = {}
    for i, p in enumerate(people, start=1):
        data[f"person-{p.pk}-on"] = "1"
        data[f"person-{p.pk}-order"] = str(i)
        if p in new:
            data[f"person-{p.pk}-new"] = "1"
        data[f"person-{p.pk}-site"] = str((sites or {}).get(p, 0))
    return data


def form_data(**changes) -> dict:
    return {
        "name": "Edge",
        "slug": "edge",
        "service_slug": "edge-router",
        "timezone": "Europe/London",
        "rotation": "weekly",
        "handoff_time": "09:00",
        "start_date": "2025-01-13",
    } | changes


def test_a_team_responder_picks_people_and_a_service_and_saves(
    client, responder, people, edge, storage
):
    client.force_login(responder)
    page = client.get("/schedules/new/").content.decode()
    # The service is a list of this responder's team's services, not free text.
    assert '<option value="edge-router">Edge routing (Edge &amp; Networking)</option>' in page
    assert "object-storage" not in page
    # The directory shows names and time zones.
    assert "Ana" in page and "ana · UTC" in page
    ana, ben, cat = people["ana"], people["ben"], people["cat"]
    response = client.post("/schedules/new/", form_data() | picked(ana, cat, ben, new=(cat,)))
    assert response.status_code == 302, response.content.decode()
    schedule = Schedule.objects.get(slug="edge")
    assert schedule.service_slug == "edge-router" and schedule.created_by == responder
    rows = ScheduleParticipant.objects.filter(schedule=schedule).order_by("position")
    assert [(p.user.username, p.is_new) for p in rows] == [
        ("ana", False),
        ("cat", True),
        ("ben", False),
    ]
    assert "new: secondary only" in client.get("/schedules/edge/").content.decode()


def test_ticked_people_without_numbers_follow_the_numbered_ones(client, admin_user, people, edge):
    ana, ben, cat = people["ana"], people["ben"], people["cat"]
    data = form_data() | {
        f"person-{cat.pk}-on": "1",
        f"person-{ben.pk}-order": "1",  # a number alone also puts someone on the rotation
        f"person-{ana.pk}-on": "1",
    }
    client.force_login(admin_user)
    assert client.post("/schedules/new/", data).status_code == 302
    rows = ScheduleParticipant.objects.filter(schedule__slug="edge").order_by("position")
    assert [p.user.username for p in rows] == ["ben", "ana", "cat"]


def test_the_directory_says_who_is_new_and_why(client, admin_user, people, clock):
    make_schedule(admin_user, [people["ana"], people["ben"]], slug="search")
    nia = person("nia")
    nia.date_joined = timezone.now() - timedelta(days=3)
    nia.save(update_fields=["date_joined"])
    for p in people.values():
        p.date_joined = timezone.now() - timedelta(days=400)
        p.save(update_fields=["date_joined"])
    client.force_login(admin_user)
    page = client.get("/schedules/new/").content.decode()

    def row(username: str) -> str:
        start = page.index(f"{username} · UTC")
        return page[start : page.index("</li>", start)]

    assert "new:" not in row("ana")  # on the search rotation
    assert "new: never on call" in row("cat")
    assert "new: joined 3 days ago, never on call" in row("nia")
    UserFactory(username="viewing-only", groups=["viewer"])  # viewers are never on call
    assert "viewing-only" not in client.get("/schedules/new/").content.decode()


def test_the_preview_shows_the_next_three_months_as_the_rotation_changes(
    client, responder, people, edge
):
    client.force_login(responder)
    ana, ben = people["ana"], people["ben"]
    response = client.post(
        "/schedules/new/preview/", form_data(start_date="2025-01-06") | picked(ana, ben)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Wed 8 Jan 2025 – Wed 9 Apr 2025" in html  # from today, 92 days
    assert "Primary: Ana, Wed 8 Jan 00:00 – Mon 13 Jan 09:00" in html
    assert "Primary: Ben, Mon 13 Jan 09:00 – Mon 20 Jan 09:00" in html
    assert 'aria-label="Colours"' in html
    daily = client.post(
        "/schedules/new/preview/",
        form_data(rotation="daily", start_date="2025-01-06") | picked(ana, ben),
    ).content.decode()
    assert "Primary: Ben, Thu 9 Jan 09:00 – Fri 10 Jan 09:00" in daily
    assert not Schedule.objects.exists()


def test_very_short_shifts_preview_fewer_days_not_thousands_of_slivers(
    client, responder, people, edge
):
    client.force_login(responder)
    response = client.post(
        "/schedules/new/preview/",
        form_data(rotation="custom", shift_hours="1", start_date="2025-01-06")
        | picked(people["ana"], people["ben"], people["cat"]),
    )
    html = response.content.decode()
    assert "here are the first 8 days" in html  # 92 days of hourly shifts: 2,208 of them
    assert html.count('<g class="tl-bar"') <= 2 * 8 * 24


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"rotation": "three_four", "start_date": "2025-01-14"}, "starts on a Monday"),
        ({"rotation": "custom"}, "shift length"),
        ({"handoff_time": "25:99"}, "Enter a valid time"),
        ({"timezone": "Mars/Base"}, "Select a valid choice"),
    ],
)
def test_a_preview_that_cannot_be_drawn_says_why(client, responder, people, edge, change, words):
    client.force_login(responder)
    response = client.post(
        "/schedules/new/preview/", form_data(**change) | picked(people["ana"], people["ben"])
    )
    assert response.status_code == 200
    assert "No preview yet" in response.content.decode() and words in response.content.decode()


def test_without_javascript_the_preview_button_shows_the_preview_and_saves_nothing(
    client, responder, people, edge
):
    client.force_login(responder)
    data = (
        form_data(start_date="2025-01-06") | picked(people["ana"], people["ben"]) | {"preview": "1"}
    )
    response = client.post("/schedules/new/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Primary: Ben, Mon 13 Jan 09:00 – Mon 20 Jan 09:00" in html
    assert f'name="person-{people["ana"].pk}-order" value="1"' in html  # the picks are kept
    assert not Schedule.objects.exists()


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"start_date": "2025-01-14", "rotation": "three_four"}, "starts on a Monday"),
        ({"service_slug": "object-storage"}, "Select a valid choice"),
        ({"slug": "new"}, "reserved"),
        ({"name": ""}, "This field is required"),
    ],
)
def test_a_bad_schedule_form_says_what_is_wrong(
    client, responder, people, edge, storage, change, words
):
    client.force_login(responder)
    response = client.post(
        "/schedules/new/", form_data(**change) | picked(people["ana"], people["ben"])
    )
    assert response.status_code == 400
    assert "The schedule was not saved" in response.content.decode()
    assert words in response.content.decode()
    assert not Schedule.objects.exists()


def test_a_bad_position_or_a_person_who_left_is_a_form_error(client, admin_user, people, edge):
    client.force_login(admin_user)
    ana, ben = people["ana"], people["ben"]
    bad = client.post(
        "/schedules/new/", form_data() | picked(ana, ben) | {f"person-{ben.pk}-order": "second"}
    )
    assert bad.status_code == 400
    assert (
        "Write the position of Ben as a whole number from 1, not “second”." in bad.content.decode()
    )
    ben.is_active = False
    ben.save(update_fields=["is_active"])
    gone = client.post("/schedules/new/", form_data() | picked(ana, ben))
    assert gone.status_code == 400
    assert "no longer an active responder" in gone.content.decode()
    assert not Schedule.objects.exists()


def test_editing_keeps_the_rotation_order_and_an_unknown_service(client, admin_user, people):
    schedule = make_schedule(
        admin_user, [people["cat"], people["ana"]], slug="legacy", service_slug=""
    )
    Schedule.objects.filter(pk=schedule.pk).update(service_slug="billing-v1")  # no such service
    client.force_login(admin_user)
    page = client.get("/schedules/legacy/edit/").content.decode()
    assert '<option value="billing-v1" selected>billing-v1 (kept as it is)</option>' in page
    cat_at, ana_at = page.index("cat · UTC"), page.index("ana · UTC")
    assert cat_at < ana_at  # people on the rotation first, in order
    assert f'name="person-{people["cat"].pk}-order" value="1"' in page


def test_the_live_preview_of_an_edit_says_worked_shifts_stay(client, admin_user, people):
    """What the Preview button says on the edit page, the preview that follows the edits says
    too: the change applies from when it takes effect, not to shifts already worked."""
    make_schedule(admin_user, [people["cat"], people["ana"]], slug="legacy")
    client.force_login(admin_user)
    page = client.get("/schedules/legacy/edit/").content.decode()
    live_url = re.search(r'hx-post="([^"]+)"', page).group(1)

    edit = client.post(live_url, form_data() | picked(people["ana"], people["cat"]))
    new = client.post("/schedules/new/preview/", form_data() | picked(people["ana"]))

    note = "Shifts before the change takes effect stay as they were."
    assert note in edit.content.decode()
    assert note not in new.content.decode()
