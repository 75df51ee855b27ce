"""``manage.py load_demo``: the demo data a new user explores, loaded idempotently."""

from __future__ import annotations

from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from incidents.models import Incident, Role, Service, TimelineEvent
from incidents.selectors import incident_visible_queryset, timeline_for
from oncall.models import User
from tests.factories import UserFactory

LA = ZoneInfo("America/Los_Angeles")
EDGE = "Edge routers rejected traffic after a configuration change"
ACTIVE = "Web frontend: elevated 502 errors on product pages"
PRIVATE = "Credential exposure in CI build logs"


def load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._base_manager.count() for model in apps.get_models()}


@pytest.fixture
def demo(db):
    return load()


def test_loading_twice_changes_nothing(demo):
    counts = row_counts()
    events = list(TimelineEvent.objects.order_by("id").values_list("id", "occurred_at", "body"))

    output = load()

    assert row_counts() == counts
    assert (
        list(TimelineEvent.objects.order_by("id").values_list("id", "occurred_at", "body"))
        == events
    )
    assert "0 incident(s) created, 6 already there" in output


def test_the_first_load_creates_six_incidents_and_says_so(demo):
    assert Incident.objects.count() == 6
    assert "6 incident(s) created" in demo
    assert "demo / firebreak-demo" in demo


def test_edge_router_incident_has_the_books_timestamps(demo):
    incident = Incident.objects.get(title=EDGE)

    assert incident.started_at == datetime(2016, 2, 22, 14, 12, tzinfo=LA)
    assert incident.detected_at == datetime(2016, 2, 22, 14, 45, tzinfo=LA)
    assert incident.mitigated_at == datetime(2016, 2, 22, 15, 17, tzinfo=LA)
    assert incident.mitigated_at - incident.started_at == timedelta(minutes=65)  # TTR
    assert incident.started_at <= incident.detected_at <= incident.declared_at
    assert incident.mitigated_at <= incident.resolved_at
    assert (incident.severity, incident.kind, incident.status) == ("SEV2", "incident", "resolved")
    assert incident.trigger_category == "config_change"
    assert incident.timezone == "America/Los_Angeles"


def test_edge_router_timeline_runs_from_the_commit_to_the_rollback(demo):
    incident = Incident.objects.get(title=EDGE)
    events = list(timeline_for(incident))
    local_times = [e.occurred_at.astimezone(LA).strftime("%H:%M") for e in events]

    commit = local_times.index("14:04")
    outage_ends = local_times.index("15:17")
    assert commit < local_times.index("14:12") < local_times.index("14:45") < outage_ends
    assert "configuration" in events[commit].body
    assert events[outage_ends].kind == "mitigated"
    assert "[Outage Ends]" in events[outage_ends].body
    assert "[Outage Begins]" in events[local_times.index("14:12")].body
    assert [e.occurred_at for e in events] == sorted(e.occurred_at for e in events)
    assert all(e.recorded_at <= timezone.now() for e in events)


def test_edge_router_key_events_are_highlighted(demo):
    incident = Incident.objects.get(title=EDGE)
    highlighted = [
        e.occurred_at.astimezone(LA).strftime("%H:%M")
        for e in timeline_for(incident)
        if e.highlighted
    ]

    assert {"14:04", "14:12", "14:45", "15:17"} <= set(highlighted)


def test_edge_router_incident_had_commander_ops_comms_and_scribe(demo):
    incident = Incident.objects.get(title=EDGE)
    roles = set(incident.role_assignments.values_list("role", flat=True))

    assert {
        Role.INCIDENT_COMMANDER,
        Role.OPERATIONS_LEAD,
        Role.COMMUNICATIONS_LEAD,
        Role.SCRIBE,
    } <= roles
    assert incident.updates.filter(audience="external").exists()
    assert incident.updates.filter(kind="resolution", follow_up_expected=True).exists()


