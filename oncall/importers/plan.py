"""What an import would do, vendor-neutral: each vendor reader turns the vendor's JSON into a
:class:`Plan`; ``services.import_apply`` carries it out. Ids in a plan are the vendor's ids."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, time

from oncall.importers.fit import NoFit


@dataclass(frozen=True)
class PersonSpec:
    external_id: str
    email: str
    name: str = ""
    timezone: str = ""
    username: str = ""


@dataclass(frozen=True)
class OverrideSpec:
    """``person`` is primary on call over ``[start, end)`` (aware datetimes)."""

    external_id: str
    person: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class ScheduleSpec:
    """One rotation that fits one of our kinds exactly (``fit.rotation_fit`` said so)."""

    external_id: str
    name: str
    timezone: str
    rotation: str
    handoff_time: time
    start_date: date
    people: tuple[str, ...]
    shift_hours: int | None = None
    description: str = ""
    overrides: tuple[OverrideSpec, ...] = ()
    service_slug: str = ""


@dataclass(frozen=True)
class StepSpec:
    """Page ``target`` ``delay_minutes`` after the previous step: the primary of ``schedule``, one
    person (``people`` has one id) or several people together."""

    target: str
    delay_minutes: int
    schedule: str = ""
    people: tuple[str, ...] = ()


@dataclass(frozen=True)
class PolicySpec:
    external_id: str
    name: str
    steps: tuple[StepSpec, ...]
    service_slug: str = ""
    repeats: int = 0
    repeat_after_minutes: int = 15
    description: str = ""


@dataclass(frozen=True)
class IntegrationSpec:
    """A monitoring system that posted alerts to the old tool: it needs a new URL here."""

    external_id: str
    name: str
    kind: str
    service_slug: str = ""


@dataclass(frozen=True)
class Skip:
    """An object of the source that is not imported, and why (shown in the report)."""

    kind: str
    external_id: str
    name: str
    reason: str


@dataclass
class Plan:
    vendor: str
    people: list[PersonSpec] = field(default_factory=list)
    schedules: list[ScheduleSpec] = field(default_factory=list)
    policies: list[PolicySpec] = field(default_factory=list)
    integrations: list[IntegrationSpec] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)

    def skip(self, kind: str, external_id: str, name: str, reason: str) -> None:
        self.skipped.append(Skip(kind, str(external_id), name, reason))

    def add_each(self, kind: str, items, read_one, into: list) -> None:
        """Append ``read_one(item)`` to ``into`` for each source object; one that does not fit
        (:class:`NoFit`) is skipped with its reason instead."""
        for item in items:
            try:
                into.append(read_one(item))
            except NoFit as exc:
                self.skip(kind, item.get("id", ""), item.get("name", ""), str(exc))


def with_schedule_services(plan: Plan) -> Plan:
    """Each schedule covers the service of the first policy that pages it (so "who is on call
    for this service" works as it did at the source)."""
    service_of: dict[str, str] = {}
    for policy in plan.policies:
        for step in policy.steps:
            if step.schedule and policy.service_slug:
                service_of.setdefault(step.schedule, policy.service_slug)
    plan.schedules = [
        replace(s, service_slug=s.service_slug or service_of.get(s.external_id, ""))
        for s in plan.schedules
    ]
    return plan


def fingerprint(spec) -> str:
    """A digest of a spec's content: equal digests mean the source did not change."""
    text = json.dumps(asdict(spec), sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()
