"""Refresh the built-in postmortem templates from the code (after an upgrade changed them)."""

from django.core.management.base import BaseCommand

from postmortems.services import postmortem_templates_sync_builtin


class Command(BaseCommand):
    help = (
        "Create or refresh the built-in postmortem templates. Admin-made templates are untouched."
    )

    def handle(self, *args, **options):
        count = postmortem_templates_sync_builtin()
        self.stdout.write(self.style.SUCCESS(f"{count} built-in templates are up to date."))
