"""The incident page as a command center: the header strip, the primary actions, the forms a
person may use (and only those), resolving with the end of impact, and a timeline that stays
cheap however long the incident runs."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from incidents import services
from incidents.models import Role, StakeholderUpdate, Status, TimelineEvent
from tests.factories import UserFactory, declare

pytestmark = pytest.mark.django_db


def url(incident, suffix: str = "") -> str:
    return f"/incidents/{incident.number}/{suffix}"


def header_of(page: str) -> str:
    start = page.index('id="incident-header"')
    return page[start : page.index("</section>", start)]


def add_notes(incident, user, count: int, **kwargs) -> list[TimelineEvent]:
    """``count`` notes a second apart, oldest first (bulk: the timeline's append-only rule holds)."""
    start = timezone.now() - timedelta(seconds=count + 10)
    rows = [
        TimelineEvent(
            incident=incident,
            kind=TimelineEvent.EventKind.NOTE,
            body=f"Note {i}",
            occurred_at=start + timedelta(seconds=i),
            recorded_at=start + timedelta(seconds=i),
            actor=user,
            **kwargs,
        )
        for i in range(count)
    ]
    return TimelineEvent.objects.bulk_create(rows)


# --- the header strip ------------------------------------------------------------------------


def test_the_header_answers_what_who_and_what_next(client, incident, responder, other_responder):
    services.role_assign(
        incident=incident, user=responder, role=Role.COMMUNICATIONS_LEAD, assignee=other_responder
    )
    client.force_login(responder)
    header = header_of(client.get(url(incident)).content.decode())
    assert "INC-1" in header and "Checkout returns 500s" in header
    assert "SEV2" in header and "Investigating" in header
    assert "impact <strong data-elapsed-seconds=" in header
    assert "declared <strong data-elapsed-seconds=" in header
    assert "Commander" in header and "Rita" in header
    assert "Comms lead" in header and "Omar" in header
    assert 'id="next-update"' in header  # the countdown
    for action in ("Post update", "Add note", "Mark mitigated", "Resolve"):
        assert action in header


def test_the_commander_hands_off_in_the_header(client, incident, responder, other_responder):
    client.force_login(responder)
    header = header_of(client.get(url(incident)).content.decode())
    assert "Hand off" in header
    response = client.post(
        url(incident, "roles/"),
        {"role": Role.INCIDENT_COMMANDER, "user": other_responder.pk},
    )
    assert response.status_code == 302
    # Rita no longer commands: no hand-off, no role assignment form for her.
    page = client.get(url(incident)).content.decode()
    assert "Hand off" not in header_of(page)
    assert 'class="stack role-form"' not in page


def test_pickers_offer_names_and_never_viewers(client, incident, responder, viewer):
    UserFactory(username="zed", first_name="Anna", last_name="Zed", groups=["responder"])
    client.force_login(responder)
    page = client.get(url(incident)).content.decode()
    role_picker = page[page.index('id="role_user"') :].split("</select>")[0]
    handoff_picker = page[page.index('id="handoff_incident_commander"') :].split("</select>")[0]
    for picker in (role_picker, handoff_picker):
        assert ">Anna Zed<" in picker  # a name, not a bare username
        assert "Victor" not in picker and "victor" not in picker  # viewers hold no role
    owner_picker = page[page.index('name="owner"') :].split("</select>")[0]
    assert ">Anna Zed<" in owner_picker and ">zed<" not in owner_picker


def test_a_viewer_gets_no_forms_at_all(client, incident, viewer):
    client.force_login(viewer)
    page = client.get(url(incident)).content.decode()
    assert 'action="/incidents/' not in page
    assert "Mark mitigated" not in page and "Hand off" not in page


def test_the_header_links_to_the_status_page_once_published(client, incident, responder):
    client.force_login(responder)
    assert "Status page" not in header_of(client.get(url(incident)).content.decode())
    services.status_update_post(
        incident=incident, user=responder, body="We are investigating.", audience="external"
    )
    assert "Status page" in header_of(client.get(url(incident)).content.decode())


# --- resolving, mitigation, the composer after resolution ------------------------------------


def test_resolving_asks_when_impact_ended_and_records_it(client, responder):
    incident = declare(responder, started_at=timezone.now() - timedelta(hours=1))
    client.force_login(responder)
    ended = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=5)
    response = client.post(
        url(incident, "resolve/"),
        {"impact_ended_at": timezone.localtime(ended).strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.status == Status.RESOLVED
    assert incident.mitigated_at == ended


def test_resolving_without_an_end_of_impact_takes_now(client, incident, responder):
    client.force_login(responder)
    before = timezone.now()
    assert client.post(url(incident, "resolve/"), {}).status_code == 302
    incident.refresh_from_db()
    assert incident.mitigated_at >= before


def test_an_end_of_impact_in_the_future_is_refused_on_the_form(client, incident, responder):
    client.force_login(responder)
    later = timezone.localtime(timezone.now() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url(incident, "resolve/"), {"impact_ended_at": later})
    assert response.status_code == 400
    assert "Impact cannot end in the future." in response.content.decode()
    incident.refresh_from_db()
    assert incident.status == Status.INVESTIGATING


def test_after_mitigation_only_resolve_is_offered(client, incident, responder):
    services.incident_mitigate(incident=incident, user=responder)
    client.force_login(responder)
    page = client.get(url(incident)).content.decode()
    assert 'action="/incidents/1/mitigate/"' not in page
    assert "When did impact end?" not in page  # it is known
    assert 'action="/incidents/1/resolve/"' in page


def test_after_resolution_the_composer_starts_on_the_all_clear_then_the_root_cause(
    client, incident, responder
):
    services.incident_change_status(incident=incident, user=responder, status=Status.RESOLVED)
    client.force_login(responder)
    page = client.get(url(incident)).content.decode()
    assert re.search(r'value="resolution"[^>]*checked', page)
    assert "All clear: the service has recovered." in page
    assert 'action="/incidents/1/mitigate/"' not in page
    services.status_update_post(
        incident=incident,
        user=responder,
        body="All clear.",
        kind=StakeholderUpdate.UpdateKind.RESOLUTION,
        follow_up_expected=True,
    )
    page = client.get(url(incident)).content.decode()
    assert re.search(r'value="follow_up"[^>]*checked', page)
    assert "Root cause:" in page


def test_errors_speak_the_forms_words_not_field_names(client, incident, responder):
    client.force_login(responder)
    response = client.post(
        url(incident, "updates/"),
        {"kind": "resolution", "audience": "internal", "body": "All clear."},
    )
    assert response.status_code == 400
    page = response.content.decode()
    error = page[page.index('class="message message-error page-error"') :][:400]
    assert "follow_up_expected" not in error and "next_update_at" not in error


def test_in_user_words_replaces_field_names_with_labels():
    from incidents.forms import UpdateForm, in_user_words

    form = UpdateForm()
    assert in_user_words("follow_up_expected must be true or false.", form) == (
        "“Follow-up expected” must be true or false."
    )
    assert in_user_words("body is required.", form) == "“Message” is required."
    assert in_user_words("impact_ended_at is odd.", form) == "impact ended at is odd."


# --- a long timeline -------------------------------------------------------------------------


def test_a_long_timeline_shows_the_latest_events_and_loads_older_on_demand(
    client, incident, responder
):
    notes = add_notes(incident, responder, 250)
    client.force_login(responder)
    page = client.get(url(incident)).content.decode()
    assert "Note 249" in page and "Note 210" in page
    assert "Note 190" not in page
    total = incident.timeline.count()
    assert f"The latest 50 of {total:,} events" in page
    older = client.get(
        url(incident, f"timeline/?before={notes[200].pk}"), headers={"HX-Request": "1"}
    )
    body = older.content.decode()
    assert "Note 199" in body and "Note 150" in body and "Note 149" not in body
    assert 'hx-swap-oob="beforeend:#timeline-events"' in body
    assert "Show older events" in body  # 150 more remain


def test_a_refresh_with_nothing_new_is_empty(client, incident, responder):
    add_notes(incident, responder, 300)
    newest = incident.timeline.order_by("-id").first().pk
    client.force_login(responder)
    response = client.get(url(incident, f"timeline/?after={newest}"), headers={"HX-Request": "1"})
    assert response.status_code == 204
    assert response.content == b""


def test_a_refresh_brings_only_new_events_with_the_next_cursor(client, incident, responder):
    add_notes(incident, responder, 300)
    newest = incident.timeline.order_by("-id").first().pk
    note = services.timeline_note_add(incident=incident, user=responder, body="Rolled back.")
    client.force_login(responder)
    response = client.get(url(incident, f"timeline/?after={newest}"), headers={"HX-Request": "1"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Rolled back." in body and "Note 299" not in body
    assert f"?after={note.pk}" in body  # the next poll starts after it
    assert 'id="head-state" hx-swap-oob="true"' in body  # status, severity, clocks
    assert 'id="next-update" class="countdown" hx-swap-oob="true"' in body


def test_highlights_stay_visible_however_long_the_timeline(client, incident, responder):
    first = add_notes(incident, responder, 1, highlighted=True)[0]
    add_notes(incident, responder, 300)
    client.force_login(responder)
    page = client.get(url(incident)).content.decode()
    highlights = page[page.index('id="highlights"') :][:2000]
    assert f'href="#event-{first.pk}"' in highlights


def test_the_page_and_corrections_cost_a_bounded_number_of_queries(
    client, incident, responder, django_assert_max_num_queries
):
    notes = add_notes(incident, responder, 300)
    for note in notes[-60:]:
        services.timeline_note_add(
            incident=incident, user=responder, body="Not quite.", corrects=note
        )
    client.force_login(responder)
    with django_assert_max_num_queries(40):
        page = client.get(url(incident)).content.decode()
    assert page.count("Corrects <a") >= 40


def test_the_corrects_picker_searches_instead_of_listing_events(client, incident, responder):
    add_notes(incident, responder, 200)
    client.force_login(responder)
    page = client.get(url(incident)).content.decode()
    assert "Note 3:" not in page and "<option" not in page.split('id="corrects-options"')[1][:50]
    found = client.get(url(incident, "timeline/search/?corrects=Note 17")).content.decode()
    assert "Note 17" in found and found.count("<option") <= 10


def test_a_correction_names_its_event_by_number(client, incident, responder):
    wrong = services.timeline_note_add(incident=incident, user=responder, body="DB primary down.")
    client.force_login(responder)
    response = client.post(
        url(incident, "notes/"),
        {"body": "It was the replica.", "corrects": f"#{wrong.pk} Note: DB primary down."},
    )
    assert response.status_code == 302
    assert incident.timeline.get(kind=TimelineEvent.EventKind.CORRECTION).corrects == wrong

    response = client.post(url(incident, "notes/"), {"body": "Hm.", "corrects": "99999"})
    assert response.status_code == 400
    assert "There is no event #99999 on this timeline." in response.content.decode()


def test_clocks_read_in_human_units():
    from incidents.templatetags.firebreak import elapsed

    assert elapsed(65) == "1 min 05 s"
    assert elapsed(2 * 3600 + 14 * 60) == "2 h 14 min"
    assert elapsed(30 * 3600) == "30 h 00 min"
    assert elapsed(3939 * 86400 + 5 * 3600) == "3,939 days 5 h"


def test_the_header_links_to_the_slack_channel_and_the_postmortem(client, incident, responder):
    from incidents.slack.models import IncidentSlackChannel
    from postmortems import services as postmortem_services

    IncidentSlackChannel.objects.create(
        incident=incident, channel_id="C0123", name="inc-1-checkout"
    )
    postmortem = postmortem_services.postmortem_create(user=responder, incident=incident)
    client.force_login(responder)
    header = header_of(client.get(url(incident)).content.decode())
    assert 'href="https://slack.com/app_redirect?channel=C0123"' in header
    assert "#inc-1-checkout" in header
    assert f'href="/postmortems/{postmortem.pk}/"' in header


def test_a_poller_far_behind_gets_a_bounded_refresh(client, incident, responder):
    add_notes(incident, responder, 250)
    client.force_login(responder)
    response = client.get(url(incident, "timeline/?after=0"), headers={"HX-Request": "1"})
    assert response.content.decode().count('class="event event-') == 50
