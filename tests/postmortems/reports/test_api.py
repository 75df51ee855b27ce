"""GET /api/v1/reports/summary/: the METRICS.md figures as JSON, with bad parameters a 400."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports/summary/"
Q3 = {"from": "2026-07-01", "to": "2026-10-01"}


def test_summary_of_a_quarter(api, dataset):
    body = api.as_user(dataset["people"]["rita"]).get(URL, Q3).json()

    assert body["definitions_version"] == 2
    assert body["incidents"]["count"] == 4
    assert body["mttr"] == {
        "mean_seconds": 4800.0,
        "median_seconds": 3600.0,
        "p90_seconds": 7200.0,
        "count": 3,
        "missing": 1,
        "missing_incidents": [3],
        "inconsistent": 0,
        "inconsistent_incidents": [],
        "ongoing": 0,
    }
    assert body["mtta"]["mean_seconds"] == 800.0
    assert body["mttd"]["median_seconds"] == 150.0
    assert body["mtbf"]["seconds"] == 1983150.0
    assert body["mtbf"]["downtime_seconds"] == 16200.0
    assert body["updates"]["on_time_rate"] == 0.5
    alerts = body["alerts"]
    assert (alerts["fired"], alerts["paged"], alerts["actionable_rate"]) == (5, 4, 0.666667)
    assert (alerts["interruptions"], alerts["sleep_interruptions"]) == (6, 2)
    assert body["postmortems"]["coverage"] == 0.5
    assert body["action_items"]["due"] == 3
    assert [row["service"] for row in body["availability"]] == ["api", "db", "search"]


def test_a_private_incident_counts_but_is_listed_only_to_its_members(api, dataset):
    member = api.as_user(dataset["people"]["rita"]).get(URL, Q3).json()
    api.force_authenticate(user=None)
    outsider = api.as_user(dataset["people"]["outsider"]).get(URL, Q3).json()

    # #4 (private) has no resolved_at: it is missing data for the time to resolve
    assert member["mean_time_to_resolve"]["missing_incidents"] == [4]
    assert outsider["mean_time_to_resolve"]["missing_incidents"] == []
    assert outsider["mean_time_to_resolve"]["missing"] == 1
    assert outsider["incidents"]["count"] == 4
    assert "Incident 4" not in str(outsider)


def test_empty_service_shows_no_failures(api, dataset):
    body = api.as_user(dataset["people"]["rita"]).get(URL, {**Q3, "service": "search"}).json()

    assert body["mtbf"] == {
        "seconds": None,
        "failures": 0,
        "downtime_seconds": 0.0,
        "no_failures": True,
        "mean_gap_between_starts_seconds": None,
    }
    assert body["mttr"]["mean_seconds"] is None


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "yesterday"}, "from"),
        ({"from": "2026-10-01", "to": "2026-07-01"}, "to"),
        ({"from": "2026-07-01T00:00:00", "to": "2026-10-01"}, "from"),
        ({"team": "nobody"}, "team"),
        ({"service": "nothing"}, "service"),
        ({"severity": "SEV9"}, "severity"),
        ({"from": "2000-01-01", "to": "2026-01-01"}, "from"),
    ],
)
def test_bad_parameters_are_a_400_naming_the_field(api, dataset, params, field):
    response = api.as_user(dataset["people"]["rita"]).get(URL, params)

    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_signed_out_is_401(api, dataset):
    assert api.get(URL, Q3).status_code == 401


def test_repeated_action_items_of_private_incidents_are_listed_only_to_members(
    api, dataset, private_repeat
):
    member = api.as_user(dataset["people"]["rita"]).get(URL, Q3).json()
    api.force_authenticate(user=None)
    outsider = api.as_user(dataset["people"]["outsider"]).get(URL, Q3).json()

    assert member["action_items"]["repeated"] == [
        {"title": "add retry budget", "postmortems": 2},
        {"title": "rotate the leaked signing key", "postmortems": 2},
    ]
    assert outsider["action_items"]["repeated"] == [{"title": "add retry budget", "postmortems": 2}]
    assert "signing key" not in str(outsider)
    assert outsider["action_items"]["due"] == member["action_items"]["due"]  # figures: everyone
