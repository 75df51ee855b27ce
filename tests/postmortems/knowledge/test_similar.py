"""Similar past incidents with their action items' status (the backlog check)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from incidents.models import Incident
from oncall.models import Alert, Integration
from postmortems import services
from postmortems.similar import similar_incidents, similar_to_incident
from tests.factories import declare

pytestmark = pytest.mark.django_db


def _alert(name: str) -> Alert:
    integration, _ = Integration.objects.get_or_create(
        name="prom", defaults={"kind": "alertmanager", "token_hash": "x" * 64}
    )
    now = timezone.now()
    return Alert.objects.create(
        integration=integration,
        fingerprint=name,
        fired_at=now,
        name=name,
        first_received_at=now,
        last_received_at=now,
    )


def test_text_match_ranks_first_and_shows_action_item_status(responder, write, archive):
    certificate = archive["certificate"]
    item = write(
        services.action_item_create,
        user=responder,
        incident=certificate.incident,
        postmortem=certificate,
        title="Automate certificate renewal",
    )
    rows = similar_incidents(user=responder, text="partner gateway certificate expired")
    assert rows[0].incident == certificate.incident
    assert rows[0].action_items == [item]
    assert rows[0].open_items == 1
    assert "similar text" in rows[0].reasons


def test_same_service_and_same_alert_count(responder, write, archive, payments):
    alert = _alert("HighLatencyDNS")
    dns_incident = archive["dns"].incident
    dns_incident.alerts.add(alert)
    rows = similar_incidents(user=responder, text="", alert_names=["HighLatencyDNS"])
    assert [r.incident for r in rows] == [dns_incident]
    assert rows[0].reasons == ["same alert"]
    by_service = similar_incidents(user=responder, service_slugs=["payments"])
    assert {r.incident for r in by_service} == {
        archive["certificate"].incident,
        archive["queue"].incident,
    }


def test_at_most_five_and_never_the_incident_itself(responder, write, archive):
    for n in range(6):
        write(declare, user=responder, title=f"Certificate expired again {n}")
    current = Incident.objects.get(title="Certificate expired again 0")
    rows = similar_to_incident(user=responder, incident=current)
    assert len(rows) == 5
    assert current not in [r.incident for r in rows]


def test_private_incidents_are_not_suggested_to_outsiders(responder, outsider, write_postmortem):
    secret = write_postmortem(
        responder, title="Zebra signer broke", root_cause="zebra certificate expired", private=True
    )
    assert similar_incidents(user=outsider, text="zebra certificate") == []
    assert [r.incident for r in similar_incidents(user=responder, text="zebra certificate")] == [
        secret.incident
    ]


def test_declare_page_fetches_similar_incidents_as_the_title_is_typed(
    client, responder, outsider, archive, write_postmortem
):
    write_postmortem(responder, title="Zebra", root_cause="zebra certificate expired", private=True)
    client.force_login(responder)
    page = client.get("/incidents/declare/").content.decode()
    assert 'hx-get="/incidents/similar/"' in page
    partial = client.get("/incidents/similar/", {"title": "certificate expired"}).content.decode()
    assert archive["certificate"].incident.title in partial
    assert "Zebra" in partial
    client.force_login(outsider)
    partial = client.get("/incidents/similar/", {"title": "certificate expired"}).content.decode()
    assert archive["certificate"].incident.title in partial
    assert "Zebra" not in partial


def test_incident_page_shows_the_similar_incidents_panel(client, responder, archive, write):
    incident = write(declare, user=responder, title="Partner certificate expired", services=[])
    client.force_login(responder)
    page = client.get(f"/incidents/{incident.number}/").content.decode()
    assert "Similar incidents" in page
    assert archive["certificate"].incident.title in page


def test_postmortem_editor_loads_similar_incidents_of_its_incident(
    client, responder, outsider, archive, write_postmortem
):
    current = write_postmortem(
        responder, title="Partner certificate expired again", root_cause="renewal", private=True
    )
    client.force_login(responder)
    editor = client.get(f"/postmortems/{current.pk}/edit/").content.decode()
    url = f"/incidents/similar/?incident={current.incident.number}"
    assert f'hx-get="{url}"' in editor
    partial = client.get(url).content.decode()
    assert archive["certificate"].incident.title in partial
    assert current.incident.title not in partial
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.get("/incidents/similar/?incident=99999999999999").status_code == 404
