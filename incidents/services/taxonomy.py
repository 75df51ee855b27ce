"""Tags and contributing factors: the free part of the taxonomy (trigger_category is the fixed one).

Names are normalised so that "DNS", " dns " and "dns" are one tag: tags are lower case with
hyphens for spaces; contributing factors are lower case with single spaces. Each changed list is
one ``field_changed`` timeline event naming what was added and removed.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.utils import timezone

from config.errors import ValidationFailed
from incidents import signals
from incidents.models import ContributingFactor, Incident, Tag
from incidents.services._common import (
    EventKind,
    authorize_write,
    display_name,
    lock_incident,
    record_event,
    send_on_commit,
)

TAG_MAX = 50
FACTOR_MAX = 120
# Per incident, for each of the two lists.
TAXONOMY_MAX_ITEMS = 20
TAXONOMY_FIELDS = ("tags", "contributing_factors")

_TAG_RE = re.compile(r"[a-z0-9][a-z0-9._:/+-]*")
_FACTOR_RE = re.compile(r"[^\W_][^,\x00-\x1f\x7f]*")

LABELS = {"tags": "tags", "contributing_factors": "contributing factors"}


def normalize_tag(value: str) -> str:
    return "-".join(value.strip().lower().split())


def normalize_factor(value: str) -> str:
    return " ".join(value.strip().lower().split())


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def lookup_name(value: Any, field: str) -> str:
    """A tag (``field="tags"``) or contributing factor as stored, for filtering by it.

    Never an error: a name that cannot exist (too long, odd characters) simply matches nothing.
    """
    normalize, limit = (
        (normalize_tag, TAG_MAX) if field == "tags" else (normalize_factor, FACTOR_MAX)
    )
    name = normalize(str(value or "")[: limit * 2])[: limit + 1]
    # No stored name holds a comma or a control character, so such a character becomes a comma:
    # the name still matches nothing, and no NUL reaches PostgreSQL (it refuses NUL in text).
    return _CONTROL.sub(",", name)


def _clean_list(values: Any, field: str) -> list[str]:
    """Validated, normalised, de-duplicated and sorted names (a list of strings in, or a 400)."""
    if isinstance(values, str) or not isinstance(values, (list, tuple)):
        raise ValidationFailed(
            f"{field} must be a list of names.", field_errors={field: ["A list of names."]}
        )
    if not all(isinstance(v, str) for v in values):
        raise ValidationFailed(
            f"{field} must be a list of names.", field_errors={field: ["A list of names."]}
        )
    if field == "tags":
        normalize, pattern, limit = normalize_tag, _TAG_RE, TAG_MAX
        rule = "letters, digits and . _ : / + - (spaces become hyphens)"
    else:
        normalize, pattern, limit = normalize_factor, _FACTOR_RE, FACTOR_MAX
        rule = "words without commas"
    cleaned = sorted({normalize(v) for v in values} - {""})
    for name in cleaned:
        if len(name) > limit:
            raise ValidationFailed(
                f"{LABELS[field].capitalize()} are at most {limit} characters: {name[:40]!r}….",
                field_errors={field: [f"At most {limit} characters."]},
            )
        if not pattern.fullmatch(name):
            raise ValidationFailed(
                f"{name[:40]!r} is not a valid name for {LABELS[field]}: use {rule}.",
                field_errors={field: [f"Use {rule}."]},
            )
    if len(cleaned) > TAXONOMY_MAX_ITEMS:
        raise ValidationFailed(
            f"At most {TAXONOMY_MAX_ITEMS} {LABELS[field]} per incident.",
            field_errors={field: [f"At most {TAXONOMY_MAX_ITEMS}."]},
        )
    return cleaned


def clean_taxonomy(*, tags: Any = None, contributing_factors: Any = None) -> dict[str, list[str]]:
    """The lists given (None: not given) validated and normalised, or a ``ValidationFailed``.

    Writes nothing: callers that save something else first (a postmortem edit) check here so
    that a bad name refuses the whole request.
    """
    given = {"tags": tags, "contributing_factors": contributing_factors}
    return {f: _clean_list(v, f) for f, v in given.items() if v is not None}


def current_taxonomy(incident: Incident) -> dict[str, list[str]]:
    return {
        "tags": sorted(incident.tags.values_list("name", flat=True)),
        "contributing_factors": sorted(
            incident.contributing_factors.values_list("name", flat=True)
        ),
    }


def apply_taxonomy(
    incident: Incident, user, changes: dict[str, Any], *, reason: str = "", via: str = ""
) -> list[str]:
    """Set the lists present in ``changes``; one timeline event per list that changed.

    Precondition: the caller holds the incident lock and has authorized ``user`` to write.
    Returns the fields that changed.
    """
    wanted = {f: _clean_list(changes[f], f) for f in TAXONOMY_FIELDS if f in changes}
    if not wanted:
        return []
    before = current_taxonomy(incident)
    changed = []
    for field, names in wanted.items():
        old = before[field]
        if names == old:
            continue
        model, relation = (
            (Tag, incident.tags)
            if field == "tags"
            else (ContributingFactor, incident.contributing_factors)
        )
        existing = {row.name: row for row in model.objects.filter(name__in=names)}
        for name in names:
            if name not in existing:
                existing[name], _ = model.objects.get_or_create(name=name)
        relation.set([existing[name] for name in names])
        added = [n for n in names if n not in old]
        removed = [n for n in old if n not in names]
        parts = []
        if added:
            parts.append(f"added {', '.join(added)}")
        if removed:
            parts.append(f"removed {', '.join(removed)}")
        record_event(
            incident,
            EventKind.FIELD_CHANGED,
            actor=user,
            body=f"{display_name(user)} changed {LABELS[field]}{via}: {'; '.join(parts)}."
            + (f" {reason}" if reason else ""),
            data={
                "fields": [field],
                "old": {field: old},
                "new": {field: names},
                "added": added,
                "removed": removed,
            },
        )
        changed.append(field)
    return changed


@transaction.atomic
def incident_taxonomy_update(
    *,
    incident: Incident,
    user,
    tags: Any = None,
    contributing_factors: Any = None,
    reason: str = "",
    via: str = "",
) -> list[str]:
    """Replace the incident's tags and/or contributing factors (None leaves a list as it is).

    Responders and admins (members, for a private incident) may edit. ``via`` says where the
    edit was made ("from the postmortem") on the timeline. Returns the lists that changed.
    """
    incident = lock_incident(incident)
    authorize_write(user, incident)
    changes = {}
    if tags is not None:
        changes["tags"] = tags
    if contributing_factors is not None:
        changes["contributing_factors"] = contributing_factors
    changed = apply_taxonomy(incident, user, changes, reason=reason, via=f" {via}" if via else "")
    if changed:
        Incident.objects.filter(pk=incident.pk).update(updated_at=timezone.now())
        send_on_commit(signals.incident_changed, incident_id=incident.pk, fields=changed)
    return changed
