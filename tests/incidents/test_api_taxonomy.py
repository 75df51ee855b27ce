"""REST API: tags and contributing factors on incidents, and the earlier incidents one repeats."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from incidents import services
from incidents.models import TimelineEvent
from tests.factories import ServiceFactory, declare


def url(incident, tail=""):
    return f"/api/v1/incidents/{incident.pk}/{tail}"


def test_patch_replaces_tags_and_factors_and_the_incident_shows_them(api, responder, incident):
    response = api.as_user(responder).patch(
        url(incident),
        {"tags": ["TLS certs", "edge"], "contributing_factors": ["No canary"]},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["tags"] == ["edge", "tls-certs"]
    assert response.json()["contributing_factors"] == ["no canary"]
    assert api.get(url(incident)).json()["tags"] == ["edge", "tls-certs"]
    events = TimelineEvent.objects.filter(incident=incident, kind="field_changed")
    assert sorted(e.data["fields"][0] for e in events) == ["contributing_factors", "tags"]


@pytest.mark.parametrize(
    "body",
    [
        {"tags": "dns"},
        {"tags": ["has,comma"]},
        {"tags": [1]},
        {"contributing_factors": ["a, b"]},
        {"tags": [f"t{i}" for i in range(21)]},
    ],
)
def test_malformed_lists_are_a_400_naming_the_field(api, responder, incident, body):
    response = api.as_user(responder).patch(url(incident), body, format="json")

    assert response.status_code == 400
    assert {key.split(".")[0] for key in response.json()["errors"]} == set(body)
    assert api.get(url(incident)).json()["tags"] == []


def test_a_viewer_gets_403_and_an_outsider_404_for_a_private_incident(
    api, viewer, outsider, incident, private_incident
):
    assert (
        api.as_user(viewer).patch(url(incident), {"tags": ["x"]}, format="json").status_code == 403
    )
    response = api.as_user(outsider).patch(url(private_incident), {"tags": ["x"]}, format="json")
    assert response.status_code == 404


def test_recurrences_lists_earlier_incidents_with_why_and_hides_private_ones(
    api, responder, outsider
):
    ServiceFactory(slug="checkout")
    common = {"services": ["checkout"], "trigger_category": "config_change"}
    started = timezone.now() - timedelta(days=5)
    public = declare(
        responder, title="Config push broke checkout", started_at=started, detected_at=started,
        **common,
    )  # fmt: skip
    started = timezone.now() - timedelta(days=2)
    declare(
        responder, title="Secret", private=True, started_at=started, detected_at=started, **common
    )
    now = declare(responder, title="Again", **common)

    mine = api.as_user(responder).get(url(now, "recurrences/"))
    assert mine.status_code == 200
    assert [r["title"] for r in mine.json()] == ["Secret", "Config push broke checkout"]
    first = mine.json()[1]
    assert first["reference"] == public.reference and first["services"] == ["checkout"]
    assert first["url"].endswith(f"/incidents/{public.number}/")

    theirs = api.as_user(outsider).get(url(now, "recurrences/"))
    assert [r["title"] for r in theirs.json()] == ["Config push broke checkout"]


def test_recurrences_of_a_private_incident_are_404_for_an_outsider(api, outsider, private_incident):
    assert api.as_user(outsider).get(url(private_incident, "recurrences/")).status_code == 404


def test_the_list_shows_tags_without_a_query_per_incident(
    api, responder, django_assert_max_num_queries
):
    for n in range(5):
        incident = declare(responder, title=f"Incident {n}")
        services.incident_taxonomy_update(incident=incident, user=responder, tags=[f"t{n}"])
    client = api.as_user(responder)
    with django_assert_max_num_queries(12):
        data = client.get("/api/v1/incidents/").json()
    assert sorted(t for row in data["results"] for t in row["tags"]) == [f"t{n}" for n in range(5)]
