"""The postmortem REST API: create, edit with optimistic locking, lint, export, templates, items."""

from __future__ import annotations

import pytest

from postmortems import services
from postmortems.models import Postmortem, PostmortemRevision

URL = "/api/v1/postmortems/"


@pytest.fixture
def rita(api, responder):
    return api.as_user(responder)


def test_post_creates_a_filled_in_draft(rita, edge_incident):
    response = rita.post(
        URL, {"incident": edge_incident.pk, "template": "lightweight"}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert {"id", "incident", "status", "version", "visibility", "sections"} <= set(body)
    assert (body["incident"], body["status"], body["version"], body["visibility"]) == (
        edge_incident.pk,
        "draft",
        1,
        "internal",
    )
    assert [x["key"] for x in body["sections"]] == [
        "summary",
        "timeline",
        "root_cause",
        "action_items",
    ]
    assert {"key", "title", "body"} <= set(body["sections"][0])
    ttr = next(d for d in body["durations"] if d["key"] == "ttr")
    assert ttr["seconds"] == 65 * 60


def test_post_with_default_template_and_duplicate_is_409(rita, edge_incident):
    assert rita.post(URL, {"incident": edge_incident.pk}, format="json").status_code == 201
    again = rita.post(URL, {"incident": edge_incident.pk}, format="json")
    assert again.status_code == 409
    assert "already has a postmortem" in again.json()["detail"]


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({}, 400),
        ({"incident": "ID-as-text"}, 400),
        ({"incident": 0}, 400),
        ({"incident": 2**62}, 404),
        ({"incident": True}, 400),
        ({"incident": "ID", "template": 5}, 400),
        ({"incident": "ID", "template": "nope"}, 400),
    ],
)
def test_bad_create_input_is_a_4xx_with_a_message(rita, edge_incident, payload, expected):
    replace = {"ID": edge_incident.pk, "ID-as-text": str(edge_incident.pk)}
    payload = {k: replace.get(v, v) if isinstance(v, str) else v for k, v in payload.items()}
    response = rita.post(URL, payload, format="json")
    assert response.status_code == expected, response.content
    assert response.json()["detail"]
    assert not Postmortem.objects.filter(incident=edge_incident).exists()


def test_two_concurrent_patches_one_wins_the_other_gets_409_with_both_texts(
    api, rita, postmortem, other_responder
):
    ok = rita.patch(
        f"{URL}{postmortem.pk}/",
        {"version": 1, "sections": [{"key": "summary", "body": "Mine"}]},
        format="json",
    )
    assert ok.status_code == 200 and ok.json()["version"] == 2

    from rest_framework.test import APIClient

    omar = APIClient()
    omar.force_authenticate(other_responder)
    stale = omar.patch(
        f"{URL}{postmortem.pk}/",
        {"version": 1, "sections": [{"key": "summary", "body": "Theirs"}]},
        format="json",
    )
    assert stale.status_code == 409
    body = stale.json()
    assert body["code"] == "stale_version"
    assert body["current"]["version"] == 2
    assert next(x for x in body["current"]["sections"] if x["key"] == "summary")["body"] == "Mine"
    assert next(x for x in body["yours"]["sections"] if x["key"] == "summary")["body"] == "Theirs"

    kept = omar.get(f"{URL}{postmortem.pk}/revisions/{body['conflict_revision']}/").json()
    assert kept["kind"] == "conflict"
    assert next(x for x in kept["sections"] if x["key"] == "summary")["body"] == "Theirs"
    assert rita.get(f"{URL}{postmortem.pk}/").json()["sections"][0]["body"] == "Mine"


@pytest.mark.parametrize(
    "payload",
    [
        {"sections": [{"key": "summary", "body": "x"}]},
        {"version": "1"},
        {"version": 1, "sections": [{"key": "summary"}]},
        {"version": 1, "sections": [{"key": "nope", "body": "x"}]},
        {"version": 1, "visibility": "world"},
        {"version": 1, "sections": [{"key": "summary", "body": "nul \x00"}]},
    ],
)
def test_bad_patch_is_400_and_writes_nothing(rita, postmortem, payload):
    response = rita.patch(f"{URL}{postmortem.pk}/", payload, format="json")
    assert response.status_code == 400, response.content
    assert PostmortemRevision.objects.filter(postmortem=postmortem).count() == 1


