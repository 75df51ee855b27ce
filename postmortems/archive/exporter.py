"""Write the whole history as an archive directory (see the package docstring for the layout).

Every list is in an explicit order (people by username, incidents by number, rows of one
incident in the order they were recorded), so exporting the same data on SQLite or PostgreSQL
gives the same bytes, and export → import into an empty database → export is byte-identical.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models

from incidents.models import Incident, Service, Team
from oncall.models import Alert
from postmortems.archive.codec import dump_yaml, encode_value, markdown_document
from postmortems.models import Postmortem, PostmortemTemplate

Progress = Callable[[str, int, int], None]

USER_FIELDS = (
    "username",
    "first_name",
    "last_name",
    "email",
    "timezone",
    "slack_user_id",
    "is_active",
    "is_staff",
    "is_superuser",
    "date_joined",
    "last_login",
)


def alert_ref(alert: Alert) -> dict:
    return {
        "fingerprint": alert.fingerprint,
        "fired_at": encode_value(Alert._meta.get_field("fired_at"), alert.fired_at),
        "integration": alert.integration.name,
    }


def _alert_sort_key(ref: dict) -> tuple:
    return (ref["integration"], ref["fingerprint"], ref["fired_at"])


class _Rows:
    """Serialises model rows: plain fields as values, user foreign keys as usernames."""

    def __init__(self) -> None:
        self.usernames = dict(get_user_model().objects.values_list("pk", "username"))

    def username(self, user_id: int | None) -> str | None:
        return None if user_id is None else self.usernames[user_id]

    def row(self, obj: models.Model, *, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
        out: dict[str, Any] = {}
        user_model = get_user_model()
        for field in obj._meta.concrete_fields:
            if field.primary_key or field.name in exclude:
                continue
            value = getattr(obj, field.attname)
            if field.is_relation:
                if field.related_model is not user_model:
                    raise AssertionError(f"{field} must be excluded or handled by the caller")
                out[field.name] = self.username(value)
            else:
                out[field.name] = encode_value(field, value)
        return out


def export_archive(out_dir: Path, *, progress: Progress | None = None) -> dict[str, int]:
    """Write the archive into ``out_dir`` (created if missing; files of the same name replaced).

    Returns counts of what was written per kind.
    """
    out_dir = Path(out_dir)
    (out_dir / "incidents").mkdir(parents=True, exist_ok=True)
    (out_dir / "postmortems").mkdir(parents=True, exist_ok=True)
    rows = _Rows()
    _write(out_dir / "people.yml", dump_yaml(_people(rows)))
    _write(out_dir / "teams.yml", dump_yaml(_teams()))
    _write(out_dir / "services.yml", dump_yaml(_services()))
    _write(out_dir / "templates.yml", dump_yaml(_templates(rows)))
    _write(out_dir / "alerts.yml", dump_yaml(_alerts(rows)))

    incidents = list(
        Incident.objects.order_by("number").prefetch_related(
            "services", "members", "alerts", "tags", "contributing_factors"
        )
    )
    for done, incident in enumerate(incidents, start=1):
        _write(out_dir / "incidents" / f"{incident.reference}.md", _incident_file(rows, incident))
        if progress:
            progress("incidents", done, len(incidents))

    postmortems = list(
        Postmortem.objects.select_related("incident", "template").order_by("incident__number")
    )
    for done, postmortem in enumerate(postmortems, start=1):
        name = f"{postmortem.incident.reference}-postmortem.md"
        _write(out_dir / "postmortems" / name, _postmortem_file(rows, postmortem))
        if progress:
            progress("postmortems", done, len(postmortems))
    return {"incidents": len(incidents), "postmortems": len(postmortems)}


def _write(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def _people(rows: _Rows) -> list[dict]:
    people = []
    for user in get_user_model().objects.order_by("username").prefetch_related("groups"):
        person = {
            name: encode_value(user._meta.get_field(name), getattr(user, name))
            for name in USER_FIELDS
        }
        person["groups"] = sorted(group.name for group in user.groups.all())
        people.append(person)
    return people


def _teams() -> list[dict]:
    return [
        {
            "slug": team.slug,
            "name": team.name,
            "members": sorted(member.username for member in team.members.all()),
        }
        for team in Team.objects.order_by("slug").prefetch_related("members")
    ]


def _services() -> list[dict]:
    fields = {f.name: f for f in Service._meta.concrete_fields}
    return [
        {
            "slug": service.slug,
            "name": service.name,
            "description": service.description,
            "tier": service.tier,
            "team": service.team.slug if service.team else None,
            "slo_target": encode_value(fields["slo_target"], service.slo_target),
        }
        for service in Service.objects.order_by("slug").select_related("team")
    ]


def _templates(rows: _Rows) -> list[dict]:
    """Custom templates in full; built-in ones by slug only (the code defines their text)."""
    out = []
    for template in PostmortemTemplate.objects.order_by("slug").prefetch_related("sections"):
        if template.built_in:
            out.append({"slug": template.slug, "name": template.name, "built_in": True})
            continue
        data = rows.row(template)
        data["sections"] = [
            rows.row(section, exclude=("template",))
            for section in template.sections.order_by("position", "id")
        ]
        out.append(data)
    return out


def _alerts(rows: _Rows) -> list[dict]:
    """Alerts linked to any incident, with their integration named by its name and kind."""
    out = []
    alerts = Alert.objects.filter(incidents__isnull=False).distinct().select_related("integration")
    for alert in alerts:
        data = rows.row(alert, exclude=("integration",))
        data["integration"] = alert.integration.name
        data["integration_kind"] = alert.integration.kind
        out.append(data)
    return sorted(out, key=_alert_sort_key)


def _incident_file(rows: _Rows, incident: Incident) -> str:
    data = rows.row(incident)
    data["services"] = sorted(service.slug for service in incident.services.all())
    data["members"] = sorted(rows.username(member.pk) for member in incident.members.all())
    data["tags"] = sorted(tag.name for tag in incident.tags.all())
    data["contributing_factors"] = sorted(
        factor.name for factor in incident.contributing_factors.all()
    )
    data["alerts"] = sorted(
        (alert_ref(alert) for alert in incident.alerts.select_related("integration")),
        key=_alert_sort_key,
    )
    # Timeline in recording order: a correction always comes after the event it corrects.
    events = list(incident.timeline.order_by("id"))
    position = {event.pk: index for index, event in enumerate(events, start=1)}
    timeline = []
    for index, event in enumerate(events, start=1):
        item = rows.row(event, exclude=("incident", "corrects"))
        item["seq"] = index
        item["corrects"] = position.get(event.corrects_id) if event.corrects_id else None
        timeline.append(item)
    data["timeline"] = timeline
    data["role_assignments"] = [
        rows.row(row, exclude=("incident",)) for row in incident.role_assignments.order_by("id")
    ]
    data["stakeholder_updates"] = [
        rows.row(row, exclude=("incident",)) for row in incident.updates.order_by("id")
    ]
    data["reminders"] = [
        rows.row(row, exclude=("incident",)) for row in incident.reminders.order_by("id")
    ]
    action_items = []
    for item in incident.action_items.order_by("id"):
        row = rows.row(item, exclude=("incident", "postmortem"))
        row["in_postmortem"] = item.postmortem_id is not None
        action_items.append(row)
    data["action_items"] = action_items
    return markdown_document(data, _incident_body(incident, data))


def _incident_body(incident: Incident, data: dict) -> str:
    lines = [f"# {incident.reference}: {incident.title}", ""]
    lines += [f"- Severity: {incident.severity}", f"- Status: {incident.status}"]
    lines += [f"- Services: {', '.join(data['services']) or '—'}"]
    lines += [f"- Trigger: {incident.trigger_category}"]
    lines += [f"- Tags: {', '.join(data['tags']) or '—'}"]
    lines += [f"- Contributing factors: {', '.join(data['contributing_factors']) or '—'}", ""]
    if incident.summary:
        lines += ["## Summary", "", incident.summary, ""]
    if incident.impact:
        lines += ["## Impact", "", incident.impact, ""]
    lines += ["## Timeline (UTC)", ""]
    for event in sorted(data["timeline"], key=lambda e: (e["occurred_at"], e["seq"])):
        star = " ★" if event["highlighted"] else ""
        who = f" ({event['actor']})" if event["actor"] else ""
        body = " ".join(event["body"].split())
        lines.append(f"- {event['occurred_at']} **{event['kind']}**{who}{star}: {body}")
    if data["role_assignments"]:
        lines += ["", "## Roles", ""]
        for role in data["role_assignments"]:
            until = role["ended_at"] or "now"
            lines.append(f"- {role['role']}: {role['user']} ({role['assigned_at']} – {until})")
    if data["stakeholder_updates"]:
        lines += ["", "## Stakeholder updates", ""]
        for update in data["stakeholder_updates"]:
            lines += [f"### {update['posted_at']} ({update['audience']}, {update['kind']})", ""]
            lines += [update["body"], ""]
    if data["action_items"]:
        lines += ["", "## Action items", ""]
        for item in data["action_items"]:
            lines.append(f"- [{item['status']}] {item['title']} — due {item['due_date']}")
    return "\n".join(lines) + "\n"


def _postmortem_file(rows: _Rows, postmortem: Postmortem) -> str:
    data = rows.row(postmortem, exclude=("incident", "template"))
    data["incident"] = postmortem.incident.reference
    data["template"] = postmortem.template.slug if postmortem.template else None
    data["sections"] = [
        rows.row(section, exclude=("postmortem",))
        for section in postmortem.sections.order_by("position", "id")
    ]
    data["revisions"] = [
        rows.row(revision, exclude=("postmortem",))
        for revision in postmortem.revisions.order_by("id")
    ]
    data["reviews"] = [
        rows.row(review, exclude=("postmortem",)) for review in postmortem.reviews.order_by("id")
    ]
    meetings = []
    for meeting in postmortem.meetings.order_by("id").prefetch_related("attendees"):
        row = rows.row(meeting, exclude=("postmortem",))
        row["attendees"] = sorted(user.username for user in meeting.attendees.all())
        meetings.append(row)
    data["meetings"] = meetings
    return markdown_document(data, _postmortem_body(postmortem, data))


def _postmortem_body(postmortem: Postmortem, data: dict) -> str:
    lines = [f"# {postmortem.title}", ""]
    lines += [f"- Incident: {data['incident']}", f"- Status: {postmortem.status}"]
    lines += [f"- Version: {postmortem.version}", ""]
    for section in data["sections"]:
        lines += [f"## {section['title']}", "", section["body"].rstrip("\n"), ""]
    if data["revisions"]:
        lines += ["## Revisions", ""]
        for revision in data["revisions"]:
            who = revision["author"] or "—"
            note = f": {revision['note']}" if revision["note"] else ""
            lines.append(
                f"- v{revision['version']} {revision['kind']} by {who} "
                f"at {revision['created_at']}{note}"
            )
    return "\n".join(lines) + "\n"
