"""Wheel of Misfortune drills: a private drill incident replaying a published postmortem, step by
step, by a game master; the trainee responds on the drill's own timeline."""

from __future__ import annotations

import pytest

from config.errors import NotFound, PermissionDenied, ValidationFailed
from incidents import services as incident_services
from incidents.models import Incident, Role, RoleAssignment, TimelineEvent
from postmortems import services
from postmortems.drills import services as drill_services
from postmortems.drills.models import Drill
from tests.factories import ServiceFactory, UserFactory, declare
from tests.postmortems.conftest import build_edge_router_incident, la

SUMMARY_URL = "/api/v1/reports/summary/"


@pytest.fixture
def reviewer(db):
    return UserFactory(username="rev", first_name="Rev", groups=["responder"])


@pytest.fixture
def trainee(db):
    return UserFactory(username="tina", first_name="Tina", groups=["responder"])


def _publish(postmortem, author, reviewer):
    services.postmortem_submit(user=author, postmortem=postmortem, reviewers=[reviewer])
    services.postmortem_review(
        user=reviewer, postmortem=postmortem, decision="approved", acknowledge_warnings=True
    )
    return services.postmortem_publish(user=author, postmortem=postmortem)


@pytest.fixture
def source(responder, other_responder):
    """The edge-router incident on the edge service, with a highlighted note naming people."""
    edge = ServiceFactory(slug="edge", name="Edge")
    incident = build_edge_router_incident(responder)
    incident_services.incident_update(
        incident=incident, user=responder, changes={"services": ["edge"]}
    )
    incident_services.timeline_note_add(
        incident=incident,
        user=responder,
        body="Rita paged Omar (omar@example.com) and support@vendor.example",
        occurred_at=la(14, 50),
        highlighted=True,
    )
    assert edge in incident.services.all()
    return incident


@pytest.fixture
def published(source, responder, reviewer):
    return _publish(
        services.postmortem_create(user=responder, incident=source), responder, reviewer
    )


@pytest.fixture
def drill(published, responder, trainee):
    return drill_services.drill_create(user=responder, postmortem=published, trainee=trainee)


def _scenario_notes(incident):
    return list(
        TimelineEvent.objects.filter(incident=incident, body__startswith="[Scenario]")
        .order_by("id")
        .values_list("body", flat=True)
    )


def test_a_drill_is_a_private_drill_incident_commanded_by_the_trainee(
    drill, source, responder, trainee
):
    incident = drill.incident

    assert incident.kind == "drill"
    assert incident.private is True
    assert set(incident.members.all()) == {responder, trainee}
    assert incident.title == "Drill: Edge router drops traffic after a route change"
    assert incident.severity == source.severity
    assert [s.slug for s in incident.services.all()] == ["edge"]
    assert incident.declared_by == responder
    commander = RoleAssignment.objects.get(
        incident=incident, role=Role.INCIDENT_COMMANDER, ended_at__isnull=True
    )
    assert commander.user == trainee
    assert (drill.game_master, drill.trainee, drill.postmortem.incident) == (
        responder,
        trainee,
        source,
    )
    assert drill.revealed_steps == 0 and drill.ended_at is None


def test_the_scenario_is_the_highlighted_timeline_in_order_with_relative_times_and_no_names(
    drill,
):
    steps = [(s["at"], s["who"], s["text"]) for s in drill.scenario]

    assert steps == [
        ("T+0 min", "Incident commander", "Deploy of the new edge route config"),
        ("T+35 min", "Incident commander", "Pager fires: edge 5xx rate above 5%"),
        (
            "T+40 min",
            "Incident commander",
            "incident commander paged a colleague (a colleague) and [e-mail]",
        ),
        ("T+1 h 05 min", "Incident commander", "Rolled back the route config"),
    ]
    assert "Coffee" not in str(drill.scenario)


def test_without_highlights_the_scenario_is_every_note(responder, reviewer, trainee):
    incident = declare(responder, title="Queue backs up", severity="SEV3")
    incident_services.timeline_note_add(incident=incident, user=responder, body="Queue at 10k")
    incident_services.incident_change_status(
        incident=incident, user=responder, status="resolved", note="Drained"
    )
    published = _publish(
        services.postmortem_create(user=responder, incident=incident), responder, reviewer
    )

    drill = drill_services.drill_create(user=responder, postmortem=published, trainee=trainee)

    # Resolving recorded when impact ended (METRICS.md v2): that is a step of the story too.
    assert [s["kind"] for s in drill.scenario] == ["note", "mitigated", "status_changed"]
    assert drill.scenario[0]["text"] == "Queue at 10k"
    assert drill.scenario[2]["text"] == (
        "incident commander changed status from investigating to resolved. Drained"
    )


def test_only_a_published_postmortem_becomes_a_drill(source, responder, trainee, client):
    draft = services.postmortem_create(user=responder, incident=source)

    with pytest.raises(ValidationFailed, match="published postmortems only"):
        drill_services.drill_create(user=responder, postmortem=draft, trainee=trainee)
    client.force_login(responder)
    response = client.post(f"/drills/new/{draft.pk}/", {"trainee": trainee.pk})

    assert response.status_code == 400
    assert "published postmortems only" in response.content.decode()
    assert not Drill.objects.exists()
    assert not Incident.objects.filter(kind="drill").exists()


def test_the_trainee_must_be_another_responder_who_can_see_the_incident(
    responder, reviewer, trainee, viewer
):
    private = build_edge_router_incident(responder, private=True)
    private.members.add(reviewer)
    published = _publish(
        services.postmortem_create(user=responder, incident=private), responder, reviewer
    )

    with pytest.raises(ValidationFailed, match="cannot see this private incident"):
        drill_services.drill_create(user=responder, postmortem=published, trainee=trainee)
    with pytest.raises(ValidationFailed, match="two different people"):
        drill_services.drill_create(user=responder, postmortem=published, trainee=responder)
    with pytest.raises(ValidationFailed, match="active responder"):
        drill_services.drill_create(user=responder, postmortem=published, trainee=viewer)
    assert not Drill.objects.exists()


