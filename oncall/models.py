"""Where Django finds oncall's models: each capability package defines its own.

Nothing is defined here. The names below are imported so the app registry loads every model
(app label ``oncall``, tables unchanged) and so old migrations that point at
``oncall.models._feed_token``/``validate_timezone``/``_default_timezone`` keep resolving.
"""

from oncall.alerts.models import Alert, Integration, WebhookDelivery
from oncall.channels.models import ContactMethod
from oncall.escalation.models import EscalationPolicy, EscalationStep, Page
from oncall.importers.models import ImportedObject
from oncall.people.models import (
    Notification,
    NotificationDelivery,
    NotificationPreference,
    User,
    _default_timezone,
    timezone_choices,
    validate_timezone,
)
from oncall.review.models import AlertReview, AlertReviewDecision
from oncall.schedules.models import (
    CalendarFeed,
    Schedule,
    ScheduleOverride,
    ScheduleParticipant,
    ScheduleSwap,
    ScheduleVersion,
    ShiftLayer,
    ShiftReminder,
    _feed_token,
)

__all__ = [
    "Alert",
    "AlertReview",
    "AlertReviewDecision",
    "CalendarFeed",
    "ContactMethod",
    "EscalationPolicy",
    "EscalationStep",
    "ImportedObject",
    "Integration",
    "Notification",
    "NotificationDelivery",
    "NotificationPreference",
    "Page",
    "Schedule",
    "ScheduleOverride",
    "ScheduleParticipant",
    "ScheduleSwap",
    "ScheduleVersion",
    "ShiftLayer",
    "ShiftReminder",
    "User",
    "WebhookDelivery",
    "_default_timezone",
    "_feed_token",
    "timezone_choices",
    "validate_timezone",
]
