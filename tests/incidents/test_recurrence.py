"""Recurrence: an incident repeats an earlier one when, within FIREBREAK_RECURRENCE_DAYS, they
share a service and the trigger category, or an alert fingerprint. Outsiders are never told that
a private incident came before."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from incidents import services
from incidents.selectors import incident_recurrences
from oncall.models import Alert, Integration
from tests.factories import ServiceFactory, declare

pytestmark = pytest.mark.django_db


def days_ago(days: float):
    return timezone.now() - timedelta(days=days)


def alert(fingerprint: str, fired_at, integration_name: str = "prom") -> Alert:
    integration, _ = Integration.objects.get_or_create(
        name=integration_name,
        defaults={"kind": "alertmanager", "token_hash": integration_name[0] * 64},
    )
    return Alert.objects.create(
        integration=integration,
        fingerprint=fingerprint,
        name="HighLatency",
        fired_at=fired_at,
        first_received_at=fired_at,
        last_received_at=fired_at,
    )


@pytest.fixture
def checkout(db):
    return ServiceFactory(slug="checkout")


def past(user, days, **kwargs):
    moment = days_ago(days)
    kwargs.setdefault("title", f"{days} days ago")
    return declare(user, started_at=moment, detected_at=moment, **kwargs)


def earlier_of(incident, user):
    return [
        (r.incident.title, r.services, r.fingerprints)
        for r in incident_recurrences(incident, user=user)
    ]


def test_same_service_and_trigger_category_links_to_the_earlier_incidents_newest_first(
    responder, checkout
):
    common = {"services": ["checkout"], "trigger_category": "config_change"}
    past(responder, 30, **common)
    past(responder, 10, **common)
    past(responder, 5, services=["checkout"], trigger_category="code_change")  # other trigger
    now = past(responder, 0, **common)

    assert earlier_of(now, responder) == [
        ("10 days ago", ["checkout"], []),
        ("30 days ago", ["checkout"], []),
    ]


def test_an_unknown_trigger_category_is_not_a_recurrence(responder, checkout):
    past(responder, 3, services=["checkout"])
    now = past(responder, 0, services=["checkout"])
    assert earlier_of(now, responder) == []


def test_the_same_alert_fingerprint_links_incidents_of_any_service_or_trigger(responder):
    first = alert("fp-disk", days_ago(20))
    second = alert("fp-disk", days_ago(0.1))
    other = alert("fp-other", days_ago(0.1))
    past(responder, 20, title="Disk full", alert_ids=[first.pk])
    now = declare(responder, title="Disk full again", alert_ids=[second.pk, other.pk])

    assert earlier_of(now, responder) == [("Disk full", [], ["fp-disk"])]


def test_the_same_fingerprint_from_another_integration_is_a_different_alert(responder):
    past(responder, 5, title="Elsewhere", alert_ids=[alert("fp", days_ago(5), "grafana").pk])
    now = declare(responder, title="Now", alert_ids=[alert("fp", days_ago(0.1)).pk])
    assert earlier_of(now, responder) == []


def test_only_incidents_within_the_recurrence_window_count(responder, checkout, settings):
    settings.FIREBREAK_RECURRENCE_DAYS = 14
    common = {"services": ["checkout"], "trigger_category": "dependency_failure"}
    past(responder, 20, **common)
    past(responder, 7, **common)
    now = past(responder, 0, **common)
    assert [title for title, *_ in earlier_of(now, responder)] == ["7 days ago"]


def test_later_incidents_and_drills_are_not_earlier_occurrences(responder, checkout):
    common = {"services": ["checkout"], "trigger_category": "config_change"}
    first = past(responder, 10, **common)
    past(responder, 5, kind="drill", **common)
    past(responder, 1, **common)
    assert earlier_of(first, responder) == []
    drill = past(responder, 0, kind="drill", **common)
    assert earlier_of(drill, responder) == []


def test_an_outsider_is_not_shown_a_private_earlier_incident(
    responder, outsider, admin_user, checkout
):
    common = {"services": ["checkout"], "trigger_category": "config_change"}
    past(responder, 10, private=True, title="Secret one", **common)
    now = past(responder, 0, **common)

    assert earlier_of(now, outsider) == []
    assert [t for t, *_ in earlier_of(now, responder)] == ["Secret one"]
    assert [t for t, *_ in earlier_of(now, admin_user)] == ["Secret one"]


def test_changing_the_trigger_category_afterwards_links_the_incident(responder, checkout):
    past(responder, 10, services=["checkout"], trigger_category="traffic_change")
    now = past(responder, 0, services=["checkout"])
    assert earlier_of(now, responder) == []
    now = services.incident_update(
        incident=now, user=responder, changes={"trigger_category": "traffic_change"}
    )
    assert [t for t, *_ in earlier_of(now, responder)] == ["10 days ago"]
