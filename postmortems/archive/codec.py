"""Field values ↔ archive values: deterministic, database-independent, primary-key free."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml
from django.db import models
from django.utils.dateparse import parse_date, parse_datetime

FRONT_MATTER_FENCE = "---"


class ArchiveError(Exception):
    """A file of the archive cannot be read; the message names the problem."""


def utc_iso(value: dt.datetime | None) -> str | None:
    """An aware datetime as UTC ISO 8601 with a ``Z`` (microseconds kept when present)."""
    if value is None:
        return None
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def dump_yaml(data: Any) -> str:
    return yaml.safe_dump(
        data, sort_keys=True, allow_unicode=True, default_flow_style=False, width=100
    )


def load_yaml(text: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ArchiveError(f"invalid YAML: {exc}".replace("\n", " ")) from None


def markdown_document(front_matter: dict, body: str) -> str:
    """Front matter + body, normalised to LF line endings and exactly one trailing newline."""
    text = f"{FRONT_MATTER_FENCE}\n{dump_yaml(front_matter)}{FRONT_MATTER_FENCE}\n\n{body}"
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.rstrip("\n") + "\n"


def split_front_matter(text: str) -> tuple[dict, str]:
    """(front matter mapping, Markdown body). A file without front matter has an empty mapping."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.startswith(FRONT_MATTER_FENCE + "\n"):
        return {}, text
    end = text.find(f"\n{FRONT_MATTER_FENCE}\n", len(FRONT_MATTER_FENCE))
    if end == -1:
        raise ArchiveError("the front matter is not closed by a '---' line")
    data = load_yaml(text[len(FRONT_MATTER_FENCE) + 1 : end + 1])
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ArchiveError("the front matter must be a mapping of field names to values")
    return data, text[end + len(FRONT_MATTER_FENCE) + 2 :]


def encode_value(field: models.Field, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(field, models.DateTimeField):
        return utc_iso(value)
    if isinstance(field, models.DateField):
        return value.isoformat()
    if isinstance(field, models.DecimalField):
        return format(value, "f")
    if isinstance(field, models.UUIDField):
        return str(value)
    return value


def decode_value(field: models.Field, value: Any, where: str) -> Any:
    """The Python value of ``value`` for ``field``; ArchiveError naming ``where`` if it is wrong."""
    if value is None:
        if not field.null:
            raise ArchiveError(f"{where} must not be empty")
        return None
    try:
        if isinstance(field, models.DateTimeField):
            parsed = parse_datetime(value) if isinstance(value, str) else None
            if parsed is None or parsed.tzinfo is None:
                raise ValueError
            return parsed.astimezone(dt.UTC)
        if isinstance(field, models.DateField):
            parsed = parse_date(value) if isinstance(value, str) else None
            if parsed is None:
                raise ValueError
            return parsed
        if isinstance(field, models.DecimalField):
            return Decimal(str(value))
        if isinstance(field, models.BooleanField) and not isinstance(value, bool):
            raise ValueError
        if isinstance(field, (models.IntegerField,)) and (
            isinstance(value, bool) or not isinstance(value, int)
        ):
            raise ValueError
        if isinstance(field, (models.CharField, models.TextField)) and not isinstance(value, str):
            raise ValueError
    except (ValueError, TypeError, InvalidOperation):
        raise ArchiveError(f"{where} has an invalid value {value!r}") from None
    return value
