"""Postmortem documents: generation from an incident, optimistic-lock saves, review, publication."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from config.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from incidents.models import Incident, Role
from incidents.selectors import effective_roles
from oncall.access import is_admin
from oncall.people.services import notification_send
from postmortems.blocks import placeholder_values
from postmortems.models import (
    Postmortem,
    PostmortemReview,
    PostmortemRevision,
    PostmortemSection,
    PostmortemStatus,
    PostmortemTemplate,
    Visibility,
)
from postmortems.search.indexer import search_index_postmortem
from postmortems.services._common import (
    TITLE_MAX,
    authorize_edit,
    authorize_view,
    display_name,
    validate_choice,
    validate_date,
    validate_text,
)

RevisionKind = PostmortemRevision.RevisionKind
Decision = PostmortemReview.Decision
MAX_TAGS = 20
TAG_MAX = 40
MAX_REVIEWERS = 2


class EditConflict(Conflict):
    """A save made from an older version. Carries both texts so the author can merge."""

    code = "stale_version"

    def __init__(self, message: str, *, current: dict, yours: dict, conflict_revision_id: int):
        super().__init__(message)
        self.current = current
        self.yours = yours
        self.conflict_revision_id = conflict_revision_id

    def as_dict(self) -> dict[str, object]:
        body = super().as_dict()
        body.update(
            current=self.current, yours=self.yours, conflict_revision=self.conflict_revision_id
        )
        return body


def _sections_payload(postmortem: Postmortem) -> list[dict[str, str]]:
    return [{"key": s.key, "title": s.title, "body": s.body} for s in postmortem.sections.all()]


def _record_revision(
    postmortem: Postmortem, kind: str, *, user, version: int, sections=None, title=None, note=""
) -> PostmortemRevision:
    return PostmortemRevision.objects.create(
        postmortem=postmortem,
        kind=kind,
        version=version,
        author=user if getattr(user, "is_authenticated", False) else None,
        title=title if title is not None else postmortem.title,
        sections=sections if sections is not None else _sections_payload(postmortem),
        note=note[:300],
    )


def _template_or_default(template: PostmortemTemplate | str | None) -> PostmortemTemplate:
    if isinstance(template, PostmortemTemplate):
        return template
    slug = template or settings.FIREBREAK_POSTMORTEM_DEFAULT_TEMPLATE
    if not isinstance(slug, str):
        raise ValidationFailed(
            "template must be a template slug.", field_errors={"template": ["A template slug."]}
        )
    found = PostmortemTemplate.objects.filter(slug=slug).first()
    if found is None:
        raise ValidationFailed(
            f"There is no postmortem template {slug!r}.",
            field_errors={"template": ["Unknown template."]},
        )
    return found


def _commander(incident: Incident):
    for role in effective_roles(incident):
        if role.role == Role.INCIDENT_COMMANDER and role.holders:
            return role.holders[0]
    return None


def _create(
    *,
    incident: Incident,
    template: PostmortemTemplate,
    created_by,
    owner,
    required_reasons: list[str] | None = None,
    due_date: date | None = None,
) -> Postmortem:
    """Create the draft and its sections from a template. Raises Conflict if one already exists."""
    try:
        with transaction.atomic():
            postmortem = Postmortem.objects.create(
                incident=incident,
                template=template,
                title=f"{incident.reference}: {incident.title}"[:TITLE_MAX],
                owner=owner,
                created_by=created_by,
                required=bool(required_reasons),
                required_reasons=list(required_reasons or []),
                due_date=due_date,
            )
    except IntegrityError:
        existing = Postmortem.objects.filter(incident=incident).first()
        raise Conflict(
            f"{incident.reference} already has a postmortem"
            + (f" (id {existing.pk})." if existing else "."),
            code="postmortem_exists",
        ) from None
    PostmortemSection.objects.bulk_create(
        [
            PostmortemSection(
                postmortem=postmortem,
                position=index,
                key=section.key,
                title=section.title,
                purpose=section.purpose,
                guidance=section.guidance,
                body=section.body,
            )
            for index, section in enumerate(template.sections.order_by("position", "id"))
        ]
    )
    _record_revision(
        postmortem,
        RevisionKind.CREATED,
        user=created_by,
        version=1,
        note=f"Generated from {template.name}",
    )
    if owner is not None and (created_by is None or owner.pk != created_by.pk):
        _notify_owner(postmortem, owner)
    search_index_postmortem(postmortem)
    return postmortem


def _notify_owner(postmortem: Postmortem, owner) -> None:
    incident = postmortem.incident
    due = f" It is due on {postmortem.due_date:%Y-%m-%d}." if postmortem.due_date else ""
    reasons = (
        f" Required because: {'; '.join(postmortem.required_reasons)}."
        if postmortem.required_reasons
        else ""
    )
    notification_send(
        recipient=owner,
        subject=f"{incident.reference}: you own the postmortem",
        body=f'A postmortem draft for {incident.reference} "{incident.title}" is waiting for you.{reasons}{due}',
        url=f"/postmortems/{postmortem.pk}/",
        key=f"postmortem-owner:{postmortem.pk}:{owner.pk}",
    )


@transaction.atomic
def postmortem_create(
    *, user, incident: Incident, template: PostmortemTemplate | str | None = None
) -> Postmortem:
    """Write the postmortem of an incident: a draft filled in from the incident, owned by its IC.

    Preconditions: the user can see the incident and is a responder. One postmortem per incident
    (a second one is a Conflict naming the first).
    """
    authorize_edit(user, incident)
    chosen = _template_or_default(template)
    owner = _commander(incident) or user
    return _create(incident=incident, template=chosen, created_by=user, owner=owner)


# --- saving with optimistic locking ------------------------------------------------------------------


def _validate_sections(postmortem: Postmortem, sections: Any) -> dict[str, str]:
    if not isinstance(sections, list):
        raise ValidationFailed(
            "sections must be a list of {key, body}.", field_errors={"sections": ["A list."]}
        )
    known = set(postmortem.sections.values_list("key", flat=True))
    bodies: dict[str, str] = {}
    for index, item in enumerate(sections):
        if not isinstance(item, dict) or not isinstance(item.get("key"), str) or "body" not in item:
            raise ValidationFailed(
                f"sections[{index}] must be an object with key and body.",
                field_errors={"sections": ["{key, body} objects."]},
            )
        key = item["key"]
        if key not in known:
            raise ValidationFailed(
                f"This postmortem has no section {key!r}; its sections are {', '.join(sorted(known))}.",
                field_errors={"sections": [f"Unknown section {key!r}."]},
            )
        if key in bodies:
            raise ValidationFailed(
                f"Section {key!r} appears twice.", field_errors={"sections": [f"{key!r} twice."]}
            )
        bodies[key] = validate_text(item["body"], f"sections.{key}.body", strip=False)
    return bodies


def _validate_tags(tags: Any) -> list[str]:
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ValidationFailed(
            "tags must be a list of words.", field_errors={"tags": ["A list of text."]}
        )
    cleaned = list(dict.fromkeys(t.strip() for t in tags if t.strip()))
    if len(cleaned) > MAX_TAGS:
        raise ValidationFailed(
            f"At most {MAX_TAGS} tags.", field_errors={"tags": [f"At most {MAX_TAGS}."]}
        )
    for tag in cleaned:
        validate_text(tag, "tags", max_length=TAG_MAX)
    return cleaned


def _validate_version(version: Any) -> int:
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ValidationFailed(
            "version is required: the version you started editing from (a whole number).",
            field_errors={"version": ["The version you edited."]},
        )
    return version


@dataclass
class SaveResult:
    postmortem: Postmortem
    changed: bool


def postmortem_save(
    *,
    user,
    postmortem: Postmortem,
    version: Any,
    sections: Any = None,
    title: Any = None,
    tags: Any = None,
    visibility: Any = None,
    note: str = "",
) -> SaveResult:
    """Save an edit made from ``version``. Every accepted change creates a revision.

    If someone else saved since ``version``, nothing is overwritten: the edit is kept as a
    conflict revision and ``EditConflict`` (409) carries the current text and yours. An edit that
    changes nothing returns the postmortem unchanged (autosave may call this freely).
    """
    version = _validate_version(version)
    authorize_edit(user, postmortem.incident)
    bodies = _validate_sections(postmortem, sections) if sections is not None else {}
    new_title = (
        validate_text(title, "title", required=True, max_length=TITLE_MAX)
        if title is not None
        else None
    )
    new_tags = _validate_tags(tags) if tags is not None else None
    new_visibility = (
        validate_choice(visibility, Visibility.choices, "visibility")
        if visibility is not None
        else None
    )
    note = validate_text(note, "note", max_length=300)

    with transaction.atomic():
        current = Postmortem.objects.select_for_update().get(pk=postmortem.pk)
        current_sections = {s.key: s for s in current.sections.all()}
        changes: dict[str, Any] = {}
        if new_title is not None and new_title != current.title:
            changes["title"] = new_title
        if new_tags is not None and new_tags != current.tags:
            changes["tags"] = new_tags
        if new_visibility is not None and new_visibility != current.visibility:
            changes["visibility"] = new_visibility
        if version > current.version:
            raise ValidationFailed(
                f"Version {version} does not exist; the latest is {current.version}.",
                field_errors={"version": ["Not a version of this postmortem."]},
            )
        changed_bodies = {k: b for k, b in bodies.items() if current_sections[k].body != b}
        if not changes and not changed_bodies:
            return SaveResult(current, changed=False)
        if current.version == version:
            # The conditional update is the lock: it matches only if nobody saved in between,
            # on every database and isolation level.
            now = timezone.now()
            updated = Postmortem.objects.filter(pk=current.pk, version=version).update(
                version=F("version") + 1, updated_at=now, **changes
            )
            if updated == 1:
                for key, body in changed_bodies.items():
                    PostmortemSection.objects.filter(pk=current_sections[key].pk).update(body=body)
                current.refresh_from_db()
                kind = RevisionKind.AMENDED if current.is_published else RevisionKind.SAVE
                _record_revision(current, kind, user=user, version=current.version, note=note)
                if current.status == PostmortemStatus.IN_REVIEW:
                    _reset_approvals(current)
                search_index_postmortem(current)
                return SaveResult(current, changed=True)
            current.refresh_from_db()
        yours_sections = _sections_from_base(current, version, bodies)
        current_payload = {
            "version": current.version,
            "title": current.title,
            "sections": _sections_payload(current),
        }
    # Outside the transaction: the refused edit must survive even though we raise.
    conflict = _record_revision(
        current,
        RevisionKind.CONFLICT,
        user=user,
        version=version,
        sections=yours_sections,
        title=new_title if new_title is not None else current.title,
        note="Refused: edited from an older version. Kept so nothing is lost.",
    )
    raise EditConflict(
        f"Someone saved version {current_payload['version']} while you were editing version {version}. "
        "Your text was not lost: both versions are included so you can merge them and save again.",
        current=current_payload,
        yours={"version": version, "title": conflict.title, "sections": yours_sections},
        conflict_revision_id=conflict.pk,
    )


def _sections_from_base(
    postmortem: Postmortem, base_version: int, bodies: dict[str, str]
) -> list[dict[str, str]]:
    """The author's whole document: the version they edited, with their changed bodies on top."""
    base = PostmortemRevision.objects.filter(
        postmortem=postmortem,
        version=base_version,
        kind__in=(RevisionKind.CREATED, RevisionKind.SAVE, RevisionKind.AMENDED),
    ).first()
    sections = base.sections if base else _sections_payload(postmortem)
    return [{**s, "body": bodies.get(s["key"], s.get("body", ""))} for s in sections]


