"""The postmortem's alerts block lists the incident's linked alerts (not just timeline lines)."""

from __future__ import annotations

from oncall.alerts.services import alert_ingest, integration_create
from oncall.models import Alert
from postmortems.blocks import alerts_markdown
from tests.factories import declare
from tests.oncall.fixtures import payload


def test_the_alerts_block_shows_each_linked_alert_in_the_incident_time_zone(responder):
    responder.timezone = "Europe/Berlin"
    responder.save()
    issued = integration_create(user=responder, kind="alertmanager", name="prod")
    alert_ingest(integration=issued.integration, payload=payload("alertmanager-firing.json"))
    alerts = list(Alert.objects.order_by("fired_at", "pk"))
    incident = declare(responder, alert_ids=[alerts[0].pk])

    block = alerts_markdown(incident)

    assert "CheckoutErrorRateHigh: Roll back checkout: 5xx above 5%" in block
    assert "2026-03-08 10:58" in block  # 09:58 UTC fired, shown in Berlin (CET)
    assert block.count("CheckoutErrorRateHigh") == 1  # only the linked instance


def test_without_linked_alerts_the_block_says_so(incident):
    assert "No alerts were linked" in alerts_markdown(incident)
