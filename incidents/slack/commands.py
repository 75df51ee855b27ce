"""The ``/incident`` command router: a registry of sub-commands that apps fill.

``incidents.slack.handlers`` registers the incident and on-call sub-commands; ``postmortems``
registers ``postmortem`` and ``action`` from its ``AppConfig.ready`` (incidents may not import it).

A handler takes a ``CommandContext`` and returns the text to show the caller (ephemeral), or None.
It raises ``ApplicationError`` for anything the caller did wrong; the router shows its message.
Handlers run in a Celery worker, except ``inline`` ones (they open a modal: a ``trigger_id`` is
valid for 3 seconds only), which run in the request and must only call ``views.open``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from config.errors import ValidationFailed


@dataclass
class CommandContext:
    user: object  # the caller's Firebreak account (mapped by slack_user_id)
    incident: object | None  # the incident of the channel the command was typed in, if any
    args: str  # the text after the sub-command
    channel_id: str
    slack_user_id: str
    trigger_id: str = ""
    extra: dict = field(default_factory=dict)

    def require_incident(self):
        if self.incident is None:
            raise ValidationFailed(
                "Run this in an incident's channel (it applies to that incident)."
            )
        return self.incident


@dataclass(frozen=True)
class Subcommand:
    name: str
    handler: Callable[[CommandContext], str | None]
    help: str
    inline: bool = False


_registry: dict[str, Subcommand] = {}


def register_subcommand(
    name: str, handler: Callable[[CommandContext], str | None], help: str, *, inline: bool = False
) -> Subcommand:
    """Add ``/incident <name>``; registering the same name again replaces it (``ready()`` may
    run twice). ``help`` is one line: usage, then what it does."""
    if not re.fullmatch(r"[a-z][a-z0-9-]*", name):
        raise ValueError(
            f"A sub-command name is lowercase letters, digits and dashes; got {name!r}."
        )
    command = Subcommand(name=name, handler=handler, help=help, inline=inline)
    _registry[name] = command
    return command


def get_subcommand(name: str) -> Subcommand | None:
    return _registry.get(name)


def registered_subcommands() -> list[Subcommand]:
    return sorted(_registry.values(), key=lambda c: c.name)


def split_command(text: str) -> tuple[str, str]:
    """``"role ic @bob"`` → ``("role", "ic @bob")``; empty text → ``("help", "")``."""
    text = (text or "").strip()
    if not text:
        return "help", ""
    name, _, rest = text.partition(" ")
    return name.lower(), rest.strip()


def help_text(unknown: str = "") -> str:
    lines = [f"I don't know `{unknown}`. " if unknown else ""]
    lines[0] += "Usage: `/incident <command>`"
    lines += [
        f"• `{c.help}`" if "`" not in c.help else f"• {c.help}" for c in registered_subcommands()
    ]
    return "\n".join(lines)
