from django.apps import AppConfig


class OncallConfig(AppConfig):
    name = "oncall"
    verbose_name = "On-call and people"

    def ready(self) -> None:
        from oncall import (
            checks,  # noqa: F401  (registers system checks)
            tasks,  # noqa: F401  (registers the task names services enqueue by)
        )
        from oncall.alerts.selectors import register_answer_locks
        from oncall.alerts.signals import alert_acknowledged, alerts_received
        from oncall.channels import wiring as channels
        from oncall.escalation.paging import (
            on_alert_acknowledged,
            on_alerts_received,
            on_channels_exhausted,
        )
        from oncall.people import notify
        from oncall.people.notify import transports  # noqa: F401  (the built-in transports)
        from oncall.review.selectors import closed_review_answer_locks

        # Paging starts for new critical alerts and stops on acknowledgement or resolution.
        alerts_received.connect(on_alerts_received, dispatch_uid="oncall-paging-received")
        alert_acknowledged.connect(on_alert_acknowledged, dispatch_uid="oncall-paging-ack")
        # Every channel of a paged person failed: the escalation moves on at once (issue 20).
        notify.channels_exhausted.connect(
            on_channels_exhausted, dispatch_uid="oncall-paging-exhausted"
        )
        channels.connect()
        # A closed weekly review's figures stand: the inbox shows why instead of the buttons.
        register_answer_locks(closed_review_answer_locks)
