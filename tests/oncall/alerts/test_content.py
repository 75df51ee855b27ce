"""Urgency from labels (documented mapping) and the alert-writing rules pages will show."""

from __future__ import annotations

import pytest

from oncall.alerts.urgency import urgency_from_labels
from oncall.models import Alert


@pytest.mark.parametrize(
    ("labels", "urgency"),
    [
        ({"severity": "critical"}, "critical"),
        ({"severity": "Critical "}, "critical"),
        ({"severity": "warning"}, "today"),
        ({"severity": "info"}, "eventually"),
        ({"priority": "P1"}, "critical"),
        ({"priority": "P4"}, "eventually"),
        ({"urgency": "low", "severity": "critical"}, "eventually"),  # urgency is read first
        ({"urgency": "soonish", "severity": "critical"}, "critical"),  # unknown values are skipped
        ({"team": "payments"}, "today"),  # nothing recognised: today, wakes nobody at night
    ],
)
def test_urgency_from_labels(labels, urgency):
    assert urgency_from_labels(labels) == urgency


def test_short_subject_with_runbook_passes_the_content_rules():
    alert = Alert(
        name="CheckoutErrorRateHigh",
        summary="Roll back checkout: 5xx above 5%",
        runbook_url="https://rb",
    )

    assert alert.content_problems == []


def test_long_passive_subject_and_missing_runbook_are_all_reported():
    alert = Alert(
        name="X", summary="Checkout error rate is above five percent on all instances in eu-west"
    )

    assert alert.subject_is_short is False
    assert alert.has_runbook is False
    assert len(alert.content_problems) == 3
    assert "under 50" in alert.content_problems[0]
    assert "imperative" in alert.content_problems[1]


def test_subject_falls_back_to_the_name():
    alert = Alert(name="DiskWillFillIn4h", summary="  ")

    assert alert.subject == "DiskWillFillIn4h"
    assert alert.subject_is_short is True


@pytest.mark.parametrize(
    ("summary", "imperative"),
    [
        ("Roll back checkout: 5xx above 5%", True),
        ("Restart the ingest workers", True),
        ("Investigate: disk 95% full on db-3", True),
        ("Checkout error rate is high", False),
        ("High latency on search", False),
    ],
)
def test_a_subject_should_say_what_to_do(summary, imperative):
    alert = Alert(name="Whatever", summary=summary, runbook_url="https://rb")

    assert alert.subject_is_imperative is imperative
    assert any("imperative" in p for p in alert.content_problems) is not imperative
