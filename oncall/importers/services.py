"""Carry out an import plan through the packages' own services, and report what happened.

Every object is written in its own savepoint: one that our services reject (a conflict, a rule
we do not allow) is reported as skipped with the service's message and the rest goes on. A dry
run does all of it inside one transaction and rolls it back, so its report is exactly what the
real run would do. ``ImportedObject`` rows map the vendor's ids to ours: a second run finds
everything mapped and unchanged and writes nothing.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from config.errors import ApplicationError, PermissionDenied
from oncall.access import is_admin
from oncall.alerts.models import Integration
from oncall.alerts.services import integration_create, integration_update
from oncall.escalation.models import EscalationPolicy
from oncall.escalation.services import (
    StepInput,
    escalation_policy_create,
    escalation_policy_update,
)
from oncall.importers.models import ImportedObject
from oncall.importers.plan import (
    IntegrationSpec,
    OverrideSpec,
    PersonSpec,
    Plan,
    PolicySpec,
    ScheduleSpec,
    fingerprint,
    with_schedule_services,
)
from oncall.people.models import validate_timezone
from oncall.schedules.models import Schedule, ScheduleOverride
from oncall.schedules.services import override_create, schedule_create, schedule_update
from oncall.schedules.shifts import RESERVED_SLUGS, ParticipantInput

Kind = ImportedObject.Kind


@dataclass(frozen=True)
class Line:
    """One row of the report: ``action`` is create, match, change, unchanged or skip."""

    action: str
    kind: str
    name: str
    detail: str = ""


@dataclass
class Report:
    vendor: str
    dry_run: bool
    lines: list[Line] = field(default_factory=list)
    # (integration name, secret URL): shown once, never stored in clear.
    secret_urls: list[tuple[str, str]] = field(default_factory=list)
    # Service slugs the imported policies and integrations page and alert for. The oncall layer
    # keeps services as slugs; incidents.Service rows are the incidents layer's to create.
    service_slugs: set[str] = field(default_factory=set)

    def add(self, action: str, kind: str, name: str, detail: str = "") -> None:
        self.lines.append(Line(action, kind, name, detail))

    def count(self, action: str) -> int:
        return sum(1 for line in self.lines if line.action == action)

    @property
    def people_created(self) -> list[str]:
        return [
            line.name for line in self.lines if line.kind == "person" and line.action == "create"
        ]


def import_apply(*, user, plan: Plan, dry_run: bool = False) -> Report:
    """Import ``plan`` as ``user`` (an admin). Precondition: the plan came from a vendor reader.
    With ``dry_run`` nothing is kept; the report says what would be created, changed, skipped."""
    if not is_admin(user):
        raise PermissionDenied("Only admins can import on-call configuration.")
    report = Report(vendor=plan.vendor, dry_run=dry_run)
    for skip in plan.skipped:
        report.add("skip", skip.kind, skip.name or skip.external_id, skip.reason)
    plan = with_schedule_services(plan)
    with transaction.atomic():
        _Importer(user, plan, report).run()
        if dry_run:
            transaction.set_rollback(True)
    return report


class _Importer:
    def __init__(self, user, plan: Plan, report: Report):
        self.user, self.plan, self.report = user, plan, report
        self.people: dict[str, object] = {}
        self.schedules: dict[str, Schedule] = {}

    def run(self) -> None:
        for person in self.plan.people:
            self.people[person.external_id] = self._person(person)
        for schedule in self.plan.schedules:
            self._attempt("schedule", schedule.name, self._schedule, schedule)
        for policy in self.plan.policies:
            self._attempt("policy", policy.name, self._policy, policy)
        for integration in self.plan.integrations:
            self._attempt("integration", integration.name, self._integration, integration)

    def _attempt(self, kind: str, name: str, write, spec) -> None:
        try:
            with transaction.atomic():
                write(spec)
        except ApplicationError as exc:
            self.report.add("skip", kind, name, exc.message)

    # --- mapping ---------------------------------------------------------------------------

    def _mapped(self, kind: str, external_id: str, model):
        row = ImportedObject.objects.filter(
            vendor=self.plan.vendor, kind=kind, external_id=external_id
        ).first()
        if row is None:
            return None, None
        found = model.objects.filter(pk=row.object_id).first()
        if found is None:  # deleted here since: import it afresh
            row.delete()
            return None, None
        return found, row

    def _remember(self, kind: str, external_id: str, obj, fp: str = "") -> None:
        known = ImportedObject.objects.filter(
            vendor=self.plan.vendor, kind=kind, external_id=external_id
        ).first()
        if known is not None and (known.object_id, known.fingerprint) == (obj.pk, fp):
            return  # unchanged: a re-run writes nothing at all
        ImportedObject.objects.update_or_create(
            vendor=self.plan.vendor,
            kind=kind,
            external_id=external_id,
            defaults={"object_id": obj.pk, "fingerprint": fp},
        )

    # --- people ----------------------------------------------------------------------------

    def _person(self, spec: PersonSpec):
        User = get_user_model()
        label = f"{spec.name or spec.email} <{spec.email}>"
        found, _ = self._mapped(Kind.PERSON, spec.external_id, User)
        if found is not None:
            self.report.add("unchanged", "person", label, f"already imported as {found.username}")
            return found
        found = User.objects.filter(email__iexact=spec.email).order_by("-is_active", "id").first()
        if found is not None:
            note = "" if found.is_active else " (an inactive account: activate it to page them)"
            self.report.add("match", "person", label, f"matched by e-mail: {found.username}{note}")
        else:
            found = self._new_person(spec)
            self.report.add(
                "create",
                "person",
                label,
                f"no account with this e-mail: created {found.username}, inactive — activate "
                "the account, then run the import again to put them on call",
            )
        self._remember(Kind.PERSON, spec.external_id, found)
        return found

    def _new_person(self, spec: PersonSpec):
        User = get_user_model()
        base = re.sub(r"[^\w.@+-]", "", spec.username or spec.email.split("@")[0])[:140] or "person"
        username, n = base, 1
        while User.objects.filter(username=username).exists():
            n += 1
            username = f"{base}{n}"
        first, _, last = (spec.name or "").partition(" ")
        person = User(
            username=username,
            email=spec.email,
            first_name=first[:150],
            last_name=last[:150],
            is_active=False,
        )
        try:
            validate_timezone(spec.timezone)
            person.timezone = spec.timezone
        except ValidationError:
            pass  # keep the site's default zone
        person.set_unusable_password()
        person.save()
        return person

    def _inactive(self, external_ids) -> list[str]:
        return [self.people[p].username for p in external_ids if not self.people[p].is_active]

    # --- schedules -------------------------------------------------------------------------

    def _schedule(self, spec: ScheduleSpec) -> None:
        inactive = self._inactive(spec.people)
        if inactive:
            self.report.add(
                "skip",
                "schedule",
                spec.name,
                f"{', '.join(inactive)} cannot be on call (inactive account); activate them, "
                "then run the import again",
            )
            return
        fields = dict(
            name=spec.name[:100],
            description=spec.description,
            timezone_name=spec.timezone,
            rotation=spec.rotation,
            handoff_time=spec.handoff_time,
            start_date=spec.start_date,
            shift_hours=spec.shift_hours,
            participants=[ParticipantInput(self.people[p]) for p in spec.people],
            service_slug=spec.service_slug,
        )
        fp = fingerprint(dataclasses.replace(spec, overrides=()))
        what = _rotation_text(spec)
        schedule, row = self._mapped(Kind.SCHEDULE, spec.external_id, Schedule)
        if schedule is None:
            slug = _free_slug(Schedule, spec.name, "schedule", reserved=RESERVED_SLUGS)
            schedule = schedule_create(user=self.user, slug=slug, **fields)
            self.report.add("create", "schedule", spec.name, f"{slug}: {what}")
        elif row.fingerprint != fp:
            schedule = schedule_update(user=self.user, schedule=schedule, **fields)
            self.report.add("change", "schedule", spec.name, f"{schedule.slug}: now {what}")
        else:
            self.report.add("unchanged", "schedule", spec.name, schedule.slug)
        self._remember(Kind.SCHEDULE, spec.external_id, schedule, fp)
        self.schedules[spec.external_id] = schedule
        for override in spec.overrides:
            self._attempt(
                "override",
                f"{spec.name}: {self.people[override.person].username} from "
                f"{override.start:%Y-%m-%d %H:%M} UTC",
                self._override,
                (schedule, override),
            )

    def _override(self, item: tuple[Schedule, OverrideSpec]) -> None:
        schedule, spec = item
        found, _ = self._mapped(Kind.OVERRIDE, spec.external_id, ScheduleOverride)
        if found is not None:
            return  # overrides are many and short-lived: only new ones are reported
        person = self.people[spec.person]
        override = override_create(
            user=self.user,
            schedule=schedule,
            layer="primary",
            covering_user=person,
            start=spec.start,
            end=spec.end,
            reason="Imported override",
        )
        self.report.add(
            "create",
            "override",
            f"{schedule.name}: {person.username}",
            f"primary from {spec.start:%Y-%m-%d %H:%M} to {spec.end:%Y-%m-%d %H:%M} UTC",
        )
        self._remember(Kind.OVERRIDE, spec.external_id, override)

    # --- escalation policies ---------------------------------------------------------------

    def _policy(self, spec: PolicySpec) -> None:
        steps = []
        for number, step in enumerate(spec.steps, start=1):
            if step.target == "schedule_primary":
                schedule = self.schedules.get(step.schedule)
                if schedule is None:
                    self.report.add(
                        "skip",
                        "policy",
                        spec.name,
                        f"step {number} pages a schedule that was not imported",
                    )
                    return
                steps.append(StepInput(step.target, step.delay_minutes, schedule=schedule))
                continue
            inactive = self._inactive(step.people)
            if inactive:
                self.report.add(
                    "skip",
                    "policy",
                    spec.name,
                    f"step {number} pages {', '.join(inactive)} (inactive account); "
                    "activate them, then run the import again",
                )
                return
            users = [self.people[p] for p in step.people]
            steps.append(
                StepInput(
                    step.target,
                    step.delay_minutes,
                    user=users[0],
                    usernames=tuple(u.username for u in users),
                )
            )
        fp = fingerprint(spec)
        policy, row = self._mapped(Kind.POLICY, spec.external_id, EscalationPolicy)
        service = spec.service_slug
        taken = (
            EscalationPolicy.objects.filter(service_slug=service)
            .exclude(pk=getattr(policy, "pk", None))
            .first()
            if service
            else None
        )
        note = ""
        if taken is not None:
            note = (
                f"; the service {service!r} already has the policy {taken.slug!r}, so this one "
                "pages for no service"
            )
            service = ""
        fields = dict(
            name=spec.name[:100],
            description=spec.description,
            service_slug=service,
            repeats=spec.repeats,
            repeat_after_minutes=spec.repeat_after_minutes,
            steps=steps,
        )
        what = f"{len(steps)} step(s)" + (f", service {service}" if service else "") + note
        if policy is None:
            slug = _free_slug(EscalationPolicy, spec.name, "policy")
            policy = escalation_policy_create(user=self.user, slug=slug, **fields)
            self.report.add("create", "policy", spec.name, f"{slug}: {what}")
        elif row.fingerprint != fp:
            policy = escalation_policy_update(user=self.user, policy=policy, **fields)
            self.report.add("change", "policy", spec.name, f"{policy.slug}: now {what}")
        else:
            self.report.add("unchanged", "policy", spec.name, policy.slug)
        self._remember(Kind.POLICY, spec.external_id, policy, fp)
        if service:
            self.report.service_slugs.add(service)

    # --- alert integrations ----------------------------------------------------------------

    def _integration(self, spec: IntegrationSpec) -> None:
        fp = fingerprint(spec)
        found, row = self._mapped(Kind.INTEGRATION, spec.external_id, Integration)
        if found is None:
            issued = integration_create(
                user=self.user, kind=spec.kind, name=spec.name, service_slug=spec.service_slug
            )
            found = issued.integration
            self.report.add(
                "create",
                "integration",
                spec.name,
                f"{spec.kind}"
                + (f", service {spec.service_slug}" if spec.service_slug else "")
                + " — point the sender at its new secret URL",
            )
            if not self.report.dry_run:
                self.report.secret_urls.append((spec.name, issued.url))
        elif row.fingerprint != fp:
            integration_update(
                user=self.user, integration=found, name=spec.name, service_slug=spec.service_slug
            )
            self.report.add(
                "change", "integration", spec.name, "name and service updated; URL kept"
            )
        else:
            self.report.add("unchanged", "integration", spec.name, "its secret URL is unchanged")
        self._remember(Kind.INTEGRATION, spec.external_id, found, fp)
        if spec.service_slug:
            self.report.service_slugs.add(spec.service_slug)


def _rotation_text(spec: ScheduleSpec) -> str:
    kind = f"every {spec.shift_hours} hours" if spec.rotation == "custom" else spec.rotation
    return (
        f"{kind}, hand-off {spec.start_date:%a} {spec.handoff_time:%H:%M} {spec.timezone} "
        f"from {spec.start_date:%Y-%m-%d}, {len(spec.people)} people"
        + (f", service {spec.service_slug}" if spec.service_slug else "")
    )


def _free_slug(model, name: str, fallback: str, reserved=frozenset()) -> str:
    """A slug from ``name`` that no row of ``model`` has yet (``-2``, ``-3`` ... appended)."""
    base = slugify(name)[:90].strip("-") or fallback
    slug, n = base, 1
    while slug in reserved or model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
