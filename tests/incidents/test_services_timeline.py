"""The append-only timeline: notes, back-dating, corrections and highlights."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.forms.models import model_to_dict

from config.errors import PermissionDenied, ValidationFailed
from incidents import services
from incidents.models import TimelineEvent
from incidents.selectors import timeline_for
from tests.factories import declare

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(T0, tick=False)
    return time_machine


@pytest.fixture
def incident(responder, clock):
    return declare(responder, started_at=T0 - timedelta(hours=1))


def note(incident, user, body="Looking at the load balancer.", **kwargs):
    return services.timeline_note_add(incident=incident, user=user, body=body, **kwargs)


# --- append-only -----------------------------------------------------------------------------------


def test_saving_a_changed_event_raises_and_the_stored_event_is_unchanged(incident, responder):
    event = note(incident, responder, "Original words.")

    event.body = "Rewritten history."
    with pytest.raises(ValueError, match="append-only"):
        event.save()

    assert TimelineEvent.objects.get(pk=event.pk).body == "Original words."


def test_saving_other_fields_alongside_the_highlight_flag_raises(incident, responder):
    event = note(incident, responder)

    event.body = "Sneaky."
    event.highlighted = True
    with pytest.raises(ValueError, match="append-only"):
        event.save(update_fields=["highlighted", "body"])


def test_deleting_an_event_raises_and_it_stays(incident, responder):
    event = note(incident, responder)

    with pytest.raises(ValueError, match="never deleted"):
        event.delete()

    assert TimelineEvent.objects.filter(pk=event.pk).exists()


# --- notes -----------------------------------------------------------------------------------------


def test_a_note_happens_and_is_recorded_now_by_its_author(incident, responder, clock):
    clock.move_to(T0 + timedelta(minutes=7), tick=False)

    event = note(incident, responder, "  Restarted the pool.  ")

    assert event.kind == "note"
    assert event.body == "Restarted the pool."
    assert event.actor == responder
    assert event.occurred_at == event.recorded_at == T0 + timedelta(minutes=7)


def test_a_back_dated_note_keeps_when_it_was_recorded(incident, responder, clock):
    clock.move_to(T0 + timedelta(minutes=30), tick=False)

    event = note(incident, responder, "Deploy 42 went out.", occurred_at=T0 - timedelta(minutes=50))

    event.refresh_from_db()
    assert event.occurred_at == T0 - timedelta(minutes=50)
    assert event.recorded_at == T0 + timedelta(minutes=30)


def test_the_timeline_reads_in_order_of_occurrence_not_of_recording(incident, responder, clock):
    clock.move_to(T0 + timedelta(minutes=10), tick=False)
    later = note(incident, responder, "Now.")
    clock.move_to(T0 + timedelta(minutes=20), tick=False)
    earlier = note(incident, responder, "Back then.", occurred_at=T0 - timedelta(minutes=40))

    bodies = [e.body for e in timeline_for(incident)]
    assert bodies.index(earlier.body) < bodies.index(later.body)
    assert [e.kind for e in timeline_for(incident)][0] == "note"  # before the declaration


def test_a_note_cannot_happen_in_the_future(incident, responder):
    with pytest.raises(ValidationFailed) as error:
        note(incident, responder, occurred_at=T0 + timedelta(hours=1))

    assert "occurred_at" in error.value.field_errors
    assert not incident.timeline.filter(kind="note").exists()


@pytest.mark.parametrize("body", ["", "   ", None, "x" * 10_001, "nul \x00 byte"])
def test_a_note_needs_sensible_text(incident, responder, body):
    with pytest.raises(ValidationFailed) as error:
        note(incident, responder, body)

    assert "body" in error.value.message or "body" in error.value.field_errors
    assert not incident.timeline.filter(kind="note").exists()


def test_a_viewer_cannot_add_a_note(incident, viewer):
    with pytest.raises(PermissionDenied):
        note(incident, viewer)

    assert not incident.timeline.filter(kind="note").exists()


def test_a_note_with_a_known_source_key_is_written_once(incident, responder):
    first = note(incident, responder, "From Slack.", source_key="slack:C1:1700000000.000100")
    again = note(incident, responder, "From Slack.", source_key="slack:C1:1700000000.000100")

    assert again.pk == first.pk
    assert incident.timeline.filter(kind="note").count() == 1


# --- corrections -----------------------------------------------------------------------------------


def test_a_correction_references_the_original_which_stays_unchanged(incident, responder, clock):
    original = note(
        incident, responder, "Rolled back to v41.", occurred_at=T0 - timedelta(minutes=5)
    )
    stored_before = model_to_dict(TimelineEvent.objects.get(pk=original.pk))
    clock.move_to(T0 + timedelta(minutes=15), tick=False)

    correction = note(
        incident, responder, "Correction: rolled back to v40, not v41.", corrects=original
    )

    assert correction.kind == "correction"
    assert correction.corrects_id == original.pk
    assert correction.data == {"corrects": original.pk}
    assert correction.pk != original.pk
    assert model_to_dict(TimelineEvent.objects.get(pk=original.pk)) == stored_before
    assert list(original.corrections.all()) == [correction]


def test_a_correction_must_belong_to_the_same_incident(incident, responder):
    other = declare(responder, title="Another incident")
    foreign = note(other, responder, "Elsewhere.")

    with pytest.raises(ValidationFailed) as error:
        note(incident, responder, "Correction.", corrects=foreign)

    assert "corrects" in error.value.field_errors
    assert not incident.timeline.filter(kind="correction").exists()


# --- highlights ------------------------------------------------------------------------------------


def test_highlighting_changes_only_the_flag_and_writes_no_event(incident, responder, clock):
    event = note(incident, responder, "Key moment.", occurred_at=T0 - timedelta(minutes=3))
    stored_before = model_to_dict(TimelineEvent.objects.get(pk=event.pk))
    count_before = TimelineEvent.objects.count()
    clock.move_to(T0 + timedelta(hours=2), tick=False)

    services.timeline_event_highlight(
        incident=incident, user=responder, event=event, highlighted=True
    )

    stored_after = model_to_dict(TimelineEvent.objects.get(pk=event.pk))
    assert stored_after == {**stored_before, "highlighted": True}
    assert TimelineEvent.objects.count() == count_before


def test_a_highlight_can_be_removed_again(incident, responder):
    event = note(incident, responder, highlighted=True)

    services.timeline_event_highlight(
        incident=incident, user=responder, event=event, highlighted=False
    )

    assert TimelineEvent.objects.get(pk=event.pk).highlighted is False


def test_service_written_events_can_be_highlighted_too(incident, responder):
    declared = incident.timeline.get(kind="declared")

    services.timeline_event_highlight(
        incident=incident, user=responder, event=declared, highlighted=True
    )

    assert TimelineEvent.objects.get(pk=declared.pk).highlighted is True


def test_highlighting_an_event_of_another_incident_is_rejected(incident, responder):
    other = declare(responder, title="Another incident")
    foreign = note(other, responder)

    with pytest.raises(ValidationFailed):
        services.timeline_event_highlight(
            incident=incident, user=responder, event=foreign, highlighted=True
        )

    assert TimelineEvent.objects.get(pk=foreign.pk).highlighted is False


def test_a_viewer_cannot_highlight(incident, responder, viewer):
    event = note(incident, responder)

    with pytest.raises(PermissionDenied):
        services.timeline_event_highlight(
            incident=incident, user=viewer, event=event, highlighted=True
        )

    assert TimelineEvent.objects.get(pk=event.pk).highlighted is False


def test_bulk_queryset_writes_cannot_rewrite_or_delete_the_timeline(incident):
    events = TimelineEvent.objects.filter(incident=incident)
    with pytest.raises(ValueError, match="append-only"):
        events.update(body="rewritten history")
    with pytest.raises(ValueError, match="append-only"):
        events.delete()
    assert events.filter(body="rewritten history").count() == 0
    assert events.count() >= 1


def test_bulk_highlighting_is_still_allowed(incident):
    TimelineEvent.objects.filter(incident=incident).update(highlighted=True)
    assert all(e.highlighted for e in TimelineEvent.objects.filter(incident=incident))
