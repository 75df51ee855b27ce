"""The incident page's Postmortem and Action items cards, which postmortems registers into it.

Also the layer rule that makes the registry necessary: incidents never imports postmortems.
"""

from __future__ import annotations

import ast
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.template.defaultfilters import date as date_filter

from incidents import ui
from postmortems import forms, services
from postmortems.models import ActionItem

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]


def page_url(incident) -> str:
    return f"/incidents/{incident.number}/"


def add_url(incident) -> str:
    return f"/postmortems/incident/{incident.number}/action-items/"


def item_data(**overrides) -> dict:
    data = {
        "title": "Alert on edge 5xx rate per router",
        "item_type": "detect",
        "priority": "high",
        "owner": "",
        "due_date": "",
        "tracker_url": "",
    }
    data.update(overrides)
    return data


def shown_messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- the Postmortem card ---------------------------------------------------------------------


def test_responder_sees_write_and_request_buttons_when_there_is_no_postmortem(
    client, responder, incident
):
    client.force_login(responder)
    html = client.get(page_url(incident)).content.decode()
    assert 'id="postmortem"' in html
    assert "No postmortem yet." in html
    assert f'href="/postmortems/new/?incident={incident.number}">Write postmortem</a>' in html
    assert f'action="/postmortems/request/{incident.number}/"' in html
    assert "Request a postmortem" in html


def test_card_links_the_postmortem_with_status_owner_due_date_and_reasons(
    client, responder, other_responder, incident
):
    postmortem = services.postmortem_request(
        user=other_responder, incident=incident, reason="customers asked"
    )
    client.force_login(responder)
    html = client.get(page_url(incident)).content.decode()
    assert f'<a href="/postmortems/{postmortem.pk}/" data-testid="postmortem-link">' in html
    assert '<span class="badge pm-status-draft" data-testid="pm-status">Draft</span>' in html
    assert "Owner: Rita" in html  # the incident commander owns a requested postmortem
    assert f"due {date_filter(postmortem.due_date)}" in html
    assert "requested by Omar: customers asked" in html
    assert "Write postmortem" not in html
    assert "Request a postmortem" not in html


def test_viewer_sees_no_write_buttons_but_can_still_ask_for_a_postmortem(
    client, viewer, responder, incident
):
    services.action_item_create(user=responder, incident=incident, title="Add a canary stage")
    client.force_login(viewer)
    html = client.get(page_url(incident)).content.decode()
    assert "Write postmortem" not in html
    assert "Add action item" not in html
    assert f'action="{add_url(incident)}"' not in html
    assert "Add a canary stage" in html  # reading the items is fine
    assert "Request a postmortem" in html  # the request service allows anyone who can see it


def test_viewer_posting_an_action_item_anyway_gets_403_and_nothing_is_created(
    client, viewer, incident
):
    client.force_login(viewer)
    response = client.post(add_url(incident), item_data())
    assert response.status_code == 403
    assert "Only responders can add action items" in response.content.decode()
    assert not ActionItem.objects.exists()


# --- adding action items from the incident page -----------------------------------------------


@pytest.mark.parametrize(("priority", "days"), [("high", 28), ("medium", 56), ("low", 90)])
def test_item_added_from_the_incident_page_is_due_by_the_metrics_default(
    client, responder, incident, priority, days
):
    with time_machine.travel(datetime(2026, 3, 2, 12, 0, tzinfo=UTC), tick=False):
        client.force_login(responder)
        response = client.post(add_url(incident), item_data(priority=priority), follow=True)
    item = ActionItem.objects.get()
    expected_due = date(2026, 3, 2) + timedelta(days=days)
    assert item.due_date == expected_due
    assert (item.incident, item.priority, item.item_type, item.created_by) == (
        incident,
        priority,
        "detect",
        responder,
    )
    assert response.redirect_chain == [(f"{page_url(incident)}#action-items", 302)]
    assert f"Action item added, due {expected_due:%Y-%m-%d}." in shown_messages(response)
    html = response.content.decode()
    assert f'<tr data-action-item-id="{item.pk}">' in html
    assert "Alert on edge 5xx rate per router" in html


def test_added_item_shows_owner_type_priority_status_and_tracker_key(
    client, responder, other_responder, incident
):
    client.force_login(responder)
    response = client.post(
        add_url(incident),
        item_data(
            owner=other_responder.pk,
            due_date="2099-01-31",
            tracker_url="https://example.atlassian.net/browse/OPS-12",
        ),
        follow=True,
    )
    item = ActionItem.objects.get()
    assert (item.owner, item.due_date) == (other_responder, date(2099, 1, 31))
    html = response.content.decode()
    row = html[html.index(f'data-action-item-id="{item.pk}"') :].split("</tr>")[0]
    assert (
        '<a href="https://example.atlassian.net/browse/OPS-12" rel="noopener noreferrer nofollow" '
        'class="chip">OPS-12</a>' in row
    )
    for text in ("Detect", "High", "Omar", date_filter(date(2099, 1, 31)), "Open"):
        assert text in row
    assert "overdue" not in row


def test_item_is_linked_to_the_incidents_postmortem_when_there_is_one(client, responder, incident):
    postmortem = services.postmortem_create(user=responder, incident=incident)
    client.force_login(responder)
    client.post(add_url(incident), item_data())
    assert ActionItem.objects.get().postmortem == postmortem


def test_owner_with_more_than_five_open_items_is_warned_about(
    client, responder, other_responder, incident
):
    for n in range(5):
        services.action_item_create(
            user=responder, incident=incident, title=f"Item {n}", owner=other_responder
        )
    client.force_login(responder)
    response = client.post(add_url(incident), item_data(owner=other_responder.pk), follow=True)
    assert (
        "Omar owns 6 open action items (more than 5); consider spreading the work."
        in shown_messages(response)
    )


