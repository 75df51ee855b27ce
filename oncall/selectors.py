"""A face for the incidents and postmortems apps and for older callers: oncall's reads by their
old names. Nothing is defined here and nothing inside ``oncall`` imports it (that made the old
import circle); new code imports from the capability package, e.g. ``oncall.schedules.selectors``.
"""

from oncall.escalation.paging import ack_link_resolve
from oncall.escalation.selectors import (
    effective_steps,
    escalation_policy_for_service,
    escalation_policy_get,
    escalation_policy_list,
)
from oncall.people.preferences import preference_for, quiet_hours_end
from oncall.people.selectors import (
    active_responders,
    active_users,
    deliveries_due,
    failed_deliveries,
    notification_list,
    unread_notification_count,
    user_by_username,
)
from oncall.review.selectors import review_alerts, review_get, review_week
from oncall.schedules.selectors import (
    calendar_feed_by_token,
    oncall_at,
    oncall_for_service,
    schedule_by_feed_token,
    schedule_get,
    schedule_history,
    schedule_list,
)
from oncall.schedules.shifts import (
    OnCall,
    current_participants,
    effective_shifts,
    hours_report,
    person_shifts,
    upcoming_runs,
)

__all__ = [
    "OnCall",
    "ack_link_resolve",
    "active_responders",
    "active_users",
    "calendar_feed_by_token",
    "current_participants",
    "deliveries_due",
    "effective_shifts",
    "effective_steps",
    "escalation_policy_for_service",
    "escalation_policy_get",
    "escalation_policy_list",
    "failed_deliveries",
    "hours_report",
    "notification_list",
    "oncall_at",
    "oncall_for_service",
    "person_shifts",
    "preference_for",
    "quiet_hours_end",
    "review_alerts",
    "review_get",
    "review_week",
    "schedule_by_feed_token",
    "schedule_get",
    "schedule_history",
    "schedule_list",
    "unread_notification_count",
    "upcoming_runs",
    "user_by_username",
]
