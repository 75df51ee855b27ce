"""Blameless-writing warnings."""

from __future__ import annotations

from postmortems import services
from postmortems.lint import lint_postmortem, lint_sections
from postmortems.lint.names import directory_cache_clear, directory_index
from tests.factories import UserFactory


def _save(postmortem, user, **bodies):
    postmortem.refresh_from_db()
    return services.postmortem_save(
        user=user,
        postmortem=postmortem,
        version=postmortem.version,
        sections=[{"key": k, "body": v} for k, v in bodies.items()],
    ).postmortem


def _rules(postmortem, rule=None):
    return [w for w in lint_postmortem(postmortem) if rule is None or w.rule == rule]


def test_a_persons_name_in_the_summary_is_flagged(postmortem, responder, db):
    UserFactory(username="chris", first_name="Chris", last_name="Jones")
    pm = _save(
        postmortem, responder, summary="Chris committed a software change that broke everything."
    )
    names = _rules(pm, "person_name")
    assert len(names) == 1
    assert '"Chris"' in names[0].message and '"we"' in names[0].message
    assert names[0].excerpt == "Chris committed a software change that broke everything."
    assert names[0].section == "summary"


def test_neutral_wording_is_silent(postmortem, responder, db):
    UserFactory(username="chris", first_name="Chris")
    pm = _save(
        postmortem,
        responder,
        summary="A change was made that introduced a new route that caused an exception in our parser",
        root_cause="A change was made that introduced a new route that caused an exception in our parser",
    )
    assert [w for w in _rules(pm) if w.rule != "no_action_items"] == []


def test_participant_names_in_root_cause_are_flagged_but_not_in_other_sections(
    postmortem, responder
):
    pm = _save(
        postmortem, responder, root_cause="Rita rolled back.", appendix="Rita's notes are attached."
    )
    names = _rules(pm, "person_name")
    assert [(w.section, w.excerpt) for w in names] == [("root_cause", "Rita rolled back.")]


def test_names_inside_words_or_lowercase_are_not_names(postmortem, responder, db):
    UserFactory(username="al", first_name="Al")
    pm = _save(postmortem, responder, summary="All alerts fired; the algorithm was fine.")
    assert _rules(pm, "person_name") == []


def test_each_kind_of_blame_is_flagged_with_its_own_rule_and_a_hint(postmortem, responder):
    pm = _save(
        postmortem,
        responder,
        impact="It was a human error.",
        root_cause=(
            "We should have tested. The new hire pushed the config to production. "
            "The reviewer overlooked the warning in the deploy output. Careless. Our fault."
        ),
    )
    found = {(w.rule, w.excerpt) for w in _rules(pm)}
    assert found >= {
        ("blame_as_cause", "It was a human error."),
        ("hindsight", "We should have tested."),
        ("person_role", "The new hire pushed the config to production."),
        ("blame_verb", "The reviewer overlooked the warning in the deploy output."),
        ("blame_verb", "Careless."),
        ("blame_as_cause", "Our fault."),
    }
    (role,) = [w for w in _rules(pm, "person_role") if "new hire" in w.excerpt]
    assert '"the new hire"' in role.message.lower()
    assert '"We pushed the config to production."' in role.hint  # built from the sentence
    (verb,) = [w for w in _rules(pm, "blame_verb") if "overlooked" in w.message]
    assert "the warning in the deploy output" in verb.hint


def test_a_system_as_subject_or_a_future_action_is_not_blame(postmortem, responder):
    pm = _save(
        postmortem,
        responder,
        root_cause=(
            "The deploy failed to roll back. The alert failed to fire because the metric was "
            "renamed. The retry loop ignored the Retry-After header. We should add a canary. "
            "We will require two approvals."
        ),
    )
    assert _rules(pm) == [w for w in _rules(pm) if w.rule == "no_action_items"]


def test_fault_tolerance_is_not_blame(postmortem, responder):
    pm = _save(postmortem, responder, impact="Fault tolerance and fault-injection tests passed.")
    assert [w for w in _rules(pm) if w.rule != "no_action_items"] == []


