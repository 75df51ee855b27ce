"""Slack's three request URLs. Each verifies the signature over the raw body before parsing,
acknowledges at once, and hands the work to Celery (a queued command is not even looked up: the
worker finds the person and answers unknown ones); only ``views.open`` is called inline (a
``trigger_id`` lives 3 seconds) and modal submissions are saved inline (their errors go back in
the response, next to the field)."""

from __future__ import annotations

import json
import logging

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from config.errors import ApplicationError, NotFound
from incidents import services
from incidents.selectors import incident_visible_queryset
from incidents.slack import blocks, offers, tasks
from incidents.slack.client import SlackError, SlackTransientError, slack_call
from incidents.slack.commands import CommandContext, get_subcommand, help_text, split_command
from incidents.slack.deliveries import delivery_claim
from incidents.slack.lookup import UnknownSlackUser, incident_for_channel, user_for_slack_id
from incidents.slack.verify import request_is_from_slack

logger = logging.getLogger(__name__)

UNAUTHORIZED = "This request is not signed by Slack (or is older than 5 minutes)."


def _unauthorized() -> HttpResponse:
    return HttpResponse(UNAUTHORIZED, status=401, content_type="text/plain")


def _bad_request(message: str) -> HttpResponse:
    return HttpResponse(message, status=400, content_type="text/plain")


def _ephemeral(text: str) -> JsonResponse:
    return JsonResponse({"response_type": "ephemeral", "text": text})


def _enqueue(key: str, kind: str, task, *args) -> bool:
    """Hand ``task`` to the queue with its delivery key; the worker claims the key, so a retried
    or repeated delivery is acted on once (``incidents.slack.deliveries``). False if the broker
    cannot take it: nothing was recorded, so Slack's retry (or the person's) can succeed."""
    try:
        # The reprs name the delivery instead of repeating the payload: cheaper to publish, and
        # no incident text in the broker's or worker's logs.
        task.apply_async(
            args,
            {"delivery_key": key, "delivery_kind": kind},
            argsrepr=f"<slack {kind}>",
            kwargsrepr=repr(key),
        )
    except Exception:
        logger.exception("Could not enqueue Slack %s %s", kind, key)
        return False
    return True


def _retry_later() -> HttpResponse:
    """Slack retries events that did not get a 2xx."""
    return HttpResponse("Try again.", status=503, content_type="text/plain")


BUSY = "Firebreak could not take this right now (its task queue is unreachable). Please try again."


@csrf_exempt
@require_POST
def slack_commands(request: HttpRequest) -> HttpResponse:
    if not request_is_from_slack(request):
        return _unauthorized()
    form = request.POST
    user_id, channel_id, trigger_id = (
        form.get(k, "") for k in ("user_id", "channel_id", "trigger_id")
    )
    if not (user_id and channel_id and trigger_id):
        return _bad_request("user_id, channel_id and trigger_id are required.")
    name, args = split_command(form.get("text", ""))
    command = get_subcommand(name)
    if command is None:
        return _ephemeral(help_text("" if name == "help" else name))
    if command.inline:
        user = user_for_slack_id(user_id)
        if user is None:
            return _ephemeral(UnknownSlackUser().message)
        ctx = CommandContext(
            user=user,
            incident=incident_for_channel(channel_id, user=user),
            args=args,
            channel_id=channel_id,
            slack_user_id=user_id,
            trigger_id=trigger_id,
        )
        try:
            command.handler(ctx)
        except ApplicationError as exc:
            return _ephemeral(exc.message)
        except (SlackError, SlackTransientError) as exc:
            return _ephemeral(f"Slack did not open the form ({exc}). Please try again.")
        return HttpResponse(status=200)
    payload = {
        "name": name,
        "args": args,
        "user_id": user_id,
        "channel_id": channel_id,
        "trigger_id": trigger_id,
    }
    if not _enqueue(f"command:{trigger_id}", "command", tasks.slack_command_run, payload):
        return _ephemeral(BUSY)  # Slack does not retry slash commands: tell the person
    return HttpResponse(status=200)


@csrf_exempt
@require_POST
def slack_events(request: HttpRequest) -> HttpResponse:
    if not request_is_from_slack(request):
        return _unauthorized()
    try:
        payload = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return _bad_request("The body is not JSON.")
    if not isinstance(payload, dict):
        return _bad_request("The body is not a JSON object.")
    if payload.get("type") == "url_verification":
        return JsonResponse({"challenge": str(payload.get("challenge", ""))})
    if payload.get("type") != "event_callback":
        return HttpResponse(status=200)
    event_id, event = payload.get("event_id"), payload.get("event")
    if not isinstance(event_id, str) or not event_id or not isinstance(event, dict):
        return _bad_request("event_id and event are required.")
    if not _enqueue(
        f"event:{event_id}", str(event.get("type", "")), tasks.slack_event_handle, event
    ):
        return _retry_later()
    return HttpResponse(status=200)