def test_put_is_not_allowed(rita, postmortem):
    assert rita.put(f"{URL}{postmortem.pk}/", {"version": 1}, format="json").status_code == 405


def test_lint_endpoint(rita, postmortem, db):
    from tests.factories import UserFactory

    UserFactory(username="chris", first_name="Chris")
    rita.patch(
        f"{URL}{postmortem.pk}/",
        {
            "version": 1,
            "sections": [
                {
                    "key": "summary",
                    "body": "Chris committed a software change that broke everything",
                }
            ],
        },
        format="json",
    )
    warnings = rita.get(f"{URL}{postmortem.pk}/lint/").json()["warnings"]
    person = [w for w in warnings if w["rule"] == "person_name"]
    assert person and {"rule", "message", "excerpt"} <= set(person[0])
    assert person[0]["excerpt"] == "Chris committed a software change that broke everything"


def test_preview_renders_unsaved_text_inert_with_warnings(rita, postmortem):
    response = rita.post(
        f"{URL}{postmortem.pk}/preview/",
        {
            "sections": [
                {
                    "key": "summary",
                    "body": "<script>alert(1)</script>Rita failed to [x](javascript:alert(1))",
                }
            ]
        },
        format="json",
    )
    assert response.status_code == 200
    html = next(x for x in response.json()["sections"] if x["key"] == "summary")["html"]
    assert "<script" not in html and "javascript:" not in html
    assert {"person_name", "blame_verb"} <= {w["rule"] for w in response.json()["warnings"]}
    assert rita.get(f"{URL}{postmortem.pk}/").json()["version"] == 1  # a preview saves nothing


