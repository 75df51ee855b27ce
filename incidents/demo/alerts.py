"""The alert the demo's incident still going was declared for: it fired, was acknowledged two
minutes later, and is linked to the incident (the incident page's Alerts panel and the inbox
show it). Loaded after the on-call demo, whose Alertmanager integration it comes from.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction

from incidents import services
from incidents.demo.base import ACTIVE_TITLE, clock
from incidents.models import Incident
from oncall.alerts.models import Alert, Integration
from oncall.alerts.services import alert_acknowledge, alert_ingest
from oncall.demo import INTEGRATION_NAME, alertmanager_payload

ALERT_NAME = "FrontendErrorRate"
SUMMARY = "Drain the failing frontend pool: 502s above 2%"


def link_active_incident_alert(*, acknowledged_by) -> Alert | None:
    """Record and link the alert, unless the incident already has one (idempotent). None when
    the active incident or the demo integration is missing."""
    incident = Incident.objects.filter(title=ACTIVE_TITLE).order_by("number").first()
    integration = Integration.objects.filter(name=INTEGRATION_NAME, kind="alertmanager").first()
    if incident is None or integration is None or incident.alerts.exists():
        return None
    fired = incident.detected_at
    # One transaction: paging hears of the alert once it is already acknowledged, so loading
    # the demo plans no page (and needs no broker to wake the worker for one).
    with transaction.atomic():
        with clock(fired):
            alert_ingest(
                integration=integration,
                payload=alertmanager_payload(
                    ALERT_NAME, "web-frontend", "critical", SUMMARY, True, fired
                ),
                received_at=fired,
            )
        alert = Alert.objects.get(integration=integration, name=ALERT_NAME, fired_at=fired)
        with clock(fired + timedelta(minutes=2)):
            alert_acknowledge(user=acknowledged_by, alert=alert)
    with clock(incident.declared_at + timedelta(minutes=1)):
        services.incident_link_alerts(
            incident=incident, user=incident.declared_by, alert_ids=[alert.pk]
        )
    return alert
