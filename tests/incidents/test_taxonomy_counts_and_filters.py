"""Counts of incidents by trigger category, tag and contributing factor, and filtering the
incident list by them: on the incident list page and in the API. A private incident's tags
never show (nor count) for someone who is not one of its members."""

from __future__ import annotations

import pytest

from incidents import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_tagged(responder, incident, private_incident):
    services.incident_taxonomy_update(
        incident=incident,
        user=responder,
        tags=["checkout", "shared"],
        contributing_factors=["no canary"],
    )
    services.incident_update(
        incident=incident, user=responder, changes={"trigger_category": "code_change"}
    )
    services.incident_taxonomy_update(
        incident=private_incident,
        user=responder,
        tags=["credential-leak", "shared"],
        contributing_factors=["secrets in logs"],
    )
    return incident, private_incident


# --- web: the incident list ------------------------------------------------------------------


def test_the_incident_list_shows_counts_that_link_to_the_filtered_list(
    client, responder, two_tagged
):
    client.force_login(responder)
    page = client.get("/incidents/").content.decode()

    assert "Incidents by trigger, tag and contributing factor" in page
    assert 'href="/incidents/?tag=shared">shared <span class="count">2</span>' in page
    assert 'href="/incidents/?tag=checkout">checkout <span class="count">1</span>' in page
    assert 'href="/incidents/?factor=no%20canary">no canary <span class="count">1</span>' in page
    assert (
        'href="/incidents/?trigger_category=code_change">Code change <span class="count">1</span>'
        in page
    )


def test_an_outsider_sees_neither_the_private_incidents_tags_nor_their_count(
    client, outsider, two_tagged
):
    client.force_login(outsider)
    page = client.get("/incidents/").content.decode()

    assert 'shared <span class="count">1</span>' in page
    assert "credential-leak" not in page
    assert "secrets in logs" not in page
    assert client.get("/incidents/?tag=credential-leak").context["page"].paginator.count == 0


def test_filtering_by_tag_factor_and_trigger_lists_only_matching_incidents(
    client, responder, two_tagged
):
    public, private = two_tagged
    client.force_login(responder)

    def listed(query: str) -> set[int]:
        response = client.get(f"/incidents/?{query}")
        assert response.status_code == 200
        return {i.pk for i in response.context["page"].object_list}

    assert listed("tag=shared") == {public.pk, private.pk}
    assert listed("tag=credential-leak") == {private.pk}
    assert listed("factor=no+canary") == {public.pk}
    assert listed("trigger_category=code_change") == {public.pk}
    assert listed("tag=shared&trigger_category=code_change") == {public.pk}


def test_typed_names_are_normalised_and_impossible_ones_find_nothing(client, responder, two_tagged):
    public, _ = two_tagged
    client.force_login(responder)

    def listed(query: str) -> set[int]:
        response = client.get("/incidents/", query)
        assert response.status_code == 200
        return {i.pk for i in response.context["page"].object_list}

    assert listed({"tag": "  CHECKOUT "}) == {public.pk}
    assert listed({"factor": "No   Canary"}) == {public.pk}
    assert listed({"tag": "no\tsuch"}) == set()
    assert listed({"factor": "a,b"}) == set()
    nul = client.get("/incidents/", {"tag": "no\x00such"})
    assert nul.status_code == 400 and "Null characters are not allowed" in nul.content.decode()


def test_an_unknown_trigger_category_is_a_form_error_not_a_traceback(client, responder):
    client.force_login(responder)
    response = client.get("/incidents/?trigger_category=cosmic_rays")

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


# --- API -------------------------------------------------------------------------------------


def test_api_taxonomy_counts_match_what_the_caller_may_see(api, responder, outsider, two_tagged):
    member = api.as_user(responder).get("/api/v1/incidents/taxonomy/")
    assert member.status_code == 200
    tags = {row["value"]: row["count"] for row in member.json()["tags"]}
    assert tags == {"shared": 2, "checkout": 1, "credential-leak": 1}
    triggers = {r["value"]: r for r in member.json()["trigger_categories"]}
    assert triggers["code_change"] == {"value": "code_change", "label": "Code change", "count": 1}

    other = api.as_user(outsider).get("/api/v1/incidents/taxonomy/").json()
    assert {row["value"]: row["count"] for row in other["tags"]} == {"shared": 1, "checkout": 1}
    assert [row["value"] for row in other["contributing_factors"]] == ["no canary"]


def test_api_taxonomy_counts_need_a_signed_in_user(api, two_tagged):
    assert api.get("/api/v1/incidents/taxonomy/").status_code in (401, 403)


def test_api_list_filters_by_tag_factor_and_trigger(api, responder, outsider, two_tagged):
    public, private = two_tagged
    client = api.as_user(responder)

    def listed(params) -> set[int]:
        response = client.get("/api/v1/incidents/", params)
        assert response.status_code == 200, response.json()
        return {row["id"] for row in response.json()["results"]}

    assert listed({"tag": "shared"}) == {public.pk, private.pk}
    assert listed({"tag": " Shared "}) == {public.pk, private.pk}
    assert listed({"factor": "SECRETS in logs"}) == {private.pk}
    assert listed({"trigger_category": "code_change", "tag": "shared"}) == {public.pk}
    assert listed({"tag": "bad\x1fname"}) == set()
    assert client.get("/api/v1/incidents/", {"tag": "bad\x00name"}).status_code == 400

    api.as_user(outsider)
    assert listed({"tag": "credential-leak"}) == set()


def test_api_rejects_an_unknown_trigger_category_with_a_message(api, responder):
    response = api.as_user(responder).get("/api/v1/incidents/?trigger_category=cosmic_rays")

    assert response.status_code == 400
    assert "trigger_category" in response.json()["errors"]
