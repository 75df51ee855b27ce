"""``manage.py import_oncall {pagerduty|opsgenie|grafana-oncall} FILE [--dry-run]`` or
``... --api-url URL --api-token T``: bring people, schedules, escalation policies and alert
integrations over from the tool being left (see README, "Moving from PagerDuty / Opsgenie /
Grafana OnCall")."""

from __future__ import annotations

import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from config.errors import ApplicationError
from oncall.importers import grafana, opsgenie, pagerduty
from oncall.importers.fetch import FETCHERS, FetchError
from oncall.importers.services import import_apply

READERS = {"pagerduty": pagerduty.read, "opsgenie": opsgenie.read, "grafana-oncall": grafana.read}
TITLES = {"pagerduty": "PagerDuty", "opsgenie": "Opsgenie", "grafana-oncall": "Grafana OnCall"}
ORDER = ("person", "schedule", "override", "policy", "service", "integration")


class Command(BaseCommand):
    help = (
        "Import people, schedules, escalation policies and integrations from another on-call tool."
    )

    def add_arguments(self, parser):
        parser.add_argument("vendor", choices=sorted(READERS))
        parser.add_argument("file", nargs="?", help="JSON export: one key per API collection")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would happen; write nothing."
        )
        parser.add_argument(
            "--api-url", help="Read the vendor's live API at this base URL instead of a file."
        )
        parser.add_argument("--api-token", help="API token for --api-url.")
        parser.add_argument(
            "--as",
            dest="actor",
            help="Username of the admin doing the import (default: the first active superuser).",
        )

    def handle(self, *args, vendor, file, dry_run, api_url, api_token, actor, **options):
        now = timezone.now()
        data = self._source(vendor, file, api_url, api_token, now)
        try:
            plan = READERS[vendor](data, now=now)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise CommandError(
                f"The {TITLES[vendor]} data is not shaped like its API's responses ({exc!r})."
            ) from None
        try:
            report = import_apply(user=self._actor(actor), plan=plan, dry_run=dry_run)
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        self._print(report, TITLES[vendor])

    def _source(self, vendor, file, api_url, api_token, now) -> dict:
        if api_url:
            if file:
                raise CommandError("Give either FILE or --api-url, not both.")
            if not api_token:
                raise CommandError("--api-url needs --api-token.")
            try:
                return FETCHERS[vendor](api_url, api_token, now=now)
            except FetchError as exc:
                raise CommandError(str(exc)) from None
        if not file:
            raise CommandError("Give the export FILE, or --api-url and --api-token.")
        try:
            with open(file, encoding="utf-8") as handle:
                data = json.load(handle)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}.") from None
        except ValueError as exc:
            raise CommandError(f"{file} is not JSON: {exc}.") from None
        if not isinstance(data, dict):
            raise CommandError(f"{file} must hold one JSON object with a key per collection.")
        return data

    def _actor(self, username):
        users = get_user_model().objects.filter(is_active=True)
        if username:
            found = users.filter(username=username).first()
            if found is None:
                raise CommandError(f"No active account {username!r}.")
            return found
        found = users.filter(is_superuser=True).order_by("id").first()
        if found is None:
            raise CommandError("No active superuser: pass --as USERNAME of an admin.")
        return found

    def _print(self, report, title: str) -> None:
        out = self.stdout
        mode = " (dry run: nothing was written)" if report.dry_run else ""
        out.write(f"Import from {title}{mode}")
        lines = sorted(
            report.lines, key=lambda line: ORDER.index(line.kind) if line.kind in ORDER else 99
        )
        for line in lines:
            verb = (
                line.action
                if not report.dry_run or line.action in ("skip", "unchanged", "match")
                else f"would {line.action}"
            )
            detail = f" — {line.detail}" if line.detail else ""
            out.write(f"  {verb:<15} {line.kind:<12} {line.name}{detail}")
        if report.people_created:
            created = "would be created" if report.dry_run else "created"
            out.write(
                f"People {created} inactive (activate them, then run the import again): "
                + ", ".join(report.people_created)
            )
        if report.service_slugs:
            out.write(
                "Services (by slug): "
                + ", ".join(sorted(report.service_slugs))
                + ". Incidents name a service only once it exists under that slug (admin → Services)."
            )
        if report.secret_urls:
            out.write("New alert integration URLs — shown this once, store them now:")
            for name, url in report.secret_urls:
                out.write(f"  {name}: {url}")
        changed = report.count("create") + report.count("change")
        would = "to " if report.dry_run else ""
        out.write(
            f"{report.count('create')} {would}create{'' if would else 'd'}, "
            f"{report.count('change')} {would}change{'' if would else 'd'}, "
            f"{report.count('match')} matched, {report.count('unchanged')} unchanged, "
            f"{report.count('skip')} skipped."
            + ("" if changed or report.dry_run else " Nothing changed.")
        )
