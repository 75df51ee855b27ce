"""REST API: an incident's roles, timeline and stakeholder updates (/api/v1/incidents/{id}/...)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from incidents.models import Role, RoleAssignment, StakeholderUpdate, TimelineEvent
from tests.factories import UserFactory


def url(incident, suffix: str = "") -> str:
    return f"/api/v1/incidents/{incident.pk}/{suffix}"


def iso(moment) -> str:
    return moment.isoformat().replace("+00:00", "Z")


# --- roles ------------------------------------------------------------------------------------------


def test_the_commander_assigns_a_role_by_username(api, responder, other_responder, incident):
    response = api.as_user(responder).post(
        url(incident, "roles/"), {"role": "communications_lead", "user": "omar"}, format="json"
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["role"], body["user"], body["assigned_by"], body["active"]) == (
        "communications_lead",
        "omar",
        "rita",
        True,
    )
    roles = api.get(url(incident)).json()["roles"]
    assert {"role": "communications_lead", "user": "omar"} in [
        {"role": r["role"], "user": r["user"]} for r in roles
    ]


def test_handing_off_command_keeps_the_full_history(api, responder, other_responder, incident):
    client = api.as_user(responder)
    client.post(
        url(incident, "roles/"), {"role": "incident_commander", "user": "omar"}, format="json"
    )

    history = client.get(url(incident, "roles/")).json()

    assert [(r["user"], r["active"]) for r in history if r["role"] == "incident_commander"] == [
        ("rita", False),
        ("omar", True),
    ]
    ended = next(r for r in history if r["user"] == "rita")
    assert ended["ended_at"] is not None and ended["ended_by"] == "rita"
    current = client.get(url(incident)).json()["roles"]
    assert [r["user"] for r in current if r["role"] == "incident_commander"] == ["omar"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"role": "scribe", "user": "nobody-here"}, "user"),
        ({"role": "scribe", "user": "a\x00b"}, "user"),
        ({"role": "scribe", "user": 7}, "user"),
        ({"role": "janitor", "user": "omar"}, "role"),
        ({"role": "scribe"}, "user"),
    ],
)
def test_bad_role_assignments_are_a_400_naming_the_field(
    api, responder, other_responder, incident, payload, field
):
    response = api.as_user(responder).post(url(incident, "roles/"), payload, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert RoleAssignment.objects.filter(incident=incident).count() == 1


def test_a_viewer_cannot_hold_a_role(api, responder, viewer, incident):
    response = api.as_user(responder).post(
        url(incident, "roles/"), {"role": "scribe", "user": "victor"}, format="json"
    )

    assert response.status_code == 400
    assert "not a responder" in response.json()["detail"]


def test_only_the_commander_assigns_roles_to_others(api, other_responder, incident):
    UserFactory(username="pia", groups=["responder"])

    response = api.as_user(other_responder).post(
        url(incident, "roles/"), {"role": "scribe", "user": "pia"}, format="json"
    )

    assert response.status_code == 403
    assert "commander" in response.json()["detail"]


# --- timeline -----------------------------------------------------------------------------------------


def test_adding_a_note_and_reading_the_timeline(api, responder, incident):
    client = api.as_user(responder)
    earlier = timezone.now() - timedelta(minutes=3)

    response = client.post(
        url(incident, "timeline/"),
        {
            "kind": "note",
            "body": "Error rate back to 0.1%",
            "occurred_at": iso(earlier),
            "highlighted": True,
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    note = response.json()
    assert (note["kind"], note["body"], note["actor"], note["highlighted"]) == (
        "note",
        "Error rate back to 0.1%",
        "rita",
        True,
    )
    timeline = client.get(url(incident, "timeline/")).json()["results"]
    # Ordered by when things happened: the back-dated note comes before the declaration.
    assert [(e["kind"], e["occurred_at"]) for e in timeline] == [
        ("note", iso(earlier)),
        ("declared", iso(incident.declared_at)),
    ]


def test_the_note_kind_may_be_left_out(api, responder, incident):
    response = api.as_user(responder).post(
        url(incident, "timeline/"), {"body": "Paged DB team"}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["kind"] == "note"


@pytest.mark.parametrize("kind", ["status_changed", "declared", "correction", "", 1])
def test_only_notes_can_be_written_to_the_timeline(api, responder, incident, kind):
    response = api.as_user(responder).post(
        url(incident, "timeline/"), {"kind": kind, "body": "I declare victory"}, format="json"
    )

    assert response.status_code == 400
    assert "kind" in response.json()["errors"]
    assert not incident.timeline.exclude(kind="declared").exists()


def test_polling_the_timeline_since_an_event(api, responder, incident):
    client = api.as_user(responder)
    first = incident.timeline.get()
    client.post(url(incident, "timeline/"), {"body": "Later"}, format="json")

    newer = client.get(url(incident, "timeline/") + f"?since_id={first.pk}").json()["results"]

    assert [e["body"] for e in newer] == ["Later"]
    assert client.get(url(incident, "timeline/") + "?since_id=abc").status_code == 400


def test_the_timeline_comes_in_pages_that_follow_next_to_the_end(api, responder, incident):
    client = api.as_user(responder)
    for n in range(7):
        client.post(url(incident, "timeline/"), {"body": f"Step {n}"}, format="json")

    bodies, link = [], url(incident, "timeline/") + "?limit=3"
    while link:
        page = client.get(link).json()
        assert len(page["results"]) <= 3
        bodies += [e["body"] for e in page["results"] if e["kind"] == "note"]
        link = page["next"]

    assert bodies == [f"Step {n}" for n in range(7)]  # every event once, oldest first


def test_the_whole_timeline_exports_as_csv(api, responder, incident):
    client = api.as_user(responder)
    client.post(url(incident, "timeline/"), {"body": "=HYPERLINK(evil)"}, format="json")
    for n in range(3):
        client.post(url(incident, "timeline/"), {"body": f"Step {n}"}, format="json")

    response = client.get(url(incident, "timeline/export/"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["id", "occurred_at", "recorded_at", "kind"]
    assert len(rows) == 1 + incident.timeline.count()
    assert [r[-1] for r in rows[-3:]] == ["Step 0", "Step 1", "Step 2"]
    assert "'=HYPERLINK(evil)" in [r[-1] for r in rows]  # never run as a formula


def test_a_private_timeline_export_is_404_for_outsiders(api, outsider, private_incident):
    response = api.as_user(outsider).get(url(private_incident, "timeline/export/"))

    assert response.status_code == 404


def test_a_correction_points_at_what_it_corrects_and_leaves_it_untouched(api, responder, incident):
    client = api.as_user(responder)
    wrong = client.post(
        url(incident, "timeline/"), {"body": "Rolled back v41"}, format="json"
    ).json()

    response = client.post(
        url(incident, "timeline/"),
        {"body": "It was v42, not v41", "corrects": wrong["id"]},
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["kind"] == "correction"
    assert response.json()["corrects"] == wrong["id"]
    original = client.get(url(incident, f"timeline/{wrong['id']}/")).json()
    assert original["body"] == "Rolled back v41"
    assert original["corrected_by"] == [response.json()["id"]]


def test_a_correction_of_another_incidents_event_is_a_400(
    api, responder, incident, private_incident
):
    foreign = private_incident.timeline.get()

    response = api.as_user(responder).post(
        url(incident, "timeline/"), {"body": "Fix", "corrects": foreign.pk}, format="json"
    )

    assert response.status_code == 400
    assert "corrects" in response.json()["errors"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"body": ""}, "body"),
        ({"body": "x" * 10_001}, "body"),
        ({"body": "x", "occurred_at": "2024-05-01T10:00:00"}, "occurred_at"),
        ({"body": "x", "occurred_at": iso(timezone.now() + timedelta(days=2))}, "occurred_at"),
        ({"body": "x", "highlighted": "true"}, "highlighted"),
        ({"body": "x", "corrects": 10**30}, "corrects"),
        ({"body": "x", "source_key": "abc"}, "source_key"),
    ],
)
def test_bad_notes_are_a_400_naming_the_field(api, responder, incident, payload, field):
    response = api.as_user(responder).post(url(incident, "timeline/"), payload, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_one_timeline_event_can_be_read(api, viewer, incident):
    event = incident.timeline.get()

    response = api.as_user(viewer).get(url(incident, f"timeline/{event.pk}/"))

    assert response.status_code == 200
    assert response.json()["kind"] == "declared"


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_the_timeline_is_append_only(api, responder, incident, method):
    event = incident.timeline.get()

    response = getattr(api.as_user(responder), method)(
        url(incident, f"timeline/{event.pk}/"), {"body": "rewritten history"}, format="json"
    )

    assert response.status_code == 405
    assert TimelineEvent.objects.get(pk=event.pk).body == event.body


def test_an_event_of_another_incident_is_not_found_under_this_one(
    api, responder, incident, private_incident
):
    foreign = private_incident.timeline.get()

    response = api.as_user(responder).get(url(incident, f"timeline/{foreign.pk}/"))

    assert response.status_code == 404


def test_highlighting_an_event(api, responder, incident):
    event = incident.timeline.get()
    client = api.as_user(responder)

    response = client.post(
        url(incident, f"timeline/{event.pk}/highlight/"), {"highlighted": True}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["highlighted"] is True
    assert TimelineEvent.objects.get(pk=event.pk).highlighted is True
    client.post(
        url(incident, f"timeline/{event.pk}/highlight/"), {"highlighted": False}, format="json"
    )
    assert TimelineEvent.objects.get(pk=event.pk).highlighted is False


def test_highlighting_needs_a_boolean(api, responder, incident):
    event = incident.timeline.get()

    response = api.as_user(responder).post(
        url(incident, f"timeline/{event.pk}/highlight/"), {}, format="json"
    )

    assert response.status_code == 400
    assert "highlighted" in response.json()["errors"]


# --- stakeholder updates ---------------------------------------------------------------------------


def test_posting_an_update_reschedules_the_next_one(api, responder, incident):
    promised = timezone.now() + timedelta(minutes=20)
    client = api.as_user(responder)

    response = client.post(
        url(incident, "updates/"),
        {
            "body": "Rolling back the deploy.",
            "audience": "external",
            "next_update_at": iso(promised),
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["kind"], body["audience"], body["posted_by"]) == ("update", "external", "rita")
    assert body["next_update_at"] == iso(promised)
    assert client.get(url(incident)).json()["next_update_due_at"] == iso(promised)
    assert [u["id"] for u in client.get(url(incident, "updates/")).json()] == [body["id"]]


def test_an_all_clear_must_say_whether_a_follow_up_comes(api, responder, incident):
    client = api.as_user(responder)
    payload = {"body": "All clear.", "audience": "external", "kind": "resolution"}

    refused = client.post(url(incident, "updates/"), payload, format="json")
    accepted = client.post(
        url(incident, "updates/"), {**payload, "follow_up_expected": True}, format="json"
    )

    assert refused.status_code == 400
    assert "follow_up_expected" in refused.json()["errors"]
    assert accepted.status_code == 201
    assert accepted.json()["follow_up_expected"] is True


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"body": "x"}, "audience"),
        ({"body": "x", "audience": "everyone"}, "audience"),
        ({"audience": "internal"}, "body"),
        ({"body": "x", "audience": "internal", "kind": "haiku"}, "kind"),
        ({"body": "x", "audience": "internal", "next_update_at": "soon"}, "next_update_at"),
        (
            {"body": "x", "audience": "internal", "next_update_at": "2020-01-01T00:00:00Z"},
            "next_update_at",
        ),
    ],
)
def test_bad_updates_are_a_400_naming_the_field(api, responder, incident, payload, field):
    response = api.as_user(responder).post(url(incident, "updates/"), payload, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not StakeholderUpdate.objects.exists()


# --- who may see and write ---------------------------------------------------------------------------

PRIVATE_ENDPOINTS = [
    ("get", "", None),
    ("patch", "", {"title": "x"}),
    ("post", "status/", {"status": "identified"}),
    ("post", "mitigate/", {}),
    ("post", "snooze/", {"minutes": 10}),
    ("get", "roles/", None),
    ("post", "roles/", {"role": "scribe", "user": "oscar"}),
    ("get", "timeline/", None),
    ("post", "timeline/", {"kind": "note", "body": "x"}),
    ("get", "timeline/{event}/", None),
    ("post", "timeline/{event}/highlight/", {"highlighted": True}),
    ("get", "updates/", None),
    ("post", "updates/", {"body": "x", "audience": "internal"}),
]


@pytest.mark.parametrize(("method", "suffix", "payload"), PRIVATE_ENDPOINTS)
def test_a_private_incident_is_404_for_non_members_on_every_endpoint(
    api, outsider, private_incident, method, suffix, payload
):
    event = private_incident.timeline.get()
    path = url(private_incident, suffix.format(event=event.pk))
    before = (
        TimelineEvent.objects.count(),
        RoleAssignment.objects.count(),
        StakeholderUpdate.objects.count(),
    )

    response = getattr(api.as_user(outsider), method)(path, payload, format="json")

    assert response.status_code == 404
    # Indistinguishable from an incident that does not exist.
    assert response.json() == {"detail": "No such incident.", "code": "not_found"}
    after = (
        TimelineEvent.objects.count(),
        RoleAssignment.objects.count(),
        StakeholderUpdate.objects.count(),
    )
    assert after == before


@pytest.mark.parametrize(("method", "suffix", "payload"), PRIVATE_ENDPOINTS)
def test_members_of_a_private_incident_reach_every_endpoint(
    api, responder, private_incident, method, suffix, payload
):
    event = private_incident.timeline.get()
    path = url(private_incident, suffix.format(event=event.pk))

    response = getattr(api.as_user(responder), method)(path, payload, format="json")

    assert response.status_code != 404, response.json()


@pytest.mark.parametrize(
    ("method", "suffix", "payload"), [e for e in PRIVATE_ENDPOINTS if e[0] != "get"]
)
def test_viewers_get_403_with_a_message_on_every_write(
    api, viewer, incident, method, suffix, payload
):
    event = incident.timeline.get()
    path = url(incident, suffix.format(event=event.pk))

    response = getattr(api.as_user(viewer), method)(path, payload, format="json")

    assert response.status_code == 403
    assert "only read" in response.json()["detail"]


def test_admins_see_private_incidents(api, admin_user, private_incident):
    response = api.as_user(admin_user).get(url(private_incident, "timeline/"))

    assert response.status_code == 200


def test_role_holders_become_members_and_see_the_private_incident(
    api, responder, other_responder, private_incident
):
    api.as_user(responder).post(
        url(private_incident, "roles/"), {"role": Role.SCRIBE.value, "user": "omar"}, format="json"
    )

    response = api.as_user(other_responder).get(url(private_incident))

    assert response.status_code == 200
