"""``import_oncall VENDOR --api-url URL --api-token T`` reads the vendor's live API: against a
local server over real HTTP that checks each vendor's auth header and pages two items at a time,
the import gives exactly what importing the export file gives."""

from __future__ import annotations

import pytest
from django.core.management.base import CommandError

from oncall.escalation.models import EscalationPolicy
from oncall.importers.models import ImportedObject
from oncall.schedules.models import Schedule
from tests.oncall.importers.conftest import fixture_path, run_import
from tests.oncall.importers.fake_vendor import TOKENS, FakeVendor

pytestmark = pytest.mark.django_db

SECRETS = {vendor: header.split()[-1].split("=")[-1] for vendor, header in TOKENS.items()}
FILES = {
    "pagerduty": "pagerduty.json",
    "opsgenie": "opsgenie.json",
    "grafana-oncall": "grafana-oncall.json",
}


def imported() -> list[tuple]:
    return sorted(ImportedObject.objects.values_list("vendor", "kind", "external_id"))


def what_exists() -> tuple:
    return (
        sorted(Schedule.objects.values_list("slug", "rotation", "handoff_time", "timezone")),
        sorted(EscalationPolicy.objects.values_list("slug", "service_slug")),
        imported(),
    )


@pytest.mark.parametrize("vendor", ["pagerduty", "opsgenie", "grafana-oncall"])
def test_reading_the_api_imports_the_same_as_the_export_file(
    vendor, team, frozen, django_db_blocker
):
    with FakeVendor() as fake:
        out = run_import(
            vendor, "--api-url", f"{fake.url}/{vendor}", "--api-token", SECRETS[vendor]
        )
    from_api = what_exists()
    assert from_api[0], out  # something was imported

    # Every request carried the vendor's own auth header, and collections took several pages.
    assert {auth for _, auth in fake.requests} == {TOKENS[vendor]}
    users_requests = [path for path, _ in fake.requests if "users" in path]
    assert len(users_requests) >= 2, users_requests

    # The same data from the file, in a fresh database state, gives the same result.
    again = run_import(vendor, str(fixture_path(FILES[vendor])))
    assert what_exists() == from_api  # mapped by the vendor's ids: nothing new, nothing lost
    assert "Nothing changed." in again


def test_a_wrong_token_is_a_clear_error_and_writes_nothing(team, frozen):
    with (
        FakeVendor() as fake,
        pytest.raises(CommandError, match="401 Unauthorized \\(check --api-token\\)"),
    ):
        run_import("pagerduty", "--api-url", f"{fake.url}/pagerduty", "--api-token", "wrong")
    assert not ImportedObject.objects.exists()


def test_an_api_url_needs_a_token_and_excludes_a_file(team):
    with pytest.raises(CommandError, match="--api-url needs --api-token"):
        run_import("opsgenie", "--api-url", "http://127.0.0.1:9")
    with pytest.raises(CommandError, match="either FILE or --api-url"):
        run_import(
            "opsgenie",
            str(fixture_path("opsgenie.json")),
            "--api-url",
            "http://127.0.0.1:9",
            "--api-token",
            "t",
        )
    with pytest.raises(CommandError, match="http\\(s\\) URL"):
        run_import("opsgenie", "--api-url", "file:///etc/passwd", "--api-token", "t")


def test_a_file_that_is_not_an_export_is_a_clear_error(team, frozen, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(CommandError, match="is not JSON"):
        run_import("pagerduty", str(broken))
    broken.write_text("[]")
    with pytest.raises(CommandError, match="one JSON object with a key per collection"):
        run_import("pagerduty", str(broken))
    broken.write_text('{"escalation_policies": [{"name": "no id"}]}')
    with pytest.raises(CommandError, match="not shaped like its API's responses"):
        run_import("pagerduty", str(broken))
    with pytest.raises(CommandError, match="Cannot read"):
        run_import("pagerduty", str(tmp_path / "missing.json"))
    assert not ImportedObject.objects.exists()
