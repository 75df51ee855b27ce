"""ICS roles (role_assign, role_release, selectors.effective_roles)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction

from config.errors import PermissionDenied, ValidationFailed
from incidents import services
from incidents.models import Role, RoleAssignment
from incidents.selectors import effective_roles, role_history
from oncall.models import Notification
from tests.factories import UserFactory, declare

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
IC = Role.INCIDENT_COMMANDER


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(T0, tick=False)
    return time_machine


@pytest.fixture
def incident(responder, clock):
    return declare(responder)


def active(incident, role):
    return list(
        RoleAssignment.objects.filter(
            incident=incident, role=role, ended_at__isnull=True
        ).values_list("user__username", flat=True)
    )


def effective(incident):
    return {
        r.role: ([u.username for u in r.holders], r.delegated) for r in effective_roles(incident)
    }


# --- one incident commander, enforced by the database --------------------------------------------


def test_the_database_refuses_a_second_active_incident_commander(incident, other_responder):
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(
            incident=incident, role=IC, user=other_responder, assigned_at=T0
        )

    assert active(incident, IC) == ["rita"]


def test_the_database_refuses_a_second_holder_of_any_single_holder_role(
    incident, responder, other_responder
):
    RoleAssignment.objects.create(
        incident=incident, role=Role.SCRIBE, user=responder, assigned_at=T0
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(
            incident=incident, role=Role.SCRIBE, user=other_responder, assigned_at=T0
        )


def test_the_database_allows_a_new_commander_once_the_old_assignment_ended(
    incident, other_responder
):
    RoleAssignment.objects.filter(incident=incident, role=IC).update(ended_at=T0)

    RoleAssignment.objects.create(incident=incident, role=IC, user=other_responder, assigned_at=T0)

    assert active(incident, IC) == ["omar"]


# --- handing off command ---------------------------------------------------------------------------


def test_handoff_ends_the_old_command_at_the_instant_the_new_one_begins(
    incident, responder, other_responder, clock
):
    clock.move_to(T0 + timedelta(minutes=45), tick=False)

    new = services.role_assign(incident=incident, user=responder, role=IC, assignee=other_responder)

    old = RoleAssignment.objects.get(incident=incident, role=IC, user=responder)
    assert old.ended_at == new.assigned_at == T0 + timedelta(minutes=45)
    assert old.ended_by == responder
    assert active(incident, IC) == ["omar"]


def test_handoff_writes_one_event_naming_both_commanders(incident, responder, other_responder):
    before = incident.timeline.count()

    services.role_assign(incident=incident, user=responder, role=IC, assignee=other_responder)

    assert incident.timeline.count() == before + 1
    event = incident.timeline.get(kind="role_handed_off")
    assert event.data == {"role": IC, "from": "rita", "to": "omar"}
    assert "Rita" in event.body and "Omar" in event.body


def test_handoff_keeps_the_first_acknowledgement(incident, responder, other_responder, clock):
    clock.move_to(T0 + timedelta(hours=1), tick=False)

    services.role_assign(incident=incident, user=responder, role=IC, assignee=other_responder)

    incident.refresh_from_db()
    assert incident.acknowledged_at == T0


def test_an_admin_can_hand_off_command_without_holding_it(incident, admin_user, other_responder):
    services.role_assign(incident=incident, user=admin_user, role=IC, assignee=other_responder)

    assert active(incident, IC) == ["omar"]


def test_a_responder_who_is_not_commander_cannot_take_command(incident, other_responder):
    with pytest.raises(PermissionDenied, match="hand off command"):
        services.role_assign(
            incident=incident, user=other_responder, role=IC, assignee=other_responder
        )

    assert active(incident, IC) == ["rita"]
    assert not incident.timeline.filter(kind="role_handed_off").exists()


def test_command_cannot_be_released_only_handed_off(incident, responder):
    with pytest.raises(ValidationFailed, match="hand off command"):
        services.role_release(incident=incident, user=responder, role=IC, assignee=responder)

    assert active(incident, IC) == ["rita"]


# --- other roles ---------------------------------------------------------------------------------


def test_a_responder_can_take_a_vacant_role_for_themselves(incident, other_responder):
    services.role_assign(
        incident=incident, user=other_responder, role=Role.SCRIBE, assignee=other_responder
    )

    assert active(incident, Role.SCRIBE) == ["omar"]
    assert incident.members.filter(pk=other_responder.pk).exists()


def test_a_responder_cannot_take_a_role_someone_else_holds(
    incident, responder, other_responder, outsider
):
    services.role_assign(incident=incident, user=responder, role=Role.SCRIBE, assignee=outsider)

    with pytest.raises(PermissionDenied):
        services.role_assign(
            incident=incident, user=other_responder, role=Role.SCRIBE, assignee=other_responder
        )
    assert active(incident, Role.SCRIBE) == ["oscar"]


def test_a_responder_who_is_not_commander_cannot_assign_roles_to_others(
    incident, other_responder, outsider
):
    with pytest.raises(PermissionDenied):
        services.role_assign(
            incident=incident, user=other_responder, role=Role.OPERATIONS_LEAD, assignee=outsider
        )

    assert active(incident, Role.OPERATIONS_LEAD) == []


def test_the_commander_reassigning_a_held_role_hands_it_off(
    incident, responder, other_responder, outsider
):
    services.role_assign(
        incident=incident, user=responder, role=Role.OPERATIONS_LEAD, assignee=outsider
    )

    services.role_assign(
        incident=incident, user=responder, role=Role.OPERATIONS_LEAD, assignee=other_responder
    )

    assert active(incident, Role.OPERATIONS_LEAD) == ["omar"]
    event = incident.timeline.get(kind="role_handed_off")
    assert (event.data["from"], event.data["to"]) == ("oscar", "omar")


def test_several_subject_matter_experts_at_once(incident, responder, other_responder, outsider):
    sme = Role.SUBJECT_MATTER_EXPERT
    services.role_assign(incident=incident, user=responder, role=sme, assignee=other_responder)
    services.role_assign(incident=incident, user=outsider, role=sme, assignee=outsider)

    assert sorted(active(incident, sme)) == ["omar", "oscar"]
    assert not incident.timeline.filter(kind="role_handed_off").exists()


def test_the_same_person_cannot_hold_a_role_twice(incident, responder, other_responder):
    sme = Role.SUBJECT_MATTER_EXPERT
    services.role_assign(incident=incident, user=responder, role=sme, assignee=other_responder)

    with pytest.raises(ValidationFailed, match="already holds"):
        services.role_assign(incident=incident, user=responder, role=sme, assignee=other_responder)


def test_a_viewer_cannot_hold_a_role(incident, responder, viewer):
    with pytest.raises(ValidationFailed) as error:
        services.role_assign(incident=incident, user=responder, role=Role.SCRIBE, assignee=viewer)

    assert "user" in error.value.field_errors


def test_a_deactivated_person_cannot_hold_a_role(incident, responder):
    gone = UserFactory(username="gone", is_active=False)

    with pytest.raises(ValidationFailed):
        services.role_assign(incident=incident, user=responder, role=Role.SCRIBE, assignee=gone)


def test_unknown_role_is_rejected(incident, responder, other_responder):
    with pytest.raises(ValidationFailed) as error:
        services.role_assign(
            incident=incident, user=responder, role="chief_of_fun", assignee=other_responder
        )

    assert "role" in error.value.field_errors


def test_a_holder_can_release_their_role(incident, other_responder):
    services.role_assign(
        incident=incident, user=other_responder, role=Role.SCRIBE, assignee=other_responder
    )

    services.role_release(
        incident=incident, user=other_responder, role=Role.SCRIBE, assignee=other_responder
    )

    assert active(incident, Role.SCRIBE) == []
    assert incident.timeline.filter(kind="role_released").count() == 1


def test_someone_else_cannot_release_a_holders_role(incident, other_responder, outsider):
    services.role_assign(
        incident=incident, user=other_responder, role=Role.SCRIBE, assignee=other_responder
    )

    with pytest.raises(PermissionDenied):
        services.role_release(
            incident=incident, user=outsider, role=Role.SCRIBE, assignee=other_responder
        )
    assert active(incident, Role.SCRIBE) == ["omar"]


# --- who effectively holds what ------------------------------------------------------------------


def test_the_commander_effectively_holds_every_undelegated_role(incident):
    roles = effective(incident)

    assert roles[IC] == (["rita"], True)
    for role in (Role.SCRIBE, Role.OPERATIONS_LEAD, Role.COMMUNICATIONS_LEAD, Role.DEPUTY):
        assert roles[role] == (["rita"], False)
    assert roles[Role.SUBJECT_MATTER_EXPERT] == ([], False)


def test_a_delegated_role_is_held_by_the_delegate(incident, responder, other_responder):
    services.role_assign(
        incident=incident, user=responder, role=Role.COMMUNICATIONS_LEAD, assignee=other_responder
    )

    roles = effective(incident)
    assert roles[Role.COMMUNICATIONS_LEAD] == (["omar"], True)
    assert roles[Role.SCRIBE] == (["rita"], False)


def test_a_released_role_returns_to_the_commander(incident, responder, other_responder):
    services.role_assign(
        incident=incident, user=responder, role=Role.SCRIBE, assignee=other_responder
    )
    services.role_release(
        incident=incident, user=responder, role=Role.SCRIBE, assignee=other_responder
    )

    assert effective(incident)[Role.SCRIBE] == (["rita"], False)


def test_undelegated_roles_follow_command_on_handoff(incident, responder, other_responder):
    services.role_assign(incident=incident, user=responder, role=IC, assignee=other_responder)

    assert effective(incident)[Role.SCRIBE] == (["omar"], False)


# --- history and notification --------------------------------------------------------------------


def test_full_role_history_is_kept(incident, responder, other_responder, outsider, clock):
    clock.move_to(T0 + timedelta(minutes=5), tick=False)
    services.role_assign(incident=incident, user=responder, role=Role.SCRIBE, assignee=outsider)
    clock.move_to(T0 + timedelta(minutes=10), tick=False)
    services.role_assign(incident=incident, user=responder, role=IC, assignee=other_responder)
    clock.move_to(T0 + timedelta(minutes=15), tick=False)
    services.role_release(incident=incident, user=outsider, role=Role.SCRIBE, assignee=outsider)

    history = [
        (a.role, a.user.username, a.assigned_at - T0, a.ended_at - T0 if a.ended_at else None)
        for a in role_history(incident)
    ]
    minutes = timedelta(minutes=1)
    assert history == [
        (IC, "rita", 0 * minutes, 10 * minutes),
        (Role.SCRIBE, "oscar", 5 * minutes, 15 * minutes),
        (IC, "omar", 10 * minutes, None),
    ]


def test_the_assignee_is_notified(incident, responder, other_responder):
    services.role_assign(
        incident=incident, user=responder, role=Role.OPERATIONS_LEAD, assignee=other_responder
    )

    notification = Notification.objects.get(recipient=other_responder)
    assert "operations lead" in notification.subject
    assert incident.reference in notification.subject
    assert notification.url == f"/incidents/{incident.number}/"


def test_taking_a_role_yourself_sends_no_notification(incident, other_responder):
    services.role_assign(
        incident=incident, user=other_responder, role=Role.SCRIBE, assignee=other_responder
    )

    assert not Notification.objects.filter(recipient=other_responder).exists()


def test_releasing_a_subject_matter_expert_does_not_claim_the_commander_took_over(
    incident, responder, other_responder
):
    sme = Role.SUBJECT_MATTER_EXPERT
    services.role_assign(incident=incident, user=responder, role=sme, assignee=other_responder)

    services.role_release(incident=incident, user=responder, role=sme, assignee=other_responder)

    event = incident.timeline.get(kind="role_released")
    assert "no longer subject-matter expert" in event.body
    assert "incident commander" not in event.body
    assert effective(incident)[sme] == ([], False)


def test_releasing_a_single_holder_role_says_the_commander_holds_it_again(
    incident, responder, other_responder
):
    services.role_assign(
        incident=incident, user=responder, role=Role.SCRIBE, assignee=other_responder
    )

    services.role_release(
        incident=incident, user=responder, role=Role.SCRIBE, assignee=other_responder
    )

    event = incident.timeline.get(kind="role_released")
    assert "the incident commander holds it again" in event.body
