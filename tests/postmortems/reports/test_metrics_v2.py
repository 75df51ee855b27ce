"""METRICS v2 ("Changes"): the current period and ongoing incidents are measured up to now, no
duration is negative (stamps out of order are "inconsistent data", listed like missing data),
incidents recorded after the fact have no update cadence, and only updates that reach
stakeholders count as cadence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from incidents.models import Incident, Service, StakeholderUpdate
from postmortems.reports import metrics
from postmortems.reports.metrics import Scope
from postmortems.reports.params import quarter_period

pytestmark = pytest.mark.django_db

Q4 = quarter_period("2026Q4")
NOW = datetime(2026, 10, 11, 12, 0, tzinfo=UTC)  # ten and a half days into Q4
HOUR = timedelta(hours=1)


@pytest.fixture
def checkout(db):
    return Service.objects.create(slug="checkout", name="Checkout", slo_target="0.999")


def incident(number, service, **stamps):
    stamps.setdefault("declared_at", stamps["started_at"])
    stamps.setdefault("detected_at", stamps["started_at"])
    obj = Incident.objects.create(number=number, title=f"Incident {number}", **stamps)
    obj.services.set([service])
    return obj


def test_an_incident_ongoing_for_an_hour_is_an_hour_of_downtime_in_the_current_quarter(checkout):
    incident(1, checkout, started_at=NOW - HOUR)  # not mitigated, not resolved

    summary = metrics.summary(Q4, Scope(), now=NOW)

    so_far = (NOW - Q4.start).total_seconds()  # 10.5 days, not the 92 days of the quarter
    assert summary["mtbf"]["downtime_seconds"] == 3600.0
    assert summary["mtbf"]["seconds"] == so_far - 3600.0
    assert summary["measured_to"] == NOW.isoformat()
    [row] = summary["availability"]
    assert row["downtime_seconds"] == 3600.0
    assert row["availability"] == round(1 - 3600 / so_far, 6)  # 99.60 %, not 72 %
    # 1 h of a 0.1 % budget over 10.5 days (15 min 7 s): 397 %, not the whole quarter's outage
    assert row["error_budget_used"] == round(3600 / (0.001 * so_far), 6)


def test_an_ongoing_incident_has_no_recovery_time_yet_and_is_called_ongoing_not_missing(
    checkout, client, django_user_model, time_machine
):
    incident(1, checkout, started_at=NOW - HOUR)  # not mitigated, not resolved
    incident(2, checkout, started_at=NOW - 5 * HOUR, resolved_at=NOW - 4 * HOUR,
             mitigated_at=NOW - 4 * HOUR)  # fmt: skip

    mttr = metrics.summary(Q4, Scope(), now=NOW)["mttr"]

    assert (mttr["count"], mttr["ongoing"], mttr["missing"]) == (1, 1, 1)
    time_machine.move_to(NOW, tick=False)
    client.force_login(django_user_model.objects.create_user("rita", password="x"))
    html = client.get("/reports/", {"preset": "quarter", "quarter": "2026Q4"}).content.decode()
    assert "1 measured, 1 still ongoing" in html


def test_a_finished_quarter_is_measured_to_its_end(checkout):
    q3 = quarter_period("2026Q3")
    incident(1, checkout, started_at=datetime(2026, 9, 30, 23, tzinfo=UTC))  # never mitigated

    summary = metrics.summary(q3, Scope(), now=NOW)

    assert summary["mtbf"]["downtime_seconds"] == 3600.0  # clipped at the quarter's end
    assert summary["availability"][0]["availability"] == round(1 - 3600 / q3.seconds, 6)


def test_stamps_out_of_order_are_inconsistent_data_never_a_negative_duration(checkout):
    start = datetime(2026, 10, 2, 10, tzinfo=UTC)
    incident(1, checkout, started_at=start, mitigated_at=start + HOUR)
    # imported history: "mitigated" an hour before it started
    incident(2, checkout, started_at=start, mitigated_at=start - HOUR, resolved_at=start - HOUR)

    mttr = metrics.mttr(Q4, Scope())

    assert (mttr["mean_seconds"], mttr["count"], mttr["missing"]) == (3600.0, 1, 0)
    assert (mttr["inconsistent"], mttr["inconsistent_items"]) == (1, [2])
    summary = metrics.summary(Q4, Scope(), now=NOW)
    assert summary["mtbf"]["downtime_seconds"] == 3600.0  # the backwards interval adds nothing


def test_an_incident_recorded_after_the_fact_has_no_update_gaps(checkout, settings):
    settings.FIREBREAK_UPDATE_INTERVAL_MINUTES = 30
    start = datetime(2026, 10, 2, 10, tzinfo=UTC)
    incident(1, checkout, started_at=start, mitigated_at=start + 3 * HOUR,
             recorded_after_the_fact=True)  # fmt: skip

    updates = metrics.update_on_time_rate(Q4, Scope())

    assert (updates["gaps"], updates["on_time_rate"], updates["longest_gap_seconds"]) == (
        0,
        None,
        None,
    )


def test_only_updates_that_reach_stakeholders_count_for_cadence(checkout, settings):
    settings.FIREBREAK_UPDATE_INTERVAL_MINUTES = 30
    settings.FIREBREAK_UPDATE_INTERVAL_BY_SEVERITY = {}
    start = datetime(2026, 10, 2, 10, tzinfo=UTC)
    inc = incident(1, checkout, started_at=start, mitigated_at=start + 50 * timedelta(minutes=1))
    StakeholderUpdate.objects.create(
        incident=inc, body="Note to self", posted_at=start + timedelta(minutes=20),
        reaches_stakeholders=False,
    )  # fmt: skip
    StakeholderUpdate.objects.create(
        incident=inc, body="We are on it", posted_at=start + timedelta(minutes=45)
    )

    updates = metrics.update_on_time_rate(Q4, Scope())

    # declared → 10:45 is one 45-minute gap (late): the 10:20 note did not reset the clock
    assert (updates["on_time"], updates["gaps"], updates["longest_gap_seconds"]) == (0, 1, 2700.0)


def test_the_story_of_a_period_still_running_says_so_far(checkout):
    from postmortems.reports import story

    incident(1, checkout, started_at=NOW - HOUR)
    now = metrics.summary(Q4, Scope(), now=NOW)
    before = metrics.summary(quarter_period("2026Q3"), Scope(), now=NOW, comparison=True)

    sentences = story.sentences(now, before, "2026Q3")

    assert sentences[0] == "1 incident so far, none in 2026Q3."
    assert sentences[1] == "No incident has recovered yet, so there is no recovery time to report."
    # 1 h of downtime in 10.5 days against a 99.9 % objective: 397 % of the budget so far
    assert sentences[2] == (
        "Checkout used 397 % of its error budget (99.60 % available against a 99.90 % objective)."
    )
