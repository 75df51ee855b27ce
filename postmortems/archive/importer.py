"""Read an archive directory back into the database, all or nothing.

Every file is parsed and checked before anything is written; the writes then run in one
transaction, so a bad file leaves the database untouched (``ArchiveError`` names the file and
the problem). Rows that already exist are matched by natural key: people by username, teams and
services by slug, templates by slug, alerts by (integration, fingerprint, fired_at); those are
reused as they are. An incident number that already exists is an error (no merging).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, models, transaction

from incidents.models import (
    ContributingFactor,
    Incident,
    Reminder,
    RoleAssignment,
    Service,
    StakeholderUpdate,
    Tag,
    Team,
    TimelineEvent,
)
from incidents.services.taxonomy import normalize_factor, normalize_tag
from oncall.alerts.auth import hash_token
from oncall.models import Alert, Integration
from postmortems.archive.codec import ArchiveError, decode_value, load_yaml, split_front_matter
from postmortems.models import (
    ActionItem,
    Meeting,
    Postmortem,
    PostmortemReview,
    PostmortemRevision,
    PostmortemSection,
    PostmortemTemplate,
    TemplateSection,
)
from postmortems.search.indexer import search_index_incident

Progress = Callable[[str, int, int], None]
INCIDENT_FILE_PREFIX = "INC-"


@dataclass
class ImportResult:
    people: int = 0
    incidents: int = 0
    postmortems: int = 0
    markdown_postmortems: int = 0
    incident_numbers: list[int] = field(default_factory=list)


class _Context:
    """What the import has resolved so far, by natural key."""

    def __init__(self) -> None:
        self.users = {u.username: u for u in get_user_model().objects.all()}
        self.alerts: dict[tuple, Alert] = {}
        # Incident number → its action items that belong to the postmortem (linked later).
        self.postmortem_items: dict[int, list[int]] = {}

    def user(self, username: Any, where: str):
        if username is None:
            return None
        found = self.users.get(username) if isinstance(username, str) else None
        if found is None:
            raise ArchiveError(f"{where} names an unknown person {username!r}")
        return found


def _fields(
    model: type[models.Model],
    data: Any,
    where: str,
    ctx: _Context,
    *,
    handled: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Model keyword arguments from an archive mapping; every key must be a field or ``handled``."""
    if not isinstance(data, dict):
        raise ArchiveError(f"{where} must be a mapping")
    by_name = {f.name: f for f in model._meta.concrete_fields if not f.primary_key}
    user_model = get_user_model()
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        if key in handled:
            continue
        model_field = by_name.get(key)
        if model_field is None:
            raise ArchiveError(f"{where} has an unknown field {key!r}")
        if model_field.is_relation:
            if model_field.related_model is not user_model:
                raise ArchiveError(f"{where} has an unknown field {key!r}")
            kwargs[key] = ctx.user(value, f"{where}.{key}")
        else:
            kwargs[key] = decode_value(model_field, value, f"{where}.{key}")
    return kwargs


def _auto_time_fields(model: type[models.Model]) -> list[str]:
    return [
        f.name
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]


def _validated(obj: models.Model, where: str) -> models.Model:
    """Field-level checks (choices, lengths, validators) without database queries."""
    relations = [f.name for f in obj._meta.concrete_fields if f.is_relation]
    try:
        obj.clean_fields(exclude=relations + ["password"])
    except ValidationError as exc:
        problems = "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in sorted(exc.message_dict.items())
        )
        raise ArchiveError(f"{where} is invalid: {problems}") from None
    return obj


def _create_all(
    model: type[models.Model], rows: list[dict[str, Any]], where: str = ""
) -> list[models.Model]:
    """Insert rows in order, then put back the archived auto_now/auto_now_add timestamps."""
    label = where or model._meta.verbose_name_plural
    objs = model.objects.bulk_create(
        [_validated(model(**row), f"{label}[{i}]") for i, row in enumerate(rows)]
    )
    auto = [name for name in _auto_time_fields(model) if any(name in row for row in rows)]
    if auto and objs:
        for obj, row in zip(objs, rows, strict=True):
            for name in auto:
                if name in row:
                    setattr(obj, name, row[name])
        model.objects.bulk_update(objs, auto)
    return objs


