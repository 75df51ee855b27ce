"""Blameless-writing warnings."""

from __future__ import annotations

from postmortems import services
from postmortems.lint import lint_postmortem
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
    assert [w for w in _rules(pm) if w.rule in {"person_name", "blame_phrase"}] == []


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


def test_blame_phrases_are_flagged_anywhere(postmortem, responder):
    pm = _save(
        postmortem,
        responder,
        impact="It was a human error.",
        root_cause="We should have tested. The deploy failed to roll back. Why didn't anyone check? Careless. Our fault.",
    )
    phrases = sorted(w.message.split('"')[1].lower() for w in _rules(pm, "blame_phrase"))
    assert phrases == ["careless", "failed to", "fault", "human error", "should have", "why didn't"]


def test_fault_tolerance_is_not_blame(postmortem, responder):
    pm = _save(postmortem, responder, impact="Fault tolerance and fault-injection tests passed.")
    assert _rules(pm, "blame_phrase") == []


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
    assert {w.rule for w in warnings} >= {"person_name", "blame_phrase"}
