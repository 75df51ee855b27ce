"""Action items repeated across postmortems: one selector for the knowledge-base page and the
quarterly pack; the page counts and lists only what the viewer may see."""

from __future__ import annotations

import pytest

from postmortems import selectors, services
from postmortems.models import ActionItem
from tests.factories import declare

pytestmark = pytest.mark.django_db

URL = "/action-items/repeated/"


def postmortem_of(user, title: str, *, private: bool = False):
    incident = declare(user, title=title, private=private)
    return services.postmortem_create(user=user, incident=incident)


def item(user, postmortem, title: str) -> ActionItem:
    return services.action_item_create(user=user, postmortem=postmortem, title=title)


@pytest.fixture
def repeats(responder):
    """'Add retry budget' in three postmortems (one of them private), 'Fix the runbook' in two,
    'One-off' in one."""
    first = postmortem_of(responder, "Checkout 500s")
    second = postmortem_of(responder, "Checkout 500s again")
    secret = postmortem_of(responder, "Payments leak", private=True)
    item(responder, first, "Add retry budget")
    item(responder, second, "  add RETRY budget ")
    item(responder, secret, "Add retry budget")
    item(responder, secret, "Rotate the leaked key")
    item(responder, first, "Fix the runbook")
    item(responder, second, "Fix the runbook")
    item(responder, first, "One-off")
    # Twice in the same postmortem is not a repeat across postmortems.
    item(responder, first, "Page the DBA")
    item(responder, first, "Page the DBA")
    return first, second, secret


def test_the_selector_groups_titles_trimmed_and_case_insensitively(repeats):
    groups = list(selectors.action_item_repeats(ActionItem.objects.all()))

    assert groups == [
        {"key": "add retry budget", "postmortems": 3},
        {"key": "fix the runbook", "postmortems": 2},
    ]


def test_a_member_sees_every_repeat_with_the_postmortems_it_came_from(client, responder, repeats):
    first, second, secret = repeats
    client.force_login(responder)

    response = client.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("add retry budget") < page.index("fix the runbook")
    assert "in 3 postmortems" in page and "in 2 postmortems" in page
    for postmortem in (first, second, secret):
        assert f'href="/postmortems/{postmortem.pk}/"' in page
    assert "One-off" not in page and "page the dba" not in page.lower()


def test_an_outsider_neither_sees_nor_counts_a_private_incidents_items(client, outsider, repeats):
    first, second, secret = repeats
    client.force_login(outsider)

    page = client.get(URL).content.decode()

    assert "in 2 postmortems" in page and "in 3 postmortems" not in page
    assert f'href="/postmortems/{secret.pk}/"' not in page
    assert "Payments leak" not in page
    assert f'href="/postmortems/{first.pk}/"' in page


def test_a_title_repeated_only_with_a_private_incident_is_not_listed_to_outsiders(
    client, responder, outsider
):
    public = postmortem_of(responder, "Cache stampede")
    secret = postmortem_of(responder, "Secret stampede", private=True)
    item(responder, public, "Add jitter to cache expiry")
    item(responder, secret, "Add jitter to cache expiry")

    client.force_login(outsider)
    assert "add jitter to cache expiry" not in client.get(URL).content.decode()
    client.force_login(responder)
    assert "add jitter to cache expiry" in client.get(URL).content.decode()


def test_with_no_repeats_the_page_says_so(client, viewer):
    client.force_login(viewer)
    assert "No action item appears in more than one postmortem" in client.get(URL).content.decode()


def test_the_knowledge_base_navigation_links_to_the_page(client, viewer):
    client.force_login(viewer)
    assert f'href="{URL}"' in client.get("/postmortems/").content.decode()


def test_the_page_needs_a_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response.url
