"""Domain signal for higher layers (paging, incidents) to react to alerts.

Sent by ``alert_ingest`` after the delivery's transaction commits, never from ``post_save``.
Receivers get ``integration_id``, ``created_ids``, ``updated_ids``, ``resolved_ids``,
``created_critical_ids`` (the new instances that are critical, firing and unacknowledged) and
``became_critical_ids`` (firing, unacknowledged instances a redelivery raised to critical
urgency); all Alert primary keys. A receiver that fails must not fail the webhook: receivers do
their own work in tasks and are connected with ``alerts_received.connect(handler)``.
"""

from django.dispatch import Signal

alerts_received = Signal()

# Sent by ``alert_acknowledge`` once the alert is acknowledged (also when it already was), with
# ``alert``: paging cancels the alert's pending pages. Receivers must be quick and idempotent.
alert_acknowledged = Signal()
