"""ICS roles: assignment, handoff (announced on the timeline) and release."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from config.errors import PermissionDenied, ValidationFailed
from incidents import signals
from incidents.models import MULTI_HOLDER_ROLES, Incident, Role, RoleAssignment
from incidents.services._common import (
    EventKind,
    authorize_write,
    current_commander,
    display_name,
    lock_incident,
    record_event,
    send_on_commit,
    validate_choice,
)
from oncall.access import can_respond, is_admin
from oncall.people.services import notification_send


@transaction.atomic
def role_assign(*, incident: Incident, user, role: str, assignee) -> RoleAssignment:
    """Give ``role`` to ``assignee``.

    The incident commander (or an admin) assigns any role and hands off command; any responder may
    take a vacant role other than IC for themselves. A single-holder role that is already held is
    handed off: the old holder's assignment ends at the same instant the new one begins.
    """
    validate_choice(role, Role.choices, "role")
    incident = lock_incident(incident)
    authorize_write(user, incident)
    if assignee is None or not assignee.is_active:
        raise ValidationFailed(
            "That person does not exist or is deactivated.",
            field_errors={"user": ["Unknown user."]},
        )
    if not can_respond(assignee):
        raise ValidationFailed(
            f"{display_name(assignee)} is not a responder and cannot hold an incident role.",
            field_errors={"user": ["Not a responder."]},
        )
    commander = current_commander(incident)
    acting_as_commander = is_admin(user) or (commander is not None and commander.pk == user.pk)
    current = list(
        RoleAssignment.objects.filter(
            incident=incident, role=role, ended_at__isnull=True
        ).select_related("user")
    )
    if any(a.user_id == assignee.pk for a in current):
        raise ValidationFailed(
            f"{display_name(assignee)} already holds the {Role(role).label.lower()} role."
        )
    multi = role in MULTI_HOLDER_ROLES
    taking_vacant_for_self = (
        assignee.pk == user.pk and role != Role.INCIDENT_COMMANDER and (multi or not current)
    )
    if not (acting_as_commander or taking_vacant_for_self):
        if role == Role.INCIDENT_COMMANDER:
            raise PermissionDenied(
                "Only the current incident commander (or an admin) can hand off command."
            )
        raise PermissionDenied(
            "Only the incident commander can assign roles to others; you can take a vacant role yourself."
        )

    now = timezone.now()
    previous = None
    if current and not multi:
        previous = current[0]
        previous.ended_at = now
        previous.ended_by = user
        previous.save(update_fields=["ended_at", "ended_by"])
    assignment = RoleAssignment.objects.create(
        incident=incident, role=role, user=assignee, assigned_at=now, assigned_by=user
    )
    incident.members.add(assignee)
    label = Role(role).label
    if previous is not None:
        record_event(
            incident,
            EventKind.ROLE_HANDED_OFF,
            actor=user,
            body=f"{label} handed off from {display_name(previous.user)} to {display_name(assignee)}.",
            data={
                "role": role,
                "from": previous.user.get_username(),
                "to": assignee.get_username(),
            },
        )
    else:
        record_event(
            incident,
            EventKind.ROLE_ASSIGNED,
            actor=user,
            body=f"{display_name(assignee)} is now {label.lower()}.",
            data={"role": role, "to": assignee.get_username()},
        )
    if role == Role.INCIDENT_COMMANDER and incident.acknowledged_at is None:
        incident.acknowledged_at = now
        incident.save(update_fields=["acknowledged_at", "updated_at"])
    if assignee.pk != user.pk:
        notification_send(
            recipient=assignee,
            subject=f"{incident.reference}: you are now {label.lower()}",
            body=f'{display_name(user)} made you {label.lower()} on {incident.reference} "{incident.title}".',
            url=f"/incidents/{incident.number}/",
            key=f"role:{assignment.pk}",
        )
    send_on_commit(
        signals.role_assigned,
        incident_id=incident.pk,
        role=role,
        user_id=assignee.pk,
        previous_user_id=previous.user_id if previous else None,
    )
    return assignment


@transaction.atomic
def role_release(*, incident: Incident, user, role: str, assignee) -> RoleAssignment:
    """End someone's hold on a role. Command cannot be released, only handed off."""
    validate_choice(role, Role.choices, "role")
    if role == Role.INCIDENT_COMMANDER:
        raise ValidationFailed(
            "There is always exactly one incident commander: hand off command instead."
        )
    incident = lock_incident(incident)
    authorize_write(user, incident)
    assignment = RoleAssignment.objects.filter(
        incident=incident, role=role, user=assignee, ended_at__isnull=True
    ).first()
    if assignment is None:
        raise ValidationFailed(
            f"{display_name(assignee)} does not hold the {Role(role).label.lower()} role."
        )
    commander = current_commander(incident)
    if not (is_admin(user) or user.pk == assignee.pk or (commander and commander.pk == user.pk)):
        raise PermissionDenied("Only the incident commander or the holder can release a role.")
    assignment.ended_at = timezone.now()
    assignment.ended_by = user
    assignment.save(update_fields=["ended_at", "ended_by"])
    record_event(
        incident,
        EventKind.ROLE_RELEASED,
        actor=user,
        body=f"{display_name(assignee)} is no longer {Role(role).label.lower()}"
        + ("." if role in MULTI_HOLDER_ROLES else "; the incident commander holds it again."),
        data={"role": role, "from": assignee.get_username()},
    )
    return assignment
