"""Export the whole history as a portable Markdown + YAML archive (see postmortems.archive)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from postmortems.archive.exporter import export_archive

PROGRESS_EVERY = 50


def progress_printer(command: BaseCommand, verbosity: int):
    """A progress line every PROGRESS_EVERY items and at the end of each kind."""

    def report(kind: str, done: int, total: int) -> None:
        if verbosity > 0 and (done == total or done % PROGRESS_EVERY == 0):
            command.stdout.write(f"{kind}: {done}/{total}")

    return report


class Command(BaseCommand):
    help = (
        "Write every incident (incidents/INC-<n>.md) and postmortem "
        "(postmortems/INC-<n>-postmortem.md) as Markdown with YAML front matter, plus people.yml, "
        "teams.yml, services.yml, templates.yml and alerts.yml. import_archive reads it back."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="Directory to write (created if missing).")

    def handle(self, *args, **options):
        out = Path(options["out"])
        if out.exists() and not out.is_dir():
            raise CommandError(f"{out} exists and is not a directory.")
        try:
            counts = export_archive(out, progress=progress_printer(self, options["verbosity"]))
        except OSError as exc:
            raise CommandError(f"Cannot write the archive: {exc}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Exported {counts['incidents']} incidents and {counts['postmortems']} "
                f"postmortems to {out}."
            )
        )
