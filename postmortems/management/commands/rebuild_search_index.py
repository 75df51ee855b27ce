"""Rewrite the whole search index from the database, incident by incident, with a progress bar."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from incidents.models import Incident
from postmortems.search.indexer import search_index_incident
from postmortems.search.models import SearchDocument


class Command(BaseCommand):
    help = "Rebuild the knowledge-base search index (incidents, notes, action items, postmortems)."

    def handle(self, *args, **options):
        ids = list(Incident.objects.order_by("pk").values_list("pk", flat=True))
        verbose = options["verbosity"] > 0
        written = 0
        with transaction.atomic():
            # Rows of incidents that no longer exist are removed by the cascade; this clears
            # anything left from an older index layout.
            SearchDocument.objects.exclude(incident_id__in=ids).delete()
            for done, incident_id in enumerate(ids, start=1):
                written += search_index_incident(incident_id=incident_id)
                if verbose and (done == len(ids) or done % 50 == 0):
                    self.stdout.write(f"\r{_bar(done, len(ids))}", ending="")
                    self.stdout.flush()
        if verbose:
            self.stdout.write("")
            self.stdout.write(
                self.style.SUCCESS(f"Indexed {written} documents of {len(ids)} incidents.")
            )


def _bar(done: int, total: int, width: int = 30) -> str:
    filled = int(width * done / total) if total else width
    return f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
