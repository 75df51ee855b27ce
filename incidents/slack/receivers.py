"""Domain signals → Slack tasks. Connected from ``IncidentsConfig.ready`` (``wiring.connect``).

Signals are sent after the transaction commits; each receiver only enqueues a task (by id), and
does nothing at all while Slack is not configured.
"""

from __future__ import annotations

from incidents import signals
from incidents.slack import tasks
from incidents.slack.channels import ANNOUNCED_EVENT_KINDS
from incidents.slack.client import is_configured


def _on_declared(sender, incident_id, **kwargs):
    if is_configured():
        tasks.slack_channel_setup.delay(incident_id)


def _on_changed(sender, incident_id, **kwargs):
    if is_configured():
        tasks.slack_header_refresh.delay(incident_id)


def _on_resolved(sender, incident_id, **kwargs):
    # The header follows through incident_status_changed, which a resolution also sends.
    if is_configured():
        tasks.slack_all_clear_prompt.delay(incident_id)


def _on_role_assigned(sender, incident_id, user_id=None, **kwargs):
    if is_configured():
        if user_id:
            tasks.slack_role_invite.delay(incident_id, user_id)
        tasks.slack_header_refresh.delay(incident_id)


def _on_update_posted(sender, incident_id, update_id, **kwargs):
    if is_configured():
        tasks.slack_update_announce.delay(update_id)
        tasks.slack_header_refresh.delay(incident_id)


def _on_timeline_event(sender, incident_id, event_id, kind=None, **kwargs):
    if kind in ANNOUNCED_EVENT_KINDS and is_configured():
        tasks.slack_event_announce.delay(
            event_id, delivery_key=f"announce:{event_id}", delivery_kind="announce"
        )


def _on_reminder_sent(sender, incident_id, reminder_id, **kwargs):
    if is_configured():
        tasks.slack_reminder_post.delay(reminder_id)


def connect() -> None:
    pairs = [
        (signals.incident_declared, _on_declared),
        (signals.incident_changed, _on_changed),
        (signals.incident_status_changed, _on_changed),
        (signals.incident_mitigated, _on_changed),
        (signals.incident_resolved, _on_resolved),
        (signals.role_assigned, _on_role_assigned),
        (signals.stakeholder_update_posted, _on_update_posted),
        (signals.reminder_sent, _on_reminder_sent),
        (signals.timeline_event_added, _on_timeline_event),
    ]
    for signal, receiver in pairs:
        signal.connect(receiver, dispatch_uid=f"incidents.slack.{receiver.__name__}")
