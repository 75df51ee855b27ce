"""Grafana OnCall public API (v1) → plan. Input: ``users``, ``schedules``, ``on_call_shifts``,
``escalation_chains``, ``escalation_policies`` and ``integrations`` (see
tests/oncall/importers/fixtures/README.md).

A schedule is imported when it is made of exactly one ``rolling_users`` shift of one person per
turn that covers every hour (``duration`` equals the turn) with no ``by_day``/``by_month`` and no
``until``: ``start`` (local to the shift's ``time_zone``, else the schedule's) gives the hand-off
time and start, ``frequency`` × ``interval`` the kind. An escalation chain becomes a policy: its
``wait`` steps add up to the next notify step's delay. Integrations become alert integrations;
the first one routed to a chain names the service that chain's policy pages for.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from oncall.importers.common import check_people, integration_kind, service_slug
from oncall.importers.fit import NoFit, parse_instant, rotation_fit
from oncall.importers.plan import (
    IntegrationSpec,
    PersonSpec,
    Plan,
    PolicySpec,
    ScheduleSpec,
    StepSpec,
)

UNITS = {"hourly": timedelta(hours=1), "daily": timedelta(days=1), "weekly": timedelta(weeks=1)}


def read(data: dict, *, now: datetime) -> Plan:
    plan = Plan("grafana-oncall")
    for user in data.get("users", []):
        if not user.get("email"):
            plan.skip("person", user.get("id", ""), user.get("username", ""), "no e-mail address")
            continue
        plan.people.append(
            PersonSpec(
                user["id"], user["email"], user.get("username", ""), "", user.get("username", "")
            )
        )
    people = {p.external_id for p in plan.people}
    shifts = {s["id"]: s for s in data.get("on_call_shifts", [])}
    plan.add_each(
        "schedule",
        data.get("schedules", []),
        lambda s: _schedule(s, shifts, people, now),
        plan.schedules,
    )
    _chains_and_integrations(plan, data, people)
    return plan


def _schedule(schedule: dict, shifts: dict, people: set[str], now: datetime) -> ScheduleSpec:
    if schedule.get("type") == "ical":
        raise NoFit("an iCal-fed schedule; rebuild its rotation here by hand")
    mine = [shifts[i] for i in schedule.get("shifts") or [] if i in shifts]
    mine = [s for s in mine if not (s.get("until") and parse_instant(s["until"]) <= now)]
    if len(mine) != 1:
        raise NoFit(f"{len(mine)} shifts in force; a schedule here is exactly one rotation")
    shift = mine[0]
    name = shift.get("name", "")
    if shift.get("type") != "rolling_users":
        raise NoFit(f"shift “{name}” is a {shift.get('type')}, not a rotation of people")
    if shift.get("until"):
        raise NoFit(f"shift “{name}” ends on {shift['until']}")
    if any(shift.get(key) for key in ("by_day", "by_month", "by_monthday")):
        raise NoFit(f"shift “{name}” runs on some days only; rotations here cover every day")
    frequency = shift.get("frequency")
    if frequency not in UNITS:
        raise NoFit(f"shift “{name}” repeats {frequency}; we hand over hourly, daily or weekly")
    turn = UNITS[frequency] * int(shift.get("interval") or 1)
    if timedelta(seconds=int(shift.get("duration") or 0)) != turn:
        raise NoFit(
            f"shift “{name}” lasts {shift.get('duration')} s of every {int(turn.total_seconds())} s; "
            "rotations here cover every hour"
        )
    groups = shift.get("rolling_users") or []
    if any(len(group) != 1 for group in groups):
        raise NoFit(f"shift “{name}” puts several people on call together in one turn")
    order = [group[0] for group in groups]
    first = int(shift.get("start_rotation_from_user_index") or 0) % max(1, len(order))
    order = order[first:] + order[:first]
    check_people(order, people)
    tz = shift.get("time_zone") or schedule.get("time_zone") or "UTC"
    start = parse_instant(shift["start"])
    if (start.tzinfo and start > now) or (
        start.tzinfo is None and start > now.replace(tzinfo=None) + timedelta(days=1)
    ):
        raise NoFit(f"shift “{name}” only starts on {shift['start']}")
    fit = rotation_fit(turn=turn, anchor=start, timezone_name=tz)
    return ScheduleSpec(
        external_id=schedule["id"],
        name=schedule.get("name") or schedule["id"],
        timezone=tz,
        rotation=fit.rotation,
        handoff_time=fit.handoff_time,
        start_date=fit.start_date,
        shift_hours=fit.shift_hours,
        people=tuple(order),
    )


def _chains_and_integrations(plan: Plan, data: dict, people: set[str]) -> None:
    schedules = {s.external_id for s in plan.schedules}
    service_of_chain: dict[str, str] = {}
    for integration in data.get("integrations", []):
        if "email" in (integration.get("type") or ""):
            plan.skip(
                "integration",
                integration["id"],
                integration.get("name", ""),
                "e-mail integrations have no equivalent here; point the sender at a webhook "
                "integration",
            )
            continue
        chain = (integration.get("default_route") or {}).get("escalation_chain_id") or ""
        slug = (
            service_of_chain.setdefault(chain, service_slug(integration.get("name", "")))
            if chain
            else service_slug(integration.get("name", ""))
        )
        plan.integrations.append(
            IntegrationSpec(
                external_id=integration["id"],
                name=(integration.get("name") or integration["id"])[:100],
                kind=integration_kind(integration.get("type", ""), integration.get("name", "")),
                service_slug=slug,
            )
        )
    steps_of: dict[str, list[dict]] = {}
    for step in data.get("escalation_policies", []):
        steps_of.setdefault(step.get("escalation_chain_id", ""), []).append(step)

    def policy(chain: dict) -> PolicySpec:
        rows = sorted(steps_of.get(chain["id"], []), key=lambda s: s.get("position", 0))
        return PolicySpec(
            external_id=chain["id"],
            name=chain.get("name") or chain["id"],
            steps=_steps(rows, people, schedules),
            service_slug=service_of_chain.get(chain["id"], ""),
        )

    plan.add_each("policy", data.get("escalation_chains", []), policy, plan.policies)


def _steps(rows: list[dict], people: set[str], schedules: set[str]) -> tuple[StepSpec, ...]:
    steps, waited = [], 0
    for number, row in enumerate(rows, start=1):
        kind = row.get("type")
        if kind == "wait":
            waited += int(row.get("duration") or 0) // 60
        elif kind == "notify_persons":
            persons = tuple(row.get("persons_to_notify") or [])
            unknown = [p for p in persons if p not in people]
            if not persons or unknown:
                raise NoFit(
                    f"step {number} notifies people not in the export: {', '.join(unknown)}"
                )
            steps.append(StepSpec("user" if len(persons) == 1 else "users", waited, people=persons))
            waited = 0
        elif kind == "notify_on_call_from_schedule":
            schedule = row.get("notify_on_call_from_schedule") or ""
            if schedule not in schedules:
                raise NoFit(f"step {number} notifies schedule {schedule}, not imported")
            steps.append(StepSpec("schedule_primary", waited, schedule=schedule))
            waited = 0
        else:
            raise NoFit(f"step {number} is {kind}; we wait, page people and page schedules")
    if not steps:
        raise NoFit("the chain notifies nobody")
    return tuple(steps)