@pytest.mark.parametrize(
    ("fmt", "content_type", "magic"),
    [
        ("md", "text/markdown", b"---\n"),
        ("html", "text/html", b"<!doctype html>"),
        ("pdf", "application/pdf", b"%PDF-"),
    ],
)
def test_export_formats(rita, postmortem, fmt, content_type, magic):
    response = rita.get(f"{URL}{postmortem.pk}/export/?format={fmt}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert response.content.startswith(magic)
    assert "attachment;" in response["Content-Disposition"]


def test_unknown_export_format_is_400(rita, postmortem):
    response = rita.get(f"{URL}{postmortem.pk}/export/?format=docx")
    assert response.status_code == 400
    assert "md, html, pdf" in response.json()["detail"]


def test_private_incidents_postmortem_is_invisible_to_non_members(
    api, responder, outsider, private_incident
):
    postmortem = services.postmortem_create(user=responder, incident=private_incident)
    client = api.as_user(outsider)
    assert client.get(f"{URL}{postmortem.pk}/").status_code == 404
    assert client.get(f"{URL}{postmortem.pk}/export/?format=pdf").status_code == 404
    assert client.get(f"{URL}{postmortem.pk}/lint/").status_code == 404
    assert client.get(URL).json()["results"] == []
    assert (
        client.patch(
            f"{URL}{postmortem.pk}/", {"version": 1, "title": "x"}, format="json"
        ).status_code
        == 404
    )
    assert client.post(URL, {"incident": private_incident.pk}, format="json").status_code == 404


def test_admin_sees_private_postmortems(api, responder, admin_user, private_incident):
    postmortem = services.postmortem_create(user=responder, incident=private_incident)
    assert api.as_user(admin_user).get(f"{URL}{postmortem.pk}/").status_code == 200


def test_viewer_reads_but_cannot_write(api, viewer, postmortem):
    client = api.as_user(viewer)
    assert client.get(f"{URL}{postmortem.pk}/").status_code == 200
    assert (
        client.patch(
            f"{URL}{postmortem.pk}/", {"version": 1, "title": "x"}, format="json"
        ).status_code
        == 403
    )


def test_viewer_can_request_a_postmortem(api, viewer, incident):
    response = api.as_user(viewer).post(
        f"{URL}request/", {"incident": incident.pk, "reason": "customers asked"}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["required"] is True
    assert body["required_reasons"] == ["requested by Victor: customers asked"]
    assert body["owner"] == "rita"


def test_revisions_and_diff(rita, postmortem):
    rita.patch(
        f"{URL}{postmortem.pk}/",
        {"version": 1, "sections": [{"key": "summary", "body": "one\ntwo"}]},
        format="json",
    )
    rita.patch(
        f"{URL}{postmortem.pk}/",
        {"version": 2, "sections": [{"key": "summary", "body": "one\nthree"}]},
        format="json",
    )
    revisions = rita.get(f"{URL}{postmortem.pk}/revisions/").json()["results"]
    assert [r["version"] for r in revisions] == [3, 2, 1]
    diff = rita.get(f"{URL}{postmortem.pk}/diff/?from=2&to=3").json()
    assert diff == [
        {
            "key": "summary",
            "title": "Summary",
            "lines": ["@@ -1,2 +1,2 @@", " one", "-two", "+three"],
        }
    ]
    assert rita.get(f"{URL}{postmortem.pk}/diff/?from=x").status_code == 400
    assert rita.get(f"{URL}{postmortem.pk}/diff/?from=42").status_code == 404


# --- templates ----------------------------------------------------------------------------------------

TEMPLATES = "/api/v1/postmortem-templates/"


def test_templates_are_listed_for_everyone(api, viewer):
    slugs = {t["slug"] for t in api.as_user(viewer).get(TEMPLATES).json()["results"]}
    assert {
        "real-world-sre",
        "google-sre",
        "incident-review",
        "event-review",
        "lightweight",
    } <= slugs


def test_admin_creates_edits_and_previews_a_template(api, admin_user, edge_incident):
    client = api.as_user(admin_user)
    created = client.post(
        TEMPLATES,
        {
            "slug": "short",
            "name": "Short",
            "sections": [
                {
                    "key": "what",
                    "title": "What happened",
                    "purpose": "summary",
                    "body": "{{ incident.title }}",
                },
                {"key": "when", "title": "When", "body": "{{ timeline }}"},
            ],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    preview = client.post(
        f"{TEMPLATES}short/preview/", {"incident": edge_incident.pk}, format="json"
    ).json()
    assert "Edge router drops traffic" in preview[0]["html"]
    assert "[Outage Begins]" in preview[1]["html"]
    edited = client.patch(f"{TEMPLATES}short/", {"name": "Shorter"}, format="json")
    assert edited.json()["name"] == "Shorter"
    assert client.delete(f"{TEMPLATES}short/").status_code == 204


def test_template_cannot_reach_outside_the_allow_list(api, admin_user):
    response = api.as_user(admin_user).post(
        TEMPLATES,
        {
            "slug": "evil",
            "name": "Evil",
            "sections": [{"key": "x", "title": "X", "body": "{{ incident.declared_by.password }}"}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert "Unknown placeholder" in response.json()["detail"]


def test_builtins_are_read_only_and_only_admins_write(api, admin_user, responder):
    assert (
        api.as_user(admin_user)
        .patch(f"{TEMPLATES}google-sre/", {"name": "Mine"}, format="json")
        .status_code
        == 403
    )
    api.force_authenticate(responder)
    response = api.post(
        TEMPLATES,
        {"slug": "x", "name": "X", "sections": [{"key": "a", "title": "A"}]},
        format="json",
    )
    assert response.status_code == 403


# --- action items -----------------------------------------------------------------------------------

ITEMS = "/api/v1/action-items/"


def test_create_action_item_with_defaults_from_priority(rita, postmortem, other_responder):
    response = rita.post(
        ITEMS,
        {
            "postmortem": postmortem.pk,
            "title": "Validate route configs before deploy",
            "type": "prevent",
            "priority": "high",
            "owner": "omar",
            "tracker_url": "https://acme.atlassian.net/browse/NET-42",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["tracker"], body["tracker_key"], body["owner"], body["status"]) == (
        "jira",
        "NET-42",
        "omar",
        "open",
    )
    from datetime import date

    assert (
        date.fromisoformat(body["due_date"]) - date.fromisoformat(body["created_at"][:10])
    ).days in (27, 28, 29)
    assert body["incident"] == postmortem.incident_id and body["postmortem"] == postmortem.pk


@pytest.mark.parametrize(
    "payload",
    [
        {"title": "x"},
        {"title": "", "incident": "ID"},
        {"title": "x", "incident": "ID", "priority": "urgent"},
        {"title": "x", "incident": "ID", "owner": "nobody"},
        {"title": "x", "incident": "ID", "tracker_url": "javascript:alert(1)"},
        {"title": "x", "incident": "ID", "due_date": "tomorrow"},
    ],
)
def test_bad_action_items_are_400(rita, edge_incident, payload):
    payload = {k: edge_incident.pk if v == "ID" else v for k, v in payload.items()}
    response = rita.post(ITEMS, payload, format="json")
    assert response.status_code == 400, response.content
    assert edge_incident.action_items.count() == 0


def test_wont_do_needs_a_reason_and_done_is_stamped(rita, edge_incident):
    item = rita.post(
        ITEMS, {"incident": edge_incident.pk, "title": "Add canary"}, format="json"
    ).json()
    refused = rita.patch(f"{ITEMS}{item['id']}/", {"status": "wont_do"}, format="json")
    assert refused.status_code == 400 and "why" in refused.json()["detail"]
    ok = rita.patch(
        f"{ITEMS}{item['id']}/",
        {"status": "wont_do", "wont_do_reason": "Covered by NET-7"},
        format="json",
    )
    assert ok.json()["status"] == "wont_do"
    done = rita.post(f"{ITEMS}{item['id']}/complete/", format="json").json()
    assert done["status"] == "done" and done["completed_at"] and done["wont_do_reason"] == ""


def test_action_item_views(api, responder, other_responder, edge_incident, db):
    from postmortems.services import action_item_create
    from tests.factories import TeamFactory

    TeamFactory().members.set([responder, other_responder])
    mine = action_item_create(user=responder, incident=edge_incident, title="Mine", owner=responder)
    theirs = action_item_create(
        user=responder, incident=edge_incident, title="Team's", owner=other_responder
    )
    late = action_item_create(
        user=responder, incident=edge_incident, title="Late", owner=responder, due_date="2020-01-01"
    )
    client = api.as_user(responder)

    def titles(view):
        return [x["title"] for x in client.get(f"{ITEMS}?view={view}").json()["results"]]

    assert set(titles("mine")) == {mine.title, late.title}
    assert set(titles("team")) == {mine.title, theirs.title, late.title}
    assert titles("overdue") == [late.title]
    assert client.get(f"{ITEMS}?view=everything").status_code == 400


def test_warning_when_one_person_owns_more_than_five_open_items(rita, edge_incident):
    for index in range(5):
        response = rita.post(
            ITEMS,
            {"incident": edge_incident.pk, "title": f"Item {index}", "owner": "rita"},
            format="json",
        )
        assert response.json()["warnings"] == []
    sixth = rita.post(
        ITEMS, {"incident": edge_incident.pk, "title": "Item 6", "owner": "rita"}, format="json"
    ).json()
    assert sixth["warnings"] == [
        "Rita owns 6 open action items (more than 5); consider spreading the work."
    ]


def test_private_incidents_action_items_are_hidden(api, responder, outsider, private_incident):
    from postmortems.services import action_item_create

    item = action_item_create(user=responder, incident=private_incident, title="Rotate keys")
    client = api.as_user(outsider)
    assert client.get(f"{ITEMS}{item.pk}/").status_code == 404
    assert client.get(ITEMS).json()["results"] == []
