"""People health: pages, interruptions, hours on call and shifts over the incident budget."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from oncall.schedules.services import schedule_create
from oncall.schedules.shifts import ParticipantInput
from postmortems.reports import people
from postmortems.reports.metrics import Scope
from tests.factories import UserFactory
from tests.postmortems.reports.conftest import Q3

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_schedule(dataset):
    """12-hour shifts on the api service, rita and omar alternating from Mon 2026-06-29 09:00."""
    admin = UserFactory(username="ada", groups=["admin"])
    return schedule_create(
        user=admin, name="API", slug="api-oncall", timezone_name="UTC", rotation="custom",
        handoff_time=time(9), start_date=date(2026, 6, 29), shift_hours=12,
        participants=[ParticipantInput(dataset["people"]["rita"]),
                      ParticipantInput(dataset["people"]["omar"])],
        service_slug="api",
    )  # fmt: skip


def test_shift_with_more_incidents_than_the_budget_is_listed(dataset, api_schedule, monkeypatch):
    # #1 and #2 both start in the 2026-07-10 09:00–21:00 primary shift: 2 is within a budget of
    # 2 per 12 h, over a budget of 1.
    assert people.shifts_over_budget(Q3, Scope()) == []
    monkeypatch.setattr(people, "INCIDENTS_PER_12H_BUDGET", 1)

    over = people.shifts_over_budget(Q3, Scope())

    assert len(over) == 1
    assert over[0]["start"] == datetime(2026, 7, 10, 9, tzinfo=UTC).isoformat()
    assert (over[0]["incidents"], over[0]["budget"], over[0]["schedule"]) == (2, 1.0, "api-oncall")


def test_people_health_rows(dataset, api_schedule):
    rows = {row["person"]: row for row in people.people_health(Q3, Scope())}

    # rita: one SMS+push page (one notification) and one Slack DM; both are interruptions
    assert rows["rita"]["pages"] == 2
    assert (rows["rita"]["interruptions"], rows["rita"]["sleep_interruptions"]) == (2, 1)
    # kenji: four high-urgency pages, of which the burst of three counts as one interruption
    assert (rows["kenji"]["pages"], rows["kenji"]["interruptions"]) == (4, 2)
    # Q3 is 92 days = 2208 hours of primary plus secondary, split between the two of them
    on_call = rows["rita"]["hours_on_call"] + rows["omar"]["hours_on_call"]
    assert on_call == 2 * 2208
    assert rows["kenji"]["hours_on_call"] == 0


def test_time_on_call_for_two_schedules_at_once_is_counted_once(dataset, api_schedule):
    """A person on call for two schedules at the same hour is on call for that hour, not two:
    hours on call can never exceed the period."""
    admin = UserFactory(username="ada2", groups=["admin"])
    schedule_create(
        user=admin, name="API (database)", slug="api-db-oncall", timezone_name="UTC",
        rotation="custom", handoff_time=time(9), start_date=date(2026, 6, 29), shift_hours=12,
        participants=[ParticipantInput(dataset["people"]["rita"]),
                      ParticipantInput(dataset["people"]["omar"])],
    )  # fmt: skip

    rows = {row["person"]: row for row in people.people_health(Q3, Scope())}

    assert rows["rita"]["hours_on_call"] + rows["omar"]["hours_on_call"] == 2 * 2208
    assert max(rows["rita"]["hours_on_call"], rows["omar"]["hours_on_call"]) <= 2208


def test_people_health_makes_as_many_queries_for_ten_schedules_as_for_one(
    dataset, django_assert_max_num_queries
):
    admin = UserFactory(username="ada", groups=["admin"])

    def schedules(count, first=0):
        for index in range(first, first + count):
            schedule_create(
                user=admin, name=f"S{index}", slug=f"s{index}", timezone_name="UTC",
                rotation="custom", handoff_time=time(9), start_date=date(2026, 6, 29),
                shift_hours=12, service_slug="api",
                participants=[ParticipantInput(dataset["people"]["rita"]),
                              ParticipantInput(dataset["people"]["omar"])],
            )  # fmt: skip

    schedules(1)
    with django_assert_max_num_queries(100) as one:
        shifts_of_one = sum(row["shifts"] for row in people.people_health(Q3, Scope()))
    schedules(9, first=1)  # ten schedules of twelve-hour shifts

    with django_assert_max_num_queries(len(one.captured_queries)):
        rows = {row["person"]: row for row in people.people_health(Q3, Scope())}

    assert rows["rita"]["shifts"] + rows["omar"]["shifts"] == 10 * shifts_of_one


def test_a_running_quarter_counts_the_hours_on_call_so_far(dataset, api_schedule, time_machine):
    """METRICS v2: the current quarter is measured up to now; future shifts are not yet worked."""
    time_machine.move_to(datetime(2026, 8, 1, 0, 0, tzinfo=UTC), tick=False)

    rows = {row["person"]: row for row in people.people_health(Q3, Scope())}

    elapsed = (datetime(2026, 8, 1, tzinfo=UTC) - Q3.start).total_seconds() / 3600  # 744 h
    assert rows["rita"]["hours_on_call"] + rows["omar"]["hours_on_call"] == 2 * elapsed


def test_hours_on_call_read_in_hours_on_the_page(client, dataset, api_schedule):
    client.force_login(dataset["people"]["rita"])

    html = client.get("/reports/", {"preset": "quarter", "quarter": "2026Q3"}).content.decode()

    assert "<td>2,208 h</td>" in html
    assert "2208.0" not in html
