"""The search page (instant results through HTMX) and GET /api/v1/search/."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def secret(responder, write_postmortem):
    return write_postmortem(
        responder,
        title="Quiet incident",
        root_cause="A certificate expired on the zebra signing service.",
        private=True,
    )


def test_api_returns_ranked_hits_with_the_documented_fields(api, responder, archive):
    response = api.as_user(responder).get("/api/v1/search/", {"q": "certificate expired"})
    assert response.status_code == 200
    first = response.json()[0]
    assert set(first) == {"type", "id", "title", "snippet", "score", "url"}
    assert (first["type"], first["id"]) == ("postmortem", archive["certificate"].pk)
    assert first["url"] == f"/postmortems/{archive['certificate'].pk}/"
    assert "<mark>" in first["snippet"]
    assert int(response["X-Total-Count"]) == len(response.json())


def test_api_filters_and_paging(api, responder, archive):
    client = api.as_user(responder)
    response = client.get("/api/v1/search/", {"q": "expired", "service": "edge"})
    assert [(h["type"], h["id"]) for h in response.json()] == [("postmortem", archive["dns"].pk)]
    both = client.get("/api/v1/search/", {"q": "expired"}).json()
    assert len(both) == 2
    second = client.get("/api/v1/search/", {"q": "expired", "limit": 1, "offset": 1})
    assert second.json() == both[1:]
    assert second["X-Total-Count"] == "2"


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x", "severity": "SEV9"},
        {"q": "x", "from": "yesterday"},
        {"q": "x", "from": "2024-02-01", "to": "2024-01-01"},
        {"q": "x", "limit": "0"},
        {"q": "x", "service": "not a slug!"},
        {"q": "x", "type": "meeting"},
        {},
    ],
)
def test_api_bad_parameters_are_400_with_a_message(api, responder, params):
    response = api.as_user(responder).get("/api/v1/search/", params)
    assert response.status_code == 400
    assert response.json()


def test_api_needs_a_login(api, archive):
    assert api.get("/api/v1/search/", {"q": "certificate"}).status_code in (401, 403)


def test_private_postmortem_is_absent_for_outsiders_in_api(api, outsider, responder, secret):
    hidden = api.as_user(outsider).get("/api/v1/search/", {"q": "zebra certificate"})
    assert hidden.status_code == 200
    assert hidden.json() == [] and hidden["X-Total-Count"] == "0"
    shown = api.as_user(responder).get("/api/v1/search/", {"q": "zebra certificate"})
    assert shown.json()[0]["id"] == secret.pk


def test_search_page_renders_results_with_highlights(client, responder, archive):
    client.force_login(responder)
    response = client.get("/search/", {"q": "certificate expired"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="/postmortems/{archive["certificate"].pk}/"' in html
    assert "<mark>" in html
    assert 'hx-trigger="input changed delay:250ms, search"' in html
    assert "<script>" not in html and " style=" not in html
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_typing_gets_only_the_results_partial(client, responder, archive):
    client.force_login(responder)
    response = client.get("/search/", {"q": "resolv"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert f'href="/postmortems/{archive["dns"].pk}/"' in html
    assert "1 result" in html


def test_search_page_private_hit_snippet_and_count_hidden(client, outsider, responder, secret):
    client.force_login(outsider)
    html = client.get("/search/", {"q": "zebra certificate"}).content.decode()
    assert "zebra" not in html.replace("zebra certificate", "")  # only the echoed query
    assert "Quiet incident" not in html
    assert f"/postmortems/{secret.pk}/" not in html
    assert "No results" in html


def test_search_page_bad_filter_is_a_400_with_a_message(client, responder):
    client.force_login(responder)
    response = client.get("/search/", {"q": "x", "from": "soon"})
    assert response.status_code == 400
    assert "from must be a date" in response.content.decode()


def test_search_page_needs_a_login(client):
    response = client.get("/search/", {"q": "x"})
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.fixture
def tagged(responder, write, archive):
    from incidents.services import incident_taxonomy_update

    write(
        incident_taxonomy_update,
        incident=archive["certificate"].incident,
        user=responder,
        tags=["certificates"],
        contributing_factors=["manual renewal"],
    )
    write(incident_taxonomy_update, incident=archive["dns"].incident, user=responder, tags=["dns"])
    return archive


def test_api_filters_by_tag_and_factor(api, responder, tagged):
    client = api.as_user(responder)
    by_tag = client.get("/api/v1/search/", {"q": "expired", "tag": "certificates"})
    assert by_tag.status_code == 200
    assert [(h["type"], h["id"]) for h in by_tag.json()] == [
        ("postmortem", tagged["certificate"].pk)
    ]
    assert by_tag["X-Total-Count"] == "1"
    # Tags are matched as the incident page writes them: case and spaces do not matter.
    assert client.get("/api/v1/search/", {"q": "expired", "tag": " DNS "}).json()[0]["id"] == (
        tagged["dns"].pk
    )
    by_factor = client.get("/api/v1/search/", {"q": "expired", "factor": "Manual  renewal"})
    assert [h["id"] for h in by_factor.json()] == [tagged["certificate"].pk]


@pytest.mark.parametrize(
    "params",
    [
        {"tag": "no-such-tag"},
        {"tag": "not a tag!" * 10},
        {"factor": "nothing like it"},
    ],
)
def test_api_unknown_tag_or_factor_is_an_empty_result(api, responder, tagged, params):
    response = api.as_user(responder).get("/api/v1/search/", {"q": "expired", **params})
    assert response.status_code == 200
    assert response.json() == [] and response["X-Total-Count"] == "0"


# PostgreSQL refuses NUL in a string: every request carrying one is a 400 that says so
# (config.middleware.RequestInputGuardMiddleware), never a 500.
@pytest.mark.parametrize("params", [{"tag": "dns\x00"}, {"factor": "manual\x00renewal"}])
def test_api_a_nul_in_a_tag_or_factor_is_a_400(api, responder, tagged, params):
    response = api.as_user(responder).get("/api/v1/search/", {"q": "expired", **params})
    assert response.status_code == 400
    assert "Null characters are not allowed" in response.json()["detail"]


def test_api_tag_filter_hides_private_incidents(api, outsider, responder, write, secret):
    from incidents.services import incident_taxonomy_update

    write(incident_taxonomy_update, incident=secret.incident, user=responder, tags=["zebra-keys"])
    hidden = api.as_user(outsider).get("/api/v1/search/", {"q": "certificate", "tag": "zebra-keys"})
    assert hidden.json() == [] and hidden["X-Total-Count"] == "0"
    shown = api.as_user(responder).get("/api/v1/search/", {"q": "certificate", "tag": "zebra-keys"})
    assert [h["id"] for h in shown.json()] == [secret.pk]


def test_search_page_filters_by_tag(client, responder, tagged):
    client.force_login(responder)
    html = client.get("/search/").content.decode()
    assert 'name="tag"' in html and 'name="factor"' in html
    assert '<option value="certificates">' in html and '<option value="manual renewal">' in html
    html = client.get("/search/", {"q": "expired", "tag": "dns"}).content.decode()
    assert f'href="/postmortems/{tagged["dns"].pk}/"' in html
    assert f'href="/postmortems/{tagged["certificate"].pk}/"' not in html
    assert "1 result" in html and 'value="dns"' in html
    unknown = client.get("/search/", {"q": "expired", "tag": "nope"}, HTTP_HX_REQUEST="true")
    assert unknown.status_code == 200 and "No results" in unknown.content.decode()


def test_search_page_offers_only_tags_the_viewer_may_see(
    client, outsider, responder, write, secret
):
    from incidents.services import incident_taxonomy_update

    write(
        incident_taxonomy_update,
        incident=secret.incident,
        user=responder,
        tags=["zebra-keys"],
        contributing_factors=["zebra rotation"],
    )
    client.force_login(outsider)
    html = client.get("/search/").content.decode()
    assert "zebra" not in html
    client.force_login(responder)
    assert "zebra-keys" in client.get("/search/").content.decode()
