"""Escalation policies: ordered steps of whom to page, and who those steps resolve to.

A step targets a schedule's primary or secondary (another schedule, such as the other site of a
follow-the-sun pair, is simply a step on that schedule), one person, or a list of people (a
team's members, by username: the oncall layer never imports incidents, so the caller copies a
team's usernames into the step). Everyone signed in reads policies; responders and admins edit.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from config.errors import NotFound
from oncall.escalation.models import EscalationPolicy, EscalationStep
from oncall.schedules import shifts

# Real-World SRE: with fewer than this many people across the policy, page them all at once.
PAGE_ALL_BELOW = 3

Target = EscalationStep.Target


def escalation_policy_list() -> QuerySet[EscalationPolicy]:
    return EscalationPolicy.objects.prefetch_related("steps__schedule", "steps__user")


def escalation_policy_get(*, slug: str) -> EscalationPolicy:
    policy = escalation_policy_list().filter(slug=slug).first()
    if policy is None:
        raise NotFound(f"There is no escalation policy {slug!r}.")
    return policy


def escalation_policy_for_service(*, service_slug: str) -> EscalationPolicy | None:
    if not service_slug:
        return None
    return escalation_policy_list().filter(service_slug=service_slug).first()


def escalation_policies_for_services(*, service_slugs) -> dict[str, EscalationPolicy]:
    """The policy of each of these services that has one, by service slug: one query, plus the
    prefetch of the steps when there are policies. ``service_slugs``: slugs, or a subquery of
    them (``alerts.values("service_slug")``)."""
    if not isinstance(service_slugs, QuerySet):
        service_slugs = [slug for slug in service_slugs if slug]
        if not service_slugs:
            return {}
    policies = escalation_policy_list().filter(service_slug__in=service_slugs)
    return {policy.service_slug: policy for policy in policies}


def step_people(step: EscalationStep, at: datetime) -> list:
    """The active people ``step`` pages at the instant ``at`` (empty: nobody on call)."""
    if step.target in (Target.SCHEDULE_PRIMARY, Target.SCHEDULE_SECONDARY):
        if step.schedule is None:
            return []
        now = shifts.oncall_at(step.schedule, at)
        person = now.primary if step.target == Target.SCHEDULE_PRIMARY else now.secondary
        people = [person] if person is not None else []
    elif step.target == Target.USER:
        people = [step.user] if step.user is not None else []
    else:
        users = get_user_model().objects.filter(username__in=step.usernames)
        by_name = {u.username: u for u in users}
        people = [by_name[name] for name in step.usernames if name in by_name]
    return [p for p in people if p.is_active]


def effective_steps(policy: EscalationPolicy, at: datetime) -> list[tuple[int, list]]:
    """``[(delay_minutes, people), ...]`` in order, as paged at ``at``.

    Real-World SRE: a small *team* is paged together. When fewer than three people could ever be
    paged by the policy (everyone on its schedules' rotations plus its named people), the first
    step pages all who resolve now and there are no further steps. A larger team escalates step
    by step, even when only two of them are on call at ``at``.
    """
    steps = list(policy.steps.all())
    resolved = [(step.delay_minutes, _unique(step_people(step, at))) for step in steps]
    everyone = _unique([p for _, people in resolved for p in people])
    if (
        steps
        and len(everyone) > 0
        and len(_team(steps) | {p.pk for p in everyone}) < PAGE_ALL_BELOW
    ):
        return [(steps[0].delay_minutes, everyone)]
    return resolved


def _team(steps: list[EscalationStep]) -> set[int]:
    """Ids of the active people the steps could page at some time: rotation members of their
    schedules, their named person, their listed people."""
    schedule_ids = {s.schedule_id for s in steps if s.schedule_id is not None}
    user_ids = {s.user_id for s in steps if s.target == Target.USER and s.user_id is not None}
    usernames = {name for s in steps if s.target == Target.USERS for name in s.usernames}
    people = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(schedule_memberships__schedule_id__in=schedule_ids)
            | Q(pk__in=user_ids)
            | Q(username__in=usernames)
        )
    )
    return set(people.values_list("pk", flat=True).distinct())


def _unique(people: list) -> list:
    seen, result = set(), []
    for person in people:
        if person.pk not in seen:
            seen.add(person.pk)
            result.append(person)
    return result
