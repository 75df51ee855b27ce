"""Action items: created from a postmortem, an incident or the API, and tracked until done."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone

from config.errors import ValidationFailed
from incidents.models import Incident
from oncall.access import is_admin
from oncall.people.services import notification_send
from postmortems.blocks import incident_tz
from postmortems.models import ActionItem, Postmortem
from postmortems.search.indexer import search_index_action_item
from postmortems.services._common import (
    authorize_edit,
    display_name,
    validate_choice,
    validate_date,
    validate_text,
)

Status = ActionItem.ItemStatus
Priority = ActionItem.Priority
# METRICS.md, action item SLO: due by default this many days after creation.
DUE_DAYS = {Priority.HIGH: 28, Priority.MEDIUM: 56, Priority.LOW: 90}
URL_MAX = 500


def default_due_date(priority: str, *, created: date) -> date:
    return created + timedelta(days=DUE_DAYS[priority])


def _validate_tracker_url(value: Any) -> str:
    url = validate_text(value, "tracker_url", max_length=URL_MAX)
    if not url:
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or " " in url:
        raise ValidationFailed(
            "tracker_url must be an http(s) link to the issue, e.g. https://example.atlassian.net/browse/OPS-12.",
            field_errors={"tracker_url": ["An http(s) link."]},
        )
    return url


def _validate_owner(owner, incident: Incident):
    if owner is None:
        return None
    if not owner.is_active:
        raise ValidationFailed(
            f"{display_name(owner)} is deactivated.", field_errors={"owner": ["Deactivated."]}
        )
    if (
        incident.private
        and not is_admin(owner)
        and not incident.members.filter(pk=owner.pk).exists()
    ):
        raise ValidationFailed(
            f"{display_name(owner)} is not a member of this private incident and could not see the item.",
            field_errors={"owner": ["Not a member of the private incident."]},
        )
    return owner


def _notify_owner(item: ActionItem, user) -> None:
    if item.owner is None or item.owner_id == getattr(user, "pk", None):
        return
    notification_send(
        recipient=item.owner,
        subject=f"Action item for you: {item.title}",
        body=f"{display_name(user)} gave you an action item from {item.incident.reference}, due {item.due_date:%Y-%m-%d}.",
        url=f"/action-items/{item.pk}/",
        key=f"action-item-owner:{item.pk}:{item.owner_id}",
        urgency="low",
    )


@transaction.atomic
def action_item_create(
    *,
    user,
    title: Any,
    incident: Incident | None = None,
    postmortem: Postmortem | None = None,
    description: Any = "",
    item_type: Any = ActionItem.ItemType.PREVENT,
    priority: Any = Priority.MEDIUM,
    owner=None,
    due_date: Any = None,
    tracker_url: Any = "",
) -> ActionItem:
    """Create an action item on an incident (and its postmortem, if it has one).

    ``due_date`` defaults from the priority (METRICS.md: 28 / 56 / 90 days after creation).
    """
    if postmortem is not None:
        if incident is not None and incident.pk != postmortem.incident_id:
            raise ValidationFailed(
                "The postmortem belongs to another incident.",
                field_errors={"postmortem": ["Other incident."]},
            )
        incident = postmortem.incident
    if incident is None:
        raise ValidationFailed(
            "An action item belongs to an incident.", field_errors={"incident": ["Required."]}
        )
    authorize_edit(user, incident)
    if postmortem is None:
        postmortem = Postmortem.objects.filter(incident=incident).first()
    title = validate_text(title, "title", required=True, max_length=200)
    description = validate_text(description, "description", max_length=20_000)
    validate_choice(item_type, ActionItem.ItemType.choices, "type")
    validate_choice(priority, Priority.choices, "priority")
    owner = _validate_owner(owner, incident)
    created = timezone.now().astimezone(incident_tz(incident)).date()
    due = validate_date(due_date, "due_date") or default_due_date(priority, created=created)
    item = ActionItem.objects.create(
        incident=incident,
        postmortem=postmortem,
        title=title,
        description=description,
        item_type=item_type,
        priority=priority,
        owner=owner,
        due_date=due,
        tracker_url=_validate_tracker_url(tracker_url),
        created_by=user,
    )
    _notify_owner(item, user)
    search_index_action_item(item)
    return item


EDITABLE = {
    "title",
    "description",
    "item_type",
    "priority",
    "owner",
    "due_date",
    "tracker_url",
    "status",
    "wont_do_reason",
}


@transaction.atomic
def action_item_update(*, user, item: ActionItem, changes: dict[str, Any]) -> ActionItem:
    """Change an item. ``status=wont_do`` needs a ``wont_do_reason``; ``done`` stamps ``completed_at``."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ValidationFailed(f"These fields cannot be changed: {', '.join(sorted(unknown))}.")
    item = ActionItem.objects.select_for_update().select_related("incident").get(pk=item.pk)
    authorize_edit(user, item.incident)
    previous_owner = item.owner_id
    if "title" in changes:
        item.title = validate_text(changes["title"], "title", required=True, max_length=200)
    if "description" in changes:
        item.description = validate_text(changes["description"], "description", max_length=20_000)
    if "item_type" in changes:
        item.item_type = validate_choice(changes["item_type"], ActionItem.ItemType.choices, "type")
    if "priority" in changes:
        item.priority = validate_choice(changes["priority"], Priority.choices, "priority")
    if "owner" in changes:
        item.owner = _validate_owner(changes["owner"], item.incident)
    if "due_date" in changes:
        due = validate_date(changes["due_date"], "due_date")
        if due is None:
            raise ValidationFailed(
                "An action item always has a due date.", field_errors={"due_date": ["Required."]}
            )
        item.due_date = due
    if "tracker_url" in changes:
        item.tracker_url = _validate_tracker_url(changes["tracker_url"])
    if "wont_do_reason" in changes:
        item.wont_do_reason = validate_text(
            changes["wont_do_reason"], "wont_do_reason", max_length=2_000
        )
    if "status" in changes:
        new_status = validate_choice(changes["status"], Status.choices, "status")
        if new_status == Status.DONE and item.status != Status.DONE:
            item.completed_at = timezone.now()
        elif new_status != Status.DONE:
            item.completed_at = None
        if new_status != Status.WONT_DO and "wont_do_reason" not in changes:
            item.wont_do_reason = ""
        item.status = new_status
    if item.status == Status.WONT_DO and not item.wont_do_reason:
        raise ValidationFailed(
            "Say why this won't be done.",
            field_errors={"wont_do_reason": ["Required for won't do."]},
        )
    item.save()
    if item.owner_id and item.owner_id != previous_owner:
        _notify_owner(item, user)
    search_index_action_item(item)
    return item


def action_item_complete(*, user, item: ActionItem) -> ActionItem:
    return action_item_update(user=user, item=item, changes={"status": Status.DONE})
