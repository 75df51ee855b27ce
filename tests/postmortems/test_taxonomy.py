"""Tags, contributing factors and trigger category on the postmortem page and in the postmortem
API: they are the incident's lists, shown with the postmortem and edited through the incidents'
taxonomy service by whoever may edit the postmortem."""

from __future__ import annotations

import pytest

from incidents import services as incident_services
from incidents.models import TimelineEvent
from postmortems import services
from postmortems.models import PostmortemRevision

pytestmark = pytest.mark.django_db

API = "/api/v1/postmortems/"


def page_url(postmortem, suffix: str = "") -> str:
    return f"/postmortems/{postmortem.pk}/{suffix}"


def taxonomy_events(incident):
    return TimelineEvent.objects.filter(incident=incident, kind="field_changed").order_by("pk")


# --- the postmortem page ----------------------------------------------------------------------------


def test_a_responder_edits_the_incidents_tags_and_factors_from_the_postmortem(
    client, responder, postmortem
):
    client.force_login(responder)
    response = client.post(
        page_url(postmortem, "taxonomy/"),
        {"tags": "Edge, BGP routes", "contributing_factors": "No canary,\r\nmanual change"},
    )

    assert response.status_code == 302 and response.url.endswith("#taxonomy")
    incident = postmortem.incident
    assert sorted(incident.tags.values_list("name", flat=True)) == ["bgp-routes", "edge"]
    assert sorted(incident.contributing_factors.values_list("name", flat=True)) == [
        "manual change",
        "no canary",
    ]
    events = list(taxonomy_events(incident))
    assert len(events) == 2
    assert all("from the postmortem" in e.body for e in events)
    page = client.get(page_url(postmortem)).content.decode()
    assert '<span class="chip tag">bgp-routes</span>' in page
    assert '<span class="chip factor">no canary</span>' in page
    assert "Trigger:</span> Configuration change" in page  # the trigger category of the incident
    assert 'value="bgp-routes, edge"' in page  # the form is pre-filled
    # The incident page shows the same lists.
    incident_page = client.get(f"/incidents/{incident.number}/").content.decode()
    assert '<span class="chip tag">bgp-routes</span>' in incident_page


def test_an_edit_that_changes_nothing_says_so(client, responder, postmortem):
    incident_services.incident_taxonomy_update(
        incident=postmortem.incident, user=responder, tags=["edge"]
    )
    client.force_login(responder)
    before = TimelineEvent.objects.count()

    response = client.post(
        page_url(postmortem, "taxonomy/"), {"tags": "EDGE", "contributing_factors": ""}, follow=True
    )

    assert "Nothing changed." in response.content.decode()
    assert TimelineEvent.objects.count() == before


