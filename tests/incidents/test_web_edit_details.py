"""Editing an incident's details on its page: the "Edit details" form and the quick severity
control; plus the impact and update interval on the declare form."""

from __future__ import annotations

from datetime import timedelta

import pytest

from incidents.models import SEVERITY_DESCRIPTIONS, Incident, TimelineEvent
from tests.factories import ServiceFactory, declare

pytestmark = pytest.mark.django_db

EventKind = TimelineEvent.EventKind


def url(incident, suffix: str = "") -> str:
    return f"/incidents/{incident.number}/{suffix}"


def edit_data(incident, **overrides) -> dict:
    """What the browser submits for the pre-filled form, with ``overrides`` typed in."""
    data = {
        "title": incident.title,
        "severity": incident.severity,
        "summary": incident.summary.replace("\n", "\r\n"),  # how browsers send textareas
        "impact": incident.impact.replace("\n", "\r\n"),
        "kind": incident.kind,
        "trigger_category": incident.trigger_category,
        "services": list(incident.services.values_list("slug", flat=True)),
        "update_interval_minutes": incident.update_interval_minutes or "",
        "reason": "",
    }
    if incident.private:
        data["private"] = "on"
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def events(incident, kind: str):
    return list(TimelineEvent.objects.filter(incident=incident, kind=kind))


def detail_events(incident):
    return TimelineEvent.objects.filter(
        incident=incident, kind__in=[EventKind.SEVERITY_CHANGED, EventKind.FIELD_CHANGED]
    )


def snapshot(incident) -> dict:
    incident = Incident.objects.get(pk=incident.pk)
    return {
        "title": incident.title,
        "severity": incident.severity,
        "summary": incident.summary,
        "private": incident.private,
        "update_interval_minutes": incident.update_interval_minutes,
    }


# --- the form -------------------------------------------------------------------------------


def test_the_form_is_prefilled_and_explains_every_severity(client, responder, settings):
    settings.FIREBREAK_UPDATE_INTERVAL_BY_SEVERITY = {"SEV2": 45}
    incident = declare(responder, title="Checkout returns 500s", summary="Card payments fail.")
    client.force_login(responder)
    page = client.get(url(incident)).content.decode()

    assert "Edit details" in page
    assert 'name="title" value="Checkout returns 500s"' in page
    assert "Card payments fail.</textarea>" in page
    for description in SEVERITY_DESCRIPTIONS.values():
        assert str(description) in page
    assert "Now every 45 minutes (the SEV2 default)" in page


def test_a_viewer_is_not_offered_the_form(client, incident, viewer):
    client.force_login(viewer)
    page = client.get(url(incident)).content.decode()
    assert "Edit details" not in page
    assert "Change severity" not in page


# --- changing details -----------------------------------------------------------------------


def test_changing_severity_writes_one_severity_event_and_the_page_shows_it(
    client, incident, responder
):
    client.force_login(responder)
    response = client.post(
        url(incident, "details/"),
        edit_data(incident, severity="SEV1", reason="Now all regions fail."),
    )
    assert response.status_code == 302

    changed = events(incident, EventKind.SEVERITY_CHANGED)
    assert len(changed) == 1
    assert changed[0].body == "Severity changed from SEV2 to SEV1. Now all regions fail."
    assert changed[0].actor == responder
    assert events(incident, EventKind.FIELD_CHANGED) == []

    page = client.get(response["Location"]).content.decode()
    assert f"{incident.reference} updated: severity." in page
    assert 'class="badge sev sev-sev1" title=' in page  # the header badge
    assert f'<span class="muted severity-line">SEV1: {SEVERITY_DESCRIPTIONS["SEV1"]}</span>' in page


def test_changing_title_and_summary_writes_one_details_event(client, incident, responder):
    client.force_login(responder)
    response = client.post(
        url(incident, "details/"),
        edit_data(incident, title="Checkout down in EU", summary="All card payments fail."),
    )
    assert response.status_code == 302

    incident.refresh_from_db()
    assert incident.title == "Checkout down in EU"
    assert incident.summary == "All card payments fail."
    changed = events(incident, EventKind.FIELD_CHANGED)
    assert len(changed) == 1
    assert changed[0].data["fields"] == ["title", "summary"]
    assert changed[0].body == "Rita changed title, summary."
    assert events(incident, EventKind.SEVERITY_CHANGED) == []

    page = client.get(response["Location"]).content.decode()
    assert "<h1>Checkout down in EU</h1>" in page
    assert "Rita changed title, summary." in page  # on the timeline


