"""Who manages which schedule (oncall.schedules.permissions): responders of the team that owns a
schedule's service create and manage it (edit, overrides, swaps), admins manage every schedule,
responders of other teams and viewers manage none — in the services, on the web and in the API."""

from __future__ import annotations

from datetime import date, time

import pytest

from config.errors import PermissionDenied
from oncall.models import Schedule, ScheduleOverride
from oncall.schedules.services import override_create, schedule_create, schedule_update
from oncall.schedules.shifts import ParticipantInput
from tests.factories import ServiceFactory, TeamFactory, UserFactory
from tests.oncall.schedules.support import person, utc

ALLOWED, REFUSED = True, False


@pytest.fixture
def world(clock, db, admin_user):
    """Edge (ed is a responder in it) owns edge-router; storage (sam) owns object-storage;
    vi is a viewer who is even a member of edge. The edge schedule is on edge-router."""
    ed = UserFactory(username="ed", first_name="Ed", groups=["responder"])
    sam = UserFactory(username="sam", first_name="Sam", groups=["responder"])
    vi = UserFactory(username="vi", first_name="Vi", groups=["viewer"])
    edge = TeamFactory(slug="edge", name="Edge")
    edge.members.add(ed, vi)
    storage = TeamFactory(slug="storage", name="Storage")
    storage.members.add(sam)
    ServiceFactory(slug="edge-router", name="Edge routing", team=edge)
    ServiceFactory(slug="object-storage", name="Object storage", team=storage)
    ana, ben, cat = person("ana"), person("ben"), person("cat")
    schedule = _create(admin_user, "edge", "edge-router", [ana, ben])
    return {
        "admin": admin_user,
        "ed": ed,
        "sam": sam,
        "vi": vi,
        "ana": ana,
        "ben": ben,
        "cat": cat,
        "edge": schedule,
    }


def _create(user, slug, service_slug, people):
    return schedule_create(
        user=user,
        name=slug.title(),
        slug=slug,
        timezone_name="UTC",
        rotation="weekly",
        handoff_time=time(9),
        start_date=date(2025, 1, 6),
        participants=[ParticipantInput(p) for p in people],
        service_slug=service_slug,
    )


PERSONAS = [("ed", ALLOWED), ("sam", REFUSED), ("vi", REFUSED), ("admin", ALLOWED)]


@pytest.mark.parametrize(("who", "allowed"), PERSONAS)
def test_creating_a_schedule_for_a_teams_service(world, who, allowed):
    people = [world["ana"], world["ben"]]
    if allowed:
        assert _create(world[who], "edge-2", "edge-router", people).created_by == world[who]
    else:
        with pytest.raises(PermissionDenied):
            _create(world[who], "edge-2", "edge-router", people)
        assert not Schedule.objects.filter(slug="edge-2").exists()


def test_a_responder_cannot_create_a_schedule_without_a_service_or_move_one_away(world):
    with pytest.raises(PermissionDenied, match="no service"):
        _create(world["ed"], "loose", "", [world["ana"]])
    with pytest.raises(PermissionDenied, match="object-storage"):
        schedule_update(
            user=world["ed"],
            schedule=world["edge"],
            name="Edge",
            timezone_name="UTC",
            rotation="weekly",
            handoff_time=time(9),
            start_date=date(2025, 1, 6),
            participants=[ParticipantInput(world["ana"])],
            service_slug="object-storage",
        )
    assert Schedule.objects.get(slug="edge").service_slug == "edge-router"


@pytest.mark.parametrize(("who", "allowed"), PERSONAS)
def test_overriding_a_teams_schedule(world, who, allowed):
    def override():
        return override_create(
            user=world[who],
            schedule=world["edge"],
            layer="primary",
            covering_user=world["cat"],
            start=utc(2025, 1, 9, 18),
            end=utc(2025, 1, 10, 6),
        )

    if allowed:
        assert override().created_by == world[who]
    else:
        with pytest.raises(PermissionDenied, match="team that owns Edge's service"):
            override()
        assert not ScheduleOverride.objects.exists()


