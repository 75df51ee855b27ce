"""The built-in ``/incident`` sub-commands. Each calls one service (or opens one modal)."""

from __future__ import annotations

from django.utils import timezone

from config.errors import NotFound, ValidationFailed
from incidents import services
from incidents.models import Role, Severity, Status
from incidents.selectors import active_role_assignments
from incidents.slack import blocks
from incidents.slack.client import slack_call
from incidents.slack.commands import CommandContext, register_subcommand
from incidents.slack.lookup import user_from_mention
from oncall.schedules.selectors import oncall_at, schedule_get, schedule_list


def _declare(ctx: CommandContext) -> None:
    slack_call("views.open", trigger_id=ctx.trigger_id, view=blocks.declare_modal(ctx.channel_id))


def _update(ctx: CommandContext) -> None:
    slack_call(
        "views.open",
        incident=ctx.incident,
        trigger_id=ctx.trigger_id,
        view=blocks.update_modal(ctx.require_incident()),
    )


def parse_role(word: str) -> str:
    word = word.lower().replace("-", "_")
    role = blocks.ROLE_ALIASES.get(word, word)
    if role not in Role.values:
        names = ", ".join(sorted({*blocks.ROLE_ALIASES, *Role.values}))
        raise ValidationFailed(f"There is no role {word!r}. Roles: {names}.")
    return role


def _role(ctx: CommandContext) -> str:
    incident = ctx.require_incident()
    word, _, who = ctx.args.partition(" ")
    if not word or not who.strip():
        raise ValidationFailed("Usage: /incident role <role> @person")
    role = parse_role(word)
    assignee = user_from_mention(who)
    services.role_assign(incident=incident, user=ctx.user, role=role, assignee=assignee)
    return f"{assignee.get_full_name() or assignee.get_username()} is now {Role(role).label}."


def _roles(ctx: CommandContext) -> str:
    incident = ctx.require_incident()
    rows = [
        f"• {a.get_role_display()}: {a.user.get_full_name() or a.user.get_username()}"
        for a in active_role_assignments(incident).select_related("user")
    ]
    return f"Roles on {incident.reference}:\n" + ("\n".join(rows) or "nobody holds a role")


def _status(ctx: CommandContext) -> str:
    incident = ctx.require_incident()
    status = ctx.args.strip().lower()
    if status not in Status.values:
        raise ValidationFailed(f"Usage: /incident status <{'|'.join(Status.values)}>")
    services.incident_change_status(incident=incident, user=ctx.user, status=status)
    return f"{incident.reference} is now {Status(status).label}."


def _severity(ctx: CommandContext) -> str:
    incident = ctx.require_incident()
    severity = ctx.args.strip().upper()
    if severity not in Severity.values:
        raise ValidationFailed(f"Usage: /incident severity <{'|'.join(Severity.values)}>")
    services.incident_update(incident=incident, user=ctx.user, changes={"severity": severity})
    return f"{incident.reference} is now {severity}."


def _mitigated(ctx: CommandContext) -> str:
    incident = ctx.require_incident()
    services.incident_mitigate(incident=incident, user=ctx.user, note=ctx.args)
    return f"{incident.reference} is mitigated."


def _resolve(ctx: CommandContext) -> None:
    """Open the resolve form: it asks when impact ended when nobody recorded it yet."""
    incident = ctx.require_incident()
    if incident.status not in (Status.INVESTIGATING, Status.IDENTIFIED, Status.MONITORING):
        raise ValidationFailed(
            f"{incident.reference} is already {incident.get_status_display().lower()}."
        )
    slack_call(
        "views.open",
        incident=incident,
        trigger_id=ctx.trigger_id,
        view=blocks.resolve_modal(incident, note=ctx.args),
    )


def _note(ctx: CommandContext) -> str:
    incident = ctx.require_incident()
    services.timeline_note_add(incident=incident, user=ctx.user, body=ctx.args)
    return "Added to the timeline."


def _summary(ctx: CommandContext) -> str:
    incident = ctx.require_incident()
    services.incident_update(incident=incident, user=ctx.user, changes={"summary": ctx.args})
    return "Summary changed."


def _name(user) -> str:
    return user.get_full_name() or user.get_username() if user else "nobody"


def _page(ctx: CommandContext) -> str:
    from oncall.people.services import notification_send

    incident = ctx.require_incident()
    target = ctx.args.strip()
    if not target:
        raise ValidationFailed("Usage: /incident page @person  or  /incident page <schedule>")
    if target.startswith(("<@", "@")):
        person = user_from_mention(target)
    else:
        person = oncall_at(schedule=schedule_get(slug=target), at=timezone.now()).primary
        if person is None:
            raise NotFound(f"Nobody is on call on {target} right now.")
    notification_send(
        recipient=person,
        subject=f"{incident.reference}: you are paged — {incident.title}",
        body=f"{_name(ctx.user)} asks for your help on {incident.reference} ({incident.severity}).",
        url=f"/incidents/{incident.number}/",
        key=f"slack-page:{incident.pk}:{person.pk}:{ctx.trigger_id}",
    )
    return f"Paged {_name(person)}."


def _oncall(ctx: CommandContext) -> str:
    now = timezone.now()
    slug = ctx.args.strip()
    schedules = [schedule_get(slug=slug)] if slug else list(schedule_list())
    if not schedules:
        return "There are no on-call schedules."
    lines = []
    for schedule in schedules:
        who = oncall_at(schedule=schedule, at=now)
        lines.append(
            f"• {schedule.name}: primary {_name(who.primary)}, secondary {_name(who.secondary)}"
        )
    return "On call now:\n" + "\n".join(lines)


def register() -> None:
    register_subcommand(
        "declare", _declare, "declare — open the declare form (new channel)", inline=True
    )
    register_subcommand("update", _update, "update — post a stakeholder update", inline=True)
    register_subcommand("role", _role, "role <role> @person — assign a role (ic, comms, ops...)")
    register_subcommand("roles", _roles, "roles — who holds which role")
    register_subcommand("status", _status, "status <investigating|identified|monitoring>")
    register_subcommand("severity", _severity, "severity <SEV1..SEV4>")
    register_subcommand("mitigated", _mitigated, "mitigated [note] — customers no longer affected")
    register_subcommand(
        "resolve",
        _resolve,
        "resolve [note] — the incident is over (asks when impact ended)",
        inline=True,
    )
    register_subcommand("note", _note, "note <text> — add a note to the timeline")
    register_subcommand("summary", _summary, "summary <text> — replace the summary")
    register_subcommand("page", _page, "page @person | <schedule> — ask for help")
    register_subcommand("oncall", _oncall, "oncall [schedule] — who is on call now")
