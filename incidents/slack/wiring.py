"""Everything the bot plugs into at start-up; called once from ``IncidentsConfig.ready``."""

from __future__ import annotations


def connect() -> None:
    from incidents.slack import (  # noqa: F401  (checks register)
        checks,
        handlers,
        panel,
        receivers,
        tasks,  # noqa: F401  (Celery finds the tasks by importing them)
    )
    from incidents.slack.transport import SlackDmTransport
    from oncall.people import notify

    handlers.register()
    receivers.connect()
    panel.register()
    notify.register(SlackDmTransport())