def test_back_dated_notes_were_recorded_after_they_happened(demo):
    incident = Incident.objects.get(title=EDGE)
    commit = incident.timeline.get(body__startswith="A commit changing the edge router")

    assert commit.occurred_at.astimezone(LA).strftime("%H:%M") == "14:04"
    assert commit.recorded_at > commit.occurred_at


def test_the_traffic_spike_has_a_correction_of_an_earlier_note(demo):
    incident = Incident.objects.get(title="Checkout timeouts during a traffic spike")
    correction = incident.timeline.get(kind="correction")

    assert correction.corrects.incident == incident
    assert correction.corrects.kind == "note"
    assert incident.trigger_category == "traffic_change"


def test_one_incident_is_still_active_with_an_update_due(demo):
    active = Incident.objects.get(title=ACTIVE)

    assert active.is_active
    assert active.next_update_due_at > timezone.now()
    assert active.reminders.filter(kind="update_due", status="pending").exists()
    assert [i.title for i in Incident.objects.all() if i.is_active] == [ACTIVE]


def test_the_private_incident_is_hidden_from_non_members(demo):
    vera = User.objects.get(username="vera")
    demo_user = User.objects.get(username="demo")
    admin = User.objects.get(username="admin")

    assert not incident_visible_queryset(vera).filter(title=PRIVATE).exists()
    assert incident_visible_queryset(demo_user).filter(title=PRIVATE).exists()
    assert incident_visible_queryset(admin).filter(title=PRIVATE).exists()
    assert incident_visible_queryset(vera).count() == 5


def test_incidents_have_tags_and_factors_some_shared_set_after_they_resolved(demo):
    edge = Incident.objects.get(title=EDGE)
    assert list(edge.tags.values_list("name", flat=True)) == ["bgp", "config-push"]
    assert list(edge.contributing_factors.values_list("name", flat=True)) == [
        "manual change",
        "no canary for config changes",
    ]
    shared = Incident.objects.filter(contributing_factors__name="missing alert")
    assert shared.count() == 2
    assert Incident.objects.filter(tags__name="cloud-provider").count() == 2
    change = edge.timeline.filter(kind="field_changed").get(data__fields=["tags"])
    assert change.occurred_at > edge.resolved_at
    assert change.actor == edge.declared_by


def test_the_demo_and_admin_logins_work(demo, client):
    assert client.login(username="demo", password="firebreak-demo")
    assert client.login(username="admin", password="firebreak-admin")
    assert not client.login(username="priya", password="firebreak-demo")


def test_people_have_their_own_time_zones_and_groups(demo):
    demo_user = User.objects.get(username="demo")
    admin = User.objects.get(username="admin")

    assert demo_user.timezone == "America/Los_Angeles"
    assert list(demo_user.groups.values_list("name", flat=True)) == ["responder"]
    assert admin.is_superuser and admin.is_staff
    assert list(admin.groups.values_list("name", flat=True)) == ["admin"]
    assert {"Europe/London", "Asia/Tokyo"} <= set(User.objects.values_list("timezone", flat=True))
    assert User.objects.get(username="vera").groups.get().name == "viewer"


def test_services_have_teams_tiers_and_slo_targets(demo):
    edge = Service.objects.get(slug="edge-router")
    assert edge.team.slug == "edge"
    assert edge.tier == 1
    assert str(edge.slo_target) == "0.99950"
    assert set(Service.objects.values_list("slug", flat=True)) >= {
        "edge-router",
        "object-storage",
        "checkout",
        "web-frontend",
        "cloud-network",
    }


def test_a_scenario_that_cannot_load_stops_with_a_message_and_leaves_nothing_half_written(db):
    UserFactory(username="demo", groups=["viewer"])  # an existing account that may not respond

    with pytest.raises(CommandError, match="Edge routers rejected traffic"):
        load()

    assert not Incident.objects.exists()
    assert not TimelineEvent.objects.exists()
