"""The deputy's offer to take communications when an update is overdue.

1. An update reminder fires while nobody is communications lead and a deputy is on the incident:
   the channel gets a message for the deputy with an "Offer to take comms" button.
2. The deputy clicks it: the channel asks the incident commander "you seem busy — shall I take
   comms?" with a "Hand over comms" button.
3. The incident commander (or an admin) clicks it: the deputy becomes communications lead
   (``role_assign``, so the timeline and the header follow).
"""

from __future__ import annotations

from config.errors import PermissionDenied, ValidationFailed
from incidents import services
from incidents.models import Incident, Role
from incidents.selectors import active_role_assignments
from incidents.slack.client import slack_call
from incidents.slack.models import IncidentSlackChannel
from oncall.access import is_admin

ACTION_OFFER = "firebreak_offer_comms"
ACTION_ACCEPT = "firebreak_accept_comms"


def _holder(incident: Incident, role: str):
    assignment = active_role_assignments(incident).filter(role=role).select_related("user").first()
    return assignment.user if assignment else None


def _button(action_id: str, text: str, value: str) -> dict:
    return {
        "type": "actions",
        "elements": [
            {
                "type": "button",
                "action_id": action_id,
                "style": "primary",
                "text": {"type": "plain_text", "text": text},
                "value": value,
            }
        ],
    }


def _mention(user) -> str:
    return f"<@{user.slack_user_id}>" if user.slack_user_id else user.get_username()


def offer_to_deputy(incident: Incident, link: IncidentSlackChannel) -> bool:
    """Post step 1 if there is a deputy and no communications lead. Returns whether it did."""
    deputy = _holder(incident, Role.DEPUTY)
    if deputy is None or _holder(incident, Role.COMMUNICATIONS_LEAD) is not None:
        return False
    text = (
        f"{_mention(deputy)}: the stakeholder update on {incident.reference} is overdue. "
        "Offer to take communications off the incident commander?"
    )
    slack_call(
        "chat.postMessage",
        incident=incident,
        channel=link.channel_id,
        text=text,
        blocks=[
            {"type": "section", "text": {"type": "mrkdwn", "text": text}},
            _button(ACTION_OFFER, "Offer to take comms", str(incident.pk)),
        ],
    )
    return True


def offer_made(*, incident: Incident, user) -> None:
    """Step 2: only the deputy can make the offer; the IC is asked in the channel."""
    if _holder(incident, Role.DEPUTY) != user:
        raise PermissionDenied("Only the deputy can offer to take communications.")
    if _holder(incident, Role.COMMUNICATIONS_LEAD) is not None:
        raise ValidationFailed(f"{incident.reference} already has a communications lead.")
    link = IncidentSlackChannel.objects.get(incident=incident)
    commander = _holder(incident, Role.INCIDENT_COMMANDER)
    text = (
        f"{_mention(commander) if commander else 'Incident commander'}, {_mention(user)} asks: "
        "you seem busy — shall I take comms?"
    )
    slack_call(
        "chat.postMessage",
        incident=incident,
        channel=link.channel_id,
        text=text,
        blocks=[
            {"type": "section", "text": {"type": "mrkdwn", "text": text}},
            _button(ACTION_ACCEPT, "Hand over comms", f"{incident.pk}:{user.pk}"),
        ],
    )


def offer_accepted(*, incident: Incident, user, deputy_id: int):
    """Step 3: the incident commander (or an admin) hands communications to the deputy."""
    deputy = _holder(incident, Role.DEPUTY)
    if deputy is None or deputy.pk != deputy_id:
        raise ValidationFailed("That person is no longer the deputy; offer again.")
    commander = _holder(incident, Role.INCIDENT_COMMANDER)
    if commander != user and not is_admin(user):
        raise PermissionDenied("Only the incident commander can hand over communications.")
    return services.role_assign(
        incident=incident, user=user, role=Role.COMMUNICATIONS_LEAD, assignee=deputy
    )
