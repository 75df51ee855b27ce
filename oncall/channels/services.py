"""Writes for a person's own contact methods: add, remove, move up in the failover order."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

from config.errors import NotFound, ValidationFailed
from oncall.channels.common import forget_contact_methods
from oncall.channels.models import ContactMethod


def contact_method_add(*, user, kind: str, address: str) -> ContactMethod:
    """Add a way to reach ``user``, last in their failover order. One per kind: a second of the
    same kind is a ValidationFailed naming ``kind``; a malformed address names ``address``."""
    forget_contact_methods(user)
    if kind not in ContactMethod.Kind.values:
        raise ValidationFailed("Choose a channel.", field_errors={"kind": ["Choose a channel."]})
    method = ContactMethod(user=user, kind=kind, address=(address or "").strip())
    try:
        method.full_clean(exclude=["user", "position"], validate_constraints=False)
    except ValidationError as exc:
        first = next(iter(exc.message_dict.values()))[0]
        raise ValidationFailed(first, field_errors=exc.message_dict) from None
    with transaction.atomic():
        top = ContactMethod.objects.filter(user=user).aggregate(top=Max("position"))["top"]
        method.position = 0 if top is None else top + 1
        try:
            with transaction.atomic():
                method.save()
        except IntegrityError:
            message = f"You already have {method.get_kind_display()}; remove it first to change it."
            raise ValidationFailed(message, field_errors={"kind": [message]}) from None
    return method


def contact_method_remove(*, user, method_id: int) -> None:
    forget_contact_methods(user)
    deleted, _ = ContactMethod.objects.filter(user=user, pk=method_id).delete()
    if not deleted:
        raise NotFound("That contact method does not exist.")


@transaction.atomic
def contact_method_move_up(*, user, method_id: int) -> None:
    """Try this method one place earlier (swap with the one before it)."""
    forget_contact_methods(user)
    methods = list(ContactMethod.objects.select_for_update().filter(user=user))
    index = next((i for i, m in enumerate(methods) if m.pk == method_id), None)
    if index is None:
        raise NotFound("That contact method does not exist.")
    if index == 0:
        return
    methods[index - 1], methods[index] = methods[index], methods[index - 1]
    for position, method in enumerate(methods):
        if method.position != position:
            ContactMethod.objects.filter(pk=method.pk).update(position=position)
