"""``manage.py load_demo``: people, teams, services, six incidents and their postmortems.

It lives in ``postmortems`` (the top layer) because it loads both layers' demo data: the
incidents (``incidents.demo``) and then the postmortems written about them
(``postmortems.demo``). Idempotent: a second run finds everything and changes nothing.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from incidents.demo import (
    ADMIN_PASSWORD,
    DEMO_PASSWORD,
    PEOPLE,
    SERVICES,
    TEAMS,
    DemoLoadError,
    load_demo_incidents,
)
from incidents.demo.alerts import link_active_incident_alert
from oncall.demo import load_demo_oncall
from postmortems.demo import load_demo_postmortems


class Command(BaseCommand):
    help = (
        "Load demo people, teams, services, incidents and postmortems. "
        "Safe to run again: it changes nothing."
    )

    def handle(self, *args, **options) -> None:
        try:
            incidents = load_demo_incidents()
            postmortems = load_demo_postmortems(incidents.people)
            people = incidents.people
            oncall = load_demo_oncall(
                admin=people.admin,
                people={u: getattr(people, u) for u in ("demo", "priya", "amara", "tom", "kenji")},
                service_slugs=list(SERVICES),
            )
            link_active_incident_alert(acknowledged_by=people.demo)
        except DemoLoadError as exc:
            # e.g. an existing "demo" account that is not a responder
            raise CommandError(str(exc)) from exc
        for incident in incidents.created:
            self.stdout.write(f"  created {incident.reference}  {incident.title}")
        for postmortem in postmortems.written:
            self.stdout.write(
                f"  wrote the postmortem of {postmortem.incident.reference} "
                f"({postmortem.get_status_display().lower()})"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data: {len(incidents.created)} incident(s) created, "
                f"{len(incidents.existing)} already there; "
                f"{len(postmortems.written)} postmortem(s) written, "
                f"{len(postmortems.existing)} already there; "
                f"{len(PEOPLE)} people, {len(TEAMS)} teams, {len(SERVICES)} services."
            )
        )
        self.stdout.write(
            f"On call: {len(oncall.schedules)} schedules, {len(oncall.policies)} escalation "
            f"policies, {oncall.alerts_created} alerts created."
        )
        self.stdout.write(
            f"Log in as demo / {DEMO_PASSWORD} (responder), admin / {ADMIN_PASSWORD} (admin) "
            f"or vera / {DEMO_PASSWORD} (viewer)."
        )
