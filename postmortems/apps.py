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
