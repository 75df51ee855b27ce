from django.apps import AppConfig


class PostmortemsConfig(AppConfig):
    name = "postmortems"
    verbose_name = "Postmortems"

    def ready(self) -> None:
        from incidents.signals import incident_resolved
        from postmortems import (
            checks,  # noqa: F401  (registers system checks)
            incident_panel,
        )
        from postmortems.receivers import on_incident_resolved

        incident_resolved.connect(
            on_incident_resolved, dispatch_uid="postmortems.on_incident_resolved"
        )
        # The incident page's Postmortem and Action items cards (incidents.ui registry).
        incident_panel.register()
        # Slack: /incident postmortem and /incident action (incidents.slack.commands registry).
        from postmortems import slack_commands

        slack_commands.register()
        # Knowledge base: the search index follows incident signals; "Similar incidents" panel.
        from postmortems.search import panels as search_panels
        from postmortems.search import receivers as search_receivers

        search_receivers.connect()
        search_panels.register()
