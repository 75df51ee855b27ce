"""Settings come from the environment through strict helpers; production refuses to start half-configured."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings.env import (
    env_bool,
    env_choice,
    env_database,
    env_header,
    env_int,
    env_int_map,
    env_list,
    env_redis_url,
    env_str,
    env_timezone,
    env_url,
)

ROOT = Path(__file__).resolve().parent.parent
VAR = "FIREBREAK_TEST_SETTING"
SEVERITIES = {"SEV1", "SEV2", "SEV3", "SEV4"}


def rejects(helper, value: str, *args, **kwargs) -> str:
    """Set VAR to ``value``, call the helper, and return the ImproperlyConfigured message."""
    os.environ[VAR] = value
    with pytest.raises(ImproperlyConfigured) as error:
        helper(VAR, *args, **kwargs)
    assert VAR in str(error.value), "the message must name the variable"
    return str(error.value)


@pytest.fixture(autouse=True)
def clean_variable(monkeypatch):
    monkeypatch.delenv(VAR, raising=False)
    yield
    os.environ.pop(VAR, None)


# --- strings and lists -----------------------------------------------------------------------------


def test_a_required_string_that_is_missing_names_the_variable():
    with pytest.raises(ImproperlyConfigured, match=VAR):
        env_str(VAR)


def test_an_empty_required_string_counts_as_missing(monkeypatch):
    monkeypatch.setenv(VAR, "   ")
    with pytest.raises(ImproperlyConfigured, match=VAR):
        env_str(VAR)


def test_strings_and_lists_are_trimmed(monkeypatch):
    monkeypatch.setenv(VAR, " a.example , b.example ,, ")
    assert env_list(VAR, []) == ["a.example", "b.example"]
    assert env_str(VAR) == "a.example , b.example ,,"


# --- booleans --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"), [("true", True), ("YES", True), ("1", True), ("off", False), ("0", False)]
)
def test_booleans_accept_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv(VAR, raw)
    assert env_bool(VAR, not expected) is expected


def test_an_unset_boolean_takes_its_default():
    assert env_bool(VAR, True) is True


@pytest.mark.parametrize("raw", ["maybe", "ture", "2", "enabled"])
def test_a_malformed_boolean_is_rejected(raw):
    assert repr(raw) in rejects(env_bool, raw, False)


# --- integers --------------------------------------------------------------------------------------


def test_an_integer_within_bounds_is_read(monkeypatch):
    monkeypatch.setenv(VAR, "25")
    assert env_int(VAR, 1, minimum=1, maximum=65535) == 25


@pytest.mark.parametrize("raw", ["ten", "1.5", "0x10"])
def test_a_non_integer_is_rejected(raw):
    assert "whole number" in rejects(env_int, raw, 1)


def test_an_empty_integer_takes_its_default(monkeypatch):
    monkeypatch.setenv(VAR, "")
    assert env_int(VAR, 7) == 7


def test_an_integer_below_the_minimum_is_rejected():
    assert "at least 1" in rejects(env_int, "0", 5, minimum=1)


def test_an_integer_above_the_maximum_is_rejected():
    assert "at most 65535" in rejects(env_int, "70000", 25, minimum=1, maximum=65535)


def test_the_bounds_themselves_are_allowed(monkeypatch):
    monkeypatch.setenv(VAR, "1")
    assert env_int(VAR, 5, minimum=1, maximum=1) == 1


# --- database and Redis URLs -----------------------------------------------------------------------


def test_a_postgres_url_is_read(monkeypatch):
    monkeypatch.setenv(VAR, "postgres://firebreak:secret@db.internal:5432/firebreak")
    config = env_database(VAR, "sqlite:///unused.sqlite3")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.internal", 5432, "firebreak")


def test_the_default_sqlite_url_is_used_when_unset():
    assert env_database(VAR, "sqlite:////tmp/fb.sqlite3")["ENGINE"] == "django.db.backends.sqlite3"


@pytest.mark.parametrize("raw", ["mysql://root@localhost/firebreak", "oracle://x@y/z"])
def test_a_database_other_than_postgres_or_sqlite_is_rejected(raw):
    assert "postgres://" in rejects(env_database, raw, "sqlite:///x")


@pytest.mark.parametrize("raw", ["not a url", "ftp://example.com/db"])
def test_a_database_url_django_cannot_use_is_rejected(raw):
    rejects(env_database, raw, "sqlite:///x")


@pytest.mark.parametrize(
    "raw", ["redis://127.0.0.1:6379/0", "rediss://cache.example:6380/1", "unix:///run/redis.sock"]
)
def test_redis_urls_are_read(monkeypatch, raw):
    monkeypatch.setenv(VAR, raw)
    assert env_redis_url(VAR) == raw


def test_an_unset_redis_url_means_no_redis():
    assert env_redis_url(VAR) is None


@pytest.mark.parametrize("raw", ["http://127.0.0.1:6379", "127.0.0.1:6379", "memcached://x"])
def test_a_redis_url_with_another_scheme_is_rejected(raw):
    assert "redis://" in rejects(env_redis_url, raw)


# --- time zones ------------------------------------------------------------------------------------


def test_an_iana_time_zone_is_read(monkeypatch):
    monkeypatch.setenv(VAR, "Europe/London")
    assert env_timezone(VAR, "UTC") == "Europe/London"


@pytest.mark.parametrize("raw", ["Mars/Olympus_Mons", "GMT+25", "../etc/passwd"])
def test_an_unknown_time_zone_is_rejected(raw):
    assert "IANA" in rejects(env_timezone, raw, "UTC")


# --- the per-severity interval map -----------------------------------------------------------------


def test_a_severity_map_is_read(monkeypatch):
    monkeypatch.setenv(VAR, "SEV1=15, SEV2=20")
    assert env_int_map(VAR, {}, allowed_keys=SEVERITIES) == {"SEV1": 15, "SEV2": 20}


def test_an_unset_severity_map_takes_its_default():
    assert env_int_map(VAR, {"SEV1": 10}, allowed_keys=SEVERITIES) == {"SEV1": 10}


@pytest.mark.parametrize(
    ("raw", "hint"),
    [
        ("SEV5=10", "SEV1=15"),
        ("sev1=10", "SEV1=15"),
        ("SEV1:10", "SEV1=15"),
        ("SEV1=soon", "whole number"),
        ("SEV1=0", "at least 1"),
        ("SEV1=-5", "at least 1"),
    ],
)
def test_a_malformed_severity_map_is_rejected(raw, hint):
    assert hint in rejects(env_int_map, raw, {}, allowed_keys=SEVERITIES)


# --- the settings modules, started as a real process -----------------------------------------------

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(48)[:50],
    "DJANGO_ALLOWED_HOSTS": "firebreak.example.com",
    "DATABASE_URL": "postgres://root@127.0.0.1:5432/test",
    "REDIS_URL": "redis://127.0.0.1:6379/4",
    "FIREBREAK_BASE_URL": "https://firebreak.example.com",
}


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """Run manage.py with exactly ``env`` on top of a clean environment (no DJANGO_/FIREBREAK_/URLs)."""
    base = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "FIREBREAK_", "DATABASE_", "REDIS_", "EMAIL_"))
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = manage(PRODUCTION_ENV, "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("missing", "named"),
    [
        ("DJANGO_SECRET_KEY", "DJANGO_SECRET_KEY"),
        ("DJANGO_ALLOWED_HOSTS", "DJANGO_ALLOWED_HOSTS"),
        ("DATABASE_URL", "DATABASE_URL"),
        ("REDIS_URL", "REDIS_URL"),
        ("FIREBREAK_BASE_URL", "FIREBREAK_BASE_URL"),
    ],
)
def test_production_refuses_to_start_without_a_required_variable(missing, named):
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != missing}

    result = manage(env, "check")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert named in result.stderr


def test_production_refuses_sqlite():
    result = manage({**PRODUCTION_ENV, "DATABASE_URL": "sqlite:////tmp/firebreak.sqlite3"}, "check")

    assert result.returncode != 0
    assert "DATABASE_URL=postgres://" in result.stderr


def test_a_malformed_variable_stops_any_settings_module_naming_it():
    result = manage(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "FIREBREAK_UPDATE_INTERVAL_MINUTES": "often",
        },
        "check",
    )

    assert result.returncode != 0
    assert "FIREBREAK_UPDATE_INTERVAL_MINUTES" in result.stderr


# --- paging channels (README "Paging channels") ---------------------------------------------------


def test_a_provider_url_must_be_http_and_loses_its_trailing_slash(monkeypatch):
    assert "http(s) URL" in rejects(env_url, "ntfy.example.com", "")
    monkeypatch.setenv(VAR, "https://ntfy.example.com/")
    assert env_url(VAR, "") == "https://ntfy.example.com"
    monkeypatch.delenv(VAR)
    assert env_url(VAR, "") == ""


def test_a_provider_method_is_get_post_or_put():
    assert "GET, POST, PUT" in rejects(env_choice, "DELETE", "POST", {"GET", "POST", "PUT"})


def test_a_provider_auth_header_reads_name_colon_value(monkeypatch):
    assert "Header-Name: value" in rejects(env_header, "Bearer abc")
    monkeypatch.setenv(VAR, "Authorization: Bearer abc")
    assert env_header(VAR) == "Authorization: Bearer abc"
