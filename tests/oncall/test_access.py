"""Who may do what: admins and responders write, viewers read, anonymous people do neither."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Group

from oncall.access import can_respond, is_admin
from oncall.models import User
from tests.factories import UserFactory


def fresh(user):
    """Reload from the database: the group cache lives on the object."""
    return User.objects.get(pk=user.pk)


def test_a_member_of_the_admin_group_is_admin_and_may_respond(admin_user):
    assert is_admin(admin_user)
    assert can_respond(admin_user)


def test_a_superuser_without_groups_is_admin_and_may_respond(db):
    root = UserFactory(username="root", is_superuser=True)
    root.groups.clear()  # the factory puts everyone in "responder" by default

    assert is_admin(fresh(root))
    assert can_respond(fresh(root))


def test_a_responder_may_respond_but_is_not_admin(responder):
    assert can_respond(responder)
    assert not is_admin(responder)


def test_a_viewer_may_neither_respond_nor_administer(viewer):
    assert not can_respond(viewer)
    assert not is_admin(viewer)


def test_someone_in_no_group_may_not_respond(db):
    nobody = UserFactory(username="nobody")
    nobody.groups.clear()

    assert not can_respond(fresh(nobody))
    assert not is_admin(fresh(nobody))


@pytest.mark.parametrize("anonymous", [AnonymousUser(), None])
def test_anonymous_may_do_nothing(anonymous):
    assert not can_respond(anonymous)
    assert not is_admin(anonymous)


def test_a_deactivated_responder_may_not_respond(responder):
    responder.is_active = False
    responder.save(update_fields=["is_active"])

    assert not can_respond(fresh(responder))


def test_joining_the_responder_group_grants_write_access(viewer):
    viewer.groups.add(Group.objects.get_or_create(name="responder")[0])

    assert can_respond(fresh(viewer))


def test_leaving_the_admin_group_removes_admin_rights(admin_user):
    admin_user.groups.remove(Group.objects.get_or_create(name="admin")[0])

    assert not is_admin(fresh(admin_user))
    assert not can_respond(fresh(admin_user))
