"""Strict DRF fields shared by every app's JSON API (lowest layer: config): the wrong JSON type is an error, never silently coerced.

DRF's stock fields turn ``123`` into ``"123"``, ``"yes"`` into ``True`` and a naive datetime into
the server's zone. A client that sends any of these has a bug we should tell it about.
"""

from __future__ import annotations

from datetime import UTC
from functools import lru_cache
from zoneinfo import available_timezones

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

# PostgreSQL bigint: larger ids cannot exist, and must not reach the database driver.
MAX_ID = 2**63 - 1


class StrictCharField(serializers.CharField):
    """Text only (numbers are not text). NUL bytes and lone surrogates are refused by DRF."""

    default_error_messages = {"invalid": "Must be a string."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """``true`` or ``false`` only."""

    default_error_messages = {"invalid": "Must be true or false."}

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class StrictIntegerField(serializers.IntegerField):
    """A JSON integer only (not a string, a float or a boolean)."""

    default_error_messages = {"invalid": "Must be a whole number."}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictChoiceField(serializers.ChoiceField):
    """One of the documented string values, exactly (``1`` is not ``"1"``)."""

    def to_internal_value(self, data):
        if all(isinstance(key, int) for key in self.choices):
            right_type = isinstance(data, int) and not isinstance(data, bool)
        else:
            right_type = isinstance(data, str)
        if not right_type:
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)


class AwareDateTimeField(serializers.DateTimeField):
    """ISO 8601 with a UTC offset on input (a time without a zone is ambiguous); UTC on output."""

    default_error_messages = {
        "naive": "Give the time with its time zone offset, e.g. 2026-03-08T10:00:00Z or +01:00.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("default_timezone", UTC)
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        if not isinstance(value, str):
            self.fail("invalid", format="YYYY-MM-DDThh:mm[:ss[.uuuuuu]]±hh:mm or Z")
        try:
            parsed = parse_datetime(value)
        except (ValueError, TypeError):
            parsed = None
        if parsed is not None and timezone.is_naive(parsed):
            self.fail("naive")
        return super().to_internal_value(value)


@lru_cache(maxsize=1)
def _time_zones() -> frozenset[str]:
    return frozenset(available_timezones())


class TimeZoneField(StrictCharField):
    """An IANA time zone name such as Europe/Berlin."""

    default_error_messages = {
        "unknown_zone": "Not a time zone; use an IANA name such as Europe/Berlin."
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 64)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if value not in _time_zones():
            self.fail("unknown_zone")
        return value


@extend_schema_field(OpenApiTypes.STR)
class UsernameField(StrictCharField):
    """A person, referenced by username; resolves to the user (unknown → 400, never 500)."""

    default_error_messages = {
        "unknown_user": "No user with username {username!r}.",
        "inactive_user": "No active person with the username {username}.",
    }

    def __init__(self, *, active_only: bool = False, **kwargs):
        self.active_only = active_only
        kwargs.setdefault("max_length", 150)
        super().__init__(**kwargs)

    def run_validation(self, data=serializers.empty):
        # Validators (NUL bytes, length) must run before the value reaches the database.
        username = super().run_validation(data)
        if username is None:
            return None
        people = get_user_model().objects.filter(username=username)
        if self.active_only:
            people = people.filter(is_active=True)
        user = people.first()
        if user is None:
            self.fail("inactive_user" if self.active_only else "unknown_user", username=username)
        return user

    def to_representation(self, value):
        return value.get_username() if hasattr(value, "get_username") else str(value)


class SlugReferenceField(StrictCharField):
    """A row referenced by slug (teams); resolves to the instance (unknown → 400)."""

    default_error_messages = {"unknown": "No {label} with slug {slug!r}."}

    def __init__(self, *, queryset, label: str, **kwargs):
        self.queryset = queryset
        self.label = label
        kwargs.setdefault("max_length", 64)
        super().__init__(**kwargs)

    def run_validation(self, data=serializers.empty):
        slug = super().run_validation(data)
        if slug is None:
            return None
        found = self.queryset.filter(slug=slug).first()
        if found is None:
            self.fail("unknown", label=self.label, slug=slug)
        return found

    def to_representation(self, value):
        return value.slug if hasattr(value, "slug") else str(value)


@extend_schema_field(OpenApiTypes.DATETIME)
class UTCDateTimeField(serializers.DateTimeField):
    """Output: ISO 8601 in UTC ("…Z"), whatever zone the request was served in."""

    def __init__(self, **kwargs):
        kwargs.setdefault("default_timezone", UTC)
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)


class ErrorSerializer(serializers.Serializer):
    """Documentation of the error body that config.api_errors produces for every 4xx."""

    detail = serializers.CharField(help_text="What went wrong, in a sentence a person can act on.")
    code = serializers.CharField(required=False, help_text="A stable machine-readable code.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Messages per input field (dotted paths for nested items).",
    )
