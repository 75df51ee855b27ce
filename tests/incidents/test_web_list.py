"""The incident list: filters, and private incidents that only their members ever see."""

from __future__ import annotations

import pytest

from incidents import services
from tests.factories import ServiceFactory, declare

pytestmark = pytest.mark.django_db


def titles_on(response) -> str:
    return response.content.decode()


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get("/incidents/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_outsider_never_sees_a_private_incident_in_the_list(client, responder, outsider):
    declare(responder, title="Checkout returns 500s")
    declare(responder, title="Credential leak in build logs", private=True)

    client.force_login(outsider)
    page = client.get("/incidents/").content.decode()
    assert "Checkout returns 500s" in page
    assert "Credential leak in build logs" not in page
    # Not even through a search that matches its title.
    assert "Credential leak" not in client.get("/incidents/", {"q": "credential"}).content.decode()


def test_members_and_admins_see_private_incidents_in_the_list(client, responder, admin_user):
    declare(responder, title="Credential leak in build logs", private=True)
    for person in (responder, admin_user):
        client.force_login(person)
        page = client.get("/incidents/").content.decode()
        assert "Credential leak in build logs" in page
        assert "Private" in page


def test_outsider_gets_404_for_a_private_incident_and_its_timeline(
    client, private_incident, outsider
):
    client.force_login(outsider)
    page = client.get(f"/incidents/{private_incident.number}/")
    assert page.status_code == 404
    assert "Credential leak" not in page.content.decode()
    assert client.get(f"/incidents/{private_incident.number}/timeline/").status_code == 404


def test_outsider_cannot_write_to_a_private_incident_either(client, private_incident, outsider):
    client.force_login(outsider)
    response = client.post(f"/incidents/{private_incident.number}/notes/", {"body": "sneaky"})
    assert response.status_code == 404
    assert not private_incident.timeline.filter(body="sneaky").exists()


def test_filters_by_severity_status_kind_service_activity_and_text(client, responder):
    payments = ServiceFactory(slug="payments", name="Payments")
    declare(responder, title="Payments API timeouts", severity="SEV1", services=["payments"])
    drill = declare(responder, title="Game day: lost DNS", severity="SEV3", kind="drill")
    resolved = declare(responder, title="Search index lagging", severity="SEV3")
    services.incident_change_status(incident=resolved, user=responder, status="resolved")
    assert payments.incidents.count() == 1

    client.force_login(responder)

    def listed(**params) -> set[str]:
        page = client.get("/incidents/", params).content.decode()
        return {
            t
            for t in ("Payments API timeouts", "Game day: lost DNS", "Search index lagging")
            if t in page
        }

    assert listed() == {"Payments API timeouts", "Game day: lost DNS", "Search index lagging"}
    assert listed(severity="SEV1") == {"Payments API timeouts"}
    assert listed(status="resolved") == {"Search index lagging"}
    assert listed(kind="drill") == {"Game day: lost DNS"}
    assert listed(service="payments") == {"Payments API timeouts"}
    assert listed(active="on") == {"Payments API timeouts", "Game day: lost DNS"}
    assert listed(q="dns") == {"Game day: lost DNS"}
    assert listed(severity="SEV3", active="on") == {"Game day: lost DNS"}
    assert drill.kind == "drill"


def test_filters_stay_filled_in_and_say_when_nothing_matches(client, responder):
    declare(responder, title="Checkout returns 500s", severity="SEV2")
    client.force_login(responder)
    page = client.get("/incidents/", {"severity": "SEV4", "q": "checkout"}).content.decode()
    assert "No incidents match these filters." in page
    assert 'value="checkout"' in page
    assert '<option value="SEV4" selected>' in page


def test_an_unknown_filter_value_is_a_clear_400_not_a_crash(client, responder):
    client.force_login(responder)
    response = client.get("/incidents/", {"status": "on-fire"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
