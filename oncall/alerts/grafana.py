"""Grafana alerting webhook payloads.

Grafana sends the Alertmanager shape (``alerts`` with ``fingerprint``/``startsAt``/``endsAt``...)
plus ``orgId``, per-alert ``values``, ``valueString``, ``silenceURL``, ``dashboardURL``,
``panelURL``, ``imageURL`` and the deprecated top-level ``title``/``state``/``message``. The
extras worth keeping go to ``Alert.details``. Its ``version`` is Grafana's own ("1"), not
Alertmanager's, so it is not checked.

Signatures are checked in ``oncall.alerts.auth`` before this parser runs.
"""

from __future__ import annotations

from oncall.alerts.alertmanager import parse_alertmanager_shape
from oncall.alerts.common import ParsedDelivery

ALERT_EXTRAS = ("values", "valueString", "silenceURL", "dashboardURL", "panelURL", "imageURL")


def _details(alert: dict, delivery: dict) -> dict[str, object]:
    details: dict[str, object] = {key: alert[key] for key in ALERT_EXTRAS if alert.get(key)}
    if delivery.get("orgId") is not None:
        details["orgId"] = delivery["orgId"]
    return details


def parse(payload: object) -> ParsedDelivery:
    return parse_alertmanager_shape(payload, expected_version=None, details=_details)
