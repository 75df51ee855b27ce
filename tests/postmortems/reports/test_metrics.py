"""Acceptance: the hand-computed Q3 2026 data set (conftest.py) gives exactly these figures.

Worked out by hand (P = [07-01, 10-01), |P| = 7,948,800 s):

  #1 api  SEV1  started 07-10 10:00, detected +5 min, ack 10:20, mitigated 11:00, resolved 12:00
  #2 api+db     started 07-10 10:30 (overlaps #1), ack 10:45, mitigated 11:30, resolved 11:45
  #3 db   SEV3  started 08-01 00:00, detected 00:10, no ack, NO mitigated_at, resolved 02:00
  #4 api  private, started 09-30 23:00, ack 23:10, mitigated 10-01 01:00 (cut by the period end)
  drill #5 and #6 (started 06-30) do not count.

  TTR  3600, 3600, 7200 (+ #3 missing)  → mean 4800, median 3600, p90 7200
  TTD  300, 0, 600, 0                   → mean 225, median 150, p90 600
  TTA  900, 900, 600 (+ #3 missing)     → mean 800, median 900, p90 900
  D    [10:00, 11:30) + [00:00, 02:00) + [23:00, 24:00) = 5400 + 7200 + 3600 = 16,200 s
  MTBF (7,948,800 − 16,200) / 4 = 1,983,150 s
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from postmortems.models import ActionItem
from postmortems.reports import metrics
from postmortems.reports.metrics import Period, Scope
from tests.postmortems.reports.conftest import NOW, Q3

pytestmark = pytest.mark.django_db


def test_only_incidents_of_kind_incident_started_in_the_period_count(dataset, everything):
    counted = metrics.incident_count(Q3, everything)

    assert counted == {"count": 4, "by_severity": {"SEV1": 1, "SEV2": 2, "SEV3": 1}}


def test_mttr_lists_the_incident_missing_mitigated_at_instead_of_counting_it_as_zero(
    dataset, everything
):
    assert metrics.mttr(Q3, everything) == {
        "mean_seconds": 4800.0,
        "median_seconds": 3600.0,
        "p90_seconds": 7200.0,
        "count": 3,
        "missing": 1,
        "missing_items": [3],
        "inconsistent": 0,
        "inconsistent_items": [],
        "ongoing": 0,  # #3 was resolved without a mitigation time: missing, not ongoing
    }


def test_mttd_mtta_and_time_to_resolve(dataset, everything):
    assert metrics.mttd(Q3, everything) == {
        "mean_seconds": 225.0, "median_seconds": 150.0, "p90_seconds": 600.0,
        "count": 4, "missing": 0, "missing_items": [], "inconsistent": 0, "inconsistent_items": [],
    }  # fmt: skip
    assert metrics.mtta(Q3, everything) == {
        "mean_seconds": 800.0, "median_seconds": 900.0, "p90_seconds": 900.0,
        "count": 3, "missing": 1, "missing_items": [3], "inconsistent": 0, "inconsistent_items": [],
    }  # fmt: skip
    assert metrics.mean_time_to_resolve(Q3, everything) == {
        "mean_seconds": 6300.0, "median_seconds": 7200.0, "p90_seconds": 7200.0,
        "count": 3, "missing": 1, "missing_items": [4], "inconsistent": 0, "inconsistent_items": [],
    }  # fmt: skip


def test_mtbf_merges_overlapping_impact_and_clips_it_to_the_period(dataset, everything):
    assert metrics.mtbf(Q3, everything) == {
        "seconds": 1983150.0,
        "failures": 4,
        "downtime_seconds": 16200.0,
        "no_failures": False,
        # (09-30 23:00 − 07-10 10:00) / 3 = 7,131,600 / 3
        "mean_gap_between_starts_seconds": 2377200.0,
    }


def test_a_service_without_incidents_shows_no_failures_not_a_number(dataset):
    empty = metrics.mtbf(Q3, Scope(service=dataset["services"]["search"]))

    assert empty["seconds"] is None
    assert empty["no_failures"] is True
    assert (empty["failures"], empty["downtime_seconds"]) == (0, 0.0)
    assert metrics.mttr(Q3, Scope(service=dataset["services"]["search"]))["mean_seconds"] is None


def test_an_incident_on_two_services_counts_once_for_each(dataset):
    api = metrics.mtbf(Q3, Scope(service=dataset["services"]["api"]))
    db = metrics.mtbf(Q3, Scope(service=dataset["services"]["db"]))

    # api: #1 ∪ #2 = 5400, #4 clipped = 3600; db: #2 = 3600, #3 (to resolved_at) = 7200
    assert (api["failures"], api["downtime_seconds"], api["seconds"]) == (3, 9000.0, 2646600.0)
    assert (db["failures"], db["downtime_seconds"], db["seconds"]) == (2, 10800.0, 3969000.0)
    assert metrics.incident_count(Q3, Scope(team=dataset["team"]))["count"] == 4


def test_availability_and_error_budget_use_each_services_slo(dataset, everything):
    assert metrics.availability(Q3, everything) == [
        {"service": "api", "name": "API", "team": "Payments", "slo_target": 0.999, "incidents": 3,
         "downtime_seconds": 9000.0, "measured_seconds": 7948800.0, "availability": 0.998868, "error_budget_used": 1.132246},
        {"service": "db", "name": "Database", "team": "Payments", "slo_target": 0.99, "incidents": 2,
         "downtime_seconds": 10800.0, "measured_seconds": 7948800.0, "availability": 0.998641, "error_budget_used": 0.13587},
        {"service": "search", "name": "Search", "team": "Payments", "slo_target": 0.999, "incidents": 0,
         "downtime_seconds": 0.0, "measured_seconds": 7948800.0, "availability": 1.0, "error_budget_used": 0.0},
    ]  # fmt: skip


def test_severity_filter(dataset):
    sev2 = Scope(severity="SEV2")

    assert metrics.incident_count(Q3, sev2)["count"] == 2
    assert metrics.mttr(Q3, sev2)["mean_seconds"] == 5400.0  # (3600 + 7200) / 2


def test_update_gaps_from_declaration_until_mitigation(dataset, everything):
    # #1 (SEV1: 15 min): 600 on time, 1200 late, then 1200 until mitigation with no update: late.
    # #2 (30 min): 1200 on time; 1800 until mitigation is not over the interval: not a gap.
    # #4 (10 min on the incident): 300 on time, then 6600 until mitigation: late.
    assert metrics.update_on_time_rate(Q3, everything) == {
        "on_time_rate": 0.5,
        "on_time": 3,
        "gaps": 6,
        "longest_gap_seconds": 6600.0,
        "reminders_sent": 1,
    }


def test_alert_counts_and_actionable_rate_over_reviewed_alerts_only(dataset, everything):
    assert metrics.alert_counts(Q3, everything) == {
        "fired": 5,
        "paged": 4,
        "reviewed": 3,
        "actionable": 2,
        "unreviewed": 2,
        "actionable_rate": 0.666667,
    }


def test_alert_mtta_leaves_unacknowledged_pages_out_of_the_mean(dataset, everything):
    assert metrics.alert_mtta(Q3, everything) == {
        "mean_seconds": 580.0,  # (300 + 600 + 840) / 3
        "median_seconds": 600.0,
        "p90_seconds": 840.0,
        "count": 3,
        "inconsistent": 0,
        "unacknowledged": 1,
        "unacknowledged_share": 0.25,
    }
    # one never acknowledged, one acknowledged only after it had resolved
    assert metrics.auto_resolved_unacknowledged(Q3, everything) == 2


def test_noisiest_alerts_and_flapping(dataset, everything):
    assert metrics.noisiest_alerts(Q3, everything) == [
        {"name": "HighLatency", "instances": 3, "reviewed": 2, "actionable": 1,
         "actionable_rate": 0.5},
        {"name": "DiskFull", "instances": 2, "reviewed": 1, "actionable": 1,
         "actionable_rate": 1.0},
    ]  # fmt: skip
    assert metrics.flapping(Q3, everything) == [
        {"fingerprint": "f1", "name": "HighLatency", "firings": 3}
    ]


def test_flapping_needs_three_firings_within_24_hours(dataset, everything):
    q4 = Period(datetime(2026, 10, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))

    assert metrics.flapping(q4, everything) == [
        {"fingerprint": "f5", "name": "QueueBacklog", "firings": 3}
    ]


def test_alerts_of_one_service(dataset):
    db = metrics.alert_counts(Q3, Scope(service=dataset["services"]["db"]))

    assert (db["fired"], db["paged"]) == (2, 1)


def test_interruptions_are_bucketed_in_each_recipients_own_time_zone(dataset, everything):
    assert metrics.interruptions(Q3, everything) == {
        "interruptions": 6,
        "business": 2,
        "off_hours": 2,
        "sleep": 2,
    }
    assert metrics.interruptions_per_person(Q3, everything) == [
        {"person": "kenji", "interruptions": 2, "business": 1, "off_hours": 0, "sleep": 1},
        {"person": "omar", "interruptions": 2, "business": 0, "off_hours": 2, "sleep": 0},
        {"person": "rita", "interruptions": 2, "business": 1, "off_hours": 0, "sleep": 1},
    ]


def test_a_page_merges_with_one_just_before_the_period_starts(dataset, everything):
    q4 = Period(datetime(2026, 10, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))
    q1 = Period(datetime(2027, 1, 1, tzinfo=UTC), datetime(2027, 4, 1, tzinfo=UTC))

    # 2026-12-31 23:59:40 UTC is 08:59:40 on a Friday in Tokyo
    assert metrics.interruptions(q4, everything)["business"] == 1
    assert metrics.interruptions(q1, everything)["interruptions"] == 0


def test_postmortem_coverage_and_lead_time(dataset, everything):
    assert metrics.postmortem_coverage(Q3, everything) == {
        "required": 2,
        "published": 1,
        "published_all": 2,
        "coverage": 0.5,
    }
    lead = metrics.postmortem_lead_time(Q3, everything)
    assert (lead["median_seconds"], lead["p90_seconds"], lead["count"]) == (129600.0, 172800.0, 2)


def test_action_items(dataset, everything):
    assert metrics.action_items(Q3, everything, now=NOW) == {
        "due": 3,
        "done_on_time": 1,
        "on_time_rate": 0.333333,
        "open": 2,
        "overdue": 1,
        # ages 40 days and 10 days
        "open_median_age_seconds": 2160000.0,
    }
    assert metrics.repeated_action_items(everything, among=ActionItem.objects.all()) == [
        {"title": "add retry budget", "postmortems": 2}
    ]


def test_the_previous_period_is_empty_and_says_so(dataset, everything):
    before = Q3.previous()

    assert metrics.incident_count(before, everything)["count"] == 1  # #6 started 06-30
    empty = metrics.mtbf(before.previous(), everything)
    assert empty["seconds"] is None and empty["failures"] == 0
    assert metrics.update_on_time_rate(before.previous(), everything)["on_time_rate"] is None
    assert metrics.postmortem_coverage(before.previous(), everything)["coverage"] is None