def _reset_approvals(postmortem: Postmortem) -> None:
    """An approval covers the text the reviewer read; a later change needs a fresh look."""
    PostmortemReview.objects.filter(
        postmortem=postmortem, active=True, decision=Decision.APPROVED
    ).update(decision=Decision.PENDING, decided_at=None)


def revision_restore_payload(
    *, user, postmortem: Postmortem, revision_id: int
) -> PostmortemRevision:
    """Load a revision (including a refused conflict) of a postmortem the user can see."""
    authorize_view(user, postmortem.incident)
    revision = PostmortemRevision.objects.filter(postmortem=postmortem, pk=revision_id).first()
    if revision is None:
        raise NotFound("No such revision.")
    return revision


# --- review workflow ---------------------------------------------------------------------------------


def _can_manage(user, postmortem: Postmortem) -> bool:
    commander = _commander(postmortem.incident)
    return (
        is_admin(user)
        or (postmortem.owner_id is not None and postmortem.owner_id == user.pk)
        or (commander is not None and commander.pk == user.pk)
    )


@transaction.atomic
def postmortem_submit(*, user, postmortem: Postmortem, reviewers: list) -> Postmortem:
    """Send a draft for review to one or two reviewers (not the owner). Earlier reviews are kept."""
    from oncall.access import can_respond

    authorize_edit(user, postmortem.incident)
    postmortem = Postmortem.objects.select_for_update().get(pk=postmortem.pk)
    if postmortem.status != PostmortemStatus.DRAFT:
        raise ValidationFailed(
            f"Only a draft can be sent for review; this postmortem is {postmortem.get_status_display().lower()}."
        )
    if not isinstance(reviewers, list | tuple) or not 1 <= len(reviewers) <= MAX_REVIEWERS:
        raise ValidationFailed(
            "Choose one or two reviewers.", field_errors={"reviewers": ["One or two people."]}
        )
    unique = list({r.pk: r for r in reviewers if r is not None}.values())
    if len(unique) != len(reviewers):
        raise ValidationFailed(
            "Each reviewer must be a different, existing person.",
            field_errors={"reviewers": ["Unknown or repeated."]},
        )
    for reviewer in unique:
        if not reviewer.is_active or not can_respond(reviewer):
            raise ValidationFailed(
                f"{display_name(reviewer)} cannot review postmortems.",
                field_errors={"reviewers": ["Not a responder."]},
            )
        if reviewer.pk == user.pk or reviewer.pk == postmortem.owner_id:
            raise ValidationFailed(
                "The author cannot review their own postmortem.",
                field_errors={"reviewers": ["Not the author."]},
            )
        if (
            postmortem.incident.private
            and not is_admin(reviewer)
            and not postmortem.incident.members.filter(pk=reviewer.pk).exists()
        ):
            raise ValidationFailed(
                f"{display_name(reviewer)} is not a member of this private incident.",
                field_errors={"reviewers": ["Not a member."]},
            )
    now = timezone.now()
    PostmortemReview.objects.filter(postmortem=postmortem, active=True).update(active=False)
    for reviewer in unique:
        PostmortemReview.objects.create(
            postmortem=postmortem, reviewer=reviewer, requested_by=user, requested_at=now
        )
    postmortem.status = PostmortemStatus.IN_REVIEW
    postmortem.submitted_at = now
    postmortem.save(update_fields=["status", "submitted_at", "updated_at"])
    _record_revision(
        postmortem,
        RevisionKind.SUBMITTED,
        user=user,
        version=postmortem.version,
        note="Sent for review",
    )
    # Submitting is not an edit: keep the version so that open editors stay current.
    for reviewer in unique:
        notification_send(
            recipient=reviewer,
            subject=f"Review requested: postmortem of {postmortem.incident.reference}",
            body=f'{display_name(user)} asks you to review the postmortem "{postmortem.title}".',
            url=f"/postmortems/{postmortem.pk}/",
            key=f"postmortem-review:{postmortem.pk}:{reviewer.pk}:{now.isoformat()}",
        )
    return postmortem


