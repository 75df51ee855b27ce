"""A postmortem draft arrives filled in from the incident: people, dates, durations, roles, timeline."""

from __future__ import annotations

import pytest

from config.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from incidents import services as incident_services
from postmortems import services
from postmortems.blocks import timeline_rows
from postmortems.models import PostmortemRevision, PostmortemTemplate
from postmortems.rendering import render_document
from tests.postmortems.conftest import la


def test_draft_timeline_marks_outage_begins_and_ends_in_the_incidents_time_zone(postmortem):
    doc = render_document(postmortem)
    timeline = next(s for s in doc.sections if s.key == "timeline")
    lines = timeline.markdown.splitlines()
    assert "America/Los_Angeles (PST, UTC−08:00)" in lines[0]
    begins = next(line for line in lines if "[Outage Begins]" in line)
    ends = next(line for line in lines if "[Outage Ends]" in line)
    assert begins == "|  | 14:12 | **[Outage Begins]** |"
    assert ends == "|  | 15:17 | **[Outage Ends]** |"
    assert lines[4].startswith("| 2016-02-22 | 14:10 |")  # the date is shown on the first row
    assert "<td>14:12</td>" in str(timeline.html)


def test_timeline_lists_only_highlighted_events_in_time_order(edge_incident):
    rows = [row.text for row in timeline_rows(edge_incident)]
    assert rows == [
        "Deploy of the new edge route config",
        "**[Outage Begins]**",
        "Pager fires: edge 5xx rate above 5%",
        "Rolled back the route config",
        "**[Outage Ends]**",
    ]


def test_durations_follow_metrics_definitions(postmortem):
    doc = render_document(postmortem)
    durations = doc.values["durations"]
    assert (
        "| Time to recover (TTR) | 65 minutes (1 h 05 min) | `mitigated_at − started_at` |"
        in durations
    )
    assert "| Time to detect (TTD) | 33 minutes |" in durations
    assert "| Time to acknowledge (TTA) | 7 minutes |" in durations
    assert "METRICS.md v2" in durations


def test_missing_stamp_is_reported_as_missing_not_zero(responder):
    incident = incident_services.incident_declare(
        user=responder, title="Slow search", severity="SEV3"
    )
    draft = services.postmortem_create(user=responder, incident=incident)
    durations = render_document(draft).values["durations"]
    assert "| Time to recover (TTR) | not recorded (missing data) |" in durations
    assert "no [Outage Ends] yet" in render_document(draft).values["timeline"]


def test_header_names_people_date_and_roles(postmortem, responder, other_responder, edge_incident):
    incident_services.role_assign(
        incident=edge_incident, user=responder, role="scribe", assignee=other_responder
    )
    doc = render_document(postmortem)
    header = dict(doc.header)
    assert header["People involved"] == "Omar, Rita"
    assert header["Incident date"].startswith("2016-02-22 (America/Los_Angeles")
    roles = doc.values["roles"]
    assert "| Incident commander | Rita (" in roles
    assert "| Scribe | Omar (" in roles


def test_draft_is_owned_by_the_incident_commander_and_starts_at_version_one(postmortem, responder):
    assert postmortem.owner == responder
    assert postmortem.version == 1
    assert [s.key for s in postmortem.sections.all()] == [
        "summary", "impact", "timeline", "root_cause", "action_items", "appendix"
    ]  # fmt: skip
    assert PostmortemRevision.objects.filter(
        postmortem=postmortem, kind="created", version=1
    ).exists()


def test_every_builtin_template_generates_a_draft(responder):
    slugs = list(PostmortemTemplate.objects.filter(built_in=True).values_list("slug", flat=True))
    assert set(slugs) == {
        "real-world-sre",
        "google-sre",
        "incident-review",
        "event-review",
        "lightweight",
    }
    for index, slug in enumerate(slugs):
        incident = incident_services.incident_declare(
            user=responder, title=f"Incident {index}", severity="SEV3"
        )
        draft = services.postmortem_create(user=responder, incident=incident, template=slug)
        doc = render_document(draft)
        assert "{{" not in "".join(s.markdown for s in doc.sections), slug


def test_google_template_has_its_sections(responder, incident):
    draft = services.postmortem_create(user=responder, incident=incident, template="google-sre")
    assert [s.key for s in draft.sections.all()] == [
        "summary", "impact", "root_causes", "trigger", "resolution", "detection",
        "action_items", "lessons", "timeline", "supporting_information",
    ]  # fmt: skip


def test_second_postmortem_for_the_same_incident_is_a_conflict(
    postmortem, responder, edge_incident
):
    with pytest.raises(Conflict):
        services.postmortem_create(user=responder, incident=edge_incident)


def test_unknown_template_is_a_clear_error(responder, incident):
    with pytest.raises(ValidationFailed, match="no postmortem template 'nope'"):
        services.postmortem_create(user=responder, incident=incident, template="nope")


def test_viewer_cannot_write_and_outsider_cannot_see_a_private_incident(
    viewer, outsider, private_incident, incident
):
    with pytest.raises(PermissionDenied):
        services.postmortem_create(user=viewer, incident=incident)
    with pytest.raises(NotFound):
        services.postmortem_create(user=outsider, incident=private_incident)


def test_generated_blocks_stay_live_while_draft(postmortem, edge_incident, responder):
    incident_services.timeline_note_add(
        incident=edge_incident,
        user=responder,
        body="Customer support alerted",
        occurred_at=la(14, 55),
        highlighted=True,
    )
    timeline = render_document(postmortem).values["timeline"]
    assert "| 14:55 | Customer support alerted |" in timeline


def test_a_note_written_as_the_outage_marker_is_merged_into_it(responder, edge_incident):
    incident_services.timeline_note_add(
        incident=edge_incident,
        user=responder,
        body="[Outage Begins] Routers reload the new config and stop routing.",
        occurred_at=la(14, 12),
        highlighted=True,
    )
    rows = [row.text for row in timeline_rows(edge_incident)]
    assert rows.count("**[Outage Begins]** Routers reload the new config and stop routing.") == 1
    assert not any(r.startswith("[Outage Begins]") for r in rows)


def test_sync_command_restores_builtin_templates(db):
    from io import StringIO

    from django.core.management import call_command

    PostmortemTemplate.objects.get(slug="google-sre").sections.all().delete()
    out = StringIO()
    call_command("sync_postmortem_templates", stdout=out)
    assert "5 built-in templates are up to date." in out.getvalue()
    assert PostmortemTemplate.objects.get(slug="google-sre").sections.count() == 10