@pytest.mark.parametrize(("who", "allowed"), PERSONAS)
def test_the_web_pages_and_their_buttons(client, world, who, allowed):
    client.force_login(world[who])
    detail = client.get("/schedules/edge/").content.decode()
    assert ('href="/schedules/edge/edit/"' in detail) is allowed
    assert ('href="/schedules/edge/overrides/new/"' in detail) is allowed
    expected = 200 if allowed else 403
    assert client.get("/schedules/edge/edit/").status_code == expected
    assert client.get("/schedules/edge/overrides/new/").status_code == expected
    assert client.get("/schedules/edge/swaps/new/").status_code == expected
    post = client.post(
        "/schedules/edge/overrides/new/",
        {"layer": "primary", "user": "cat", "start": "2025-01-09T19:00", "end": "2025-01-10T07:00"},
    )
    assert post.status_code == (302 if allowed else 403)
    assert ScheduleOverride.objects.exists() is allowed
    token = Schedule.objects.get(slug="edge").feed_token
    renewed = client.post("/schedules/edge/calendar-link/")
    assert renewed.status_code == (302 if allowed else 403)
    assert (Schedule.objects.get(slug="edge").feed_token != token) is allowed


@pytest.mark.parametrize(
    ("who", "status", "button"),
    [("ed", 200, True), ("sam", 200, True), ("vi", 403, False), ("admin", 200, True)],
)
def test_who_sees_new_schedule(client, world, who, status, button):
    """sam may create schedules, but only for storage's service, which the form offers alone."""
    client.force_login(world[who])
    assert ('href="/schedules/new/"' in client.get("/schedules/").content.decode()) is button
    response = client.get("/schedules/new/")
    assert response.status_code == status
    if who == "sam":
        assert "object-storage" in response.content.decode()
        assert "edge-router" not in response.content.decode()


BODY = {
    "name": "Edge two",
    "slug": "edge-2",
    "service_slug": "edge-router",
    "timezone": "UTC",
    "rotation": "weekly",
    "handoff_time": "09:00",
    "start_date": "2025-01-06",
    "participants": [{"username": "ana"}, {"username": "ben"}],
}


@pytest.mark.parametrize(("who", "allowed"), PERSONAS)
def test_the_api_creates_edits_and_overrides_for_the_same_people(api, world, who, allowed):
    client = api.as_user(world[who])
    created = client.post("/api/v1/schedules/", BODY, format="json")
    assert created.status_code == (201 if allowed else 403), created.json()
    edge = world["edge"]
    edited = client.put(
        f"/api/v1/schedules/{edge.pk}/",
        {k: v for k, v in BODY.items() if k != "slug"} | {"name": "Edge renamed"},
        format="json",
    )
    assert edited.status_code == (200 if allowed else 403), edited.json()
    override = client.post(
        f"/api/v1/schedules/{edge.pk}/overrides/",
        {
            "layer": "primary",
            "username": "cat",
            "start": "2025-01-09T18:00:00Z",
            "end": "2025-01-10T06:00:00Z",
        },
        format="json",
    )
    assert override.status_code == (201 if allowed else 403), override.json()
    assert Schedule.objects.get(pk=edge.pk).name == ("Edge renamed" if allowed else "Edge")
    # a refusal comes before the body is read: even nonsense gets 403, not 400
    if not allowed:
        assert (
            client.put(f"/api/v1/schedules/{edge.pk}/", {"x": 1}, format="json").status_code == 403
        )
    assert client.get(f"/api/v1/schedules/{edge.pk}/").status_code == 200  # everyone reads


def test_a_responder_creating_through_the_api_for_another_teams_service_is_403(api, world):
    response = api.as_user(world["sam"]).post("/api/v1/schedules/", BODY, format="json")
    assert response.status_code == 403
    assert "team that owns the service" in response.json()["detail"] or response.json()


@pytest.mark.parametrize(("who", "allowed"), PERSONAS)
def test_the_api_says_whether_the_client_may_manage_each_schedule(api, world, who, allowed):
    """A client (or a script) can hide its edit buttons without trying a change and reading the
    403: each schedule says ``can_manage`` for whoever asks, in the list and on its own."""
    admin = world["admin"]
    _create(admin, "storage", "object-storage", [world["ana"], world["cat"]])
    client = api.as_user(world[who])

    listed = {
        s["slug"]: s["can_manage"] for s in client.get("/api/v1/schedules/").json()["results"]
    }
    one = client.get(f"/api/v1/schedules/{world['edge'].pk}/").json()

    assert listed["edge"] is allowed and one["can_manage"] is allowed
    assert listed["storage"] is (who in ("sam", "admin"))