def test_an_unchanged_form_changes_nothing(client, responder):
    # The summary has a line break; the browser sends it back as CRLF. That is not a change.
    incident = declare(responder, summary="Card payments fail.\nEU only.", impact="Buyers.")
    client.force_login(responder)
    response = client.post(url(incident, "details/"), edit_data(incident, reason="Just looking"))
    assert response.status_code == 302
    assert not detail_events(incident).exists()
    assert "Nothing changed." in client.get(response["Location"]).content.decode()


def test_impact_services_kind_and_trigger_can_be_changed(client, incident, responder):
    ServiceFactory(slug="payments", name="Payments")
    ServiceFactory(slug="checkout", name="Checkout")
    client.force_login(responder)
    response = client.post(
        url(incident, "details/"),
        edit_data(
            incident,
            impact="A third of card payments fail.",
            services=["payments", "checkout"],
            kind="drill",
            trigger_category="config_change",
        ),
    )
    assert response.status_code == 302, response.content.decode()
    incident.refresh_from_db()
    assert incident.impact == "A third of card payments fail."
    assert sorted(incident.services.values_list("slug", flat=True)) == ["checkout", "payments"]
    assert incident.kind == "drill"
    assert incident.trigger_category == "config_change"
    (changed,) = events(incident, EventKind.FIELD_CHANGED)
    assert sorted(changed.data["fields"]) == ["impact", "kind", "services", "trigger_category"]
    assert "A third of card payments fail." in client.get(url(incident)).content.decode()