def test_an_invalid_factor_is_shown_on_the_postmortem_page_with_a_400(
    client, responder, postmortem
):
    client.force_login(responder)
    response = client.post(
        page_url(postmortem, "taxonomy/"), {"tags": "ok, b@d!", "contributing_factors": ""}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "is not a valid name for tags" in page
    assert "<details open>" in page  # the form stays open with the error
    assert postmortem.incident.tags.count() == 0


def test_a_viewer_sees_the_lists_without_a_form_and_cannot_post(
    client, viewer, responder, postmortem
):
    incident_services.incident_taxonomy_update(
        incident=postmortem.incident, user=responder, contributing_factors=["no canary"]
    )
    client.force_login(viewer)

    page = client.get(page_url(postmortem)).content.decode()
    assert '<span class="chip factor">no canary</span>' in page
    assert "taxonomy-form" not in page
    assert client.post(page_url(postmortem, "taxonomy/"), {"tags": "x"}).status_code == 403
    assert postmortem.incident.tags.count() == 0


def test_a_member_edits_a_private_incidents_lists_and_an_outsider_gets_404(
    client, responder, outsider, private_incident
):
    postmortem = services.postmortem_create(user=responder, incident=private_incident)

    client.force_login(outsider)
    assert client.post(page_url(postmortem, "taxonomy/"), {"tags": "x"}).status_code == 404
    assert private_incident.tags.count() == 0

    client.force_login(responder)
    assert client.post(page_url(postmortem, "taxonomy/"), {"tags": "x"}).status_code == 302
    assert list(private_incident.tags.values_list("name", flat=True)) == ["x"]


def test_the_lists_can_be_edited_on_a_published_postmortem(client, admin_user, postmortem):
    from postmortems.models import Postmortem

    Postmortem.objects.filter(pk=postmortem.pk).update(status="published")
    client.force_login(admin_user)

    assert client.post(page_url(postmortem, "taxonomy/"), {"tags": "late"}).status_code == 302
    assert list(postmortem.incident.tags.values_list("name", flat=True)) == ["late"]


# --- the postmortem API -----------------------------------------------------------------------------


@pytest.fixture
def rita(api, responder):
    return api.as_user(responder)


def test_a_postmortem_shows_its_incidents_trigger_tags_and_factors(rita, responder, postmortem):
    incident_services.incident_taxonomy_update(
        incident=postmortem.incident,
        user=responder,
        tags=["edge", "bgp"],
        contributing_factors=["no canary"],
    )

    body = rita.get(f"{API}{postmortem.pk}/").json()

    assert body["trigger_category"] == "config_change"
    assert body["incident_tags"] == ["bgp", "edge"]
    assert body["contributing_factors"] == ["no canary"]
    assert body["tags"] == []  # the postmortem's own tags are a separate list


def test_patch_sets_the_incidents_lists_without_a_version(rita, postmortem):
    response = rita.patch(
        f"{API}{postmortem.pk}/",
        {"incident_tags": ["Edge"], "contributing_factors": ["No canary"]},
        format="json",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["incident_tags"], body["contributing_factors"]) == (["edge"], ["no canary"])
    assert body["version"] == 1  # the document did not change
    assert PostmortemRevision.objects.filter(postmortem=postmortem).count() == 1
    assert [e.data["fields"] for e in taxonomy_events(postmortem.incident)] == [
        ["tags"],
        ["contributing_factors"],
    ]


def test_patch_with_a_document_edit_and_the_lists_saves_both(rita, postmortem):
    response = rita.patch(
        f"{API}{postmortem.pk}/",
        {"version": 1, "title": "Edge routes", "contributing_factors": ["manual change"]},
        format="json",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["title"], body["version"]) == ("Edge routes", 2)
    assert body["contributing_factors"] == ["manual change"]


def test_a_bad_name_is_400_and_saves_nothing_else(rita, postmortem):
    response = rita.patch(
        f"{API}{postmortem.pk}/",
        {"version": 1, "title": "Edge routes", "incident_tags": ["b@d!"]},
        format="json",
    )

    assert response.status_code == 400, response.content
    assert "is not a valid name for tags" in response.json()["detail"]
    postmortem.refresh_from_db()
    assert postmortem.version == 1 and postmortem.title != "Edge routes"


def test_a_stale_document_edit_is_409_and_leaves_the_lists_alone(rita, postmortem):
    rita.patch(f"{API}{postmortem.pk}/", {"version": 1, "title": "First"}, format="json")

    response = rita.patch(
        f"{API}{postmortem.pk}/",
        {"version": 1, "title": "Second", "incident_tags": ["edge"]},
        format="json",
    )

    assert response.status_code == 409
    assert postmortem.incident.tags.count() == 0


def test_a_patch_with_nothing_to_change_still_needs_a_version(rita, postmortem):
    response = rita.patch(f"{API}{postmortem.pk}/", {}, format="json")
    assert response.status_code == 400
    assert "version" in response.json()["errors"]


def test_a_viewer_cannot_patch_the_lists_and_an_outsider_gets_404(
    api, viewer, outsider, responder, postmortem, private_incident
):
    url = f"{API}{postmortem.pk}/"
    denied = api.as_user(viewer).patch(url, {"incident_tags": ["x"]}, format="json")
    assert denied.status_code == 403

    private = services.postmortem_create(user=responder, incident=private_incident)
    hidden = api.as_user(outsider).patch(
        f"{API}{private.pk}/", {"incident_tags": ["x"]}, format="json"
    )
    assert hidden.status_code == 404
    assert postmortem.incident.tags.count() == 0 and private_incident.tags.count() == 0
