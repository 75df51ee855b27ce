"""Block Kit for the bot: the pinned header, the declare and update modals, reminder buttons."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from django.conf import settings
from django.urls import reverse

from incidents.models import Incident, Role, Severity, StakeholderUpdate
from incidents.selectors import active_role_assignments, service_list

DECLARE_CALLBACK = "firebreak_declare"
UPDATE_CALLBACK = "firebreak_update"
RESOLVE_CALLBACK = "firebreak_resolve"
ACTION_POST_UPDATE = "firebreak_post_update"
ACTION_SNOOZE = "firebreak_snooze_10"
ACTION_ALL_CLEAR = "firebreak_all_clear"
ACTION_FOLLOW_UP = "firebreak_follow_up"


def incident_url(incident: Incident) -> str:
    return settings.FIREBREAK_BASE_URL + reverse("incidents:detail", args=[incident.number])


def _who(user) -> str:
    if getattr(user, "slack_user_id", ""):
        return f"<@{user.slack_user_id}>"
    return user.get_full_name() or user.get_username()


def header_text(incident: Incident) -> str:
    return f"{incident.reference} {incident.title} — {incident.get_status_display()}, {incident.severity}"


def header_blocks(incident: Incident) -> list[dict]:
    """The pinned header: status, severity, roles, next update due (UTC) and the web link."""
    roles = [
        f"*{a.get_role_display()}*: {_who(a.user)}"
        for a in active_role_assignments(incident).select_related("user")
    ]
    due = (
        f"<!date^{int(incident.next_update_due_at.timestamp())}^{{date_short_pretty}} {{time}}|"
        f"{incident.next_update_due_at:%Y-%m-%d %H:%M} UTC>"
        if incident.next_update_due_at and incident.is_active
        else "—"
    )
    fields = [
        f"*Status*\n{incident.get_status_display()}",
        f"*Severity*\n{incident.severity}",
        f"*Next update due*\n{due}",
        "*Roles*\n" + ("\n".join(roles) if roles else "none assigned"),
    ]
    return [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": f"{incident.reference}: {incident.title}"[:150]},
        },
        {"type": "section", "fields": [{"type": "mrkdwn", "text": f} for f in fields]},
        {
            "type": "context",
            "elements": [
                {"type": "mrkdwn", "text": f"<{incident_url(incident)}|Open in Firebreak>"}
            ],
        },
    ]


def _input(block_id: str, label: str, element: dict, *, optional: bool = False) -> dict:
    return {
        "type": "input",
        "block_id": block_id,
        "label": {"type": "plain_text", "text": label},
        "element": {**element, "action_id": block_id},
        "optional": optional,
    }


def _option(value: str, text: str) -> dict:
    return {"text": {"type": "plain_text", "text": text[:75]}, "value": value}


def declare_modal(channel_id: str) -> dict:
    severities = [_option(v, label) for v, label in Severity.choices]
    services = [_option(s.slug, s.name) for s in service_list()[:100]]
    blocks = [
        _input("title", "Title", {"type": "plain_text_input", "max_length": 200}),
        _input(
            "severity",
            "Severity",
            {"type": "static_select", "options": severities, "initial_option": severities[2]},
        ),
    ]
    if services:
        blocks.append(
            _input(
                "services",
                "Services",
                {"type": "multi_static_select", "options": services},
                optional=True,
            )
        )
    blocks += [
        _input(
            "private",
            "Visibility",
            {"type": "checkboxes", "options": [_option("private", "Private (members only)")]},
            optional=True,
        ),
        _input(
            "summary", "Summary", {"type": "plain_text_input", "multiline": True}, optional=True
        ),
    ]
    return {
        "type": "modal",
        "callback_id": DECLARE_CALLBACK,
        "private_metadata": json.dumps({"channel_id": channel_id}),
        "title": {"type": "plain_text", "text": "Declare an incident"},
        "submit": {"type": "plain_text", "text": "Declare"},
        "blocks": blocks,
    }


UPDATE_TITLES = {
    StakeholderUpdate.UpdateKind.UPDATE: "Update",
    StakeholderUpdate.UpdateKind.RESOLUTION: "All clear (1 of 2)",
    StakeholderUpdate.UpdateKind.FOLLOW_UP: "Root cause (2 of 2)",
}


def update_modal(incident: Incident, kind: str = StakeholderUpdate.UpdateKind.UPDATE) -> dict:
    """The stakeholder update form; ``kind`` resolution / follow_up are the two all-clear messages."""
    audiences = [_option(v, label) for v, label in StakeholderUpdate.Audience.choices]
    update_blocks = [
        _input(
            "audience",
            "Audience",
            {"type": "static_select", "options": audiences, "initial_option": audiences[0]},
        ),
        _input(
            "body",
            "What we know, what we are doing",
            {"type": "plain_text_input", "multiline": True},
        ),
    ]
    if kind == StakeholderUpdate.UpdateKind.UPDATE:
        update_blocks.append(
            _input("next_update_at", "Next update at", {"type": "datetimepicker"}, optional=True)
        )
    elif kind == StakeholderUpdate.UpdateKind.RESOLUTION:
        yes_no = [_option("yes", "Yes, a root-cause message will follow"), _option("no", "No")]
        update_blocks.append(
            _input(
                "follow_up_expected",
                "Root-cause follow-up?",
                {"type": "static_select", "options": yes_no},
            )
        )
    return {
        "type": "modal",
        "callback_id": UPDATE_CALLBACK,
        "private_metadata": json.dumps({"incident_id": incident.pk, "kind": kind}),
        "title": {"type": "plain_text", "text": UPDATE_TITLES[kind][:24]},
        "submit": {"type": "plain_text", "text": "Post"},
        "blocks": update_blocks,
    }


def resolve_modal(incident: Incident, note: str = "") -> dict:
    """Resolve: when impact has no recorded end, ask when it ended (default now, METRICS.md v2)."""
    resolve_blocks = []
    if incident.mitigated_at is None:
        resolve_blocks.append(
            _input(
                "impact_ended_at",
                "When did impact end?",
                {
                    "type": "datetimepicker",
                    "initial_date_time": int(datetime.now(tz=UTC).timestamp()),
                },
            )
        )
    else:
        ended = int(incident.mitigated_at.timestamp())
        resolve_blocks.append(
            {
                "type": "context",
                "elements": [
                    {
                        "type": "mrkdwn",
                        "text": f"Impact ended <!date^{ended}^{{date_short_pretty}} at {{time}}|"
                        f"{incident.mitigated_at:%Y-%m-%d %H:%M} UTC> (recorded).",
                    }
                ],
            }
        )
    note_element = {"type": "plain_text_input", "multiline": True}
    if note:
        note_element["initial_value"] = note[:3000]
    resolve_blocks.append(_input("note", "Note for the timeline", note_element, optional=True))
    return {
        "type": "modal",
        "callback_id": RESOLVE_CALLBACK,
        "private_metadata": json.dumps({"incident_id": incident.pk}),
        "title": {"type": "plain_text", "text": f"Resolve {incident.reference}"[:24]},
        "submit": {"type": "plain_text", "text": "Resolve"},
        "blocks": resolve_blocks,
    }


def button_blocks(text: str, buttons: list[tuple[str, str, str]]) -> list[dict]:
    """A message with buttons: ``(action_id, label, value)`` each."""
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": text}},
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": action_id,
                    "text": {"type": "plain_text", "text": label},
                    "value": value,
                }
                for action_id, label, value in buttons
            ],
        },
    ]


def reminder_blocks(text: str, incident: Incident) -> list[dict]:
    value = str(incident.pk)
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": text}},
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": ACTION_POST_UPDATE,
                    "text": {"type": "plain_text", "text": "Post update"},
                    "style": "primary",
                    "value": value,
                },
                {
                    "type": "button",
                    "action_id": ACTION_SNOOZE,
                    "text": {"type": "plain_text", "text": "Snooze 10 min"},
                    "value": value,
                },
            ],
        },
    ]


def view_values(view: dict) -> dict:
    """Flatten a submitted view's state into ``{block_id: value}``."""
    out: dict = {}
    for block_id, actions in view.get("state", {}).get("values", {}).items():
        for action in actions.values():
            kind = action.get("type")
            if kind == "static_select":
                out[block_id] = (action.get("selected_option") or {}).get("value")
            elif kind in {"multi_static_select", "checkboxes"}:
                out[block_id] = [o["value"] for o in action.get("selected_options") or []]
            elif kind == "datetimepicker":
                stamp = action.get("selected_date_time")
                out[block_id] = datetime.fromtimestamp(int(stamp), tz=UTC) if stamp else None
            else:
                out[block_id] = action.get("value") or ""
    return out


ROLE_ALIASES = {
    "ic": Role.INCIDENT_COMMANDER,
    "commander": Role.INCIDENT_COMMANDER,
    "comms": Role.COMMUNICATIONS_LEAD,
    "communications": Role.COMMUNICATIONS_LEAD,
    "ops": Role.OPERATIONS_LEAD,
    "operations": Role.OPERATIONS_LEAD,
    "planning": Role.PLANNING_LEAD,
    "sme": Role.SUBJECT_MATTER_EXPERT,
    "liaison": Role.CUSTOMER_LIAISON,
}
