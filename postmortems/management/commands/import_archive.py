"""Import an archive written by export_archive, or plain Markdown postmortems written elsewhere."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from postmortems.archive.codec import ArchiveError
from postmortems.archive.importer import import_archive
from postmortems.archive.markdown_import import markdown_postmortem_import
from postmortems.management.commands.export_archive import progress_printer


class Command(BaseCommand):
    help = (
        "Import an archive directory (all or nothing: a bad file changes nothing). "
        "With --markdown FILE --incident INC-n --user NAME, import one plain Markdown postmortem "
        "instead; a markdown/ folder in the archive (front matter 'incident: INC-n') is imported "
        "the same way. '#'/'##' headings map to the template's sections by title or synonym "
        "(Summary, Impact, Timeline, Root cause(s), Action items, Lessons learned); unknown "
        "headings are kept under '### <heading>' in an 'Appendix' section."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "archive", nargs="?", help="Archive directory written by export_archive."
        )
        parser.add_argument("--markdown", help="A plain Markdown postmortem to import.")
        parser.add_argument(
            "--incident", help="The incident (INC-n) the Markdown postmortem is of."
        )
        parser.add_argument(
            "--template", help="Template slug for Markdown imports (default: site)."
        )
        parser.add_argument("--user", help="Username recorded as author of Markdown imports.")

    def handle(self, *args, **options):
        user = self._user(options["user"])
        if options["markdown"]:
            if options["archive"] or not options["incident"]:
                raise CommandError("Use --markdown FILE --incident INC-n (without a directory).")
            if user is None:
                raise CommandError("--user is required to import Markdown.")
            path = Path(options["markdown"])
            try:
                text = path.read_text(encoding="utf-8")
                with transaction.atomic():
                    markdown_postmortem_import(
                        user=user,
                        incident_ref=options["incident"],
                        text=text,
                        template=options["template"],
                    )
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(f"{path}: cannot read it: {exc}") from None
            except ArchiveError as exc:
                raise CommandError(f"{path}: {exc}") from None
            self.stdout.write(
                self.style.SUCCESS(f"Imported {path} as the postmortem of {options['incident']}.")
            )
            return None
        if not options["archive"]:
            raise CommandError("Give an archive directory, or --markdown FILE --incident INC-n.")
        try:
            result = import_archive(
                Path(options["archive"]),
                progress=progress_printer(self, options["verbosity"]),
                markdown_user=user,
            )
        except ArchiveError as exc:
            raise CommandError(f"Nothing was imported. {exc}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result.people} new people, {result.incidents} incidents, "
                f"{result.postmortems} postmortems and {result.markdown_postmortems} Markdown "
                "postmortems."
            )
        )

    def _user(self, username: str | None):
        if username is None:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user {username!r}.")
        return user
