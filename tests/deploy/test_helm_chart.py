"""The Helm chart renders to valid Kubernetes objects for the default and the production values.

Rendered with tests/support/helm_render.py — a renderer for the Go-template subset the chart
uses — because no helm binary can be installed where the tests run. The checks are on the
Kubernetes shape: kinds and API versions, selectors that match their pods, probes, resources,
one beat, the migrate hook, secrets, and commands equal to deploy/commands.yaml.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.support.helm_render import TemplateError, merged, render_chart
from tests.support.web_procs import deploy_commands

CHART = Path(__file__).resolve().parents[2] / "deploy" / "helm" / "firebreak"
DEFAULTS = yaml.safe_load((CHART / "values.yaml").read_text())
PRODUCTION = merged(DEFAULTS, yaml.safe_load((CHART / "values-production.yaml").read_text()))
TRY_OUT = merged(DEFAULTS, {"secretKey": "k" * 50, "postgresql": {"password": "pw"}})
API_VERSIONS = {
    "Deployment": "apps/v1",
    "StatefulSet": "apps/v1",
    "Service": "v1",
    "Secret": "v1",
    "Job": "batch/v1",
    "Ingress": "networking.k8s.io/v1",
}


def render(values, release="prod") -> dict[tuple[str, str], dict]:
    documents = render_chart(CHART, values, release=release)
    by_name = {(d["kind"], d["metadata"]["name"]): d for d in documents}
    assert len(by_name) == len(documents), "two objects share a kind and name"
    return by_name


def containers(objects, kind="Deployment"):
    return {
        name: doc["spec"]["template"]["spec"]["containers"][0]
        for (k, name), doc in objects.items()
        if k == kind
    }


@pytest.mark.parametrize("values", [TRY_OUT, PRODUCTION], ids=["default", "production"])
def test_every_object_has_a_kubernetes_shape(values):
    objects = render(values)

    for (kind, name), doc in objects.items():
        assert doc["apiVersion"] == API_VERSIONS[kind], (kind, name)
        assert len(name) <= 63 and name == name.lower()
        assert doc["metadata"]["labels"]["app.kubernetes.io/instance"] == "prod"
        if kind in ("Deployment", "StatefulSet"):
            selector = doc["spec"]["selector"]["matchLabels"]
            pod_labels = doc["spec"]["template"]["metadata"]["labels"]
            assert selector.items() <= pod_labels.items(), name
            for container in doc["spec"]["template"]["spec"]["containers"]:
                assert container["image"] and container["name"]
        if kind == "Service":
            backends = [
                d
                for (k, _), d in objects.items()
                if k in ("Deployment", "StatefulSet")
                and doc["spec"]["selector"].items()
                <= d["spec"]["template"]["metadata"]["labels"].items()
            ]
            assert len(backends) == 1, name


@pytest.mark.parametrize("values", [TRY_OUT, PRODUCTION], ids=["default", "production"])
def test_processes_run_the_shared_commands_with_resources(values):
    objects = render(values)
    commands = deploy_commands()
    running = containers(objects)

    assert running["prod-firebreak-web"]["command"] == commands["web"]
    assert running["prod-firebreak-beat"]["command"] == commands["beat"]
    for latency in ("critical", "default", "slow"):
        worker = running[f"prod-firebreak-worker-{latency}"]
        expected = list(commands[f"worker-{latency}"])
        concurrency = values["workers"][latency]["concurrency"]
        expected = [
            f"--concurrency={concurrency}" if a.startswith("--concurrency") else a for a in expected
        ]
        assert worker["command"] == expected
    job = objects[("Job", "prod-firebreak-migrate")]
    assert job["spec"]["template"]["spec"]["containers"][0]["command"] == commands["migrate"]
    for name, container in running.items():
        if "postgresql" in name or "redis" in name:
            continue
        assert container["resources"]["requests"]["memory"], name
        assert container["securityContext"]["allowPrivilegeEscalation"] is False


def test_web_probes_and_one_recreated_beat():
    objects = render(PRODUCTION)
    web = containers(objects)["prod-firebreak-web"]

    assert web["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert web["readinessProbe"]["httpGet"]["path"] == "/readyz?only=database"
    host = {h["name"]: h["value"] for h in web["readinessProbe"]["httpGet"]["httpHeaders"]}
    assert host == {"Host": "firebreak.example.com"}  # ALLOWED_HOSTS refuses the pod's IP
    beat = objects[("Deployment", "prod-firebreak-beat")]
    assert beat["spec"]["replicas"] == 1
    assert beat["spec"]["strategy"]["type"] == "Recreate"
    pod = beat["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True


def test_the_migrate_job_is_a_hook_before_upgrades():
    for values in (TRY_OUT, PRODUCTION):
        hook = render(values)[("Job", "prod-firebreak-migrate")]["metadata"]["annotations"]
        assert "pre-upgrade" in hook["helm.sh/hook"]
    assert (
        "pre-install"
        in render(PRODUCTION)[("Job", "prod-firebreak-migrate")]["metadata"]["annotations"][
            "helm.sh/hook"
        ]
    )


def test_production_uses_the_existing_secret_and_external_datastores():
    objects = render(PRODUCTION)

    assert not [key for key in objects if key[0] in ("Secret", "StatefulSet")]
    for container in containers(objects).values():
        assert container["envFrom"] == [{"secretRef": {"name": "firebreak-secrets"}}]
    ingress = objects[("Ingress", "prod-firebreak")]
    assert ingress["spec"]["rules"][0]["host"] == "firebreak.example.com"
    assert ingress["spec"]["tls"][0]["secretName"] == "firebreak-tls"
    env = {e["name"]: e["value"] for e in containers(objects)["prod-firebreak-web"]["env"]}
    assert env["FIREBREAK_BASE_URL"] == "https://firebreak.example.com"
    assert env["FIREBREAK_TRUSTED_PROXY_COUNT"] == "1"


def test_the_try_out_install_brings_its_own_postgresql_and_redis():
    objects = render(TRY_OUT)

    secret = objects[("Secret", "prod-firebreak")]["stringData"]
    assert (
        secret["DATABASE_URL"] == "postgres://firebreak:pw@prod-firebreak-postgresql:5432/firebreak"
    )
    assert secret["REDIS_URL"] == "redis://prod-firebreak-redis:6379/0"
    assert ("StatefulSet", "prod-firebreak-postgresql") in objects
    assert ("Service", "prod-firebreak-redis") in objects


def test_missing_required_values_are_refused_with_a_message():
    with pytest.raises(TemplateError, match="secretKey is required"):
        render(DEFAULTS)
    external = merged(TRY_OUT, {"postgresql": {"enabled": False}})
    with pytest.raises(TemplateError, match="external.databaseUrl is required"):
        render(external)


def test_a_release_named_after_the_chart_is_not_repeated():
    objects = render(TRY_OUT, release="firebreak")

    assert ("Deployment", "firebreak-web") in objects
