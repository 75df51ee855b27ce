"""The incident page: tags and contributing factors (shown, edited), and the "recurring" badge
with links to the earlier incidents."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from incidents import services
from incidents.models import TimelineEvent
from tests.factories import ServiceFactory, declare

pytestmark = pytest.mark.django_db


def url(incident, suffix: str = "") -> str:
    return f"/incidents/{incident.number}/{suffix}"


def test_a_responder_edits_tags_and_factors_on_the_incident_page(client, responder, incident):
    client.force_login(responder)
    response = client.post(
        url(incident, "taxonomy/"),
        {
            "tags": "DNS, tls certs",
            "contributing_factors": "Missing alert,\r\nno canary",
            "reason": "",
        },
    )

    assert response.status_code == 302 and response.url.endswith("#taxonomy")
    page = client.get(url(incident)).content.decode()
    assert '<span class="chip tag">dns</span>' in page
    assert '<span class="chip tag">tls-certs</span>' in page
    assert '<span class="chip factor">missing alert</span>' in page
    assert 'value="dns, tls-certs"' in page  # the form is pre-filled with the current lists
    changes = TimelineEvent.objects.filter(incident=incident, kind="field_changed")
    assert changes.count() == 2


def test_saving_the_form_unchanged_says_so_and_writes_nothing(client, responder, incident):
    services.incident_taxonomy_update(incident=incident, user=responder, tags=["dns"])
    client.force_login(responder)
    before = TimelineEvent.objects.count()

    response = client.post(
        url(incident, "taxonomy/"), {"tags": "dns", "contributing_factors": ""}, follow=True
    )

    assert "Nothing changed." in response.content.decode()
    assert TimelineEvent.objects.count() == before


def test_an_invalid_tag_is_shown_on_the_form_with_a_400(client, responder, incident):
    client.force_login(responder)
    response = client.post(url(incident, "taxonomy/"), {"tags": "ok, b@d!"})

    assert response.status_code == 400
    assert "is not a valid name for tags" in response.content.decode()
    assert incident.tags.count() == 0


def test_a_viewer_sees_the_tags_but_no_form_and_cannot_post(client, viewer, responder, incident):
    services.incident_taxonomy_update(incident=incident, user=responder, tags=["dns"])
    client.force_login(viewer)

    page = client.get(url(incident)).content.decode()
    assert '<span class="chip tag">dns</span>' in page
    assert "taxonomy-form" not in page
    assert client.post(url(incident, "taxonomy/"), {"tags": "x"}).status_code == 403


def test_an_outsider_gets_404_for_a_private_incidents_taxonomy(client, outsider, private_incident):
    client.force_login(outsider)
    assert client.post(url(private_incident, "taxonomy/"), {"tags": "x"}).status_code == 404


@pytest.fixture
def repeat(responder):
    ServiceFactory(slug="checkout", name="Checkout")
    common = {"services": ["checkout"], "trigger_category": "config_change"}
    started = timezone.now() - timedelta(days=4)
    earlier = declare(
        responder, title="Bad config push", started_at=started, detected_at=started, **common
    )
    secret = declare(
        responder, title="Secret config push", private=True, started_at=started,
        detected_at=started, **common,
    )  # fmt: skip
    return earlier, secret, declare(responder, title="Config push again", **common)


def test_a_recurring_incident_has_a_badge_and_links_to_the_earlier_ones(client, responder, repeat):
    earlier, secret, now = repeat
    client.force_login(responder)

    page = client.get(url(now)).content.decode()

    assert 'class="badge recurring"' in page
    assert f'href="/incidents/{earlier.number}/">{earlier.reference}</a>' in page
    assert f'href="/incidents/{secret.number}/">{secret.reference}</a>' in page
    assert "same trigger on checkout" in page


def test_an_outsider_sees_only_the_public_earlier_incident(client, outsider, repeat):
    earlier, secret, now = repeat
    client.force_login(outsider)

    page = client.get(url(now)).content.decode()

    assert f'href="/incidents/{earlier.number}/"' in page
    assert f'href="/incidents/{secret.number}/"' not in page
    assert "Secret config push" not in page


def test_a_first_occurrence_has_no_badge(client, responder, repeat):
    earlier, _, _ = repeat
    client.force_login(responder)
    assert 'class="badge recurring"' not in client.get(url(earlier)).content.decode()
