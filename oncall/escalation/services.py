"""Escalation policies, writes: create and update a policy and its steps (responders and admins).
Who a policy pages is read in ``oncall.escalation.selectors``; paging itself in ``paging``."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import IntegrityError, transaction

from config.errors import PermissionDenied, ValidationFailed
from oncall.access import can_respond
from oncall.escalation.models import EscalationPolicy, EscalationStep
from oncall.escalation.selectors import Target, escalation_policy_get
from oncall.schedules.models import Schedule

MAX_STEPS = 20
MAX_STEP_PEOPLE = 50
MAX_REPEATS = 10
MAX_DELAY_MINUTES = 1440


@dataclass(frozen=True)
class StepInput:
    """One step as the caller gives it (users and schedules already looked up)."""

    target: str
    delay_minutes: int = 0
    schedule: Schedule | None = None
    user: object | None = None
    usernames: tuple[str, ...] = field(default_factory=tuple)


def escalation_policy_create(
    *,
    user,
    name: str,
    slug: str,
    steps: list[StepInput],
    description: str = "",
    service_slug: str = "",
    repeats: int = 0,
    repeat_after_minutes: int = 15,
) -> EscalationPolicy:
    """Create a policy with its steps. Responders and admins only; ValidationFailed names the
    field, Conflict-free: a taken slug or service is a field error."""
    _require_editor(user)
    policy = EscalationPolicy(created_by=user)
    _apply(
        policy,
        name=name,
        slug=slug,
        description=description,
        service_slug=service_slug,
        repeats=repeats,
        repeat_after_minutes=repeat_after_minutes,
    )
    return _save(policy, steps)


def escalation_policy_update(
    *,
    user,
    policy: EscalationPolicy,
    name: str | None = None,
    slug: str | None = None,
    description: str | None = None,
    service_slug: str | None = None,
    repeats: int | None = None,
    repeat_after_minutes: int | None = None,
    steps: list[StepInput] | None = None,
) -> EscalationPolicy:
    """Change a policy; ``steps`` (when given) replaces all steps. Pages already planned keep
    their people; the next steps are read from the policy as it is when they are planned."""
    _require_editor(user)
    _apply(
        policy,
        name=name,
        slug=slug,
        description=description,
        service_slug=service_slug,
        repeats=repeats,
        repeat_after_minutes=repeat_after_minutes,
    )
    return _save(policy, steps)


def _require_editor(user) -> None:
    if not can_respond(user):
        raise PermissionDenied("Only responders and admins can change escalation policies.")


def _apply(policy: EscalationPolicy, **values) -> None:
    errors: dict[str, list[str]] = {}
    for key, value in values.items():
        if value is None:
            continue
        if isinstance(value, str):
            value = value.strip()
        if key == "name" and not value:
            errors["name"] = ["Give the policy a name, such as “Payments critical”."]
        elif key == "name" and len(value) > 100:
            errors["name"] = ["At most 100 characters."]
        elif key in ("slug", "service_slug") and (value or key == "slug"):
            try:
                validate_slug(value)
                if len(value) > 100:
                    raise ValidationError("At most 100 characters.")
            except ValidationError as exc:
                errors[key] = [f"{value!r} is not a slug: {exc.messages[0]}"]
        elif key == "repeats" and not 0 <= value <= MAX_REPEATS:
            errors["repeats"] = [f"Repeat the policy between 0 and {MAX_REPEATS} times."]
        elif key == "repeat_after_minutes" and not 1 <= value <= MAX_DELAY_MINUTES:
            errors["repeat_after_minutes"] = [f"Between 1 and {MAX_DELAY_MINUTES} minutes."]
        setattr(policy, key, value)
    taken = EscalationPolicy.objects.exclude(pk=policy.pk)
    if "slug" not in errors and taken.filter(slug=policy.slug).exists():
        errors["slug"] = [f"Another policy is already called {policy.slug!r}."]
    if (
        "service_slug" not in errors
        and policy.service_slug
        and taken.filter(service_slug=policy.service_slug).exists()
    ):
        errors["service_slug"] = [
            f"The service {policy.service_slug!r} already has an escalation policy."
        ]
    _raise(errors)


def _validate_steps(steps: list[StepInput]) -> list[EscalationStep]:
    errors: dict[str, list[str]] = {}
    if not steps:
        errors["steps"] = ["Add at least one step."]
    elif len(steps) > MAX_STEPS:
        errors["steps"] = [f"At most {MAX_STEPS} steps."]
    rows = []
    for number, step in enumerate(steps[:MAX_STEPS], start=1):
        problem = _step_problem(step)
        if problem:
            errors.setdefault("steps", []).append(f"Step {number}: {problem}")
        rows.append(
            EscalationStep(
                position=number - 1,
                delay_minutes=step.delay_minutes,
                target=step.target,
                schedule=step.schedule if step.target.startswith("schedule_") else None,
                user=step.user if step.target == Target.USER else None,
                usernames=list(step.usernames) if step.target == Target.USERS else [],
            )
        )
    _raise(errors)
    return rows


def _step_problem(step: StepInput) -> str:
    if step.target not in Target.values:
        return f"the target must be one of {', '.join(Target.values)}."
    if not isinstance(step.delay_minutes, int) or not 0 <= step.delay_minutes <= MAX_DELAY_MINUTES:
        return f"the delay must be between 0 and {MAX_DELAY_MINUTES} minutes."
    if step.target.startswith("schedule_") and step.schedule is None:
        return "choose a schedule."
    if step.target == Target.USER and (step.user is None or not step.user.is_active):
        return "choose an active person."
    if step.target == Target.USERS:
        names = list(dict.fromkeys(step.usernames))
        if not names:
            return "list at least one person."
        if len(names) > MAX_STEP_PEOPLE:
            return f"at most {MAX_STEP_PEOPLE} people."
        known = set(
            get_user_model()
            .objects.filter(username__in=names, is_active=True)
            .values_list("username", flat=True)
        )
        missing = [name for name in names if name not in known]
        if missing:
            return f"no active person called {', '.join(missing)}."
    return ""


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        first_field, messages = next(iter(errors.items()))
        raise ValidationFailed(f"{first_field}: {messages[0]}", field_errors=errors)


def _save(policy: EscalationPolicy, steps: list[StepInput] | None) -> EscalationPolicy:
    rows = _validate_steps(steps) if steps is not None else None
    try:
        with transaction.atomic():
            policy.save()
            if rows is not None:
                policy.steps.all().delete()
                for row in rows:
                    row.policy = policy
                EscalationStep.objects.bulk_create(rows)
    except IntegrityError:  # a concurrent create took the slug or the service
        raise ValidationFailed(
            "Another policy took this slug or service a moment ago; choose another.",
            field_errors={"slug": ["Taken."]},
        ) from None
    return escalation_policy_get(slug=policy.slug)