@transaction.atomic
def postmortem_review(
    *,
    user,
    postmortem: Postmortem,
    decision: str,
    comment: str = "",
    acknowledge_warnings: bool = False,
) -> PostmortemReview:
    """A reviewer approves or requests changes. Approving means acknowledging every lint warning.

    Requesting changes sends the postmortem back to draft.
    """
    from postmortems.lint import lint_postmortem

    authorize_view(user, postmortem.incident)
    validate_choice(
        decision, [(Decision.APPROVED, ""), (Decision.CHANGES_REQUESTED, "")], "decision"
    )
    comment = validate_text(comment, "comment", max_length=10_000)
    postmortem = Postmortem.objects.select_for_update().get(pk=postmortem.pk)
    if postmortem.status != PostmortemStatus.IN_REVIEW:
        raise ValidationFailed("This postmortem is not waiting for review.")
    review = PostmortemReview.objects.filter(
        postmortem=postmortem, reviewer=user, active=True
    ).first()
    if review is None:
        raise PermissionDenied("Only the reviewers asked for this postmortem can review it.")
    warnings = lint_postmortem(postmortem)
    if decision == Decision.APPROVED and warnings and acknowledge_warnings is not True:
        raise ValidationFailed(
            f"There are {len(warnings)} writing warning(s). Read them and acknowledge them to approve.",
            field_errors={"acknowledge_warnings": [w.message for w in warnings]},
            code="warnings_not_acknowledged",
        )
    if decision == Decision.CHANGES_REQUESTED and not comment:
        raise ValidationFailed(
            "Say what should change.",
            field_errors={"comment": ["Required when requesting changes."]},
        )
    review.decision = decision
    review.decided_at = timezone.now()
    review.decided_version = postmortem.version
    review.comment = comment
    review.acknowledged_warnings = (
        [w.as_dict() for w in warnings] if decision == Decision.APPROVED else []
    )
    review.save()
    if decision == Decision.CHANGES_REQUESTED:
        postmortem.status = PostmortemStatus.DRAFT
        postmortem.save(update_fields=["status", "updated_at"])
    if postmortem.owner is not None:
        verb = "approved" if decision == Decision.APPROVED else "requested changes to"
        notification_send(
            recipient=postmortem.owner,
            subject=f"{display_name(user)} {verb} the postmortem of {postmortem.incident.reference}",
            body=comment,
            url=f"/postmortems/{postmortem.pk}/",
            key=f"postmortem-decision:{review.pk}:{review.decided_at.isoformat()}",
        )
    return review


