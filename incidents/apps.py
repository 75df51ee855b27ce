from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = "Incidents"

    def ready(self) -> None:
        from incidents.selectors import hide_alerts_of_invisible_private_incidents
        from oncall.alerts.selectors import register_alert_visibility_filter

        # Alerts themselves are not private, but one linked to a private incident reveals it.
        register_alert_visibility_filter(hide_alerts_of_invisible_private_incidents)

        # Teams and services for on-call schedules (who may manage which schedule).
        from incidents.oncall_directory import IncidentsTeamDirectory
        from oncall.people.teams import register_team_directory

        register_team_directory(IncidentsTeamDirectory())

        # The Slack bot: command router, signal receivers, page panel, Slack DM transport.
        from incidents.slack import wiring

        wiring.connect()

        # Stakeholder updates by e-mail (FIREBREAK_STAKEHOLDER_EMAILS).
        from incidents import stakeholder_mail

        stakeholder_mail.connect()

        # Stakeholder updates to a Teams channel (issue 20).
        from incidents import teams

        teams.connect()