@csrf_exempt
@require_POST
def slack_interactivity(request: HttpRequest) -> HttpResponse:
    if not request_is_from_slack(request):
        return _unauthorized()
    try:
        payload = json.loads(request.POST.get("payload", ""))
    except ValueError:
        return _bad_request("The payload is not JSON.")
    if not isinstance(payload, dict):
        return _bad_request("The payload is not a JSON object.")
    slack_user_id = (payload.get("user") or {}).get("id", "")
    if payload.get("type") == "block_actions":
        return _block_action(payload, slack_user_id)
    if payload.get("type") == "view_submission":
        return _view_submission(payload, slack_user_id)
    return HttpResponse(status=200)


def _block_action(payload: dict, slack_user_id: str) -> HttpResponse:
    actions = payload.get("actions") or [{}]
    action_id, value = actions[0].get("action_id"), str(actions[0].get("value", ""))
    user = user_for_slack_id(slack_user_id)
    channel_id = (payload.get("channel") or {}).get("id", "")
    incident_part, _, deputy_part = value.partition(":")  # "<incident pk>[:<deputy pk>]"
    if user is None or not incident_part.isdigit():
        return HttpResponse(status=200)
    incident = incident_visible_queryset(user).filter(pk=int(incident_part)).first()
    if incident is None:
        return HttpResponse(status=200)
    modal_kinds = {
        blocks.ACTION_POST_UPDATE: "update",
        blocks.ACTION_ALL_CLEAR: "resolution",
        blocks.ACTION_FOLLOW_UP: "follow_up",
    }
    if action_id in modal_kinds:
        try:
            slack_call(
                "views.open",
                incident=incident,
                trigger_id=payload.get("trigger_id", ""),
                view=blocks.update_modal(incident, modal_kinds[action_id]),
            )
        except (SlackError, SlackTransientError) as exc:
            logger.warning("Could not open the update form: %s", exc)
    elif action_id == blocks.ACTION_SNOOZE:
        key = f"action:{payload.get('trigger_id') or payload.get('action_ts', '')}"
        if not _enqueue(
            key, "snooze", tasks.slack_reminders_snooze, incident.pk, slack_user_id, channel_id
        ):
            return _retry_later()
    elif action_id in (offers.ACTION_OFFER, offers.ACTION_ACCEPT):
        key = f"action:{payload.get('trigger_id') or payload.get('action_ts', '')}"
        deputy_id = int(deputy_part) if deputy_part.isdigit() else 0
        arguments = (action_id, incident.pk, deputy_id, slack_user_id, channel_id)
        if not _enqueue(key, "comms_offer", tasks.slack_comms_offer, *arguments):
            return _retry_later()
    return HttpResponse(status=200)


def _errors(view: dict, exc: ApplicationError, default_block: str) -> JsonResponse:
    block_ids = {b.get("block_id") for b in view.get("blocks", [])}
    errors = {
        field: " ".join(messages)
        for field, messages in (exc.field_errors or {}).items()
        if field in block_ids
    }
    if not errors:
        errors = {default_block: exc.message}
    return JsonResponse({"response_action": "errors", "errors": errors})


def _view_submission(payload: dict, slack_user_id: str) -> HttpResponse:
    view = payload.get("view") or {}
    callback = view.get("callback_id")
    default_block = {
        blocks.DECLARE_CALLBACK: "title",
        blocks.RESOLVE_CALLBACK: "note",
    }.get(callback, "body")
    user = user_for_slack_id(slack_user_id)
    if user is None:
        return _errors(view, UnknownSlackUser(), default_block)
    values = blocks.view_values(view)
    try:
        metadata = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        metadata = {}
    try:
        with transaction.atomic():
            # One submission of one modal writes once, even if Slack delivers it twice.
            if not delivery_claim(f"view:{view.get('id', '')}", "view"):
                return HttpResponse(status=200)
            if callback == blocks.DECLARE_CALLBACK:
                services.incident_declare(
                    user=user,
                    title=values.get("title", ""),
                    severity=values.get("severity") or "",
                    services=values.get("services") or [],
                    private="private" in (values.get("private") or []),
                    summary=values.get("summary", ""),
                )
            elif callback == blocks.RESOLVE_CALLBACK:
                incident = (
                    incident_visible_queryset(user).filter(pk=metadata.get("incident_id")).first()
                )
                if incident is None:
                    raise NotFound("That incident does not exist or you cannot see it.")
                services.incident_change_status(
                    incident=incident,
                    user=user,
                    status="resolved",
                    note=values.get("note", ""),
                    impact_ended_at=values.get("impact_ended_at")
                    if incident.mitigated_at is None
                    else None,
                )
            elif callback == blocks.UPDATE_CALLBACK:
                incident = (
                    incident_visible_queryset(user).filter(pk=metadata.get("incident_id")).first()
                )
                if incident is None:
                    raise NotFound("That incident does not exist or you cannot see it.")
                follow_up = values.get("follow_up_expected")
                services.status_update_post(
                    incident=incident,
                    user=user,
                    body=values.get("body", ""),
                    audience=values.get("audience") or "internal",
                    next_update_at=values.get("next_update_at"),
                    kind=str(metadata.get("kind") or "update"),
                    follow_up_expected=None if follow_up is None else follow_up == "yes",
                )
    except ApplicationError as exc:
        return _errors(view, exc, default_block)
    return HttpResponse(status=200)
