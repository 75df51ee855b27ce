"""Where Celery's autodiscovery (``oncall.tasks``) finds oncall's tasks: each capability defines
its own. Every task keeps the name ``oncall.tasks.<function>`` it had when it lived here, so
queued messages and the beat schedule (config.settings) still reach it. Nothing is defined here.
"""

from oncall.alerts.tasks import webhook_deliveries_prune
from oncall.escalation.tasks import page_fire, pages_sweep
from oncall.people.tasks import notification_deliver, notification_deliveries_sweep
from oncall.schedules.tasks import shift_reminder_fire, shift_reminders_sweep

__all__ = [
    "notification_deliver",
    "notification_deliveries_sweep",
    "page_fire",
    "pages_sweep",
    "shift_reminder_fire",
    "shift_reminders_sweep",
    "webhook_deliveries_prune",
]
