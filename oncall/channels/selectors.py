"""Reads for contact methods: a person's, in failover order, with whether each channel is on."""

from __future__ import annotations

from oncall.channels.models import ContactMethod
from oncall.people import notify


def contact_methods_for(user) -> list[ContactMethod]:
    """The person's contact methods, first tried first; each has ``.enabled`` (the channel is set
    up on this server)."""
    methods = list(ContactMethod.objects.filter(user=user))
    for method in methods:
        transport = notify.get(method.kind)
        method.enabled = transport is not None and transport.is_configured()
    return methods


def channel_kinds() -> list[tuple[str, str, bool]]:
    """``(kind, label, set up on this server)`` for every channel a person can add."""
    rows = []
    for kind, label in ContactMethod.Kind.choices:
        transport = notify.get(kind)
        rows.append((kind, label, transport is not None and transport.is_configured()))
    return rows
