"""The public status page and its Atom feed: nothing private or internal ever appears."""

from __future__ import annotations

from datetime import timedelta
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from incidents import services as incident_services
from incidents.models import Incident
from postmortems import services
from tests.factories import declare

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def world(responder, admin_user, payments, edge, write_postmortem):
    public = declare(responder, title="Payments API errors", severity="SEV1", services=["payments"])
    incident_services.status_update_post(
        incident=public,
        user=responder,
        body="We are looking into failed payments.",
        audience="external",
    )
    incident_services.status_update_post(
        incident=public,
        user=responder,
        body="A fix is rolling out to all regions.",
        audience="external",
    )
    incident_services.status_update_post(
        incident=public,
        user=responder,
        body="INTERNAL: db-7 primary is wedged",
        audience="internal",
    )
    secret = declare(
        responder, title="Secret breach on edge", severity="SEV1", services=["edge"], private=True
    )
    incident_services.status_update_post(
        incident=secret, user=responder, body="SECRET external wording", audience="external"
    )
    declare(responder, title="Wheel of misfortune drill", severity="SEV2", kind="drill")
    old = declare(responder, title="Ancient outage", severity="SEV3")
    then = timezone.now() - timedelta(days=120)
    Incident.objects.filter(pk=old.pk).update(
        declared_at=then, detected_at=then, started_at=then, status="resolved"
    )
    recent = declare(responder, title="Search was slow", severity="SEV3")
    incident_services.incident_change_status(incident=recent, user=responder, status="resolved")
    published = write_postmortem(
        responder, title="Cache stampede", root_cause="stampede", services_=["payments"]
    )
    hidden_pm = write_postmortem(
        responder, title="Private postmortem", root_cause="x", private=True
    )
    internal_pm = write_postmortem(responder, title="Internal-only postmortem", root_cause="y")
    for pm in (published, hidden_pm, internal_pm):
        services.postmortem_submit(user=responder, postmortem=pm, reviewers=[admin_user])
        services.postmortem_review(
            user=admin_user, postmortem=pm, decision="approved", acknowledge_warnings=True
        )
    for pm in (published, hidden_pm):
        services.postmortem_publish(user=responder, postmortem=pm, visibility="public")
    services.postmortem_publish(user=responder, postmortem=internal_pm, visibility="internal")
    return {
        "public": public,
        "published": published,
        "hidden_pm": hidden_pm,
        "internal_pm": internal_pm,
    }


FORBIDDEN = (
    "Secret breach",
    "SECRET external",
    "INTERNAL: db-7",
    "Wheel of misfortune",
    "Ancient outage",
    "Private postmortem",
    "Search was slow",
)


def test_status_page_without_login_shows_public_state_and_external_updates(client, world):
    response = client.get("/status/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Payments API errors" in html
    assert html.index("A fix is rolling out") < html.index("We are looking into")  # newest first
    assert "Search was slow" not in html  # resolved, but nobody ever published it
    assert f"/status/postmortems/{world['published'].pk}/" in html
    # Published internally, or public but of a private incident: not listed.
    assert f"/status/postmortems/{world['internal_pm'].pk}/" not in html
    assert f"/status/postmortems/{world['hidden_pm'].pk}/" not in html
    for text in FORBIDDEN:
        assert text not in html, text
    payments = html.split('data-testid="service-payments"', 1)[1].split("</div>", 1)[0]
    assert "Major outage" in payments
    edge = html.split('data-testid="service-edge"', 1)[1].split("</div>", 1)[0]
    assert "Operational" in edge  # only a private incident touches edge


def test_public_postmortem_page_and_hidden_ones_are_404(client, world):
    ok = client.get(f"/status/postmortems/{world['published'].pk}/")
    assert ok.status_code == 200 and "stampede" in ok.content.decode()
    for hidden in ("hidden_pm", "internal_pm"):
        assert client.get(f"/status/postmortems/{world[hidden].pk}/").status_code == 404


def test_atom_feed_lists_only_public_external_items(client, world):
    response = client.get("/status/feed.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)  # noqa: S314  (our own feed)
    entries = root.findall(f"{ATOM}entry")
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert [t for t in titles if t.startswith("Postmortem:")] == [
        f"Postmortem: {world['published'].title}"
    ]
    assert titles.count("Payments API errors — Update") == 2
    body = response.content.decode()
    for text in FORBIDDEN:
        assert text not in body, text
    assert len(entries) == 3


# --- nothing is published until someone posts for the public --------------------------------


def test_declaring_publishes_nothing_until_an_external_update(client, responder, payments):
    incident = declare(
        responder, title="db-7 primary wedged on payments", severity="SEV1", services=["payments"]
    )
    incident_services.status_update_post(
        incident=incident, user=responder, body="Failing over db-7", audience="internal"
    )

    html = client.get("/status/").content.decode()
    assert "db-7" not in html
    assert "All systems operational" in html
    payments_row = html.split('data-testid="service-payments"', 1)[1].split("</div>", 1)[0]
    assert "Operational" in payments_row


def test_a_published_incident_shows_its_public_title_latest_update_and_next_time(
    client, responder, payments
):
    incident = declare(
        responder, title="db-7 primary wedged on payments", severity="SEV1", services=["payments"]
    )
    update = incident_services.status_update_post(
        incident=incident,
        user=responder,
        body="Some card payments fail. We are working on a fix.",
        audience="external",
        public_title="Card payments failing",
    )
    incident_services.incident_change_status(incident=incident, user=responder, status="identified")

    html = client.get("/status/").content.decode()
    assert "Card payments failing" in html and "db-7" not in html
    # The status line agrees with the latest public update (posted while investigating).
    line = html.split('data-testid="status-line"', 1)[1].split("</span>", 1)[0]
    assert "Investigating" in line
    due = update.next_update_at
    assert f"Next update by {due:%H:%M} UTC ({due:%a} {due.day} {due:%b})." in html

    incident_services.status_update_post(
        incident=incident,
        user=responder,
        body="The fix is rolling out.",
        audience="external",
        public_title="Card payments failing in Europe",
    )
    html = client.get("/status/").content.decode()
    line = html.split('data-testid="status-line"', 1)[1].split("</span>", 1)[0]
    assert "Identified" in line
    assert "Card payments failing in Europe" in html


def test_a_signed_in_reader_sees_times_in_their_own_zone(client, responder, viewer, payments):
    viewer.timezone = "Asia/Tokyo"
    viewer.save()
    incident = declare(responder, title="x", severity="SEV2", services=["payments"])
    update = incident_services.status_update_post(
        incident=incident, user=responder, body="Investigating.", audience="external"
    )
    client.force_login(viewer)

    html = client.get("/status/").content.decode()
    due = update.next_update_at.astimezone(ZoneInfo("Asia/Tokyo"))
    assert f"Next update by {due:%H:%M} JST" in html
