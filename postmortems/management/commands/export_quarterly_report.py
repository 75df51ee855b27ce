"""``python manage.py export_quarterly_report --quarter 2026Q3 --format pdf --out FILE``."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from incidents.models import Service, Severity, Team
from oncall.models import User
from postmortems.reports import pack as packs
from postmortems.reports.metrics import Scope
from postmortems.reports.params import quarter_period

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Write the quarterly manager pack (pdf, xlsx, csv zip or json) to a file."

    def add_arguments(self, parser):
        parser.add_argument("--quarter", required=True, help="e.g. 2026Q3")
        parser.add_argument("--format", default="pdf", choices=list(packs.FORMATS))
        parser.add_argument("--out", required=True, help="File to write.")
        parser.add_argument("--team", help="Team slug.")
        parser.add_argument("--service", help="Service slug.")
        parser.add_argument("--severity", choices=list(Severity.values))
        parser.add_argument(
            "--user",
            help="List private incident titles this person may see (default: none are listed).",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, **options):
        try:
            quarter_period(options["quarter"])
        except ValueError as error:
            raise CommandError(str(error)) from None
        scope = Scope(
            team=self._get(Team, options["team"], "team"),
            service=self._get(Service, options["service"], "service"),
            severity=options["severity"],
        )
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user named {options['user']!r}.")
        fmt = options["format"]
        progress = self._bar(packs.progress_steps(fmt), quiet=options["no_progress"])
        pack = packs.build_pack(user, options["quarter"].strip().upper(), scope, progress)
        try:
            with open(options["out"], "wb") as out:
                packs.write_pack(pack, fmt, out, progress)
        except OSError as error:
            raise CommandError(f"Cannot write {options['out']}: {error.strerror}.") from None
        if not options["no_progress"]:
            sys.stderr.write("\n")
        self.stdout.write(f"Wrote {pack.title} ({fmt}) to {options['out']}.")

    def _get(self, model, slug, label):
        if not slug:
            return None
        found = model.objects.filter(slug=slug).first()
        if found is None:
            raise CommandError(f"No {label} with the slug {slug!r}.")
        return found

    def _bar(self, total: int, *, quiet: bool):
        done = 0

        def progress(step: str) -> None:
            nonlocal done
            done = min(done + 1, total)
            if quiet:
                return
            filled = BAR_WIDTH * done // total
            bar = "#" * filled + "." * (BAR_WIDTH - filled)
            sys.stderr.write(f"\r[{bar}] {done}/{total} {step[:40]:<40}")
            sys.stderr.flush()

        return progress
