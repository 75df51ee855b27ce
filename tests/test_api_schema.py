"""The OpenAPI schema is complete and valid, and its documentation page loads."""

from __future__ import annotations

from io import StringIO

import yaml
from django.core.management import call_command


def test_the_schema_generates_without_warnings_and_validates():
    out = StringIO()

    # --fail-on-warn turns every drf-spectacular warning (an untyped field, an unresolvable
    # path parameter, an enum name collision) into an error; --validate checks OpenAPI 3.
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out, stderr=StringIO())

    schema = yaml.safe_load(out.getvalue())
    assert "/api/v1/incidents/{id}/timeline/{event_id}/" in schema["paths"]


# Paths that name no one incident, so they have no 404.
LIST_PATHS = {"/api/v1/incidents/", "/api/v1/incidents/taxonomy/"}


def test_every_incident_operation_documents_its_request_responses_and_errors(client):
    schema = client.get("/api/schema/?format=json").json()
    incident_paths = {
        p: ops for p, ops in schema["paths"].items() if p.startswith("/api/v1/incidents/")
    }

    assert len(incident_paths) == 13
    for path, operations in incident_paths.items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            path_params = {
                p["name"]: p["schema"]["type"]
                for p in operation.get("parameters", [])
                if p["in"] == "path"
            }
            assert set(path_params.values()) <= {"integer"}, (method, path)
            codes = set(operation["responses"])
            assert codes & {"200", "201"}, (method, path)
            assert {"401", "403", "404"} <= codes or path in LIST_PATHS, (method, path)
            if method in ("post", "patch"):
                assert "400" in codes, (method, path)
                body = operation["requestBody"]["content"]
                assert list(body) == ["application/json"], (method, path)


def test_the_timeline_event_is_documented_as_read_only(client):
    schema = client.get("/api/schema/?format=json").json()

    assert set(schema["paths"]["/api/v1/incidents/{id}/timeline/{event_id}/"]) == {"get"}
    assert set(schema["paths"]["/api/v1/incidents/{id}/"]) == {"get", "patch"}


def test_the_api_docs_page_loads(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    assert b"swagger" in response.content.lower()
