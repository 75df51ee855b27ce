"""Reads for postmortems and action items. Visibility follows the incident, for every caller."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Lower, Trim
from django.utils import timezone

from config.errors import NotFound, ValidationFailed
from incidents.selectors import incident_visible_queryset
from postmortems.models import (
    ActionItem,
    Meeting,
    Postmortem,
    PostmortemReview,
    PostmortemRevision,
    PostmortemTemplate,
)


def postmortem_visible_queryset(user) -> QuerySet[Postmortem]:
    """Postmortems of incidents the user can see: private ones only for members and admins."""
    return Postmortem.objects.filter(incident__in=incident_visible_queryset(user))


def postmortem_get(*, user, pk) -> Postmortem:
    try:
        return (
            postmortem_visible_queryset(user)
            .select_related("incident", "owner", "template")
            .get(pk=pk)
        )
    except (Postmortem.DoesNotExist, ValueError, TypeError):
        raise NotFound("No such postmortem.") from None


def postmortem_for_incident(*, user, incident) -> Postmortem | None:
    return postmortem_visible_queryset(user).filter(incident=incident).first()


def postmortem_list(
    *,
    user,
    status: str | None = None,
    owner=None,
    required: bool | None = None,
    query: str | None = None,
) -> QuerySet[Postmortem]:
    qs = postmortem_visible_queryset(user).select_related("incident", "owner")
    if status:
        qs = qs.filter(status=status)
    if owner is not None:
        qs = qs.filter(owner=owner)
    if required is not None:
        qs = qs.filter(required=required)
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(sections__body__icontains=query)).distinct()
    return qs.order_by("-created_at", "-id")


def active_reviews(postmortem: Postmortem) -> QuerySet[PostmortemReview]:
    return PostmortemReview.objects.filter(postmortem=postmortem, active=True).select_related(
        "reviewer"
    )


def template_list() -> QuerySet[PostmortemTemplate]:
    return PostmortemTemplate.objects.prefetch_related("sections").order_by("-built_in", "name")


def template_get(*, slug: str | None = None, pk=None) -> PostmortemTemplate:
    try:
        if slug is not None:
            return template_list().get(slug=slug)
        return template_list().get(pk=pk)
    except (PostmortemTemplate.DoesNotExist, ValueError, TypeError):
        raise NotFound("No such postmortem template.") from None


# --- revisions -----------------------------------------------------------------------------------------


# Revisions that carry a version's text (the others are workflow steps or refused edits).
TEXT_KINDS = ("created", "save", "amended")


def revision_list(postmortem: Postmortem) -> QuerySet[PostmortemRevision]:
    return (
        PostmortemRevision.objects.filter(postmortem=postmortem)
        .select_related("author")
        .order_by("-id")
    )


@dataclass
class SectionDiff:
    key: str
    title: str
    lines: list[str]  # unified diff lines ("+", "-", " ", "@@")


def _accepted_revision(postmortem: Postmortem, version: int) -> PostmortemRevision:
    revision = PostmortemRevision.objects.filter(
        postmortem=postmortem, version=version, kind__in=TEXT_KINDS
    ).first()
    if revision is None:
        raise NotFound(f"Version {version} does not exist.")
    return revision


def version_bodies(postmortem: Postmortem, version) -> dict[str, str] | None:
    """``{section key: body}`` as they were at ``version``, or None if there is no such version."""
    revision = PostmortemRevision.objects.filter(
        postmortem=postmortem, version=version, kind__in=TEXT_KINDS
    ).first()
    if revision is None:
        return None
    return {s["key"]: s.get("body", "") for s in revision.sections}


def revision_get(postmortem: Postmortem, pk) -> PostmortemRevision:
    try:
        return PostmortemRevision.objects.select_related("author").get(postmortem=postmortem, pk=pk)
    except (PostmortemRevision.DoesNotExist, ValueError, TypeError):
        raise NotFound("No such revision.") from None


def revision_diff(old: PostmortemRevision, new: PostmortemRevision) -> list[SectionDiff]:
    """Per-section unified diffs from ``old`` to ``new`` (sections that did not change are left out)."""
    old_sections = {s["key"]: s for s in old.sections}
    diffs = []
    keys = [s["key"] for s in new.sections] + [
        k for k in old_sections if k not in {s["key"] for s in new.sections}
    ]
    new_sections = {s["key"]: s for s in new.sections}
    for key in keys:
        before = old_sections.get(key, {}).get("body", "")
        after = new_sections.get(key, {}).get("body", "")
        if before == after:
            continue
        lines = list(
            difflib.unified_diff(
                before.splitlines(),
                after.splitlines(),
                f"v{old.version}",
                f"v{new.version}",
                lineterm="",
                n=2,
            )
        )[2:]
        title = (new_sections.get(key) or old_sections.get(key) or {}).get("title", key)
        diffs.append(SectionDiff(key, title, lines))
    if old.title != new.title:
        diffs.insert(0, SectionDiff("title", "Title", [f"-{old.title}", f"+{new.title}"]))
    return diffs


def version_diff(postmortem: Postmortem, *, old_version, new_version) -> list[SectionDiff]:
    try:
        old_version, new_version = int(old_version), int(new_version)
    except (TypeError, ValueError):
        raise ValidationFailed("from and to must be version numbers.") from None
    return revision_diff(
        _accepted_revision(postmortem, old_version), _accepted_revision(postmortem, new_version)
    )


# --- action items --------------------------------------------------------------------------------------

ACTION_ITEM_VIEWS = ("all", "mine", "team", "overdue")


def action_item_visible_queryset(user) -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(incident__in=incident_visible_queryset(user))


def action_item_get(*, user, pk) -> ActionItem:
    try:
        return (
            action_item_visible_queryset(user)
            .select_related("incident", "owner", "postmortem")
            .get(pk=pk)
        )
    except (ActionItem.DoesNotExist, ValueError, TypeError):
        raise NotFound("No such action item.") from None


def action_item_list(
    *,
    user,
    view: str = "all",
    postmortem=None,
    incident=None,
    status: str | None = None,
    owner=None,
) -> QuerySet[ActionItem]:
    """``view``: all, mine (I own), team (owned by people in my teams), overdue (open and past due)."""
    if view not in ACTION_ITEM_VIEWS:
        raise ValidationFailed(
            f"view must be one of {', '.join(ACTION_ITEM_VIEWS)}.",
            field_errors={"view": ["Unknown view."]},
        )
    qs = action_item_visible_queryset(user).select_related("incident", "owner", "postmortem")
    if view == "mine":
        qs = qs.filter(owner=user)
    elif view == "team":
        qs = qs.filter(owner__teams__in=user.teams.all()).distinct()
    elif view == "overdue":
        qs = qs.filter(status__in=ActionItem.OPEN_STATUSES, due_date__lt=timezone.localdate())
    if postmortem is not None:
        qs = qs.filter(postmortem=postmortem)
    if incident is not None:
        qs = qs.filter(incident=incident)
    if status:
        qs = qs.filter(status=status)
    if owner is not None:
        qs = qs.filter(owner=owner)
    return qs.order_by("due_date", "id")


def _title_key():
    return Lower(Trim("title"))


def action_item_repeats(items: QuerySet[ActionItem]) -> QuerySet:
    """Action items repeated across postmortems: titles (trimmed, lower-cased) found among
    ``items`` in more than one postmortem, as values ``key`` and ``postmortems`` (how many),
    most postmortems first, then by title.

    The caller scopes ``items``: the quarterly pack to its period and filters, the knowledge base
    to what the viewer may see (``repeated_action_item_groups``).
    """
    # Here, not at the top: postmortems.reports imports this module.
    from postmortems.reports.metrics import BytewiseOrder

    return (
        items.filter(postmortem__isnull=False)
        # Bytewise: grouping is the same, PostgreSQL sorts it faster, and the order of equal
        # counts is the same as on SQLite.
        .annotate(key=BytewiseOrder(_title_key()))
        .order_by()
        .values("key")
        .annotate(postmortems=Count("postmortem", distinct=True))
        .filter(postmortems__gt=1)
        .order_by("-postmortems", "key")
    )


@dataclass
class RepeatedActionItem:
    title: str  # trimmed and lower-cased: what the items have in common
    postmortems: int
    items: list[ActionItem]

    @property
    def open(self) -> int:
        return sum(1 for item in self.items if item.is_open)


def repeated_action_item_list(*, user) -> QuerySet:
    """The repeats among the action items ``user`` may see: a private incident's items are
    neither listed nor counted for anyone but its members (and admins)."""
    return action_item_repeats(action_item_visible_queryset(user))


def repeated_action_item_groups(*, user, repeats) -> list[RepeatedActionItem]:
    """``repeats`` (rows of ``repeated_action_item_list``, e.g. one page) with their items, oldest
    first, each with its postmortem and incident (one query for all of them)."""
    repeats = list(repeats)
    by_key: dict[str, list[ActionItem]] = {row["key"]: [] for row in repeats}
    found = (
        action_item_visible_queryset(user)
        .filter(postmortem__isnull=False)
        .annotate(key=_title_key())
        .filter(key__in=list(by_key))
        .select_related("postmortem", "incident", "owner")
        .order_by("created_at", "pk")
    )
    for action_item in found:
        by_key[action_item.key].append(action_item)
    return [
        RepeatedActionItem(
            title=row["key"], postmortems=row["postmortems"], items=by_key[row["key"]]
        )
        for row in repeats
    ]


def open_item_count(owner) -> int:
    return ActionItem.objects.filter(owner=owner, status__in=ActionItem.OPEN_STATUSES).count()


def owner_overload_warning(owner) -> str:
    """The warning shown when one person owns more than FIREBREAK_ACTION_ITEM_OWNER_LIMIT open items."""
    if owner is None:
        return ""
    limit = settings.FIREBREAK_ACTION_ITEM_OWNER_LIMIT
    count = open_item_count(owner)
    if count <= limit:
        return ""
    name = getattr(owner, "display_name", None) or owner.get_username()
    return (
        f"{name} owns {count} open action items (more than {limit}); consider spreading the work."
    )


def overloaded_owners(*, user) -> list[tuple[object, int]]:
    """People (visible to ``user`` through items) who own more open items than the limit."""
    from django.contrib.auth import get_user_model

    limit = settings.FIREBREAK_ACTION_ITEM_OWNER_LIMIT
    counts = (
        ActionItem.objects.filter(status__in=ActionItem.OPEN_STATUSES, owner__isnull=False)
        .values("owner")
        .annotate(n=Count("id"))
        .filter(n__gt=limit)
    )
    by_id = {row["owner"]: row["n"] for row in counts}
    users = get_user_model().objects.filter(pk__in=by_id).order_by("username")
    return [(u, by_id[u.pk]) for u in users]


# --- meetings ------------------------------------------------------------------------------------------


def meeting_list(postmortem: Postmortem) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(postmortem=postmortem)
        .select_related("facilitator")
        .prefetch_related("attendees")
    )


def meeting_get(postmortem: Postmortem, pk) -> Meeting:
    try:
        return meeting_list(postmortem).get(pk=pk)
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise NotFound("No such meeting.") from None