@transaction.atomic
def postmortem_publish(
    *, user, postmortem: Postmortem, visibility: str | None = None
) -> Postmortem:
    """Publish an approved postmortem: generated blocks are frozen as a snapshot.

    Preconditions: in review, every active reviewer approved the current version; the user is the
    owner, the incident commander or an admin.
    """
    authorize_edit(user, postmortem.incident)
    postmortem = (
        Postmortem.objects.select_for_update().select_related("incident").get(pk=postmortem.pk)
    )
    if not _can_manage(user, postmortem):
        raise PermissionDenied(
            "Only the postmortem's owner, the incident commander or an admin can publish it."
        )
    if postmortem.status != PostmortemStatus.IN_REVIEW:
        raise ValidationFailed(
            "Send the postmortem for review and get it approved before publishing."
        )
    reviews = list(
        PostmortemReview.objects.filter(postmortem=postmortem, active=True).select_related(
            "reviewer"
        )
    )
    waiting = [display_name(r.reviewer) for r in reviews if r.decision != Decision.APPROVED]
    if not reviews or waiting:
        raise ValidationFailed(f"Waiting for approval from: {', '.join(waiting) or 'a reviewer'}.")
    if visibility is not None:
        postmortem.visibility = validate_choice(visibility, Visibility.choices, "visibility")
    now = timezone.now()
    postmortem.snapshot = {
        "values": placeholder_values(postmortem.incident),
        "frozen_at": now.isoformat(),
    }
    postmortem.status = PostmortemStatus.PUBLISHED
    postmortem.published_at = now
    postmortem.published_by = user
    postmortem.save()
    _record_revision(
        postmortem, RevisionKind.PUBLISHED, user=user, version=postmortem.version, note="Published"
    )
    search_index_postmortem(postmortem)
    return postmortem


@transaction.atomic
def postmortem_set_owner(
    *, user, postmortem: Postmortem, owner, due_date: Any = None
) -> Postmortem:
    """Hand the postmortem to someone else and/or move its due date."""
    authorize_edit(user, postmortem.incident)
    if not _can_manage(user, postmortem):
        raise PermissionDenied(
            "Only the owner, the incident commander or an admin can reassign the postmortem."
        )
    if owner is None or not owner.is_active:
        raise ValidationFailed(
            "Choose an active person as owner.", field_errors={"owner": ["Unknown person."]}
        )
    postmortem.owner = owner
    if due_date is not None:
        postmortem.due_date = validate_date(due_date, "due_date")
    Postmortem.objects.filter(pk=postmortem.pk).update(owner=owner, due_date=postmortem.due_date)
    if owner.pk != user.pk:
        _notify_owner(postmortem, owner)
    return postmortem
