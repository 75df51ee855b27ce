"""Opsgenie REST API v2 → plan. Input: ``users``, ``teams`` (as GET /v2/teams/{id} returns them,
with ``members``), ``schedules`` (GET /v2/schedules?expand=rotation, with ``rotations``) and
``escalations`` (see tests/oncall/importers/fixtures/README.md).

A schedule is imported when it is enabled and has exactly one rotation, of users only, with no
time restriction and no end: ``startDate`` (in the schedule's ``timezone``) gives the hand-off
time and start, ``type`` × ``length`` the kind. An escalation becomes a policy for its owner
team's service (named after the team; ``teams`` gives the name when the escalation has only the
id). Opsgenie counts each rule's delay from the alert's creation, we count it from the previous
step, so the steps get the differences.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from oncall.importers.common import check_people, service_slug
from oncall.importers.fit import NoFit, parse_instant, rotation_fit
from oncall.importers.plan import PersonSpec, Plan, PolicySpec, ScheduleSpec, StepSpec

UNITS = {"hourly": timedelta(hours=1), "daily": timedelta(days=1), "weekly": timedelta(weeks=1)}
DELAY_MINUTES = {"minutes": 1, "hours": 60, "days": 1440}


def read(data: dict, *, now: datetime) -> Plan:
    plan = Plan("opsgenie")
    for user in data.get("users", []):
        plan.people.append(
            PersonSpec(
                external_id=user["id"],
                email=user["username"],  # an Opsgenie username is the e-mail address
                name=user.get("fullName", ""),
                timezone=user.get("timeZone") or "",
            )
        )
    people = {p.external_id for p in plan.people}
    plan.add_each(
        "schedule", data.get("schedules", []), lambda s: _schedule(s, people, now), plan.schedules
    )
    schedules = {s.external_id for s in plan.schedules}
    team_names = {t["id"]: t.get("name", "") for t in data.get("teams", [])}
    plan.add_each(
        "policy",
        data.get("escalations", []),
        lambda e: _policy(e, people, schedules, team_names),
        plan.policies,
    )
    return plan


def _schedule(schedule: dict, people: set[str], now: datetime) -> ScheduleSpec:
    if schedule.get("enabled") is False:
        raise NoFit("the schedule is disabled")
    rotations = [
        r
        for r in schedule.get("rotations", [])
        if not (r.get("endDate") and parse_instant(r["endDate"]) <= now)
    ]
    if len(rotations) != 1:
        raise NoFit(f"{len(rotations)} rotations in force; a schedule here is exactly one rotation")
    rotation = rotations[0]
    name = rotation.get("name", "")
    if rotation.get("timeRestriction"):
        raise NoFit(f"rotation “{name}” is restricted to part of the day or week")
    if rotation.get("endDate"):
        raise NoFit(f"rotation “{name}” ends on {rotation['endDate']}")
    if parse_instant(rotation["startDate"]) > now:
        raise NoFit(f"rotation “{name}” only starts on {rotation['startDate']}")
    order = []
    for participant in rotation.get("participants", []):
        if participant.get("type") != "user":
            raise NoFit(
                f"rotation “{name}” has a {participant.get('type')} turn; here every turn is a person"
            )
        order.append(participant["id"])
    check_people(order, people)
    kind = rotation.get("type", "")
    if kind not in UNITS:
        raise NoFit(f"rotation type {kind!r}")
    fit = rotation_fit(
        turn=UNITS[kind] * int(rotation.get("length") or 1),
        anchor=parse_instant(rotation["startDate"]),
        timezone_name=schedule["timezone"],
    )
    return ScheduleSpec(
        external_id=schedule["id"],
        name=schedule.get("name") or schedule["id"],
        description=schedule.get("description") or "",
        timezone=schedule["timezone"],
        rotation=fit.rotation,
        handoff_time=fit.handoff_time,
        start_date=fit.start_date,
        shift_hours=fit.shift_hours,
        people=tuple(order),
    )


def _minutes(amount: dict | None) -> int:
    amount = amount or {}
    unit = amount.get("timeUnit", "minutes")
    if unit not in DELAY_MINUTES:
        raise NoFit(f"a delay in {unit}")
    return int(amount.get("timeAmount") or 0) * DELAY_MINUTES[unit]


def _policy(
    escalation: dict, people: set[str], schedules: set[str], team_names: dict[str, str]
) -> PolicySpec:
    rules = sorted(escalation.get("rules", []), key=lambda r: _minutes(r.get("delay")))
    if not rules:
        raise NoFit("no rules")
    steps, previous = [], 0
    for number, rule in enumerate(rules, start=1):
        if rule.get("condition", "if-not-acked") != "if-not-acked":
            raise NoFit(
                f"rule {number} escalates {rule['condition']}; here escalation stops at the "
                "first acknowledgement"
            )
        recipient = rule.get("recipient") or {}
        at = _minutes(rule.get("delay"))
        kind = recipient.get("type")
        if kind == "schedule":
            if rule.get("notifyType", "default") != "default":
                raise NoFit(
                    f"rule {number} notifies the {rule['notifyType']} on-call; we page who is on "
                    "call now"
                )
            if recipient.get("id") not in schedules:
                raise NoFit(
                    f"rule {number} notifies schedule {recipient.get('name')}, not imported"
                )
            steps.append(StepSpec("schedule_primary", at - previous, schedule=recipient["id"]))
        elif kind == "user":
            if recipient.get("id") not in people:
                raise NoFit(
                    f"rule {number} notifies {recipient.get('username')}, not in the export"
                )
            steps.append(StepSpec("user", at - previous, people=(recipient["id"],)))
        else:
            raise NoFit(f"rule {number} notifies a {kind}; we page schedules and people")
        previous = at
    repeat = escalation.get("repeat") or {}
    owner = escalation.get("ownerTeam") or {}
    team = owner.get("name") or team_names.get(owner.get("id", ""), "")
    return PolicySpec(
        external_id=escalation["id"],
        name=escalation.get("name") or escalation["id"],
        description=escalation.get("description") or "",
        steps=tuple(steps),
        service_slug=service_slug(team),
        repeats=int(repeat.get("count") or 0),
        repeat_after_minutes=max(1, int(repeat.get("waitInterval") or 15)),
    )
