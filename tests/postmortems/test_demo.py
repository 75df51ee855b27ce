"""``manage.py load_demo``: the demo incidents come with the postmortems written about them, so a
new user finds a knowledge base to search, a status page with public postmortems, a review to
do, action items in every state and actions asked for twice."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from incidents.demo import load_demo_incidents
from incidents.models import Incident
from oncall.models import User
from postmortems import services
from postmortems.demo import BURN_RATE_ALERT, FAILOVER_RUNBOOK
from postmortems.drills import services as drill_services
from postmortems.models import ActionItem, Postmortem

EDGE = "Edge routers rejected traffic after a configuration change"
S3 = "Uploads and images failing: Amazon S3 us-east-1 outage"
TRAFFIC = "Checkout timeouts during a traffic spike"
GCP = "Google Cloud networking: elevated packet loss and latency"
PRIVATE = "Credential exposure in CI build logs"
ACTIVE = "Web frontend: elevated 502 errors on product pages"


# Real commits: resolving an incident creates its required draft on commit, and the demo's
# postmortems are written into those drafts (as in `make run`). serialized_rollback gives the
# later tests back the built-in templates the flush removes.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def postmortem_of(title: str) -> Postmortem:
    return Postmortem.objects.get(incident__title=title)


@pytest.fixture
def demo():
    return load()


def test_each_resolved_incident_has_its_postmortem_at_a_different_stage(demo):
    stages = {pm.incident.title: (pm.status, pm.visibility) for pm in Postmortem.objects.all()}

    assert stages == {
        EDGE: ("published", "public"),
        S3: ("published", "public"),
        TRAFFIC: ("in_review", "internal"),
        GCP: ("draft", "internal"),
        PRIVATE: ("draft", "internal"),
    }
    assert "5 postmortem(s) written" in demo
    assert "wrote the postmortem of INC-1 (published)" in demo


def test_published_postmortems_were_reviewed_and_published_days_after_the_incident(demo):
    edge = postmortem_of(EDGE)
    incident = edge.incident

    review = edge.reviews.get()
    assert (review.reviewer.username, review.decision) == ("priya", "approved")
    assert incident.resolved_at < edge.published_at
    assert edge.published_at.date() == date(2016, 2, 27)
    assert edge.snapshot  # the frozen text the status page shows
    assert "wildcard host" in edge.sections.get(key="root_cause").body
    assert edge.revisions.filter(note="First draft").exists()


def test_the_postmortem_in_review_waits_for_its_reviewer(demo):
    traffic = postmortem_of(TRAFFIC)

    assert list(traffic.reviews.values_list("reviewer__username", "decision")) == [
        ("amara", "pending")
    ]


def test_action_items_are_done_in_progress_open_and_overdue(demo):
    statuses = set(ActionItem.objects.values_list("status", flat=True))
    done = ActionItem.objects.get(title="Validate rendered router configuration in CI")
    overdue = ActionItem.objects.filter(
        status__in=ActionItem.OPEN_STATUSES, due_date__lt=timezone.localdate()
    )

    assert statuses == {"open", "in_progress", "done"}
    assert done.owner.username == "priya"
    assert (
        done.created_at
        < done.completed_at
        < postmortem_of(EDGE).incident.resolved_at + (timedelta(days=30))
    )
    assert overdue.exists()


def test_two_actions_were_asked_for_by_two_postmortems_each(demo, client):
    client.force_login(User.objects.get(username="vera"))

    page = client.get("/action-items/repeated/").content.decode()

    assert BURN_RATE_ALERT in page
    assert FAILOVER_RUNBOOK in page
    for title in (BURN_RATE_ALERT, FAILOVER_RUNBOOK):
        items = ActionItem.objects.filter(title=title)
        assert items.values("postmortem").distinct().count() == 2


def test_the_status_page_shows_the_two_public_postmortems_and_nothing_private(demo, client):
    page = client.get("/status/").content.decode()

    assert "Edge routers rejected traffic" in page
    assert "Amazon S3" in page
    assert "Credential exposure" not in page
    public = client.get(f"/status/postmortems/{postmortem_of(EDGE).pk}/")
    assert public.status_code == 200
    assert client.get(f"/status/postmortems/{postmortem_of(TRAFFIC).pk}/").status_code == 404


def test_search_finds_a_postmortem_from_its_root_cause_and_hides_the_private_one(demo, client):
    client.force_login(User.objects.get(username="vera"))

    hits = client.get("/api/v1/search/", {"q": "wildcard host parser"}).json()
    assert (hits[0]["type"], hits[0]["url"]) == (
        "postmortem",
        f"/postmortems/{postmortem_of(EDGE).pk}/",
    )

    assert client.get("/api/v1/search/", {"q": "debug line environment"}).json() == []
    client.force_login(User.objects.get(username="demo"))  # a member of the private incident
    member_hits = client.get("/api/v1/search/", {"q": "debug line environment"}).json()
    assert member_hits[0]["url"] == f"/postmortems/{postmortem_of(PRIVATE).pk}/"


def test_a_wheel_of_misfortune_drill_runs_from_a_published_demo_postmortem(demo):
    demo_user = User.objects.get(username="demo")
    trainee = User.objects.get(username="amara")

    drill = drill_services.drill_create(
        user=demo_user, postmortem=postmortem_of(EDGE), trainee=trainee
    )
    first = drill_services.drill_reveal_next(user=demo_user, drill=drill)

    assert drill.incident.kind == "drill"
    assert first.body.startswith("[Scenario] T+0 min")
    assert "configuration" in first.body


def test_the_incident_still_going_came_from_an_alert_acknowledged_two_minutes_after_it_fired(demo):
    active = Incident.objects.get(title=ACTIVE)

    [alert] = active.alerts.all()

    assert (alert.name, alert.service_slug, alert.status) == (
        "FrontendErrorRate",
        "web-frontend",
        "firing",
    )
    assert alert.fired_at == active.detected_at
    assert alert.acknowledged_at == active.detected_at + timedelta(minutes=2)
    assert active.acknowledged_at == alert.acknowledged_at  # the page's acknowledgement
    assert active.timeline.filter(kind="alert_linked").count() == 1


def test_loading_twice_changes_nothing(demo):
    counts = {m._meta.label: m._base_manager.count() for m in apps.get_models()}

    output = load()

    assert {m._meta.label: m._base_manager.count() for m in apps.get_models()} == counts
    assert "0 postmortem(s) written, 5 already there" in output


def test_a_draft_someone_already_edited_is_left_alone():
    load_demo_incidents()
    gcp = postmortem_of(GCP)
    kenji = User.objects.get(username="kenji")
    services.postmortem_save(
        user=kenji,
        postmortem=gcp,
        version=gcp.version,
        sections=[{"key": "summary", "body": "My own words."}],
    )

    output = load()

    gcp.refresh_from_db()
    assert gcp.sections.get(key="summary").body == "My own words."
    assert not gcp.action_items.exists()
    assert "4 postmortem(s) written, 1 already there" in output


def test_a_postmortem_that_cannot_be_written_stops_with_a_message_and_keeps_the_draft():
    load_demo_incidents()
    tom = User.objects.get(username="tom")
    tom.groups.set([Group.objects.get(name="viewer")])  # tom may no longer write INC-3's

    with pytest.raises(CommandError, match=r"Could not write the postmortem of INC-3: Only"):
        load()

    traffic = postmortem_of(TRAFFIC)
    assert (traffic.version, traffic.action_items.exists(), traffic.status) == (1, False, "draft")
    assert postmortem_of(EDGE).status == "published"  # written before, in its own transaction
