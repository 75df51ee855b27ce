"""The web pages: write, edit with live preview and the version lock, review, items, meetings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from postmortems import services
from postmortems.models import Postmortem, PostmortemRevision
from tests.postmortems.test_rendering import HOSTILE, assert_inert


@pytest.fixture
def rita(client, responder):
    client.force_login(responder)
    return client


def _edit_data(postmortem, **bodies):
    data = {
        "version": postmortem.version,
        "title": postmortem.title,
        "tags": "",
        "visibility": postmortem.visibility,
    }
    for section in postmortem.sections.all():
        data[f"section__{section.key}"] = bodies.get(section.key, section.body)
    return data


def test_write_postmortem_from_the_list(rita, edge_incident):
    page = rita.get("/postmortems/new/?incident=1")
    assert page.status_code == 200
    assert b"INC-1 Edge router drops traffic" in page.content
    template_id = page.context["form"].fields["template"].initial
    response = rita.post(
        "/postmortems/new/", {"incident": edge_incident.pk, "template": template_id}
    )
    postmortem = Postmortem.objects.get(incident=edge_incident)
    assert (
        response.status_code == 302
        and response["Location"] == f"/postmortems/{postmortem.pk}/edit/"
    )


def test_detail_page_shows_the_generated_timeline_and_durations(rita, postmortem):
    html = rita.get(f"/postmortems/{postmortem.pk}/").content.decode()
    assert "<td>14:12</td>\n<td><strong>[Outage Begins]</strong></td>" in html
    assert "<td>15:17</td>\n<td><strong>[Outage Ends]</strong></td>" in html
    assert "65 minutes (1 h 05 min)" in html
    assert "America/Los_Angeles (PST, UTC−08:00)" in html


def test_editor_saves_with_the_lock_and_a_stale_form_gets_409_with_both_texts(
    rita, postmortem, other_responder
):
    stale = _edit_data(postmortem, summary="My summary")
    services.postmortem_save(
        user=other_responder,
        postmortem=postmortem,
        version=1,
        sections=[{"key": "summary", "body": "Their summary"}],
    )
    response = rita.post(f"/postmortems/{postmortem.pk}/edit/", stale)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved while you were editing" in html
    assert "Their summary" in html and "My summary" in html
    form = response.context["form"]
    assert form["version"].value() == "2"
    assert form["section__summary"].value() == "My summary"
    assert (
        PostmortemRevision.objects.get(postmortem=postmortem, kind="conflict").body_of("summary")
        == "My summary"
    )

    merged = _edit_data(
        Postmortem.objects.get(pk=postmortem.pk), summary="Their summary. My summary"
    )
    assert rita.post(f"/postmortems/{postmortem.pk}/edit/", merged).status_code == 302
    assert (
        Postmortem.objects.get(pk=postmortem.pk).sections.get(key="summary").body
        == "Their summary. My summary"
    )


def test_a_stale_save_never_puts_back_old_text_in_sections_it_did_not_touch(
    rita, postmortem, other_responder
):
    stale = _edit_data(postmortem, summary="Mine")
    services.postmortem_save(
        user=other_responder,
        postmortem=postmortem,
        version=1,
        sections=[{"key": "root_cause", "body": "Theirs"}],
    )
    response = rita.post(f"/postmortems/{postmortem.pk}/edit/", stale)
    assert response.status_code == 409
    assert response.context["form"]["section__root_cause"].value() == "Theirs"
    data = {k: v for k, v in response.context["form"].data.items() if k != "csrfmiddlewaretoken"}
    assert rita.post(f"/postmortems/{postmortem.pk}/edit/", data).status_code == 302
    saved = {s.key: s.body for s in Postmortem.objects.get(pk=postmortem.pk).sections.all()}
    assert (saved["summary"], saved["root_cause"]) == ("Mine", "Theirs")


def test_live_preview_is_sanitised_and_lints(rita, postmortem):
    data = _edit_data(postmortem, summary="\n\n".join(HOSTILE) + "\n\nRita should have checked.")
    response = rita.post(f"/postmortems/{postmortem.pk}/preview/", data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert_inert(html)
    assert 'data-rule="person_name"' in html and 'data-rule="hindsight"' in html


def test_published_page_and_web_exports_are_inert(rita, responder, other_responder, postmortem):
    services.postmortem_save(
        user=responder,
        postmortem=postmortem,
        version=1,
        sections=[{"key": "summary", "body": "\n\n".join(HOSTILE)}],
    )
    services.postmortem_submit(user=responder, postmortem=postmortem, reviewers=[other_responder])
    services.postmortem_review(
        user=other_responder, postmortem=postmortem, decision="approved", acknowledge_warnings=True
    )
    services.postmortem_publish(user=responder, postmortem=postmortem)
    page = rita.get(f"/postmortems/{postmortem.pk}/").content.decode()
    document = page.split('<article class="pm-document">', 1)[1].split("</article>", 1)[0]
    assert_inert(document)
    html_export = rita.get(f"/postmortems/{postmortem.pk}/export/html/").content.decode()
    assert_inert(html_export.split("<body>", 1)[1])
    assert rita.get(f"/postmortems/{postmortem.pk}/export/pdf/").content.startswith(b"%PDF-")
    assert rita.get(f"/postmortems/{postmortem.pk}/export/docx/").status_code == 400


def test_every_page_sends_the_csp_and_has_no_inline_script(rita, postmortem):
    for url in (
        f"/postmortems/{postmortem.pk}/",
        f"/postmortems/{postmortem.pk}/edit/",
        "/postmortems/",
        "/action-items/",
    ):
        response = rita.get(url)
        assert response.status_code == 200, url
        assert "script-src 'self'" in response["Content-Security-Policy"]
        html = response.content.decode()
        assert "<script>" not in html and " style=" not in html and "onclick" not in html


def test_review_workflow_through_the_pages(client, responder, other_responder, postmortem):
    client.force_login(responder)
    assert (
        client.post(
            f"/postmortems/{postmortem.pk}/submit/", {"reviewers": [other_responder.pk]}
        ).status_code
        == 302
    )
    client.force_login(other_responder)
    refused = client.post(f"/postmortems/{postmortem.pk}/review/", {"decision": "approved"})
    assert refused.status_code == 400
    assert b"acknowledge them to approve" in refused.content
    assert (
        client.post(
            f"/postmortems/{postmortem.pk}/review/",
            {"decision": "approved", "acknowledge_warnings": "on"},
        ).status_code
        == 302
    )
    client.force_login(responder)
    assert (
        client.post(f"/postmortems/{postmortem.pk}/publish/", {"visibility": "public"}).status_code
        == 302
    )
    postmortem.refresh_from_db()
    assert (postmortem.status, postmortem.visibility) == ("published", "public")


def test_history_shows_diffs(rita, postmortem, responder):
    services.postmortem_save(
        user=responder,
        postmortem=postmortem,
        version=1,
        sections=[{"key": "summary", "body": "first"}],
    )
    html = rita.get(f"/postmortems/{postmortem.pk}/history/?from=1&to=2").content.decode()
    assert '<span class="add">+first</span>' in html
    assert rita.get(f"/postmortems/{postmortem.pk}/history/?from=77").status_code == 404


def test_action_items_from_the_postmortem_page_and_the_lists(rita, postmortem):
    response = rita.post(
        f"/postmortems/{postmortem.pk}/action-items/",
        {
            "title": "Canary route changes",
            "item_type": "prevent",
            "priority": "high",
            "tracker_url": "https://github.com/acme/edge/issues/12",
        },
    )
    assert response.status_code == 302
    detail = rita.get(f"/postmortems/{postmortem.pk}/").content.decode()
    assert "Canary route changes" in detail and "acme/edge#12" in detail
    bad = rita.post(
        f"/postmortems/{postmortem.pk}/action-items/",
        {"title": "", "item_type": "prevent", "priority": "high"},
    )
    assert bad.status_code == 400
    mine = rita.get("/action-items/?view=all").content.decode()
    assert "Canary route changes" in mine
    item = postmortem.incident.action_items.get()
    done = rita.post(f"/action-items/{item.pk}/", {"status": "wont_do"})
    assert done.status_code == 400 and b"why" in done.content


def test_meeting_pages(rita, postmortem, other_responder):
    start = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = rita.post(
        f"/postmortems/{postmortem.pk}/meetings/",
        {
            "starts_at": start,
            "duration_minutes": 45,
            "format": "informal",
            "attendees": [other_responder.pk],
        },
    )
    assert response.status_code == 302
    meeting_url = response["Location"]
    page = rita.get(meeting_url).content.decode()
    assert "Omar: What worked" in page
    saved = rita.post(meeting_url, {"omar__worked": "Quick rollback"})
    assert saved.status_code == 302
    assert postmortem.meetings.get().notes["omar"]["worked"] == "Quick rollback"
    invite = rita.get(f"{meeting_url}invite.ics")
    assert invite["Content-Type"].startswith("text/calendar") and b"DURATION" not in invite.content


def test_admin_template_editor_previews_against_a_real_incident(client, admin_user, edge_incident):
    client.force_login(admin_user)
    data = {
        "slug": "db-incident",
        "name": "Database incident",
        "description": "",
        "preview_incident": edge_incident.number,
        "sections-TOTAL_FORMS": "2",
        "sections-INITIAL_FORMS": "0",
        "sections-MIN_NUM_FORMS": "0",
        "sections-MAX_NUM_FORMS": "30",
        "sections-0-key": "summary",
        "sections-0-title": "Summary",
        "sections-0-purpose": "summary",
        "sections-0-body": "About {{ incident.title }}",
        "sections-1-key": "timeline",
        "sections-1-title": "Timeline",
        "sections-1-purpose": "timeline",
        "sections-1-body": "{{ timeline }}",
    }
    preview = client.post("/postmortem-templates/new/", {**data, "preview": "1"})
    assert preview.status_code == 200
    assert (
        b"About Edge router drops traffic" in preview.content
        and b"[Outage Begins]" in preview.content
    )
    saved = client.post("/postmortem-templates/new/", {**data, "save": "1"})
    assert saved.status_code == 302
    bad = client.post(
        "/postmortem-templates/new/",
        {**data, "slug": "other", "name": "Other", "sections-0-body": "{{ secret }}", "save": "1"},
    )
    assert bad.status_code == 400 and b"Unknown placeholder" in bad.content


def test_responders_cannot_edit_templates(rita):
    assert rita.get("/postmortem-templates/new/").status_code == 403


def test_private_postmortem_pages_are_404_for_outsiders(
    client, responder, outsider, private_incident
):
    postmortem = services.postmortem_create(user=responder, incident=private_incident)
    client.force_login(outsider)
    for url in (
        f"/postmortems/{postmortem.pk}/",
        f"/postmortems/{postmortem.pk}/edit/",
        f"/postmortems/{postmortem.pk}/export/pdf/",
        f"/postmortems/{postmortem.pk}/history/",
    ):
        assert client.get(url).status_code == 404, url
    assert b"Credential leak" not in client.get("/postmortems/").content
    assert b"Credential leak" not in client.get("/postmortems/new/").content


def test_anyone_who_can_see_the_incident_can_request_a_postmortem(client, viewer, incident):
    client.force_login(viewer)
    response = client.post(f"/postmortems/request/{incident.number}/", {"reason": "Customer asked"})
    assert response.status_code == 302
    assert Postmortem.objects.get(incident=incident).required_reasons == [
        "requested by Victor: Customer asked"
    ]
