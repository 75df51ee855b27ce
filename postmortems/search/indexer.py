"""Writes to the search index. Called from services and domain-signal receivers, never post_save.

Every function is idempotent: it rewrites the rows of the objects it is given from the current
database state, so a replayed signal or a rebuild can never leave a stale or duplicate row.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.urls import reverse

from incidents.models import Incident, TimelineEvent
from postmortems.models import ActionItem, Postmortem, SectionPurpose
from postmortems.search.models import SearchDocument

DocKind = SearchDocument.DocKind

# Sections whose text says what went wrong: weighted above the rest of the document.
KEY_PURPOSES = (SectionPurpose.SUMMARY, SectionPurpose.ROOT_CAUSE)
_PLACEHOLDER = re.compile(r"\{\{\s*[\w.]+\s*\}\}")


def _slugs(values) -> str:
    """`` a b `` — delimited on both sides so a filter can match one whole slug."""
    return " " + " ".join(sorted(set(values))) + " " if values else " "


def _incident_fields(incident: Incident) -> dict:
    services = list(incident.services.select_related("team"))
    return {
        "incident": incident,
        "private": incident.private,
        "service_slugs": _slugs([s.slug for s in services]),
        "team_slugs": _slugs([s.team.slug for s in services if s.team_id]),
        "severity": incident.severity,
        "trigger_category": incident.trigger_category,
    }


def _incident_url(incident: Incident) -> str:
    return reverse("incidents:detail", kwargs={"number": incident.number})


def _strip(text: str) -> str:
    return _PLACEHOLDER.sub(" ", text or "")


def _incident_doc(incident: Incident, common: dict) -> SearchDocument:
    return SearchDocument(
        kind=DocKind.INCIDENT,
        object_id=incident.pk,
        title=f"{incident.reference} {incident.title}"[:300],
        summary=incident.summary,
        body=incident.impact,
        url=_incident_url(incident),
        occurred_at=incident.started_at,
        **common,
    )


def _note_doc(event: TimelineEvent, common: dict) -> SearchDocument:
    incident = common["incident"]
    return SearchDocument(
        kind=DocKind.TIMELINE_NOTE,
        object_id=event.pk,
        title=f"{incident.reference} timeline note"[:300],
        summary="",
        body=event.body,
        url=f"{_incident_url(incident)}#event-{event.pk}",
        occurred_at=event.occurred_at,
        **common,
    )


def _action_item_doc(item: ActionItem, common: dict) -> SearchDocument:
    return SearchDocument(
        kind=DocKind.ACTION_ITEM,
        object_id=item.pk,
        title=item.title[:300],
        summary="",
        body=item.description,
        url=reverse("postmortems:action-item", kwargs={"pk": item.pk}),
        occurred_at=item.created_at,
        **common,
    )


def _postmortem_doc(postmortem: Postmortem, common: dict) -> SearchDocument:
    sections = list(postmortem.sections.order_by("position", "id"))
    key = [s.body for s in sections if s.purpose in KEY_PURPOSES]
    # Bodies only: every postmortem has the template's headings ("Timeline", "Impact"), so
    # indexing them would make "time" or "impact" match every document.
    rest = [s.body for s in sections if s.purpose not in KEY_PURPOSES]
    return SearchDocument(
        kind=DocKind.POSTMORTEM,
        object_id=postmortem.pk,
        title=postmortem.title[:300],
        summary=_strip("\n\n".join(key)),
        body=_strip("\n\n".join(rest)),
        url=reverse("postmortems:detail", kwargs={"pk": postmortem.pk}),
        occurred_at=common["incident"].started_at,
        **common,
    )


def incident_documents(incident: Incident) -> list[SearchDocument]:
    """Every searchable object of one incident, built from the database as it is now."""
    common = _incident_fields(incident)
    docs = [_incident_doc(incident, common)]
    notes = incident.timeline.filter(kind=TimelineEvent.EventKind.NOTE).exclude(body="")
    docs += [_note_doc(event, common) for event in notes]
    docs += [_action_item_doc(item, common) for item in incident.action_items.all()]
    postmortem = Postmortem.objects.filter(incident=incident).first()
    if postmortem is not None:
        docs.append(_postmortem_doc(postmortem, common))
    return docs


def search_index_incident(*, incident_id: int) -> int:
    """Rewrite all index rows of one incident (its fields, notes, action items, postmortem).

    Denormalised fields (privacy flag, services, severity) change on every row at once, so the
    whole incident is rewritten. Returns the number of rows written; 0 if the incident is gone.
    """
    incident = Incident.objects.filter(pk=incident_id).first()
    with transaction.atomic():
        SearchDocument.objects.filter(incident_id=incident_id).delete()
        if incident is None:
            return 0
        docs = incident_documents(incident)
        SearchDocument.objects.bulk_create(docs)
    return len(docs)


def search_index_timeline_event(*, event_id: int) -> None:
    """Add one note to the index (other timeline events are not searchable text)."""
    event = TimelineEvent.objects.select_related("incident").filter(pk=event_id).first()
    if event is None or event.kind != TimelineEvent.EventKind.NOTE or not event.body:
        return
    doc = _note_doc(event, _incident_fields(event.incident))
    with transaction.atomic():
        SearchDocument.objects.filter(kind=DocKind.TIMELINE_NOTE, object_id=event.pk).delete()
        doc.save()


def _replace(doc: SearchDocument) -> None:
    with transaction.atomic():
        SearchDocument.objects.filter(kind=doc.kind, object_id=doc.object_id).delete()
        doc.save()


def search_index_postmortem(postmortem: Postmortem) -> None:
    """Re-index a postmortem after a create, save or publish (called inside its transaction)."""
    postmortem = Postmortem.objects.select_related("incident").get(pk=postmortem.pk)
    _replace(_postmortem_doc(postmortem, _incident_fields(postmortem.incident)))


def search_index_action_item(item: ActionItem) -> None:
    """Re-index an action item after it was created or changed."""
    item = ActionItem.objects.select_related("incident").get(pk=item.pk)
    _replace(_action_item_doc(item, _incident_fields(item.incident)))


def search_index_repair(*, since) -> int:
    """Re-index what an after-commit receiver may have missed since ``since`` (it failed, or the
    process died between the commit and the receiver): incidents changed since then whose
    incident row is missing or stale, and notes recorded since then that have no row.

    Idempotent and bounded by the window; returns the number of incidents and notes repaired.
    """
    repaired = 0
    changed = Incident.objects.filter(updated_at__gte=since)
    docs = {
        d.object_id: d
        for d in SearchDocument.objects.filter(
            kind=DocKind.INCIDENT, object_id__in=changed.values("pk")
        )
    }
    for incident in changed.prefetch_related("services__team"):
        current = _incident_doc(incident, _incident_fields(incident))
        doc = docs.get(incident.pk)
        fields = ("title", "summary", "body", "private", "severity", "trigger_category")
        if (
            doc is None
            or any(getattr(doc, f) != getattr(current, f) for f in fields)
            or (doc.service_slugs != current.service_slugs)
        ):
            search_index_incident(incident_id=incident.pk)
            repaired += 1
    indexed_notes = SearchDocument.objects.filter(kind=DocKind.TIMELINE_NOTE).values("object_id")
    missing_notes = (
        TimelineEvent.objects.filter(kind=TimelineEvent.EventKind.NOTE, recorded_at__gte=since)
        .exclude(body="")
        .exclude(pk__in=indexed_notes)
        .values_list("pk", flat=True)
    )
    for event_id in missing_notes:
        search_index_timeline_event(event_id=event_id)
        repaired += 1
    return repaired
