"""/api/v1/schedules/: who is on call, shifts, overrides, swaps, hours (JSON and CSV), edits."""

from __future__ import annotations

import csv
import io

import pytest

from oncall.models import Schedule, ScheduleOverride
from tests.oncall.schedules.support import make_schedule, person, utc


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(utc(2025, 1, 1, 12), tick=False)
    return time_machine


@pytest.fixture
def people(db):
    return {name: person(name) for name in ("ana", "ben", "cat", "dev")}


@pytest.fixture
def payments(clock, admin_user, people):
    # 6 Jan: ana/ben, 13 Jan: ben/cat, 20 Jan: cat/ana (weekly, Monday 09:00 UTC)
    return make_schedule(
        admin_user, [people["ana"], people["ben"], people["cat"]], service_slug="checkout"
    )


def oncall_url(schedule, at=None) -> str:
    url = f"/api/v1/schedules/{schedule.pk}/oncall/"
    return url if at is None else f"{url}?at={at}"


# --- who is on call -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "primary", "secondary"),
    [
        ("2025-01-06T09:00:00Z", "ana", "ben"),
        ("2025-01-13T08:59:59Z", "ana", "ben"),
        ("2025-01-13T09:59:59%2B01:00", "ana", "ben"),  # 08:59:59 UTC
        ("2025-01-13T10:00:00%2B01:00", "ben", "cat"),  # 09:00 UTC: the hand-off
        ("2025-01-13T09:00:00Z", "ben", "cat"),
        ("2025-01-13T10:00:00 01:00", "ben", "cat"),  # an unencoded + arrives as a space
    ],
)
def test_who_is_on_call_at_a_moment(api, viewer, payments, at, primary, secondary):
    response = api.as_user(viewer).get(oncall_url(payments, at))
    assert response.status_code == 200
    assert response.json()["primary"] == primary
    assert response.json()["secondary"] == secondary


def test_nobody_on_call_is_null(api, viewer, payments):
    response = api.as_user(viewer).get(oncall_url(payments, "2025-01-01T00:00:00Z"))
    assert response.json() == {"at": "2025-01-01T00:00:00Z", "primary": None, "secondary": None}


def test_without_at_it_answers_for_now(api, viewer, payments, clock):
    clock.move_to(utc(2025, 1, 14, 12), tick=False)
    assert api.as_user(viewer).get(oncall_url(payments)).json()["primary"] == "ben"


@pytest.mark.parametrize("at", ["yesterday", "2025-13-01T00:00:00Z", "2025-01-06T09:00:00", ""])
def test_a_bad_at_is_a_400_that_says_how_to_write_it(api, viewer, payments, at):
    response = api.as_user(viewer).get(oncall_url(payments, at))
    assert response.status_code == 400
    body = response.json()
    assert "ISO 8601" in body["detail"] and "at" in body["errors"]


@pytest.mark.parametrize("schedule_id", ["999999", "abc", "99999999999999999999999"])
def test_an_unknown_schedule_is_404(api, viewer, payments, schedule_id):
    response = api.as_user(viewer).get(f"/api/v1/schedules/{schedule_id}/oncall/")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_signed_out_clients_get_401_or_403(api, payments):
    assert api.get(oncall_url(payments)).status_code in (401, 403)


def test_who_is_on_call_for_a_service(api, viewer, payments, admin_user, people):
    make_schedule(
        admin_user, [people["dev"], people["cat"]], slug="checkout-db", service_slug="checkout"
    )
    make_schedule(admin_user, [people["ben"]], slug="search", service_slug="search")
    response = api.as_user(viewer).get(
        "/api/v1/schedules/oncall/?service=checkout&at=2025-01-07T00:00:00Z"
    )
    assert response.status_code == 200
    assert sorted((r["schedule"], r["primary"], r["secondary"]) for r in response.json()) == [
        ("checkout-db", "dev", "cat"),
        ("payments", "ana", "ben"),
    ]
    assert api.as_user(viewer).get("/api/v1/schedules/oncall/").status_code == 400


def test_list_and_retrieve(api, viewer, payments):
    listed = api.as_user(viewer).get("/api/v1/schedules/?service=checkout").json()
    assert [s["slug"] for s in listed["results"]] == ["payments"]
    detail = api.as_user(viewer).get(f"/api/v1/schedules/{payments.pk}/").json()
    assert [p["username"] for p in detail["participants"]] == ["ana", "ben", "cat"]
    assert detail["calendar_url"].endswith(f"/calendar/schedules/{payments.feed_token}.ics")


