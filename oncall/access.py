"""Who may do what. Groups: admin, responder, viewer (created by a data migration)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

ADMIN = "admin"
RESPONDER = "responder"
VIEWER = "viewer"
GROUPS = (ADMIN, RESPONDER, VIEWER)


def _group_names(user) -> set[str]:
    cached = getattr(user, "_firebreak_groups", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True)) if user.is_authenticated else set()
        user._firebreak_groups = cached
    return cached


def is_admin(user) -> bool:
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return False
    return bool(user.is_superuser or ADMIN in _group_names(user))


def can_respond(user) -> bool:
    """Responders (and admins) declare incidents and write to them; viewers only read."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return is_admin(user) or RESPONDER in _group_names(user)
