from __future__ import annotations

import pytest

from incidents.slack.checks import check_slack_settings


@pytest.mark.parametrize(
    ("token", "secret", "expected"),
    [
        ("", "", []),
        ("xoxb-1", "s", []),
        ("xoxb-1", "", ["SLACK_SIGNING_SECRET"]),
        ("", "s", ["SLACK_BOT_TOKEN"]),
    ],
)
def test_a_warning_names_the_missing_half_of_the_slack_settings(settings, token, secret, expected):
    settings.SLACK_BOT_TOKEN, settings.SLACK_SIGNING_SECRET = token, secret

    warnings = check_slack_settings(None)

    assert [w.id for w in warnings] == ["firebreak.W020"] * len(expected)
    for warning, missing in zip(warnings, expected, strict=True):
        assert f"but {missing} is not" in warning.msg


def test_slack_api_url_must_be_http(monkeypatch):
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    import config.settings.base as base

    monkeypatch.setenv("SLACK_API_URL", "ftp://slack.example/api")
    with pytest.raises(ImproperlyConfigured):
        importlib.reload(base)
    monkeypatch.delenv("SLACK_API_URL")
    importlib.reload(base)