def test_shifts_in_a_window(api, viewer, payments):
    response = api.as_user(viewer).get(
        f"/api/v1/schedules/{payments.pk}/shifts/?from=2025-01-10T00:00:00Z&to=2025-01-14T00:00:00Z"
    )
    assert response.status_code == 200
    assert [(s["layer"], s["username"], s["start"], s["end"]) for s in response.json()] == [
        ("primary", "ana", "2025-01-10T00:00:00Z", "2025-01-13T09:00:00Z"),
        ("secondary", "ben", "2025-01-10T00:00:00Z", "2025-01-13T09:00:00Z"),
        ("primary", "ben", "2025-01-13T09:00:00Z", "2025-01-14T00:00:00Z"),
        ("secondary", "cat", "2025-01-13T09:00:00Z", "2025-01-14T00:00:00Z"),
    ]
    bad = api.as_user(viewer).get(
        f"/api/v1/schedules/{payments.pk}/shifts/?from=2025-01-10T00:00:00Z"
    )
    assert bad.status_code == 400


# --- overrides and swaps --------------------------------------------------------------------------


def test_a_responder_overrides_through_the_api(api, responder, payments, people):
    response = api.as_user(responder).post(
        f"/api/v1/schedules/{payments.pk}/overrides/",
        {
            "layer": "primary",
            "username": "dev",
            "start": "2025-01-07T18:00:00Z",
            "end": "2025-01-08T06:00:00Z",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["created_by"] == "rita"
    at = api.as_user(responder).get(oncall_url(payments, "2025-01-07T20:00:00Z")).json()
    assert at["primary"] == "dev"
    cancel = api.as_user(responder).post(
        f"/api/v1/schedules/{payments.pk}/overrides/{response.json()['id']}/cancel/"
    )
    assert cancel.status_code == 200 and cancel.json()["cancelled_by"] == "rita"
    assert (
        api.as_user(responder).get(oncall_url(payments, "2025-01-07T20:00:00Z")).json()["primary"]
        == "ana"
    )


def test_an_override_making_someone_both_is_a_400_with_the_reason(api, responder, payments):
    response = api.as_user(responder).post(
        f"/api/v1/schedules/{payments.pk}/overrides/",
        {
            "layer": "secondary",
            "username": "ana",
            "start": "2025-01-07T18:00:00Z",
            "end": "2025-01-08T06:00:00Z",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "Ana would be both primary and secondary" in response.json()["detail"]
    assert ScheduleOverride.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (
            {
                "layer": "primary",
                "username": "dev",
                "start": "2025-01-07T18:00:00",
                "end": "2025-01-08T06:00:00Z",
            },
            "start",
        ),
        (
            {
                "layer": "primary",
                "username": "nobody",
                "start": "2025-01-07T18:00:00Z",
                "end": "2025-01-08T06:00:00Z",
            },
            "username",
        ),
        (
            {
                "layer": "third",
                "username": "dev",
                "start": "2025-01-07T18:00:00Z",
                "end": "2025-01-08T06:00:00Z",
            },
            "layer",
        ),
        (
            {
                "layer": "primary",
                "username": "dev",
                "start": "2025-01-08T18:00:00Z",
                "end": "2025-01-08T06:00:00Z",
            },
            "end",
        ),
    ],
)
def test_bad_override_input_is_a_400_naming_the_field(
    api, responder, payments, people, body, field
):
    response = api.as_user(responder).post(
        f"/api/v1/schedules/{payments.pk}/overrides/", body, format="json"
    )
    assert response.status_code == 400
    assert field in str(response.json())


def test_viewers_cannot_override(api, viewer, payments, people):
    response = api.as_user(viewer).post(
        f"/api/v1/schedules/{payments.pk}/overrides/",
        {
            "layer": "primary",
            "username": "dev",
            "start": "2025-01-07T18:00:00Z",
            "end": "2025-01-08T06:00:00Z",
        },
        format="json",
    )
    assert response.status_code == 403


def test_a_swap_through_the_api(api, responder, admin_user, people, clock):
    four = make_schedule(
        admin_user, [people[n] for n in ("ana", "ben", "cat", "dev")], slug="search"
    )
    response = api.as_user(responder).post(
        f"/api/v1/schedules/{four.pk}/swaps/",
        {
            "layer": "primary",
            "first_username": "ana",
            "first_start": "2025-01-06T09:00:00Z",
            "first_end": "2025-01-13T09:00:00Z",
            "second_username": "cat",
            "second_start": "2025-01-20T09:00:00Z",
            "second_end": "2025-01-27T09:00:00Z",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert (
        api.as_user(responder).get(oncall_url(four, "2025-01-07T00:00:00Z")).json()["primary"]
        == "cat"
    )


# --- creating and editing -------------------------------------------------------------------------


SCHEDULE_BODY = {
    "name": "Storage",
    "slug": "storage",
    "timezone": "Europe/London",
    "rotation": "three_four",
    "handoff_time": "09:00",
    "start_date": "2025-03-24",
    "participants": [{"username": "ana"}, {"username": "ben"}, {"username": "cat", "new": True}],
}


def test_admins_create_schedules_and_others_cannot(api, admin_user, responder, people, clock):
    assert (
        api.as_user(responder).post("/api/v1/schedules/", SCHEDULE_BODY, format="json").status_code
        == 403
    )
    response = api.as_user(admin_user).post("/api/v1/schedules/", SCHEDULE_BODY, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["participants"][2] == {"username": "cat", "new": True, "site": 0}
    schedule = Schedule.objects.get(slug="storage")
    # Mon 24 Mar 09:00 GMT: ana primary; cat (new) shadows ben, never primary.
    assert api.as_user(responder).get(oncall_url(schedule, "2025-03-24T09:00:00Z")).json() == {
        "at": "2025-03-24T09:00:00Z",
        "primary": "ana",
        "secondary": "ben",
    }


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"start_date": "2025-03-25"}, "start_date"),
        ({"rotation": "fortnightly"}, "rotation"),
        ({"timezone": "Mars/Base"}, "timezone"),
        ({"participants": [{"username": "ana"}, {"username": "ghost"}]}, "participants"),
        ({"participants": [{"username": "ana", "new": "yes"}]}, "participants"),
    ],
)
def test_a_bad_schedule_is_a_400_naming_the_field(api, admin_user, people, clock, change, field):
    response = api.as_user(admin_user).post(
        "/api/v1/schedules/", SCHEDULE_BODY | change, format="json"
    )
    assert response.status_code == 400
    assert any(key.split(".")[0] == field for key in response.json()["errors"]), response.json()
    assert not Schedule.objects.filter(slug="storage").exists()


def test_editing_through_the_api_applies_from_now(api, admin_user, payments, clock):
    clock.move_to(utc(2025, 1, 15, 12), tick=False)
    body = {k: v for k, v in SCHEDULE_BODY.items() if k != "slug"} | {
        "name": "Payments",
        "rotation": "weekly",
        "timezone": "UTC",
        "start_date": "2025-01-06",
        "participants": [{"username": "dev"}, {"username": "cat"}],
    }
    response = api.as_user(admin_user).put(f"/api/v1/schedules/{payments.pk}/", body, format="json")
    assert response.status_code == 200, response.json()
    assert (
        api.as_user(admin_user).get(oncall_url(payments, "2025-01-14T00:00:00Z")).json()["primary"]
        == "ben"
    )
    assert (
        api.as_user(admin_user).get(oncall_url(payments, "2025-01-16T00:00:00Z")).json()["primary"]
        == "cat"
    )


# --- hours ----------------------------------------------------------------------------------------


def test_hours_as_json_and_csv_admins_see_everyone_others_themselves(
    api, admin_user, payments, people
):
    url = "/api/v1/schedules/hours/?from=2025-01-06T00:00:00Z&to=2025-01-13T00:00:00Z"
    rows = api.as_user(admin_user).get(url).json()
    assert [(r["username"], r["layer"]) for r in rows] == [("ana", "primary"), ("ben", "secondary")]
    ana = rows[0]
    # Mon 6 Jan 09:00 → Mon 13 Jan 00:00 UTC, ana in UTC: 5 weekdays of business, minus Mon 08–09.
    assert ana["business_hours"] == "49.00"  # Mon 9h + Tue–Fri 4 × 10h
    assert ana["off_hours_hours"] == "48.00"  # Mon–Fri 5 × 4h + Sat, Sun 2 × 14h
    assert ana["sleep_hours"] == "62.00"  # Mon 22–24 … Sun 22–24: 2 + 6 × 10
    assert ana["total_hours"] == "159.00"
    own = api.as_user(people["ben"]).get(url).json()
    assert [r["username"] for r in own] == ["ben"]
    response = api.as_user(admin_user).get(url + "&format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    records = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["username"], r["total_hours"]) for r in records] == [
        ("ana", "159.00"),
        ("ben", "159.00"),
    ]


def test_hours_with_a_bad_window_is_a_400_even_as_csv(api, admin_user, payments):
    response = api.as_user(admin_user).get(
        "/api/v1/schedules/hours/?from=2025-01-06&to=2025-01-01T00:00:00Z&format=csv"
    )
    assert response.status_code == 400
    assert "from" in response.json()["detail"]


def test_a_username_with_a_nul_byte_is_a_clear_400(api, admin_user, people, clock):
    """Found by fuzzing on PostgreSQL: the lookup ran before the NUL check and crashed (500)."""
    body = {**SCHEDULE_BODY, "participants": [{"username": "ana\x00"}, {"username": "ben"}]}
    response = api.as_user(admin_user).post("/api/v1/schedules/", body, format="json")
    assert response.status_code == 400
    assert (
        "participants" in response.json()["errors"]
        or "participants.0.username" in response.json()["errors"]
    )
