"""Private incidents: visible to their members and admins only (selectors), and writable only by them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from config.errors import NotFound, PermissionDenied
from incidents import services
from incidents.models import Role
from incidents.selectors import incident_get, incident_list, incident_visible_queryset


@pytest.fixture
def both(incident, private_incident):
    """A public and a private incident, both declared by the responder (member of both)."""
    return incident, private_incident


def visible_titles(user):
    return sorted(incident_visible_queryset(user).values_list("title", flat=True))


def test_a_member_sees_the_private_incident(both, responder):
    assert visible_titles(responder) == ["Checkout returns 500s", "Credential leak in build logs"]


def test_an_admin_sees_every_incident_without_being_a_member(both, admin_user):
    assert visible_titles(admin_user) == ["Checkout returns 500s", "Credential leak in build logs"]


def test_an_outsider_sees_only_public_incidents(both, outsider):
    assert visible_titles(outsider) == ["Checkout returns 500s"]


def test_a_viewer_who_is_not_a_member_sees_only_public_incidents(both, viewer):
    assert visible_titles(viewer) == ["Checkout returns 500s"]


@pytest.mark.parametrize("anonymous", [AnonymousUser(), None])
def test_anonymous_sees_nothing(both, anonymous):
    assert visible_titles(anonymous) == []


def test_being_given_a_role_makes_an_outsider_a_member(both, responder, outsider):
    _, private = both

    services.role_assign(incident=private, user=responder, role=Role.SCRIBE, assignee=outsider)

    assert "Credential leak in build logs" in visible_titles(outsider)


def test_an_outsider_gets_not_found_for_a_private_incident(both, outsider):
    _, private = both

    with pytest.raises(NotFound):
        incident_get(user=outsider, number=private.number)
    assert incident_get(user=outsider, number=both[0].number) == both[0]


def test_the_filtered_list_keeps_private_incidents_hidden(both, outsider, responder):
    assert [i.title for i in incident_list(user=outsider, query="leak")] == []
    assert [i.title for i in incident_list(user=responder, query="leak")] == [
        "Credential leak in build logs"
    ]


def test_an_outsider_cannot_write_to_a_private_incident(both, outsider):
    _, private = both

    with pytest.raises(PermissionDenied):
        services.timeline_note_add(incident=private, user=outsider, body="Peeking.")
    with pytest.raises(PermissionDenied):
        services.status_update_post(incident=private, user=outsider, body="Peeking.")
    with pytest.raises(PermissionDenied):
        services.role_assign(incident=private, user=outsider, role=Role.SCRIBE, assignee=outsider)
    assert not private.timeline.filter(actor=outsider).exists()


def test_an_admin_can_write_to_a_private_incident(both, admin_user):
    _, private = both

    services.timeline_note_add(incident=private, user=admin_user, body="Audited.")

    assert private.timeline.filter(actor=admin_user, kind="note").exists()
