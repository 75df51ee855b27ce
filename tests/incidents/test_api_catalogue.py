"""REST API: services and teams (/api/v1/services/, /api/v1/teams/)."""

from __future__ import annotations

import pytest

from incidents.models import Service, Team
from tests.factories import ServiceFactory, TeamFactory

SERVICE_KEYS = {"id", "slug", "name", "description", "tier", "team", "slo_target"}


def test_a_responder_creates_a_service_owned_by_a_team(api, responder):
    TeamFactory(slug="payments-team", name="Payments")

    response = api.as_user(responder).post(
        "/api/v1/services/",
        {
            "slug": "checkout",
            "name": "Checkout",
            "description": "Takes the money",
            "tier": 1,
            "team": "payments-team",
            "slo_target": "0.9995",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == SERVICE_KEYS
    assert (body["slug"], body["tier"], body["team"], body["slo_target"]) == (
        "checkout",
        1,
        "payments-team",
        0.9995,
    )
    assert Service.objects.get(slug="checkout").team.slug == "payments-team"


def test_a_service_needs_only_a_slug_and_a_name(api, responder):
    response = api.as_user(responder).post(
        "/api/v1/services/", {"slug": "search", "name": "Search"}, format="json"
    )

    assert response.status_code == 201
    assert (response.json()["tier"], response.json()["team"], response.json()["slo_target"]) == (
        2,
        None,
        0.999,
    )


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"slug": "Not A Slug", "name": "x"}, "slug"),
        ({"slug": "taken", "name": "x"}, "slug"),
        ({"slug": "x" * 65, "name": "x"}, "slug"),
        ({"slug": "ok", "name": ""}, "name"),
        ({"slug": "ok", "name": "x", "tier": 7}, "tier"),
        ({"slug": "ok", "name": "x", "tier": "1"}, "tier"),
        ({"slug": "ok", "name": "x", "team": "no-such-team"}, "team"),
        ({"slug": "ok", "name": "x", "team": "a\x00b"}, "team"),
        ({"slug": "ok", "name": "x", "slo_target": 1.5}, "slo_target"),
        ({"slug": "ok", "name": "x", "slo_target": "NaN"}, "slo_target"),
        ({"slug": "ok", "name": "x", "owner": "rita"}, "owner"),
    ],
)
def test_bad_services_are_a_400_naming_the_field(api, responder, payload, field):
    ServiceFactory(slug="taken")

    response = api.as_user(responder).post("/api/v1/services/", payload, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert Service.objects.count() == 1


@pytest.mark.parametrize("key", ["slug", "pk"])
def test_a_service_is_found_by_slug_or_by_id(api, viewer, key):
    service = ServiceFactory(slug="checkout", name="Checkout")

    response = api.as_user(viewer).get(f"/api/v1/services/{getattr(service, key)}/")

    assert response.status_code == 200
    assert response.json()["name"] == "Checkout"


@pytest.mark.parametrize("key", ["nope", "a%00b", "99999999999999999999999", "a.b"])
def test_an_unknown_service_is_a_json_404(api, viewer, key):
    ServiceFactory(slug="checkout")

    response = api.as_user(viewer).get(f"/api/v1/services/{key}/")

    assert response.status_code == 404
    assert response.json()["detail"] == "No such service."


def test_changing_a_service(api, responder):
    service = ServiceFactory(slug="checkout")
    TeamFactory(slug="core")

    response = api.as_user(responder).patch(
        "/api/v1/services/checkout/",
        {"name": "Checkout v2", "team": "core", "tier": 3},
        format="json",
    )

    assert response.status_code == 200, response.json()
    service.refresh_from_db()
    assert (service.name, service.team.slug, service.tier) == ("Checkout v2", "core", 3)
    api.patch("/api/v1/services/checkout/", {"team": None}, format="json")
    service.refresh_from_db()
    assert service.team is None


def test_a_services_slug_is_permanent(api, responder):
    ServiceFactory(slug="checkout")

    response = api.as_user(responder).patch(
        "/api/v1/services/checkout/", {"slug": "pay"}, format="json"
    )

    assert response.status_code == 400
    assert "slug" in response.json()["errors"]
    assert Service.objects.filter(slug="checkout").exists()


@pytest.mark.parametrize("method", ["put", "delete"])
def test_services_are_not_replaced_or_deleted(api, responder, method):
    ServiceFactory(slug="checkout")

    response = getattr(api.as_user(responder), method)(
        "/api/v1/services/checkout/", {}, format="json"
    )

    assert response.status_code == 405


def test_teams_are_created_with_members_by_username(api, responder, other_responder):
    response = api.as_user(responder).post(
        "/api/v1/teams/", {"slug": "sre", "name": "SRE", "members": ["rita", "omar"]}, format="json"
    )

    assert response.status_code == 201, response.json()
    assert response.json() == {
        "id": Team.objects.get().pk,
        "slug": "sre",
        "name": "SRE",
        "members": ["omar", "rita"],
        "services": [],
    }


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"slug": "sre", "name": "SRE", "members": ["ghost"]}, "members.0"),
        ({"slug": "sre", "name": "SRE", "members": "rita"}, "members"),
        ({"slug": "sre"}, "name"),
        ({"slug": "s r e", "name": "SRE"}, "slug"),
    ],
)
def test_bad_teams_are_a_400_naming_the_field(api, responder, payload, field):
    response = api.as_user(responder).post("/api/v1/teams/", payload, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Team.objects.exists()


def test_teams_list_their_services(api, viewer):
    service = ServiceFactory(slug="checkout")

    listing = api.as_user(viewer).get("/api/v1/teams/").json()
    one = api.get(f"/api/v1/teams/{service.team.slug}/").json()

    assert [t["services"] for t in listing["results"]] == [["checkout"]]
    assert one["slug"] == service.team.slug


@pytest.mark.parametrize(
    ("method", "path", "payload"),
    [
        ("post", "/api/v1/services/", {"slug": "x", "name": "X"}),
        ("patch", "/api/v1/services/checkout/", {"name": "Mine"}),
        ("post", "/api/v1/teams/", {"slug": "x", "name": "X"}),
    ],
)
def test_viewers_read_the_catalogue_but_cannot_change_it(api, viewer, method, path, payload):
    ServiceFactory(slug="checkout", name="Checkout")

    response = getattr(api.as_user(viewer), method)(path, payload, format="json")

    assert response.status_code == 403
    assert "Only responders and admins" in response.json()["detail"]
    assert api.get("/api/v1/services/").status_code == 200
    assert Service.objects.get(slug="checkout").name == "Checkout"
