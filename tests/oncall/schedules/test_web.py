"""Schedule pages: on call now, overrides, swaps, the hours report and CSV, and the secret iCal
feeds. The timeline is in test_web_timeline, the schedule form in test_web_form."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from icalendar import Calendar

from oncall.models import CalendarFeed, ScheduleOverride, ScheduleSwap
from tests.oncall.schedules.support import make_schedule, utc


@pytest.fixture
def payments(clock, admin_user, people):
    # Weekly, Monday 09:00 UTC from 6 Jan 2025: ana/ben, ben/cat, cat/ana, ...
    return make_schedule(
        admin_user, [people["ana"], people["ben"], people["cat"]], service_slug="checkout"
    )


def signed_in(client, user, timezone_name=None):
    if timezone_name:
        user.timezone = timezone_name
        user.save(update_fields=["timezone"])
    client.force_login(user)
    return client


def test_the_list_shows_who_is_on_call_now(client, viewer, payments):
    html = signed_in(client, viewer).get("/schedules/").content.decode()
    assert "Payments" in html and "Ana" in html and "Ben" in html
    filtered = client.get("/schedules/?service=search").content.decode()
    assert "Payments" not in filtered


@pytest.mark.parametrize("persona", ["viewer", "responder"])
def test_the_list_costs_the_same_queries_for_two_schedules_or_six(
    request, client, persona, admin_user, people, payments
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(path: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        assert len(captured) > 0
        return len(captured)

    signed_in(client, request.getfixturevalue(persona))  # a responder's team decides the buttons
    rota = [people["ana"], people["ben"], people["cat"], people["dev"]]
    make_schedule(admin_user, rota, slug="search")
    ScheduleOverride.objects.create(
        schedule=payments,
        layer="primary",
        user=people["dev"],
        start_at=utc(2025, 1, 8, 11),
        end_at=utc(2025, 1, 8, 13),
        created_by=admin_user,
    )
    two = queries("/schedules/"), queries("/api/v1/schedules/")
    for n in range(4):
        make_schedule(admin_user, rota, slug=f"team-{n}")

    assert (queries("/schedules/"), queries("/api/v1/schedules/")) == two
    html = client.get("/schedules/").content.decode()
    assert html.count("<tr>") == 1 + 6 and "Dev" in html  # dev's override is seen on the list


def test_the_schedule_feed_parses_and_a_wrong_token_is_404(client, payments):
    response = client.get(f"/calendar/schedules/{payments.feed_token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = [e for e in calendar.walk("VEVENT")]
    first = min(events, key=lambda e: (e.decoded("dtstart"), str(e.get("summary"))))
    assert str(first.get("summary")) == "Primary on call: Ana (Payments)"
    assert first.decoded("dtstart") == utc(2025, 1, 6, 9)
    assert first.decoded("dtend") == utc(2025, 1, 13, 9)
    assert len({str(e.get("uid")) for e in events}) == len(events)
    # Three months ahead are in the feed.
    assert max(e.decoded("dtend") for e in events) >= utc(2025, 1, 8, 12) + timedelta(days=92)
    assert client.get(f"/calendar/schedules/{payments.feed_token[:-1]}x.ics").status_code == 404
    assert client.get("/calendar/schedules/.ics").status_code == 404


def test_a_persons_own_feed_lists_their_shifts_and_a_new_link_retires_the_old(
    client, payments, people
):
    ana = people["ana"]
    signed_in(client, ana).post("/schedules/my-calendar/")
    token = CalendarFeed.objects.get(user=ana).token
    client.logout()
    calendar = Calendar.from_ical(client.get(f"/calendar/people/{token}.ics").content)
    summaries = {str(e.get("summary")) for e in calendar.walk("VEVENT")}
    assert summaries == {"Primary on call: Ana (Payments)", "Secondary on call: Ana (Payments)"}
    signed_in(client, ana).post("/schedules/my-calendar/", {"rotate": "1"})
    client.logout()
    assert client.get(f"/calendar/people/{token}.ics").status_code == 404
    assert (
        client.get(f"/calendar/people/{CalendarFeed.objects.get(user=ana).token}.ics").status_code
        == 200
    )
    assert client.get("/calendar/people/not-a-token.ics").status_code == 404


def test_an_override_typed_in_the_viewers_zone(client, responder, payments, people):
    signed_in(client, responder, "Europe/Berlin")
    response = client.post(
        f"/schedules/{payments.slug}/overrides/new/",
        {
            "layer": "primary",
            "user": "dev",
            "start": "2025-01-09T19:00",
            "end": "2025-01-10T07:00",
            "reason": "dentist",
        },
    )
    assert response.status_code == 302
    override = ScheduleOverride.objects.get()
    assert (override.start_at, override.end_at) == (utc(2025, 1, 9, 18), utc(2025, 1, 10, 6))
    assert "dentist" in client.get(f"/schedules/{payments.slug}/").content.decode()


def test_an_override_that_makes_someone_both_is_explained_on_the_form(client, responder, payments):
    response = signed_in(client, responder).post(
        f"/schedules/{payments.slug}/overrides/new/",
        {
            "layer": "secondary",
            "user": "ana",
            "start": "2025-01-09T19:00",
            "end": "2025-01-10T07:00",
        },
    )
    assert response.status_code == 400
    assert "Ana would be both primary and secondary" in response.content.decode()
    assert not ScheduleOverride.objects.exists()


def test_viewers_cannot_open_the_override_or_edit_pages(client, viewer, payments):
    signed_in(client, viewer)
    assert client.get(f"/schedules/{payments.slug}/overrides/new/").status_code == 403
    assert client.get(f"/schedules/{payments.slug}/edit/").status_code == 403
    assert client.get("/schedules/new/").status_code == 403


def test_a_swap_is_picked_from_upcoming_shifts(client, responder, admin_user, people, clock):
    four = make_schedule(
        admin_user, [people[n] for n in ("ana", "ben", "cat", "dev")], slug="search"
    )
    signed_in(client, responder)
    page = client.get(f"/schedules/{four.slug}/swaps/new/").content.decode()
    assert "Primary · ana" in page
    # ana's current week (6–13 Jan, as it runs from now) for cat's week of 20 Jan.
    ana, cat = people["ana"].pk, people["cat"].pk
    first = f"primary|{ana}|{utc(2025, 1, 8, 12).isoformat()}|{utc(2025, 1, 13, 9).isoformat()}"
    second = f"primary|{cat}|{utc(2025, 1, 20, 9).isoformat()}|{utc(2025, 1, 27, 9).isoformat()}"
    response = client.post(
        f"/schedules/{four.slug}/swaps/new/", {"first_shift": first, "second_shift": second}
    )
    assert response.status_code == 302, response.content.decode()
    swap = ScheduleSwap.objects.get()
    assert (swap.first_user, swap.second_user) == (people["ana"], people["cat"])
    stale = client.post(
        f"/schedules/{four.slug}/swaps/new/", {"first_shift": "x", "second_shift": second}
    )
    assert stale.status_code == 400


def test_promoting_a_new_person(client, admin_user, people, clock):
    schedule = make_schedule(
        admin_user,
        [people["ana"], people["cat"], people["ben"]],
        slug="shadow",
        new=(people["cat"],),
    )
    response = signed_in(client, admin_user).post(f"/schedules/{schedule.slug}/people/cat/promote/")
    assert response.status_code == 302
    assert not schedule.participants.get(user=people["cat"]).is_new


def test_hours_report_and_csv_download(client, admin_user, payments, people):
    signed_in(client, admin_user)
    page = client.get("/schedules/hours/?start=2025-01-06&end=2025-01-13")
    assert page.status_code == 200
    assert "METRICS.md" in page.content.decode()
    response = client.get("/schedules/hours/?start=2025-01-06&end=2025-01-13&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    records = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [
        (r["username"], r["layer"], r["business_hours"], r["total_hours"]) for r in records
    ] == [
        ("ana", "primary", "49.00", "159.00"),
        ("ben", "secondary", "49.00", "159.00"),
    ]
    signed_in(client, people["ben"])
    own = list(
        csv.DictReader(
            io.StringIO(
                client.get(
                    "/schedules/hours/?start=2025-01-06&end=2025-01-13&format=csv"
                ).content.decode()
            )
        )
    )
    assert [r["username"] for r in own] == ["ben"]
    bad = client.get("/schedules/hours/?start=2025-01-13&end=2025-01-06")
    assert bad.status_code == 400
