"""A face for the incidents and postmortems apps and for older callers: oncall's writes by their
old names. Nothing is defined here and nothing inside ``oncall`` imports it (that made the old
import circle); new code imports from the capability package, e.g. ``oncall.people.services``.
"""

from oncall.alerts.services import (
    alert_acknowledge,
    alert_ingest,
    integration_create,
    integration_rotate_token,
    integration_update,
)
from oncall.escalation.paging import (
    alert_acknowledge_by_link,
    page_fire,
    pages_cancel,
    pages_claim_due,
    paging_start,
)
from oncall.escalation.services import StepInput, escalation_policy_create, escalation_policy_update
from oncall.people.services import (
    notification_delivery_attempt,
    notification_mark_read,
    notification_preferences_update,
    notification_send,
    retry_delay,
    user_update_profile,
)
from oncall.review.services import (
    alert_mark_actionable,
    alert_review_close,
    alert_review_decide,
    alert_review_set_recipients,
)
from oncall.schedules.reminders import (
    shift_reminder_fire,
    shift_reminders_claim_due,
    shift_reminders_plan,
)
from oncall.schedules.services import (
    calendar_feed_for,
    calendar_feed_rotate,
    override_cancel,
    override_create,
    participant_promote,
    schedule_create,
    schedule_feed_rotate,
    schedule_update,
    swap_cancel,
    swap_create,
)
from oncall.schedules.shifts import ParticipantInput

__all__ = [
    "ParticipantInput",
    "StepInput",
    "alert_acknowledge",
    "alert_acknowledge_by_link",
    "alert_ingest",
    "alert_mark_actionable",
    "alert_review_close",
    "alert_review_decide",
    "alert_review_set_recipients",
    "calendar_feed_for",
    "calendar_feed_rotate",
    "escalation_policy_create",
    "escalation_policy_update",
    "integration_create",
    "integration_rotate_token",
    "integration_update",
    "notification_delivery_attempt",
    "notification_mark_read",
    "notification_preferences_update",
    "notification_send",
    "override_cancel",
    "override_create",
    "page_fire",
    "pages_cancel",
    "pages_claim_due",
    "paging_start",
    "participant_promote",
    "retry_delay",
    "schedule_create",
    "schedule_feed_rotate",
    "schedule_update",
    "shift_reminder_fire",
    "shift_reminders_claim_due",
    "shift_reminders_plan",
    "swap_cancel",
    "swap_create",
    "user_update_profile",
]
