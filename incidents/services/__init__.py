"""Every write to incidents goes through these functions (DESIGN.md: services)."""

from incidents.services._common import update_interval, update_interval_minutes
from incidents.services.alerts import incident_link_alerts
from incidents.services.incidents import (
    ALLOWED_TRANSITIONS,
    incident_change_status,
    incident_declare,
    incident_mitigate,
    incident_update,
)
from incidents.services.reminders import reminder_fire, reminders_claim_due, reminders_snooze
from incidents.services.roles import role_assign, role_release
from incidents.services.taxonomy import incident_taxonomy_update
from incidents.services.teams import service_create, service_update, team_create
from incidents.services.timeline import timeline_event_highlight, timeline_note_add
from incidents.services.updates import status_update_post

__all__ = [
    "ALLOWED_TRANSITIONS",
    "incident_change_status",
    "incident_declare",
    "incident_link_alerts",
    "incident_mitigate",
    "incident_taxonomy_update",
    "incident_update",
    "reminder_fire",
    "reminders_claim_due",
    "reminders_snooze",
    "role_assign",
    "role_release",
    "service_create",
    "service_update",
    "status_update_post",
    "team_create",
    "timeline_event_highlight",
    "timeline_note_add",
    "update_interval",
    "update_interval_minutes",
]
