"""The deploy artifacts agree with each other and with what the tests run.

No Docker engine or registry exists where the tests run, so the image is not built here; what
can be checked is: every file parses, compose runs exactly deploy/commands.yaml, the
Dockerfile's default command is the web command the process tests start, the alert rules
name metrics /metrics really exposes, and the first-admin command works.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.support.web_procs import deploy_commands

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def test_compose_runs_every_process_with_the_shared_commands():
    services = compose()["services"]
    commands = deploy_commands()

    assert set(commands) <= set(services)
    for name, command in commands.items():
        assert services[name]["command"] == command, name
    assert {"postgres", "redis"} <= set(services)


def test_compose_app_services_wait_for_the_migration_and_admin_comes_from_env():
    services = compose()["services"]

    for name in ("web", "worker-critical", "worker-default", "worker-slow", "beat"):
        depends = services[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully", name
        assert services[name]["environment"]["DJANGO_SETTINGS_MODULE"] == (
            "config.settings.production"
        )
    assert "FIREBREAK_ADMIN_PASSWORD" in services["migrate"]["environment"]
    assert "ensure_admin" in " ".join(services["migrate"]["command"])


def test_one_worker_per_latency_class_and_one_beat():
    commands = deploy_commands()
    queues = {
        arg.split("=", 1)[1]
        for name, command in commands.items()
        if name.startswith("worker-")
        for arg in command
        if arg.startswith("--queues=")
    }

    assert queues == {"critical", "default", "slow"}
    assert sum(1 for command in commands.values() if "beat" in command) == 1


def test_the_image_runs_the_web_command_as_a_non_root_user():
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    cmd = re.search(r"^CMD (\[.*\])$", dockerfile, re.MULTILINE).group(1)

    assert yaml.safe_load(cmd) == deploy_commands()["web"]
    assert re.search(r"^USER 10001", dockerfile, re.MULTILINE)
    assert dockerfile.count("FROM ") >= 2  # multi-stage
    assert "collectstatic" in dockerfile


def test_alert_rules_parse_and_name_metrics_that_exist(client, db):
    rules = yaml.safe_load((DEPLOY / "prometheus-rules.yaml").read_text())
    exposed = client.get("/metrics").content.decode()

    names = set()
    for group in rules["groups"]:
        for rule in group["rules"]:
            assert rule["alert"] and rule["expr"] and rule["labels"]["severity"]
            names.update(re.findall(r"firebreak_[a-z_]+", rule["expr"]))
    for name in names:
        base = re.sub(r"_(bucket|total|count|sum)$", "", name)
        assert base in exposed, name


@pytest.mark.django_db
def test_ensure_admin_creates_the_first_admin_once(monkeypatch):
    monkeypatch.setenv("FIREBREAK_ADMIN_USERNAME", "root-admin")
    monkeypatch.setenv("FIREBREAK_ADMIN_EMAIL", "ops@example.com")
    monkeypatch.setenv("FIREBREAK_ADMIN_PASSWORD", "a-long-and-unusual-passphrase")

    call_command("ensure_admin")
    monkeypatch.setenv("FIREBREAK_ADMIN_PASSWORD", "another-long-passphrase-0")
    call_command("ensure_admin")

    admin = get_user_model().objects.get(username="root-admin")
    assert admin.is_superuser and admin.groups.filter(name="admin").exists()
    assert admin.check_password("a-long-and-unusual-passphrase")  # never reset by a redeploy


@pytest.mark.django_db
def test_ensure_admin_refuses_a_weak_password(monkeypatch):
    monkeypatch.setenv("FIREBREAK_ADMIN_USERNAME", "root-admin")
    monkeypatch.setenv("FIREBREAK_ADMIN_PASSWORD", "password")

    with pytest.raises(CommandError, match="FIREBREAK_ADMIN_PASSWORD"):
        call_command("ensure_admin")
    assert not get_user_model().objects.filter(username="root-admin").exists()


def test_the_migrate_command_is_a_shell_line_of_manage_py_commands():
    command = deploy_commands()["migrate"]

    assert command[:2] == ["sh", "-c"]
    steps = [shlex.split(part) for part in command[2].split("&&")]
    assert [step[:2] for step in steps] == [["python", "manage.py"], ["python", "manage.py"]]
