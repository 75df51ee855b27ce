"""Required postmortems (METRICS.md rules) and requests: the draft appears, owned by the IC."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from incidents.models import Incident, Kind, Role, RoleAssignment, TriggerCategory
from postmortems.blocks import incident_tz
from postmortems.models import Postmortem
from postmortems.services._common import (
    add_business_days,
    authorize_view,
    display_name,
    validate_text,
)
from postmortems.services.documents import _commander, _create, _template_or_default


def default_due_date(incident: Incident) -> date:
    """``FIREBREAK_POSTMORTEM_DUE_BUSINESS_DAYS`` working days after resolution (or today)."""
    tz = incident_tz(incident)
    start = (incident.resolved_at or timezone.now()).astimezone(tz).date()
    return add_business_days(start, settings.FIREBREAK_POSTMORTEM_DUE_BUSINESS_DAYS)


def required_reasons(incident: Incident) -> list[str]:
    """The METRICS.md rules that make a postmortem required for this incident (settings-driven)."""
    if incident.kind != Kind.INCIDENT:
        return []
    reasons = []
    threshold = settings.FIREBREAK_POSTMORTEM_TTR_MINUTES
    if threshold and incident.mitigated_at is not None:
        ttr_minutes = (incident.mitigated_at - incident.started_at).total_seconds() / 60
        if ttr_minutes > threshold:
            reasons.append(
                f"time to recover was {int(ttr_minutes)} minutes (more than {threshold})"
            )
    if incident.severity in settings.FIREBREAK_POSTMORTEM_SEVERITIES:
        reasons.append(f"severity {incident.severity}")
    days = settings.FIREBREAK_POSTMORTEM_REPEAT_DAYS
    if days and incident.trigger_category != TriggerCategory.UNKNOWN:
        window = timedelta(days=days)
        repeat = (
            Incident.objects.filter(
                kind=Kind.INCIDENT,
                trigger_category=incident.trigger_category,
                services__in=incident.services.all(),
                started_at__gte=incident.started_at - window,
                started_at__lte=incident.started_at + window,
            )
            .exclude(pk=incident.pk)
            .order_by("private", "started_at")
            .first()
        )
        if repeat is not None:
            # The reason is shown to everyone who may read this postmortem: a private incident
            # is counted, never named.
            other = "a private incident" if repeat.private else repeat.reference
            reasons.append(
                f"{other} hit the same service with the same trigger "
                f"({incident.get_trigger_category_display().lower()}) within {days} days"
            )
    return reasons


def _mark_required(postmortem: Postmortem, reasons: list[str]) -> Postmortem:
    merged = list(dict.fromkeys([*postmortem.required_reasons, *reasons]))
    fields = []
    if merged != postmortem.required_reasons:
        postmortem.required_reasons = merged
        fields.append("required_reasons")
    if not postmortem.required:
        postmortem.required = True
        fields.append("required")
    if postmortem.due_date is None:
        postmortem.due_date = default_due_date(postmortem.incident)
        fields.append("due_date")
    if fields:
        # Not an edit of the text: the version (the editors' lock) is left alone.
        Postmortem.objects.filter(pk=postmortem.pk).update(
            **{f: getattr(postmortem, f) for f in fields}
        )
    return postmortem


@transaction.atomic
def postmortem_require_if_needed(*, incident_id: int) -> Postmortem | None:
    """On resolution: if the rules require a postmortem, make sure a draft exists, owned by the IC.

    Idempotent: resolving again only adds new reasons.
    """
    incident = Incident.objects.select_for_update().filter(pk=incident_id).first()
    if incident is None:
        return None
    reasons = required_reasons(incident)
    if not reasons:
        return None
    existing = Postmortem.objects.filter(incident=incident).first()
    if existing is not None:
        return _mark_required(existing, reasons)
    owner = _commander(incident) or _last_commander(incident)
    return _create(
        incident=incident,
        template=_template_or_default(None),
        created_by=None,
        owner=owner,
        required_reasons=reasons,
        due_date=default_due_date(incident),
    )


def _last_commander(incident: Incident):
    assignment = (
        RoleAssignment.objects.filter(incident=incident, role=Role.INCIDENT_COMMANDER)
        .order_by("-assigned_at")
        .first()
    )
    return assignment.user if assignment else None


@transaction.atomic
def postmortem_request(*, user, incident: Incident, reason: str = "") -> Postmortem:
    """Anyone who can see an incident can ask for its postmortem; the request is recorded as a reason."""
    authorize_view(user, incident)
    reason = validate_text(reason, "reason", max_length=500)
    text = f"requested by {display_name(user)}" + (f": {reason}" if reason else "")
    existing = Postmortem.objects.filter(incident=incident).first()
    if existing is not None:
        return _mark_required(existing, [text])
    owner = _commander(incident) or _last_commander(incident)
    return _create(
        incident=incident,
        template=_template_or_default(None),
        created_by=user,
        owner=owner,
        required_reasons=[text],
        due_date=default_due_date(incident),
    )
