"""Strict helpers that read settings from the environment.

Every setting Firebreak reads comes through one of these. A malformed value raises
``ImproperlyConfigured`` naming the variable, instead of silently falling back to a default.
"""

from __future__ import annotations

import os
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_MISSING: Any = object()
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    if value is None:
        return None
    return value.strip()


def env_str(name: str, default: str | Any = _MISSING) -> str:
    value = _raw(name)
    if value is None or value == "":
        if default is _MISSING:
            raise ImproperlyConfigured(f"Set the environment variable {name}.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None or value == "":
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of true/false/1/0/yes/no/on/off, not {value!r}."
    )


def env_int(
    name: str, default: int, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    value = _raw(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}.")
    if maximum is not None and number > maximum:
        raise ImproperlyConfigured(f"{name} must be at most {maximum}, not {number}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None or value == "":
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int_map(name: str, default: dict[str, int], *, allowed_keys: set[str]) -> dict[str, int]:
    """Parse ``KEY=N,KEY=N`` (e.g. ``SEV1=15,SEV2=20``)."""
    value = _raw(name)
    if value is None or value == "":
        return dict(default)
    result = dict(default)
    for part in value.split(","):
        key, sep, number = part.partition("=")
        key = key.strip()
        if not sep or key not in allowed_keys:
            raise ImproperlyConfigured(
                f"{name} must look like 'SEV1=15,SEV2=30' with keys from {sorted(allowed_keys)}, not {value!r}."
            )
        try:
            result[key] = int(number)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: {number!r} for {key} is not a whole number."
            ) from None
        if result[key] < 1:
            raise ImproperlyConfigured(f"{name}: the interval for {key} must be at least 1 minute.")
    return result


def env_timezone(name: str, default: str) -> str:
    value = env_str(name, default)
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(
            f"{name} must be an IANA time zone such as Europe/London, not {value!r}."
        ) from None
    return value


def env_database(name: str, default: str) -> dict[str, Any]:
    value = env_str(name, default)
    try:
        config = dj_database_url.parse(value, conn_max_age=0)
    except Exception as exc:  # dj-database-url raises several types for bad URLs
        raise ImproperlyConfigured(
            f"{name} is not a database URL Django understands: {exc}"
        ) from None
    engine = config.get("ENGINE", "")
    if engine not in {"django.db.backends.sqlite3", "django.db.backends.postgresql"}:
        raise ImproperlyConfigured(f"{name} must be a sqlite:// or postgres:// URL, not {value!r}.")
    return config


def env_redis_url(name: str) -> str | None:
    value = _raw(name)
    if not value:
        return None
    if not value.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            f"{name} must start with redis://, rediss:// or unix://, not {value!r}."
        )
    return value


def env_url(name: str, default: str) -> str:
    """An http(s) URL without a trailing slash, or "" when unset and the default is ""."""
    value = env_str(name, default).rstrip("/")
    if value and not value.startswith(("https://", "http://")):
        raise ImproperlyConfigured(f"{name} must be an http(s) URL, not {value!r}.")
    return value


def env_choice(name: str, default: str, choices: set[str]) -> str:
    """One of ``choices`` (compared upper-case)."""
    value = env_str(name, default).upper()
    if value not in choices:
        raise ImproperlyConfigured(
            f"{name} must be one of {', '.join(sorted(choices))}, not {value!r}."
        )
    return value


def env_header(name: str) -> str:
    """An HTTP header as ``Header-Name: value``, or "" when unset."""
    value = env_str(name, "")
    key, colon, _ = value.partition(":")
    if value and (not colon or not key.strip() or " " in key.strip()):
        raise ImproperlyConfigured(f"{name} must read 'Header-Name: value', not {value!r}.")
    return value
