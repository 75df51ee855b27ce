"""Optimistic locking: a stale save gets 409 with both texts, and nothing anyone typed is lost."""

from __future__ import annotations

import pytest

from config.errors import ValidationFailed
from postmortems import services
from postmortems.models import PostmortemRevision
from postmortems.services import EditConflict


def _body(postmortem, key):
    return postmortem.sections.get(key=key).body


def test_two_edits_of_the_same_version_one_saves_the_other_gets_409_and_keeps_its_text(
    postmortem, responder, other_responder
):
    first = services.postmortem_save(
        user=responder,
        postmortem=postmortem,
        version=1,
        sections=[{"key": "summary", "body": "Rita's words."}],
    )
    assert first.changed and first.postmortem.version == 2

    with pytest.raises(EditConflict) as raised:
        services.postmortem_save(
            user=other_responder,
            postmortem=postmortem,
            version=1,
            sections=[{"key": "summary", "body": "Omar's words."}],
        )
    conflict = raised.value
    assert conflict.status_code == 409
    body = conflict.as_dict()
    assert body["current"]["version"] == 2
    assert {"key": "summary", "title": "Summary", "body": "Rita's words."} in body["current"][
        "sections"
    ]
    assert body["yours"]["version"] == 1
    assert {"key": "summary", "title": "Summary", "body": "Omar's words."} in body["yours"][
        "sections"
    ]

    postmortem.refresh_from_db()
    assert postmortem.version == 2
    assert _body(postmortem, "summary") == "Rita's words."
    kept = PostmortemRevision.objects.get(pk=body["conflict_revision"])
    assert kept.kind == "conflict" and kept.author == other_responder
    assert kept.body_of("summary") == "Omar's words."


def test_after_merging_the_loser_saves_on_the_current_version(
    postmortem, responder, other_responder
):
    services.postmortem_save(
        user=responder, postmortem=postmortem, version=1, sections=[{"key": "summary", "body": "A"}]
    )
    with pytest.raises(EditConflict):
        services.postmortem_save(
            user=other_responder,
            postmortem=postmortem,
            version=1,
            sections=[{"key": "summary", "body": "B"}],
        )
    merged = services.postmortem_save(
        user=other_responder,
        postmortem=postmortem,
        version=2,
        sections=[{"key": "summary", "body": "A\n\nB"}],
    )
    assert merged.postmortem.version == 3
    history = list(
        PostmortemRevision.objects.filter(postmortem=postmortem).values_list("kind", "version")
    )
    assert history == [("created", 1), ("save", 2), ("conflict", 1), ("save", 3)]


def test_every_accepted_save_is_a_revision_with_the_whole_document(postmortem, responder):
    services.postmortem_save(
        user=responder,
        postmortem=postmortem,
        version=1,
        sections=[{"key": "summary", "body": "one"}],
    )
    services.postmortem_save(
        user=responder,
        postmortem=postmortem,
        version=2,
        sections=[{"key": "impact", "body": "two"}],
    )
    latest = PostmortemRevision.objects.get(postmortem=postmortem, version=3)
    assert latest.body_of("summary") == "one" and latest.body_of("impact") == "two"
    assert (
        PostmortemRevision.objects.get(postmortem=postmortem, version=2).body_of("impact") != "two"
    )


def test_autosave_without_changes_does_not_bump_the_version(postmortem, responder):
    body = _body(postmortem, "impact")
    result = services.postmortem_save(
        user=responder, postmortem=postmortem, version=1, sections=[{"key": "impact", "body": body}]
    )
    assert not result.changed and result.postmortem.version == 1


def test_stale_resend_of_identical_text_is_not_a_conflict(postmortem, responder):
    services.postmortem_save(
        user=responder,
        postmortem=postmortem,
        version=1,
        sections=[{"key": "summary", "body": "same"}],
    )
    again = services.postmortem_save(
        user=responder,
        postmortem=postmortem,
        version=1,
        sections=[{"key": "summary", "body": "same"}],
    )
    assert not again.changed and again.postmortem.version == 2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"version": None, "sections": []}, "version is required"),
        ({"version": "1", "sections": []}, "version is required"),
        ({"version": 9, "sections": [{"key": "summary", "body": "x"}]}, "Version 9 does not exist"),
        ({"version": 1, "sections": [{"key": "nope", "body": "x"}]}, "no section 'nope'"),
        ({"version": 1, "sections": [{"key": "summary", "body": 3}]}, "must be text"),
        ({"version": 1, "sections": "summary"}, "must be a list"),
        ({"version": 1, "tags": "a,b"}, "tags must be a list"),
        ({"version": 1, "visibility": "everyone"}, "visibility must be one of"),
        ({"version": 1, "title": ""}, "title is required"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(postmortem, responder, kwargs, message):
    with pytest.raises(ValidationFailed, match=message):
        services.postmortem_save(user=responder, postmortem=postmortem, **kwargs)
    postmortem.refresh_from_db()
    assert postmortem.version == 1
    assert PostmortemRevision.objects.filter(postmortem=postmortem).count() == 1


def test_title_tags_and_visibility_are_saved_with_the_lock(postmortem, responder):
    result = services.postmortem_save(
        user=responder,
        postmortem=postmortem,
        version=1,
        title="Edge outage",
        tags=["network", "edge", "network"],
        visibility="customers",
    )
    pm = result.postmortem
    assert (pm.title, pm.tags, pm.visibility, pm.version) == (
        "Edge outage",
        ["network", "edge"],
        "customers",
        2,
    )


def test_truly_concurrent_saves_of_the_same_version_one_wins_one_conflicts(transactional_db):
    """Two threads (two database connections) save from version 1 at the same moment."""
    import threading

    from django.contrib.auth.models import Group
    from django.db import connection

    from oncall.access import GROUPS
    from tests.factories import UserFactory
    from tests.postmortems.conftest import build_edge_router_incident

    for name in GROUPS:
        Group.objects.get_or_create(name=name)
    services.postmortem_templates_sync_builtin()
    rita = UserFactory(username="rita", first_name="Rita", groups=["responder"])
    omar = UserFactory(username="omar", first_name="Omar", groups=["responder"])
    postmortem = services.postmortem_create(user=rita, incident=build_edge_router_incident(rita))

    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def edit(user, text):
        try:
            barrier.wait(timeout=30)
            services.postmortem_save(
                user=user,
                postmortem=postmortem,
                version=1,
                sections=[{"key": "summary", "body": text}],
            )
            outcomes[text] = "saved"
        except EditConflict:
            outcomes[text] = "conflict"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=edit, args=(rita, "Rita's text")),
        threading.Thread(target=edit, args=(omar, "Omar's text")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes.values()) == ["conflict", "saved"]
    winner = next(text for text, outcome in outcomes.items() if outcome == "saved")
    loser = next(text for text, outcome in outcomes.items() if outcome == "conflict")
    postmortem.refresh_from_db()
    assert postmortem.version == 2
    assert postmortem.sections.get(key="summary").body == winner
    assert (
        PostmortemRevision.objects.get(postmortem=postmortem, kind="conflict").body_of("summary")
        == loser
    )