def test_the_update_interval_can_be_set_and_cleared_back_to_the_default(
    client, incident, responder, settings
):
    settings.FIREBREAK_UPDATE_INTERVAL_BY_SEVERITY = {"SEV2": 45}
    client.force_login(responder)

    response = client.post(
        url(incident, "details/"), edit_data(incident, update_interval_minutes=10)
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.update_interval_minutes == 10
    # The next update is now due on the new interval.
    assert incident.next_update_due_at == incident.declared_at + timedelta(minutes=10)
    page = client.get(url(incident)).content.decode()
    assert "Now every 10 minutes (set for this incident)" in page

    response = client.post(
        url(incident, "details/"), edit_data(incident, update_interval_minutes="")
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.update_interval_minutes is None
    assert "Now every 45 minutes (the SEV2 default)" in client.get(url(incident)).content.decode()


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("title", "   ", "This field is required."),
        ("severity", "SEV9", "Select a valid choice. SEV9 is not one of the available choices."),
        ("update_interval_minutes", "0", "Ensure this value is greater than or equal to 1."),
        ("update_interval_minutes", "1441", "Ensure this value is less than or equal to 1440."),
        ("update_interval_minutes", "soon", "Enter a whole number."),
    ],
)
def test_invalid_values_are_form_errors_and_change_nothing(
    client, incident, responder, field, value, error
):
    before = snapshot(incident)
    client.force_login(responder)
    # A valid change rides along: it must not be saved either.
    response = client.post(
        url(incident, "details/"), edit_data(incident, summary="Changed too.", **{field: value})
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Please correct the errors below." in page
    assert error in page
    assert "<details" in page and 'id="edit-details" open' in page  # the form is open
    assert snapshot(incident) == before
    assert not detail_events(incident).exists()


def test_a_viewer_gets_a_403_message_and_nothing_changes(client, incident, viewer):
    before = snapshot(incident)
    client.force_login(viewer)
    response = client.post(url(incident, "details/"), edit_data(incident, title="Hijacked"))
    assert response.status_code == 403
    assert "Only responders can change incidents" in response.content.decode()
    assert snapshot(incident) == before
    assert not detail_events(incident).exists()


def test_an_outsider_gets_404_for_a_private_incident(client, private_incident, outsider):
    before = snapshot(private_incident)
    client.force_login(outsider)
    response = client.post(
        url(private_incident, "details/"), edit_data(private_incident, title="Peeking")
    )
    assert response.status_code == 404
    assert "Credential leak" not in response.content.decode()
    assert snapshot(private_incident) == before
    assert not detail_events(private_incident).exists()


def test_whoever_makes_an_incident_private_can_still_see_it(
    client, incident, other_responder, outsider
):
    # Omar holds no role on Rita's public incident, so he is not a member of it yet.
    assert not incident.members.filter(pk=other_responder.pk).exists()
    client.force_login(other_responder)
    response = client.post(url(incident, "details/"), edit_data(incident, private="on"))
    assert response.status_code == 302

    incident.refresh_from_db()
    assert incident.private is True
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Private" in page.content.decode()

    client.force_login(outsider)
    assert client.get(url(incident)).status_code == 404


# --- the quick severity control --------------------------------------------------------------


def test_the_quick_severity_control_changes_severity(client, incident, responder):
    client.force_login(responder)
    response = client.post(url(incident, "severity/"), {"severity": "SEV3"})
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.severity == "SEV3"
    assert len(events(incident, EventKind.SEVERITY_CHANGED)) == 1
    page = client.get(response["Location"]).content.decode()
    assert f"{incident.reference} is now SEV3." in page
    assert 'class="badge sev sev-sev3" title=' in page


def test_picking_the_current_severity_writes_nothing(client, incident, responder):
    client.force_login(responder)
    response = client.post(url(incident, "severity/"), {"severity": "SEV2"})
    assert response.status_code == 302
    assert not detail_events(incident).exists()
    assert "is already SEV2." in client.get(response["Location"]).content.decode()


def test_the_quick_severity_control_rejects_bad_input_and_viewers(client, incident, viewer):
    client.force_login(incident.declared_by)
    response = client.post(url(incident, "severity/"), {"severity": "SEV0"})
    assert response.status_code == 400
    client.force_login(viewer)
    response = client.post(url(incident, "severity/"), {"severity": "SEV1"})
    assert response.status_code == 403
    assert "Only responders can change incidents" in response.content.decode()
    incident.refresh_from_db()
    assert incident.severity == "SEV2"
    assert not detail_events(incident).exists()


# --- the declare form -----------------------------------------------------------------------


def declare_data(**overrides) -> dict:
    data = {
        "title": "Checkout returns 500s",
        "severity": "SEV2",
        "kind": "incident",
        "trigger_category": "unknown",
    }
    data.update(overrides)
    return data


def test_declaring_with_impact_and_update_interval(client, responder):
    client.force_login(responder)
    response = client.post(
        "/incidents/declare/",
        declare_data(impact="EU buyers cannot pay.\r\nRefunds work.", update_interval_minutes="20"),
    )
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert incident.impact == "EU buyers cannot pay.\nRefunds work."
    assert incident.update_interval_minutes == 20
    assert incident.next_update_due_at == incident.declared_at + timedelta(minutes=20)
    assert "EU buyers cannot pay." in client.get(response["Location"]).content.decode()


def test_declaring_without_an_interval_uses_the_severity_default(client, responder, settings):
    settings.FIREBREAK_UPDATE_INTERVAL_MINUTES = 30
    settings.FIREBREAK_UPDATE_INTERVAL_BY_SEVERITY = {"SEV1": 15}
    client.force_login(responder)
    assert (
        "SEV1 15, SEV2 30, SEV3 30, SEV4 30 minutes"
        in client.get("/incidents/declare/").content.decode()
    )
    response = client.post("/incidents/declare/", declare_data(severity="SEV1"))
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert incident.update_interval_minutes is None
    assert incident.next_update_due_at == incident.declared_at + timedelta(minutes=15)


def test_a_zero_update_interval_is_a_form_error_and_nothing_is_declared(client, responder):
    client.force_login(responder)
    response = client.post("/incidents/declare/", declare_data(update_interval_minutes="0"))
    assert response.status_code == 400
    assert "Ensure this value is greater than or equal to 1." in response.content.decode()
    assert not Incident.objects.exists()
