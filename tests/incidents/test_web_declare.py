"""Declaring an incident through the web form."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from incidents.models import SEVERITY_DESCRIPTIONS, Incident, Role
from tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "title": "Checkout returns 500s",
        "severity": "SEV2",
        "summary": "Card payments fail for about a third of customers.",
        "kind": "incident",
        "trigger_category": "code_change",
    }
    data.update(overrides)
    return data


def test_the_form_explains_every_severity(client, responder):
    client.force_login(responder)
    page = client.get("/incidents/declare/").content.decode()
    for description in SEVERITY_DESCRIPTIONS.values():
        assert str(description) in page


def test_declaring_creates_the_incident_and_opens_its_page(client, responder):
    ServiceFactory(slug="payments", name="Payments")
    ServiceFactory(slug="checkout", name="Checkout")
    responder.timezone = "Europe/Berlin"
    responder.save()
    client.force_login(responder)

    response = client.post(
        "/incidents/declare/",
        form_data(
            services=["payments", "checkout"],
            private="on",
            started_at="2026-03-08T10:40",  # Berlin (CET, UTC+1)
            detected_at="2026-03-08T10:52",
        ),
    )

    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/incidents/{incident.number}/"
    assert incident.title == "Checkout returns 500s"
    assert incident.trigger_category == "code_change"
    assert incident.private is True
    assert sorted(incident.services.values_list("slug", flat=True)) == ["checkout", "payments"]
    # Typed in the declarer's own zone, stored as the right instant.
    assert incident.started_at == datetime(2026, 3, 8, 9, 40, tzinfo=UTC)
    assert incident.detected_at == datetime(2026, 3, 8, 9, 52, tzinfo=UTC)
    ic = incident.role_assignments.get(role=Role.INCIDENT_COMMANDER, ended_at__isnull=True)
    assert ic.user == responder

    page = client.get(response["Location"]).content.decode()
    assert f"Declared {incident.reference}. You are the incident commander." in page
    assert "2026-03-08 10:40 CET" in page


def test_a_missing_title_is_shown_on_the_form_and_nothing_is_declared(client, responder):
    client.force_login(responder)
    response = client.post("/incidents/declare/", form_data(title="  "))
    page = response.content.decode()
    assert response.status_code == 400
    assert "The incident was not declared." in page
    assert "This field is required." in page
    assert not Incident.objects.exists()
    # What the person typed is kept.
    assert "Card payments fail for about a third of customers." in page


def test_a_missing_severity_is_shown_on_the_form(client, responder):
    client.force_login(responder)
    data = form_data()
    del data["severity"]
    response = client.post("/incidents/declare/", data)
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Incident.objects.exists()


def test_detection_before_impact_is_a_chronology_error_on_the_form(client, responder):
    client.force_login(responder)
    response = client.post(
        "/incidents/declare/",
        form_data(started_at="2026-03-08T11:00", detected_at="2026-03-08T10:00"),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "These timestamps are out of order" in page
    assert "detected (2026-03-08 10:00:00 UTC) cannot be before started" in page
    assert not Incident.objects.exists()


def test_an_impact_start_in_the_future_is_refused(client, responder):
    client.force_login(responder)
    response = client.post("/incidents/declare/", form_data(started_at="2099-01-01T00:00"))
    assert response.status_code == 400
    assert "cannot be in the future" in response.content.decode()
    assert not Incident.objects.exists()


def test_an_unknown_service_is_a_form_error(client, responder):
    client.force_login(responder)
    response = client.post("/incidents/declare/", form_data(services=["no-such-service"]))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Incident.objects.exists()


def test_a_viewer_is_told_they_cannot_declare_and_gets_no_form(client, viewer):
    client.force_login(viewer)
    response = client.get("/incidents/declare/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "Only responders can declare incidents" in page
    assert 'action="/incidents/declare/"' not in page


def test_a_viewer_posting_anyway_declares_nothing(client, viewer):
    client.force_login(viewer)
    response = client.post("/incidents/declare/", form_data())
    assert response.status_code == 403
    assert "Only responders can declare incidents" in response.content.decode()
    assert not Incident.objects.exists()


def test_viewers_do_not_get_a_declare_link(client, viewer, responder):
    client.force_login(viewer)
    assert 'href="/incidents/declare/"' not in client.get("/incidents/").content.decode()
    client.force_login(responder)
    assert 'href="/incidents/declare/"' in client.get("/incidents/").content.decode()
