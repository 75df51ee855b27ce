"""Teams and services (the things that break)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from config.errors import PermissionDenied, ValidationFailed
from incidents.models import Service, Team
from oncall.access import can_respond


def _clean_or_raise(obj) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        errors = exc.message_dict
        raise ValidationFailed(
            "; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()), field_errors=errors
        ) from None


def _authorize(user) -> None:
    if not can_respond(user):
        raise PermissionDenied("Only responders and admins can manage teams and services.")


@transaction.atomic
def team_create(*, user, slug: str, name: str, members=()) -> Team:
    _authorize(user)
    team = Team(slug=slug, name=name)
    _clean_or_raise(team)
    try:
        with transaction.atomic():
            team.save()
    except IntegrityError:
        raise ValidationFailed(
            f"A team with slug {slug!r} already exists.", field_errors={"slug": ["Taken."]}
        ) from None
    if members:
        team.members.set(members)
    return team


@transaction.atomic
def service_create(
    *,
    user,
    slug: str,
    name: str,
    description: str = "",
    tier: int = 2,
    team: Team | None = None,
    slo_target=Decimal("0.999"),
) -> Service:
    _authorize(user)
    try:
        slo = Decimal(str(slo_target))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(
            "slo_target must be a number such as 0.999.",
            field_errors={"slo_target": ["Not a number."]},
        ) from None
    service = Service(
        slug=slug, name=name, description=description, tier=tier, team=team, slo_target=slo
    )
    _clean_or_raise(service)
    try:
        with transaction.atomic():
            service.save()
    except IntegrityError:
        raise ValidationFailed(
            f"A service with slug {slug!r} already exists.", field_errors={"slug": ["Taken."]}
        ) from None
    return service


@transaction.atomic
def service_update(*, user, service: Service, **fields) -> Service:
    _authorize(user)
    for key, value in fields.items():
        if key not in {"name", "description", "tier", "team", "slo_target"}:
            raise ValidationFailed(f"{key} cannot be changed.")
        setattr(service, key, value)
    _clean_or_raise(service)
    service.save()
    return service
