"""Escalation policies: the services' rules, the REST API and the web pages."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from config.errors import PermissionDenied, ValidationFailed
from oncall.escalation.selectors import effective_steps, escalation_policy_for_service
from oncall.escalation.services import StepInput, escalation_policy_create, escalation_policy_update
from oncall.models import EscalationPolicy
from tests.oncall.escalation.support import on_call, payments_team, three_step_policy
from tests.oncall.schedules.support import make_schedule, person

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
S = StepInput


@pytest.fixture
def team(admin_user):
    return payments_team(admin_user, date(2026, 2, 23))


def step_json(**values):
    return {"delay_minutes": 0} | values


def policy_json(**overrides):
    return {
        "name": "Payments critical",
        "slug": "payments-critical",
        "service_slug": "payments",
        "repeats": 1,
        "repeat_after_minutes": 20,
        "steps": [
            step_json(target="schedule_primary", schedule="payments"),
            step_json(target="schedule_secondary", schedule="payments", delay_minutes=5),
            step_json(target="users", usernames=["dev", "rita"], delay_minutes=10),
        ],
    } | overrides


# --- services -------------------------------------------------------------------------------------


def test_steps_resolve_to_the_people_on_call_in_order(team, admin_user):
    schedule, dev = team
    policy = three_step_policy(admin_user, schedule, dev)
    primary, secondary = on_call(schedule, T0)

    assert effective_steps(policy, T0) == [(0, [primary]), (5, [secondary]), (10, [dev])]
    assert escalation_policy_for_service(service_slug="payments") == policy


def test_fewer_than_three_people_collapse_into_one_first_step(team, admin_user):
    schedule, dev = team
    policy = escalation_policy_create(
        user=admin_user,
        name="Small",
        slug="small",
        steps=[
            S(target="user", delay_minutes=2, user=dev),
            S(target="users", delay_minutes=5, usernames=("dev", "ana")),
        ],
    )

    [(delay, people)] = effective_steps(policy, T0)
    assert delay == 2 and {p.username for p in people} == {"dev", "ana"}


def test_a_three_person_rotation_escalates_after_the_delay(team, admin_user):
    """Primary (0 min) then secondary (5 min) over ana, ben and cy: two people resolve right now,
    but three could be on call, so the secondary is paged only after the delay."""
    schedule, _ = team
    policy = escalation_policy_create(
        user=admin_user,
        name="Rotation only",
        slug="rotation-only",
        steps=[
            S(target="schedule_primary", delay_minutes=0, schedule=schedule),
            S(target="schedule_secondary", delay_minutes=5, schedule=schedule),
        ],
    )
    primary, secondary = on_call(schedule, T0)

    assert effective_steps(policy, T0) == [(0, [primary]), (5, [secondary])]


def test_a_two_person_rotation_is_paged_together(admin_user):
    ana, ben = person("ana"), person("ben")
    schedule = make_schedule(admin_user, [ana, ben], handoff=time(0), start=date(2026, 2, 23))
    policy = escalation_policy_create(
        user=admin_user,
        name="Pair",
        slug="pair",
        steps=[
            S(target="schedule_primary", delay_minutes=0, schedule=schedule),
            S(target="schedule_secondary", delay_minutes=5, schedule=schedule),
        ],
    )

    [(delay, people)] = effective_steps(policy, T0)
    assert delay == 0 and {p.username for p in people} == {"ana", "ben"}


def test_a_viewer_cannot_create_a_policy(team, viewer):
    schedule, dev = team
    with pytest.raises(PermissionDenied):
        escalation_policy_create(
            user=viewer, name="X", slug="x", steps=[S(target="user", user=dev)]
        )
    assert not EscalationPolicy.objects.exists()


@pytest.mark.parametrize(
    "steps, message",
    [
        ([], "Add at least one step"),
        ([S(target="schedule_primary")], "choose a schedule"),
        ([S(target="user")], "choose an active person"),
        ([S(target="users", usernames=("nobody",))], "no active person called nobody"),
        ([S(target="users")], "list at least one person"),
        ([S(target="radio")], "the target must be one of"),
        ([S(target="user", delay_minutes=-1)], "the delay must be between"),
    ],
)
def test_bad_steps_are_refused_and_nothing_is_written(team, responder, steps, message):
    with pytest.raises(ValidationFailed) as error:
        escalation_policy_create(user=responder, name="X", slug="x", steps=steps)

    assert message in " ".join(error.value.field_errors["steps"])
    assert not EscalationPolicy.objects.exists()


def test_one_policy_per_service(team, admin_user, responder):
    schedule, dev = team
    three_step_policy(admin_user, schedule, dev)

    with pytest.raises(ValidationFailed) as error:
        escalation_policy_create(
            user=responder,
            name="Other",
            slug="other",
            service_slug="payments",
            steps=[S(target="user", user=dev)],
        )

    assert "already has an escalation policy" in error.value.field_errors["service_slug"][0]


def test_updating_replaces_the_steps(team, admin_user, responder):
    schedule, dev = team
    policy = three_step_policy(admin_user, schedule, dev)

    updated = escalation_policy_update(
        user=responder, policy=policy, repeats=3, steps=[S(target="user", user=dev)]
    )

    assert updated.repeats == 3
    assert [(s.target, s.user) for s in updated.steps.all()] == [("user", dev)]


# --- API ------------------------------------------------------------------------------------------


def test_a_responder_creates_and_everyone_reads_a_policy(api, team, responder, viewer):
    created = api.as_user(responder).post(
        "/api/v1/escalation-policies/", policy_json(), format="json"
    )

    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["steps"] == [
        {
            "target": "schedule_primary",
            "delay_minutes": 0,
            "schedule": "payments",
            "username": None,
            "usernames": [],
        },
        {
            "target": "schedule_secondary",
            "delay_minutes": 5,
            "schedule": "payments",
            "username": None,
            "usernames": [],
        },
        {
            "target": "users",
            "delay_minutes": 10,
            "schedule": None,
            "username": None,
            "usernames": ["dev", "rita"],
        },
    ]
    assert body["created_by"] == "rita"
    listed = api.as_user(viewer).get("/api/v1/escalation-policies/")
    assert [p["slug"] for p in listed.json()["results"]] == ["payments-critical"]
    one = api.as_user(viewer).get(f"/api/v1/escalation-policies/{body['id']}/")
    assert one.json()["repeats"] == 1


def test_a_responder_replaces_a_policy(api, team, responder):
    api.as_user(responder)
    created = api.post("/api/v1/escalation-policies/", policy_json(), format="json").json()

    response = api.put(
        f"/api/v1/escalation-policies/{created['id']}/",
        policy_json(name="Renamed", steps=[step_json(target="user", username="dev")]),
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["name"] == "Renamed"
    assert [s["username"] for s in response.json()["steps"]] == ["dev"]


def test_a_viewer_gets_403_and_nothing_changes(api, team, responder, viewer):
    created = (
        api.as_user(responder)
        .post("/api/v1/escalation-policies/", policy_json(), format="json")
        .json()
    )
    api.as_user(viewer)

    assert (
        api.post(
            "/api/v1/escalation-policies/", policy_json(slug="mine"), format="json"
        ).status_code
        == 403
    )
    assert (
        api.put(
            f"/api/v1/escalation-policies/{created['id']}/", policy_json(name="Mine"), format="json"
        ).status_code
        == 403
    )
    assert list(EscalationPolicy.objects.values_list("name", flat=True)) == ["Payments critical"]


@pytest.mark.parametrize(
    "change, field",
    [
        ({"steps": [step_json(target="schedule_primary", schedule="nope")]}, "steps"),
        ({"steps": [step_json(target="schedule_primary")]}, "steps"),
        ({"steps": [step_json(target="user", username="ghost")]}, "steps"),
        ({"steps": []}, "steps"),
        ({"repeats": 11}, "repeats"),
        ({"repeats": "2"}, "repeats"),
        ({"slug": "not a slug"}, "slug"),
    ],
)
def test_bad_input_is_400_naming_the_field(api, team, responder, change, field):
    response = api.as_user(responder).post(
        "/api/v1/escalation-policies/", policy_json(**change), format="json"
    )

    assert response.status_code == 400
    assert any(key.split(".")[0] == field for key in response.json()["errors"])
    assert not EscalationPolicy.objects.exists()


def test_an_unknown_policy_is_404(api, viewer):
    assert api.as_user(viewer).get("/api/v1/escalation-policies/999/").status_code == 404


def test_the_api_needs_a_sign_in(api):
    assert api.get("/api/v1/escalation-policies/").status_code in (401, 403)


# --- web pages ------------------------------------------------------------------------------------


def test_everyone_sees_the_policies_and_who_would_be_paged_now(
    client, team, admin_user, viewer, time_machine
):
    time_machine.move_to(T0, tick=False)
    schedule, dev = team
    three_step_policy(admin_user, schedule, dev)
    primary, secondary = on_call(schedule, T0)
    client.force_login(viewer)

    listing = client.get("/escalation-policies/").content.decode()
    detail = client.get("/escalation-policies/payments-critical/").content.decode()

    assert "Payments critical" in listing and "New policy" not in listing
    assert primary.display_name in detail and secondary.display_name in detail
    assert "Edit" not in detail
    assert client.get("/escalation-policies/payments-critical/edit/").status_code == 403
    assert client.get("/escalation-policies/nope/").status_code == 404


def test_a_responder_creates_a_policy_with_the_form(client, team, responder):
    client.force_login(responder)

    response = client.post(
        "/escalation-policies/new/",
        {
            "name": "Payments critical",
            "slug": "payments-critical",
            "service_slug": "payments",
            "steps": "0 primary payments\n5 secondary payments\n10 people dev,rita",
            "repeats": "2",
            "repeat_after_minutes": "30",
        },
    )

    assert response.status_code == 302
    policy = EscalationPolicy.objects.get()
    assert [(s.target, s.delay_minutes) for s in policy.steps.all()] == [
        ("schedule_primary", 0),
        ("schedule_secondary", 5),
        ("users", 10),
    ]
    edit = client.get("/escalation-policies/payments-critical/edit/").content.decode()
    assert "5 secondary payments" in edit


def test_the_form_says_which_line_is_wrong(client, team, responder):
    person("zoe")
    client.force_login(responder)

    response = client.post(
        "/escalation-policies/new/",
        {
            "name": "X",
            "slug": "x",
            "steps": "0 person zoe\nsoon primary payments",
            "repeats": "0",
            "repeat_after_minutes": "15",
        },
    )

    assert response.status_code == 400
    assert "Line 2" in response.content.decode()
    assert not EscalationPolicy.objects.exists()