def _list(data: dict, key: str, where: str) -> list:
    value = data.get(key, [])
    if value is None:
        return []
    if not isinstance(value, list):
        raise ArchiveError(f"{where}: {key} must be a list")
    return value


@dataclass
class _File:
    path: Path
    data: Any


def _read_yaml(path: Path, *, required: bool = True) -> _File:
    if not path.exists():
        if required:
            raise ArchiveError(f"{path.name}: the file is missing")
        return _File(path, [])
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ArchiveError(f"{path}: not UTF-8 text") from None
    except ArchiveError as exc:
        raise ArchiveError(f"{path}: {exc}") from None
    if data is None:
        data = []
    if not isinstance(data, list):
        raise ArchiveError(f"{path}: must be a list")
    return _File(path, data)


def _read_markdown(path: Path) -> _File:
    try:
        data, _body = split_front_matter(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ArchiveError(f"{path}: not UTF-8 text") from None
    except ArchiveError as exc:
        raise ArchiveError(f"{path}: {exc}") from None
    if not data:
        raise ArchiveError(f"{path}: no YAML front matter")
    return _File(path, data)


def import_archive(
    archive_dir: Path, *, progress: Progress | None = None, markdown_user=None
) -> ImportResult:
    """Import the archive in ``archive_dir``; ArchiveError (nothing written) if any file is bad.

    ``markdown_user`` writes the plain Markdown postmortems of ``markdown/`` (required when that
    folder has files).
    """
    from postmortems.archive.markdown_import import markdown_postmortem_import, read_markdown_file

    root = Path(archive_dir)
    if not root.is_dir():
        raise ArchiveError(f"{root}: not a directory")
    people = _read_yaml(root / "people.yml")
    teams = _read_yaml(root / "teams.yml")
    services = _read_yaml(root / "services.yml")
    templates = _read_yaml(root / "templates.yml", required=False)
    alerts = _read_yaml(root / "alerts.yml", required=False)
    incident_files = [_read_markdown(p) for p in _sorted_by_number(root / "incidents", "INC-*.md")]
    postmortem_files = [
        _read_markdown(p) for p in _sorted_by_number(root / "postmortems", "INC-*-postmortem.md")
    ]
    markdown_files = [read_markdown_file(p) for p in sorted((root / "markdown").glob("*.md"))]
    if markdown_files and markdown_user is None:
        raise ArchiveError(f"{root / 'markdown'}: importing plain Markdown needs --user")

    result = ImportResult()
    current: Path = root
    try:
        with transaction.atomic():
            current = people.path
            ctx = _Context()
            result.people = _import_people(people, ctx)
            current = teams.path
            _import_teams(teams, ctx)
            current = services.path
            _import_services(services, ctx)
            current = templates.path
            _import_templates(templates, ctx)
            current = alerts.path
            _import_alerts(alerts, ctx)
            for done, file in enumerate(incident_files, start=1):
                current = file.path
                result.incident_numbers.append(_import_incident(file, ctx))
                if progress:
                    progress("incidents", done, len(incident_files))
            for done, file in enumerate(postmortem_files, start=1):
                current = file.path
                _import_postmortem(file, ctx)
                if progress:
                    progress("postmortems", done, len(postmortem_files))
            for file in markdown_files:
                current = file.path
                markdown_postmortem_import(
                    user=markdown_user,
                    incident_ref=file.data.get("incident"),
                    text=file.data["text"],
                    template=file.data.get("template"),
                )
            current = root
            for number in result.incident_numbers:
                search_index_incident(
                    incident_id=Incident.objects.values_list("pk", flat=True).get(number=number)
                )
    except ArchiveError as exc:
        message = str(exc)
        if not message.startswith(str(current)):
            message = f"{current}: {message}"
        raise ArchiveError(message) from None
    except (IntegrityError, ValidationError, DatabaseError) as exc:
        raise ArchiveError(f"{current}: the database refused it: {exc}") from None
    result.incidents = len(incident_files)
    result.postmortems = len(postmortem_files)
    result.markdown_postmortems = len(markdown_files)
    return result


def _sorted_by_number(folder: Path, pattern: str) -> list[Path]:
    def number(path: Path) -> int:
        digits = path.name[len(INCIDENT_FILE_PREFIX) :].split("-")[0].split(".")[0]
        if not digits.isdigit():
            raise ArchiveError(f"{path}: the file name must be INC-<number>")
        return int(digits)

    return sorted(folder.glob(pattern), key=number) if folder.is_dir() else []


def _import_people(file: _File, ctx: _Context) -> int:
    user_model = get_user_model()
    created = 0
    for index, data in enumerate(file.data):
        where = f"person {index + 1}"
        kwargs = _fields(user_model, data, where, ctx, handled=("groups",))
        username = kwargs.get("username")
        if not isinstance(username, str) or not username:
            raise ArchiveError(f"{where} has no username")
        if username in ctx.users:
            continue
        user = _validated(user_model(**kwargs), where)
        user.set_unusable_password()
        user.save()
        groups = []
        for name in _list(data, "groups", where):
            if not isinstance(name, str):
                raise ArchiveError(f"{where}.groups must be names")
            groups.append(Group.objects.get_or_create(name=name)[0])
        user.groups.set(groups)
        ctx.users[username] = user
        created += 1
    return created


def _import_teams(file: _File, ctx: _Context) -> None:
    for index, data in enumerate(file.data):
        where = f"team {index + 1}"
        kwargs = _fields(Team, data, where, ctx, handled=("members",))
        if Team.objects.filter(slug=kwargs.get("slug")).exists():
            continue
        team = _validated(Team(**kwargs), where)
        team.save()
        team.members.set(
            [ctx.user(name, f"{where}.members") for name in _list(data, "members", where)]
        )


def _import_services(file: _File, ctx: _Context) -> None:
    for index, data in enumerate(file.data):
        where = f"service {index + 1}"
        kwargs = _fields(Service, data, where, ctx, handled=("team",))
        if Service.objects.filter(slug=kwargs.get("slug")).exists():
            continue
        team_slug = data.get("team")
        team = None
        if team_slug is not None:
            team = Team.objects.filter(slug=team_slug).first()
            if team is None:
                raise ArchiveError(f"{where} names an unknown team {team_slug!r}")
        _validated(Service(team=team, **kwargs), where).save()


def _import_templates(file: _File, ctx: _Context) -> None:
    for index, data in enumerate(file.data):
        where = f"template {index + 1}"
        if not isinstance(data, dict):
            raise ArchiveError(f"{where} must be a mapping")
        existing = PostmortemTemplate.objects.filter(slug=data.get("slug")).first()
        if data.get("built_in"):
            if existing is None:
                raise ArchiveError(
                    f"{where}: built-in template {data.get('slug')!r} is not installed "
                    "(run sync_postmortem_templates first)"
                )
            continue
        if existing is not None:
            continue
        kwargs = _fields(PostmortemTemplate, data, where, ctx, handled=("sections",))
        template = _create_all(PostmortemTemplate, [kwargs], where)[0]
        sections = [
            _fields(TemplateSection, section, f"{where}.sections[{i}]", ctx)
            for i, section in enumerate(_list(data, "sections", where))
        ]
        _create_all(TemplateSection, [dict(s, template=template) for s in sections], where)


def _alert_key(integration: Any, fingerprint: Any, fired_at: Any) -> tuple:
    return (integration, fingerprint, fired_at)


def _import_alerts(file: _File, ctx: _Context) -> None:
    fired_field = Alert._meta.get_field("fired_at")
    for index, data in enumerate(file.data):
        where = f"alert {index + 1}"
        kwargs = _fields(Alert, data, where, ctx, handled=("integration", "integration_kind"))
        name, kind = data.get("integration"), data.get("integration_kind")
        if not isinstance(name, str) or kind not in Integration.Kind.values:
            raise ArchiveError(f"{where} needs an integration name and a known integration_kind")
        integration = Integration.objects.filter(name=name, kind=kind).order_by("id").first()
        if integration is None:
            # A placeholder so the alert keeps its source; disabled, with a token nobody knows.
            integration = Integration.objects.create(
                name=name, kind=kind, enabled=False, token_hash=hash_token(secrets.token_hex(32))
            )
        alert = Alert.objects.filter(
            integration=integration,
            fingerprint=kwargs.get("fingerprint"),
            fired_at=kwargs.get("fired_at"),
        ).first()
        if alert is None:
            alert = _validated(Alert(integration=integration, **kwargs), where)
            alert.save()
        fired = decode_value(fired_field, data.get("fired_at"), f"{where}.fired_at")
        ctx.alerts[_alert_key(name, data.get("fingerprint"), fired)] = alert


def _import_incident(file: _File, ctx: _Context) -> int:
    data = file.data
    handled = (
        "services",
        "members",
        "alerts",
        "timeline",
        "role_assignments",
        "stakeholder_updates",
        "reminders",
        "action_items",
        "tags",
        "contributing_factors",
    )
    kwargs = _fields(Incident, data, "front matter", ctx, handled=handled)
    number = kwargs.get("number")
    if not isinstance(number, int) or file.path.name != f"INC-{number}.md":
        raise ArchiveError(f"front matter number {number!r} does not match the file name")
    if Incident.objects.filter(number=number).exists():
        raise ArchiveError(f"INC-{number} already exists in this database")
    updated_at = kwargs.pop("updated_at", None)
    incident = Incident(**kwargs)
    try:
        incident.full_clean(exclude=["updated_at"], validate_unique=False)
    except ValidationError as exc:
        raise ArchiveError(f"invalid incident: {'; '.join(exc.messages)}") from None
    incident.save()

    slugs = _list(data, "services", "front matter")
    found = {s.slug: s for s in Service.objects.filter(slug__in=[str(s) for s in slugs])}
    missing = [s for s in slugs if s not in found]
    if missing:
        raise ArchiveError(f"unknown services {missing!r}")
    incident.services.set(found.values())
    incident.members.set([ctx.user(u, "members") for u in _list(data, "members", "front matter")])
    incident.tags.set(
        _taxonomy_rows(Tag, normalize_tag, _list(data, "tags", "front matter"), "tags")
    )
    incident.contributing_factors.set(
        _taxonomy_rows(
            ContributingFactor,
            normalize_factor,
            _list(data, "contributing_factors", "front matter"),
            "contributing_factors",
        )
    )
    fired_field = Alert._meta.get_field("fired_at")
    linked = []
    for i, ref in enumerate(_list(data, "alerts", "front matter")):
        if not isinstance(ref, dict):
            raise ArchiveError(f"alerts[{i}] must be a mapping")
        fired = decode_value(fired_field, ref.get("fired_at"), f"alerts[{i}].fired_at")
        alert = ctx.alerts.get(_alert_key(ref.get("integration"), ref.get("fingerprint"), fired))
        if alert is None:
            raise ArchiveError(f"alerts[{i}] is not in alerts.yml")
        linked.append(alert)
    incident.alerts.set(linked)

    _import_timeline(incident, _list(data, "timeline", "front matter"), ctx)
    for key, model in (
        ("role_assignments", RoleAssignment),
        ("stakeholder_updates", StakeholderUpdate),
        ("reminders", Reminder),
    ):
        rows = [
            dict(_fields(model, row, f"{key}[{i}]", ctx), incident=incident)
            for i, row in enumerate(_list(data, key, "front matter"))
        ]
        _create_all(model, rows, key)
    items = []
    for i, row in enumerate(_list(data, "action_items", "front matter")):
        item = _fields(ActionItem, row, f"action_items[{i}]", ctx, handled=("in_postmortem",))
        if not isinstance(row.get("in_postmortem", False), bool):
            raise ArchiveError(f"action_items[{i}].in_postmortem must be true or false")
        items.append(dict(item, incident=incident))
    created = _create_all(ActionItem, items, "action_items")
    ctx.postmortem_items[number] = [
        obj.pk
        for obj, row in zip(created, _list(data, "action_items", "front matter"), strict=True)
        if row.get("in_postmortem")
    ]
    if updated_at is not None:
        Incident.objects.filter(pk=incident.pk).update(updated_at=updated_at)
    return number


def _taxonomy_rows(model, normalize, names: list, where: str) -> list:
    """Tags or contributing factors by name, normalised as the taxonomy service does; rows
    that exist are reused, the others created."""
    if not all(isinstance(name, str) for name in names):
        raise ArchiveError(f"{where} must be a list of names")
    wanted = sorted({normalize(name) for name in names} - {""})
    found = {row.name: row for row in model.objects.filter(name__in=wanted)}
    for name in wanted:
        if name not in found:
            found[name] = _validated(model(name=name), f"{where} {name[:40]!r}")
            found[name].save()
    return [found[name] for name in wanted]


def _import_timeline(incident: Incident, events: list, ctx: _Context) -> None:
    """Events in recording order; ``corrects`` names an earlier event by its ``seq``."""
    created: dict[int, TimelineEvent] = {}
    pending: list[tuple[int, TimelineEvent]] = []

    def flush() -> None:
        objs = TimelineEvent.objects.bulk_create([obj for _seq, obj in pending])
        for (seq, _obj), saved in zip(pending, objs, strict=True):
            created[seq] = saved
        pending.clear()

    for i, row in enumerate(events):
        where = f"timeline[{i}]"
        kwargs = _fields(TimelineEvent, row, where, ctx, handled=("seq", "corrects"))
        seq, corrects = row.get("seq"), row.get("corrects")
        if seq != i + 1:
            raise ArchiveError(f"{where}.seq must be {i + 1}")
        if corrects is not None:
            if not isinstance(corrects, int) or not 1 <= corrects < seq:
                raise ArchiveError(f"{where}.corrects must be the seq of an earlier event")
            if corrects not in created:
                flush()
            kwargs["corrects"] = created[corrects]
        pending.append((seq, _validated(TimelineEvent(incident=incident, **kwargs), where)))
    flush()


def _import_postmortem(file: _File, ctx: _Context) -> None:
    data = file.data
    handled = ("incident", "template", "sections", "revisions", "reviews", "meetings")
    kwargs = _fields(Postmortem, data, "front matter", ctx, handled=handled)
    reference = data.get("incident")
    number = _reference_number(reference)
    if file.path.name != f"{reference}-postmortem.md":
        raise ArchiveError(f"front matter incident {reference!r} does not match the file name")
    incident = Incident.objects.filter(number=number).first()
    if incident is None:
        raise ArchiveError(f"incident {reference} is neither in the archive nor in the database")
    template = None
    if data.get("template") is not None:
        template = PostmortemTemplate.objects.filter(slug=data["template"]).first()
        if template is None:
            raise ArchiveError(f"unknown template {data['template']!r}")
    postmortem = _create_all(
        Postmortem, [dict(kwargs, incident=incident, template=template)], "front matter"
    )[0]
    for key, model in (
        ("sections", PostmortemSection),
        ("revisions", PostmortemRevision),
        ("reviews", PostmortemReview),
    ):
        rows = [
            dict(_fields(model, row, f"{key}[{i}]", ctx), postmortem=postmortem)
            for i, row in enumerate(_list(data, key, "front matter"))
        ]
        _create_all(model, rows, key)
    for i, row in enumerate(_list(data, "meetings", "front matter")):
        where = f"meetings[{i}]"
        fields = _fields(Meeting, row, where, ctx, handled=("attendees",))
        meeting = _validated(Meeting(postmortem=postmortem, **fields), where)
        created_at, updated_at = fields.get("created_at"), fields.get("updated_at")
        meeting.save()
        restored = {"created_at": created_at, "updated_at": updated_at}
        restored = {name: value for name, value in restored.items() if value is not None}
        if restored:
            Meeting.objects.filter(pk=meeting.pk).update(**restored)
        meeting.attendees.set(
            [ctx.user(u, f"{where}.attendees") for u in _list(row, "attendees", where)]
        )
    item_ids = ctx.postmortem_items.get(number, [])
    ActionItem.objects.filter(pk__in=item_ids).update(postmortem=postmortem)


def _reference_number(reference: Any) -> int:
    if (
        not isinstance(reference, str)
        or not reference.startswith(INCIDENT_FILE_PREFIX)
        or not reference[len(INCIDENT_FILE_PREFIX) :].isdigit()
    ):
        raise ArchiveError(f"incident must be written INC-<number>, not {reference!r}")
    return int(reference[len(INCIDENT_FILE_PREFIX) :])
