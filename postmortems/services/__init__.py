"""Every write to postmortems, action items and meetings goes through these functions."""

from postmortems.services.action_items import (
    action_item_complete,
    action_item_create,
    action_item_update,
)
from postmortems.services.documents import (
    EditConflict,
    SaveResult,
    postmortem_create,
    postmortem_publish,
    postmortem_review,
    postmortem_save,
    postmortem_set_owner,
    postmortem_submit,
)
from postmortems.services.meetings import (
    meeting_ics,
    meeting_save_notes,
    meeting_schedule,
    meeting_update,
)
from postmortems.services.reminders import action_item_digest_send, postmortem_due_reminders_send
from postmortems.services.report_packs import (
    report_deliveries_claim_due,
    report_deliveries_plan,
    report_delivery_send,
    report_subscription_create,
    report_subscription_delete,
    report_subscriptions_visible,
)
from postmortems.services.required import (
    default_due_date,
    postmortem_request,
    postmortem_require_if_needed,
    required_reasons,
)
from postmortems.services.taxonomy import postmortem_taxonomy_update
from postmortems.services.templates import (
    postmortem_template_create,
    postmortem_template_delete,
    postmortem_template_update,
    postmortem_templates_sync_builtin,
)

__all__ = [
    "action_item_complete",
    "action_item_create",
    "action_item_digest_send",
    "action_item_update",
    "postmortem_due_reminders_send",
    "EditConflict",
    "SaveResult",
    "default_due_date",
    "meeting_ics",
    "meeting_save_notes",
    "meeting_schedule",
    "meeting_update",
    "postmortem_create",
    "postmortem_publish",
    "postmortem_request",
    "postmortem_require_if_needed",
    "postmortem_review",
    "postmortem_save",
    "postmortem_set_owner",
    "postmortem_submit",
    "postmortem_taxonomy_update",
    "postmortem_template_create",
    "postmortem_template_delete",
    "report_deliveries_claim_due",
    "report_deliveries_plan",
    "report_delivery_send",
    "report_subscription_create",
    "report_subscription_delete",
    "report_subscriptions_visible",
    "postmortem_template_update",
    "postmortem_templates_sync_builtin",
    "required_reasons",
]