def test_code_quoted_log_lines_and_timeline_rows_are_not_read(postmortem, responder):
    pm = _save(
        postmortem,
        responder,
        root_cause=(
            "| 14:02 | Rita | Rolled back the deploy |\n\n"
            "> 03:14 <rita> restarting the primary now\n\n"
            "```\n2026-05-01 ERROR user=rita dropped table\n```\n\n"
            "The job ran as `rita` and the cron entry was wrong."
        ),
    )
    assert [w for w in _rules(pm) if w.rule != "no_action_items"] == []


def test_only_the_narrative_sections_are_read(postmortem, responder):
    """Summary, impact, root cause, contributing factors and lessons; not the appendix."""
    pm = _save(postmortem, responder, appendix="The operator was sloppy.")
    assert _rules(pm, "blame_verb") == []
    warnings = lint_sections(
        [
            {"key": "contributing_factors", "title": "Contributing factors", "purpose": "other",
             "body": "The operator was sloppy."},
            {"key": "detection", "title": "Detection", "purpose": "other",
             "body": "The operator was sloppy."},
        ],
        has_action_items=True,
    )  # fmt: skip
    assert [(w.rule, w.section) for w in warnings] == [("blame_verb", "contributing_factors")]


def test_names_the_directory_spells_differently_or_does_not_hold(postmortem, responder, db):
    UserFactory(
        username="mgarcia", first_name="Maria", last_name="Garcia", slack_user_id="U01MARIA9"
    )
    UserFactory(username="rhughes", first_name="Robert", last_name="Hughes")
    directory_cache_clear()
    pm = _save(
        postmortem,
        responder,
        root_cause=(
            "mgarcia edited the zone. @kmensah merged it. <@U01MARIA9> approved it. "
            "Bob restarted the nodes. Jorge's migration locked the table. Sanjay broke the build."
        ),
    )
    excerpts = [w.excerpt for w in _rules(pm, "person_name")]
    assert len(excerpts) == 6


def test_the_directory_is_cached_between_keystrokes(db, django_assert_num_queries):
    UserFactory(username="chris", first_name="Chris")
    directory_cache_clear()
    directory_index()
    with django_assert_num_queries(0):
        index = directory_index()
    assert "Chris" in index.words


def test_summary_longer_than_two_paragraphs(postmortem, responder):
    pm = _save(postmortem, responder, summary="One.\n\nTwo.\n\nThree is too many.")
    (warning,) = _rules(pm, "summary_too_long")
    assert "3 paragraphs" in warning.message and warning.excerpt == "Three is too many."
    pm = _save(pm, responder, summary="One.\n\nTwo.")
    assert _rules(pm, "summary_too_long") == []


def test_no_action_items_unless_the_cost_of_doing_nothing_is_written(postmortem, responder):
    assert len(_rules(postmortem, "no_action_items")) == 1
    pm = _save(
        postmortem, responder, action_items="The cost of doing nothing is one short outage a year."
    )
    assert _rules(pm, "no_action_items") == []


def test_placeholders_are_not_linted(postmortem, responder):
    """Generated blocks carry names (people, roles); only the author's own words are read."""
    pm = _save(postmortem, responder, summary="{{ people }} {{ roles }}")
    assert _rules(pm, "person_name") == []


def test_unsaved_text_can_be_linted_for_the_live_editor(postmortem):
    warnings = lint_postmortem(
        postmortem, sections=[{"key": "summary", "body": "Rita should have checked."}]
    )
    assert {w.rule for w in warnings} >= {"person_name", "hindsight"}


def test_the_incident_participants_are_the_people_involved(postmortem, responder):
    """The lint reads the participants in one query; they are the people the document lists."""
    from postmortems.blocks import people_involved
    from postmortems.lint.names import incident_participants

    incident = postmortem.incident
    assert {u.pk for u in incident_participants(incident)} == {
        u.pk for u in people_involved(incident)
    }


def test_a_new_user_is_recognised_after_the_cache_expires_and_a_participant_at_once(
    db, monkeypatch
):
    from postmortems.lint import names

    directory_cache_clear()
    names.directory_index()
    UserFactory(username="priya", first_name="Priya", last_name="Raman")
    assert "Raman" not in names.directory_index().words  # cached
    newcomer = UserFactory(username="zed", first_name="Zebulon", last_name="Quartermaine")
    assert "Quartermaine" in names.names_for([newcomer]).words  # a participant, read fresh
    monkeypatch.setattr(names, "DIRECTORY_TTL", 0.0)
    assert "Raman" in names.directory_index().words
