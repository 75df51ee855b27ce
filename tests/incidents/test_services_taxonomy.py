"""Tags and contributing factors on incidents: normalised names, one timeline event per changed
list, the usual write rules, and counts that never reveal a private incident to an outsider."""

from __future__ import annotations

import pytest

from config.errors import NotFound, PermissionDenied, ValidationFailed
from incidents import services
from incidents.models import TimelineEvent
from incidents.selectors import incident_get, taxonomy_counts
from tests.factories import declare


def taxonomy_events(incident):
    return list(
        TimelineEvent.objects.filter(incident=incident, kind="field_changed").order_by("id")
    )


def names(incident):
    incident.refresh_from_db()
    return (
        sorted(incident.tags.values_list("name", flat=True)),
        sorted(incident.contributing_factors.values_list("name", flat=True)),
    )


def test_tags_and_factors_are_normalised_deduplicated_and_sorted(incident, responder):
    changed = services.incident_taxonomy_update(
        incident=incident,
        user=responder,
        tags=["  TLS Certificates ", "dns", "DNS", ""],
        contributing_factors=["Missing   alert", "missing alert", "Manual deploy"],
    )

    assert changed == ["tags", "contributing_factors"]
    assert names(incident) == (["dns", "tls-certificates"], ["manual deploy", "missing alert"])


def test_each_changed_list_is_one_timeline_event_naming_what_was_added_and_removed(
    incident, responder
):
    services.incident_taxonomy_update(incident=incident, user=responder, tags=["dns", "tls"])
    services.incident_taxonomy_update(
        incident=incident, user=responder, tags=["tls", "cdn"], contributing_factors=["no canary"]
    )

    events = taxonomy_events(incident)
    assert [e.data["fields"] for e in events] == [["tags"], ["tags"], ["contributing_factors"]]
    assert events[1].data["added"] == ["cdn"] and events[1].data["removed"] == ["dns"]
    assert "added cdn; removed dns" in events[1].body
    assert events[2].data["new"] == {"contributing_factors": ["no canary"]}
    assert all(e.actor == responder for e in events)


def test_setting_the_same_lists_again_writes_nothing(incident, responder):
    services.incident_taxonomy_update(incident=incident, user=responder, tags=["dns"])
    before = TimelineEvent.objects.filter(incident=incident).count()

    changed = services.incident_taxonomy_update(
        incident=incident, user=responder, tags=["DNS"], contributing_factors=[]
    )

    assert changed == []
    assert TimelineEvent.objects.filter(incident=incident).count() == before


def test_incident_update_accepts_the_lists_beside_other_details(incident, responder):
    services.incident_update(
        incident=incident,
        user=responder,
        changes={"title": "Checkout is down", "tags": ["checkout"]},
        reason="Scoped.",
    )

    events = taxonomy_events(incident)
    assert [e.data["fields"] for e in events] == [["title"], ["tags"]]
    assert events[1].body.endswith("Scoped.")
    assert names(incident) == (["checkout"], [])


@pytest.mark.parametrize(
    ("tags", "factors", "field"),
    [
        (["has,comma"], None, "tags"),
        (["ünïcode!"], None, "tags"),
        (["x" * 51], None, "tags"),
        ("dns", None, "tags"),
        ([f"t{i}" for i in range(21)], None, "tags"),
        (None, ["a, b"], "contributing_factors"),
        (None, ["nul\x00byte"], "contributing_factors"),
        (None, [3], "contributing_factors"),
    ],
)
def test_invalid_names_are_refused_and_nothing_changes(incident, responder, tags, factors, field):
    with pytest.raises(ValidationFailed) as exc:
        services.incident_taxonomy_update(
            incident=incident, user=responder, tags=tags, contributing_factors=factors
        )

    assert field in exc.value.field_errors
    assert names(incident) == ([], [])
    assert taxonomy_events(incident) == []


def test_a_viewer_cannot_edit_the_taxonomy(incident, viewer):
    with pytest.raises(PermissionDenied):
        services.incident_taxonomy_update(incident=incident, user=viewer, tags=["dns"])
    assert names(incident) == ([], [])


def test_an_outsider_cannot_edit_a_private_incidents_taxonomy(private_incident, outsider):
    with pytest.raises(PermissionDenied):
        services.incident_taxonomy_update(incident=private_incident, user=outsider, tags=["x"])
    assert names(private_incident) == ([], [])


@pytest.fixture
def tagged(responder, incident, private_incident):
    services.incident_taxonomy_update(
        incident=incident,
        user=responder,
        tags=["checkout", "shared"],
        contributing_factors=["no canary"],
    )
    services.incident_update(
        incident=incident, user=responder, changes={"trigger_category": "code_change"}
    )
    services.incident_taxonomy_update(
        incident=private_incident,
        user=responder,
        tags=["credential-leak", "shared"],
        contributing_factors=["secrets in logs"],
    )
    drill = declare(responder, title="Drill", kind="drill", trigger_category="code_change")
    services.incident_taxonomy_update(incident=drill, user=responder, tags=["shared"])
    return incident, private_incident


def counts(user):
    result = taxonomy_counts(user=user)
    return (
        {c.value: c.count for c in result["trigger_categories"] if c.count},
        {c.value: c.count for c in result["tags"]},
        {c.value: c.count for c in result["contributing_factors"]},
    )


def test_counts_include_a_private_incident_for_its_members_and_admins(
    tagged, responder, admin_user
):
    expected = (
        {"code_change": 1, "unknown": 1},
        {"shared": 2, "checkout": 1, "credential-leak": 1},
        {"no canary": 1, "secrets in logs": 1},
    )
    assert counts(responder) == expected
    assert counts(admin_user) == expected


def test_an_outsider_never_sees_a_private_incidents_tags_in_the_counts(tagged, outsider, viewer):
    expected = ({"code_change": 1}, {"checkout": 1, "shared": 1}, {"no canary": 1})
    assert counts(outsider) == expected
    assert counts(viewer) == expected


def test_every_trigger_category_is_listed_even_with_no_incidents(db, outsider):
    result = taxonomy_counts(user=outsider)
    assert len(result["trigger_categories"]) == 6
    assert {c.count for c in result["trigger_categories"]} == {0}
    assert result["tags"] == [] and result["contributing_factors"] == []


def test_the_private_incident_itself_stays_hidden(tagged, outsider):
    with pytest.raises(NotFound):
        incident_get(user=outsider, pk=tagged[1].pk)