def test_starting_a_drill_from_the_postmortem_page(client, published, responder, trainee, viewer):
    client.force_login(viewer)
    assert "Start a drill" not in client.get(f"/postmortems/{published.pk}/").content.decode()
    client.force_login(responder)
    page = client.get(f"/postmortems/{published.pk}/").content.decode()
    assert f'href="/drills/new/{published.pk}/"' in page

    response = client.post(f"/drills/new/{published.pk}/", {"trainee": trainee.pk})

    drill = Drill.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/drills/{drill.pk}/"
    assert drill.trainee == trainee and drill.game_master == responder


def test_reveal_posts_exactly_the_next_step_to_the_drills_timeline(drill, source, responder):
    source_events = TimelineEvent.objects.filter(incident=source).count()

    first = drill_services.drill_reveal_next(user=responder, drill=drill)
    drill_services.drill_reveal_next(user=responder, drill=drill)

    assert first.incident == drill.incident and first.actor == responder
    assert _scenario_notes(drill.incident) == [
        "[Scenario] T+0 min — Incident commander: Deploy of the new edge route config",
        "[Scenario] T+35 min — Incident commander: Pager fires: edge 5xx rate above 5%",
    ]
    assert TimelineEvent.objects.filter(incident=source).count() == source_events
    drill.refresh_from_db()
    assert drill.revealed_steps == 2


def test_revealing_past_the_end_is_refused(client, drill, responder):
    client.force_login(responder)
    for _ in drill.scenario:
        assert client.post(f"/drills/{drill.pk}/reveal/").status_code == 302

    response = client.post(f"/drills/{drill.pk}/reveal/")

    assert response.status_code == 400
    assert "All 4 steps of the scenario have been revealed" in response.content.decode()
    assert len(_scenario_notes(drill.incident)) == 4


def test_the_trainees_actions_land_on_the_drills_timeline_only(client, drill, source, trainee):
    client.force_login(trainee)
    page = client.get(f"/incidents/{drill.incident.number}/")
    assert page.status_code == 200

    response = client.post(
        f"/incidents/{drill.incident.number}/notes/", {"body": "Checking the edge dashboards"}
    )

    assert response.status_code == 302
    assert TimelineEvent.objects.filter(
        incident=drill.incident, body="Checking the edge dashboards", actor=trainee
    ).exists()
    assert not TimelineEvent.objects.filter(
        incident=source, body="Checking the edge dashboards"
    ).exists()


def test_the_scenario_page_is_the_game_masters_only(client, drill, responder, trainee, outsider):
    client.force_login(responder)
    page = client.get(f"/drills/{drill.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Rolled back the route config" in html
    assert f'href="/incidents/{drill.incident.number}/"' in html

    client.force_login(trainee)
    assert client.get(f"/drills/{drill.pk}/").status_code == 403
    assert client.post(f"/drills/{drill.pk}/reveal/").status_code == 403
    assert client.post(f"/drills/{drill.pk}/end/").status_code == 403
    client.force_login(outsider)
    assert client.get(f"/drills/{drill.pk}/").status_code == 404
    assert client.post(f"/drills/{drill.pk}/reveal/").status_code == 404
    with pytest.raises(PermissionDenied):
        drill_services.drill_reveal_next(user=trainee, drill=drill)
    with pytest.raises(NotFound):
        drill_services.drill_reveal_next(user=outsider, drill=drill)
    assert _scenario_notes(drill.incident) == []


def test_a_drill_does_not_count_in_the_reports(api, published, responder, trainee):
    declare(responder, title="A real outage", severity="SEV2")
    before = api.as_user(responder).get(SUMMARY_URL).json()["incidents"]["count"]

    drill_services.drill_create(user=responder, postmortem=published, trainee=trainee)
    after = api.as_user(responder).get(SUMMARY_URL).json()["incidents"]["count"]

    assert before == 1
    assert after == 1


def test_ending_the_drill_resolves_its_incident(client, drill, responder):
    client.force_login(responder)

    response = client.post(f"/drills/{drill.pk}/end/")

    assert response.status_code == 302
    drill.refresh_from_db()
    drill.incident.refresh_from_db()
    assert drill.ended_at is not None
    assert drill.incident.status == "resolved"
    assert drill.incident.resolved_at is not None
    assert client.post(f"/drills/{drill.pk}/end/").status_code == 400
    assert client.post(f"/drills/{drill.pk}/reveal/").status_code == 400
    assert _scenario_notes(drill.incident) == []


def test_my_drills_link_the_game_master_to_the_scenario_and_the_trainee_to_the_incident(
    client, drill, responder, trainee
):
    client.force_login(responder)
    assert f'href="/drills/{drill.pk}/"' in client.get("/drills/").content.decode()
    client.force_login(trainee)
    html = client.get("/drills/").content.decode()

    assert f'href="/incidents/{drill.incident.number}/"' in html
    assert f'href="/drills/{drill.pk}/"' not in html


def test_someone_else_can_be_named_game_master(published, admin_user, responder, trainee, client):
    drill = drill_services.drill_create(
        user=admin_user, postmortem=published, trainee=trainee, game_master=responder
    )

    assert drill.game_master == responder and drill.created_by == admin_user
    assert drill.incident.declared_by == responder
    assert set(drill.incident.members.all()) == {responder, trainee}
    client.force_login(responder)
    assert client.get(f"/drills/{drill.pk}/").status_code == 200