def test_open_item_past_its_due_date_is_marked_overdue_but_a_done_one_is_not(
    client, responder, incident
):
    late = services.action_item_create(
        user=responder, incident=incident, title="Late", due_date=date(2020, 1, 1)
    )
    done = services.action_item_create(
        user=responder, incident=incident, title="Done", due_date=date(2020, 1, 1)
    )
    services.action_item_complete(user=responder, item=done)
    client.force_login(responder)
    html = client.get(page_url(incident)).content.decode()
    late_row = html[html.index(f'data-action-item-id="{late.pk}"') :].split("</tr>")[0]
    done_row = html[html.index(f'data-action-item-id="{done.pk}"') :].split("</tr>")[0]
    assert 'class="pm-item-overdue"' in late_row and '"badge urgent">overdue' in late_row
    assert "overdue" not in done_row


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"title": ""}, "Title: This field is required."),
        ({"title": "   "}, "Title: This field is required."),
        ({"tracker_url": "javascript:alert(1)"}, "Tracker link: Enter a valid URL."),
        # A URL the form accepts but the service refuses (issues are http(s) links).
        ({"tracker_url": "ftp://example.com/OPS-1"}, "Tracker link: An http(s) link."),
        ({"priority": "urgent"}, "Priority: Select a valid choice."),
        ({"due_date": "31/02/2026"}, "Due date: Enter a valid date."),
    ],
)
def test_invalid_item_goes_back_to_the_incident_page_with_the_errors_and_creates_nothing(
    client, responder, incident, overrides, expected
):
    client.force_login(responder)
    response = client.post(add_url(incident), item_data(**overrides), follow=True)
    assert response.redirect_chain == [(f"{page_url(incident)}#action-items", 302)]
    [message] = shown_messages(response)
    assert message.startswith("Action item not added.")
    assert expected in message
    assert not ActionItem.objects.exists()


def test_owner_who_cannot_see_a_private_incident_is_refused(
    client, responder, outsider, private_incident
):
    client.force_login(responder)
    response = client.post(add_url(private_incident), item_data(owner=outsider.pk), follow=True)
    [message] = shown_messages(response)
    assert "Owner: Not a member of the private incident." in message
    assert not ActionItem.objects.exists()


def test_outsider_gets_404_for_a_private_incidents_action_item_post(
    client, outsider, private_incident
):
    client.force_login(outsider)
    response = client.post(add_url(private_incident), item_data())
    assert response.status_code == 404
    assert "Credential leak" not in response.content.decode()
    assert not ActionItem.objects.exists()


def test_items_of_a_private_incident_are_not_shown_on_another_incidents_page(
    client, responder, incident, private_incident
):
    services.action_item_create(user=responder, incident=private_incident, title="Rotate keys")
    services.action_item_create(user=responder, incident=incident, title="Add a canary stage")
    client.force_login(responder)
    html = client.get(page_url(incident)).content.decode()
    assert "Add a canary stage" in html
    assert "Rotate keys" not in html


# --- the registry --------------------------------------------------------------------------------


def test_a_panel_whose_context_is_none_is_left_out_and_panels_keep_their_order(
    rf, responder, incident, monkeypatch
):
    monkeypatch.setattr(ui, "_panels", {})
    request = rf.get("/")
    request.user = responder
    template = "postmortems/_incident_postmortem_panel.html"

    def shown(request, incident):
        return {"postmortem": None, "can_write": True, "request_form": forms.RequestForm()}

    ui.register_incident_panel(ui.IncidentPanel("b", template, shown, order=2, column="side"))
    ui.register_incident_panel(ui.IncidentPanel("a", template, lambda r, i: None, order=1))
    ui.register_incident_panel(ui.IncidentPanel("a", template, shown, order=3))  # replaces "a"
    ui.register_incident_panel(ui.IncidentPanel("c", template, lambda r, i: None, order=0))
    assert [p.key for p in ui.registered_panels("side")] == ["c", "b", "a"]
    rendered = ui.render_incident_panels(request, incident, "side")
    assert len(rendered) == 2 and all("Write postmortem" in html for html in rendered)
    assert ui.render_incident_panels(request, incident, "main") == []


# --- the layer rule: oncall <- incidents <- postmortems ---------------------------------------------

HIGHER_LAYERS = {"incidents": ("postmortems",), "oncall": ("incidents", "postmortems")}


def imported_modules(source: str) -> set[str]:
    """Top-level package of every module a Python source imports (absolute imports)."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_the_import_check_sees_imports_anywhere_in_a_file():
    source = (
        "import os\n"
        "def f():\n"
        "    from postmortems.models import ActionItem\n"
        "    import incidents.selectors as s\n"
        "# from oncall import nothing (a comment)\n"
    )
    assert imported_modules(source) == {"os", "postmortems", "incidents"}


@pytest.mark.parametrize("app", sorted(HIGHER_LAYERS))
def test_a_lower_layer_never_imports_a_higher_one(app):
    forbidden = HIGHER_LAYERS[app]
    sources = sorted((REPO / app).rglob("*.py"))
    assert sources, f"no Python sources found under {app}/"
    offenders = [
        f"{path.relative_to(REPO)} imports {', '.join(sorted(bad))}"
        for path in sources
        if (bad := imported_modules(path.read_text(encoding="utf-8")) & set(forbidden))
    ]
    assert not offenders, (
        f"{app}/ must not import {', '.join(forbidden)} (DESIGN.md layers); register into a "
        f"registry or send a domain signal instead:\n" + "\n".join(offenders)
    )
