"""``load_demo``'s on-call part: rotations, policies, an Alertmanager integration and eight weeks
of alerts that paged people (some at night), so the reports and the weekly review have figures."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from incidents.demo import SERVICES, load_demo_incidents
from oncall.demo import load_demo_oncall
from oncall.models import (
    Alert,
    AlertReviewDecision,
    EscalationPolicy,
    Integration,
    NotificationDelivery,
    Schedule,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    people = load_demo_incidents().people

    def load():
        return load_demo_oncall(
            admin=people.admin,
            people={u: getattr(people, u) for u in ("demo", "priya", "amara", "tom", "kenji")},
            service_slugs=list(SERVICES),
        )

    return load(), load


def test_two_rotations_one_of_three_people_and_one_following_the_sun(loaded):
    edge = Schedule.objects.get(slug="edge-primary")
    sun = Schedule.objects.get(slug="storage-follow-the-sun")
    assert edge.participants.count() == 3
    assert sun.versions.get().rotation == "follow_the_sun"


def test_every_service_has_an_escalation_policy_and_alertmanager_sends_alerts(loaded):
    assert set(EscalationPolicy.objects.values_list("service_slug", flat=True)) == set(SERVICES)
    alertmanager = Integration.objects.get(kind="alertmanager")
    alerts = Alert.objects.filter(integration=alertmanager)
    oldest = alerts.order_by("fired_at").first().fired_at
    assert timezone.now() - oldest > timedelta(weeks=7)
    assert alerts.filter(status=Alert.Status.RESOLVED).exists()
    assert alerts.filter(fingerprint="nodenotready-flap").count() >= 3  # flapping


def test_critical_alerts_paged_people_by_slack_some_at_night_and_most_were_acknowledged(loaded):
    critical = Alert.objects.filter(urgency=Alert.Urgency.CRITICAL)
    pages = NotificationDelivery.objects.filter(
        transport="slack", status="sent", notification__key__startswith="page:"
    ).select_related("notification__recipient")
    assert pages.count() == critical.count() > 0
    hours = [p.sent_at.astimezone(ZoneInfo(p.notification.recipient.timezone)).hour for p in pages]
    assert any(h >= 22 or h < 7 for h in hours)  # sleep-hour interruptions
    assert critical.filter(acknowledged_at__isnull=False).count() > critical.count() / 2


def test_pages_in_the_night_also_went_by_sms_to_the_persons_phone(loaded):
    sms = NotificationDelivery.objects.filter(
        transport="sms", status="sent", notification__key__startswith="page:"
    ).select_related("notification__recipient")
    assert sms.exists()
    for delivery in sms:
        person = delivery.notification.recipient
        hour = delivery.sent_at.astimezone(ZoneInfo(person.timezone)).hour
        assert hour >= 22 or hour < 8
        assert person.contact_methods.filter(kind="sms").exists()


def test_one_week_was_reviewed(loaded):
    assert Alert.objects.filter(actionable=True).exists()
    assert Alert.objects.filter(actionable=False).exists()
    assert AlertReviewDecision.objects.count() == 1


def test_loading_again_adds_nothing(loaded):
    first, load = loaded
    counts = (Alert.objects.count(), NotificationDelivery.objects.count(), Schedule.objects.count())
    again = load()
    assert again.alerts_created == 0 and first.alerts_created > 50
    assert (
        Alert.objects.count(),
        NotificationDelivery.objects.count(),
        Schedule.objects.count(),
    ) == counts


def test_the_demo_team_is_not_new_and_demo_manages_the_edge_rotation(loaded):
    """The walk-through: demo (an edge responder) edits the edge rotation and picks people from
    a directory where only someone never on call is marked new, not everyone created today."""
    from oncall.schedules.directory import people_directory
    from oncall.schedules.permissions import may_create, may_manage

    entries = {e.user.username: e for e in people_directory(now=timezone.now())}
    assert not any(e.joined_recently for e in entries.values())
    assert [name for name, e in entries.items() if e.is_new] == ["admin"]  # never on call
    demo = entries["demo"].user
    assert may_create(demo)
    assert may_manage(demo, Schedule.objects.get(slug="edge-primary"))
    assert not may_manage(demo, Schedule.objects.get(slug="storage-follow-the-sun"))
