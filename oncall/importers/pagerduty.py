"""PagerDuty REST API v2 → plan. Input: ``users``, ``schedules`` (as GET /schedules/{id}
returns them: ``schedule_layers``, and ``overrides_subschedule`` where present),
``escalation_policies`` and ``services`` (see tests/oncall/importers/fixtures/README.md).

A schedule is imported when exactly one layer is in force and it has no restrictions: its
``rotation_virtual_start`` (in the schedule's ``time_zone``) gives the hand-off time and start,
``rotation_turn_length_seconds`` the kind. Escalation rules become steps: rule i's targets are
paged ``escalation_delay_in_minutes`` of rule i-1 after it (rule 0 at once); ``num_loops`` becomes
the repeats, after the last rule's delay.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from oncall.importers.common import check_people, integration_kind, service_slug
from oncall.importers.fit import NoFit, parse_instant, rotation_fit
from oncall.importers.plan import (
    IntegrationSpec,
    OverrideSpec,
    PersonSpec,
    Plan,
    PolicySpec,
    ScheduleSpec,
    StepSpec,
)


def read(data: dict, *, now: datetime) -> Plan:
    plan = Plan("pagerduty")
    for user in data.get("users", []):
        if not user.get("email"):
            plan.skip("person", user.get("id", ""), user.get("name", ""), "no e-mail address")
            continue
        plan.people.append(
            PersonSpec(
                external_id=user["id"],
                email=user["email"],
                name=user.get("name", ""),
                timezone=user.get("time_zone") or "",
            )
        )
    people = {p.external_id for p in plan.people}
    plan.add_each(
        "schedule", data.get("schedules", []), lambda s: _schedule(s, people, now), plan.schedules
    )
    _policies(plan, data, people)
    return plan


def _ref_id(ref: dict | None) -> str:
    return (ref or {}).get("id", "")


def _schedule(schedule: dict, people: set[str], now: datetime) -> ScheduleSpec:
    layers = [
        layer
        for layer in schedule.get("schedule_layers", [])
        if not (layer.get("end") and parse_instant(layer["end"]) <= now)
    ]
    if not layers:
        raise NoFit("no layer is in force")
    if len(layers) > 1:
        names = ", ".join(f"“{layer.get('name', '')}”" for layer in layers)
        raise NoFit(
            f"{len(layers)} layers in force ({names}); a schedule here is one rotation — "
            "rebuild it as one schedule per layer by hand"
        )
    layer = layers[0]
    if layer.get("restrictions"):
        raise NoFit(
            f"layer “{layer.get('name', '')}” is restricted to part of the day or week; "
            "rotations here cover every hour"
        )
    if layer.get("end"):
        raise NoFit(f"layer “{layer.get('name', '')}” ends on {layer['end']}")
    start = parse_instant(layer.get("start"))
    if start and start > now:
        raise NoFit(f"layer “{layer.get('name', '')}” only starts on {layer['start']}")
    order = [_ref_id(entry.get("user")) for entry in layer.get("users", [])]
    check_people(order, people)
    fit = rotation_fit(
        turn=timedelta(seconds=int(layer["rotation_turn_length_seconds"])),
        anchor=parse_instant(layer["rotation_virtual_start"]),
        timezone_name=schedule["time_zone"],
    )
    overrides = []
    entries = (schedule.get("overrides_subschedule") or {}).get("rendered_schedule_entries") or []
    for entry in entries:
        who, begin, end = _ref_id(entry.get("user")), entry.get("start"), entry.get("end")
        if who in people and parse_instant(end) > now:
            overrides.append(
                OverrideSpec(
                    f"{schedule['id']}:{who}:{begin}", who, parse_instant(begin), parse_instant(end)
                )
            )
    return ScheduleSpec(
        external_id=schedule["id"],
        name=schedule.get("name") or schedule["id"],
        description=schedule.get("description") or "",
        timezone=schedule["time_zone"],
        rotation=fit.rotation,
        handoff_time=fit.handoff_time,
        start_date=fit.start_date,
        shift_hours=fit.shift_hours,
        people=tuple(order),
        overrides=tuple(overrides),
    )


def _policies(plan: Plan, data: dict, people: set[str]) -> None:
    services_by_policy: dict[str, list[dict]] = {}
    for service in data.get("services", []):
        services_by_policy.setdefault(_ref_id(service.get("escalation_policy")), []).append(service)
    schedules = {s.external_id for s in plan.schedules}
    for policy in data.get("escalation_policies", []):
        services = services_by_policy.get(policy["id"], [])
        try:
            steps = _steps(policy, people, schedules)
        except NoFit as exc:
            plan.skip("policy", policy["id"], policy.get("name", ""), str(exc))
            for service in services:
                plan.skip(
                    "service",
                    service["id"],
                    service.get("name", ""),
                    f"its escalation policy “{policy.get('name', '')}” was not imported",
                )
            continue
        rules = policy.get("escalation_rules", [])
        slug = service_slug(services[0]["name"]) if services else ""
        plan.policies.append(
            PolicySpec(
                external_id=policy["id"],
                name=policy.get("name") or policy["id"],
                description=policy.get("description") or "",
                steps=steps,
                service_slug=slug,
                repeats=int(policy.get("num_loops") or 0),
                repeat_after_minutes=max(1, int(rules[-1].get("escalation_delay_in_minutes", 15))),
            )
        )
        for extra in services[1:]:
            plan.skip(
                "service",
                extra["id"],
                extra.get("name", ""),
                f"shares the escalation policy “{policy.get('name', '')}” with "
                f"“{services[0].get('name', '')}”; a policy here pages for one service — copy "
                "the policy for this service",
            )
        for service in services[:1]:
            for ref in service.get("integrations", []):
                summary = ref.get("summary") or ref.get("type", "")
                if "email" in ref.get("type", ""):
                    plan.skip(
                        "integration",
                        ref["id"],
                        summary,
                        "e-mail integrations have no equivalent here; point the sender at a "
                        "webhook integration",
                    )
                    continue
                plan.integrations.append(
                    IntegrationSpec(
                        external_id=ref["id"],
                        name=f"{service.get('name', '')}: {summary}"[:100],
                        kind=integration_kind(summary),
                        service_slug=slug,
                    )
                )


def _steps(policy: dict, people: set[str], schedules: set[str]) -> tuple[StepSpec, ...]:
    rules = policy.get("escalation_rules", [])
    if not rules:
        raise NoFit("no escalation rules")
    steps: list[StepSpec] = []
    delay = 0
    for number, rule in enumerate(rules, start=1):
        users, rule_steps = [], []
        for target in rule.get("targets", []):
            kind = target.get("type", "").removesuffix("_reference")
            if kind == "schedule":
                if target["id"] not in schedules:
                    raise NoFit(
                        f"rule {number} pages the schedule “{target.get('summary') or target['id']}”, which is not imported"
                    )
                rule_steps.append(StepSpec("schedule_primary", 0, schedule=target["id"]))
            elif kind == "user":
                if target["id"] not in people:
                    raise NoFit(f"rule {number} pages {target['id']}, not in the export")
                users.append(target["id"])
            else:
                raise NoFit(f"rule {number} pages a {kind}; we page schedules and people")
        if users:
            target = "user" if len(users) == 1 else "users"
            rule_steps.append(StepSpec(target, 0, people=tuple(users)))
        if not rule_steps:
            raise NoFit(f"rule {number} pages nobody")
        # The rule's first target waits for the previous rule's delay; the others go with it.
        first = rule_steps[0]
        steps.append(StepSpec(first.target, delay, first.schedule, first.people))
        steps.extend(rule_steps[1:])
        delay = int(rule.get("escalation_delay_in_minutes") or 0)
    return tuple(steps)
