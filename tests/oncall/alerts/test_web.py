"""The alerts pages (list, filters, acknowledge, detail) and the integrations page."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from oncall.alerts.services import alert_ingest, integration_create
from oncall.models import Alert, Integration
from tests.factories import declare
from tests.oncall.fixtures import payload, post, raw

pytestmark = pytest.mark.django_db

LONG_SUMMARY = "Checkout error rate is above five percent on all instances in eu-west"


@pytest.fixture
def prod(responder):
    return integration_create(
        user=responder, kind="alertmanager", name="prod", service_slug="checkout"
    ).integration


@pytest.fixture
def checkout_alerts(prod):
    """The two CheckoutErrorRateHigh instances of the recorded Alertmanager delivery (critical,
    service checkout, fired 09:58:00Z and 09:59:30Z), oldest first."""
    alert_ingest(integration=prod, payload=payload("alertmanager-firing.json"))
    return list(Alert.objects.order_by("fired_at", "pk"))


@pytest.fixture
def scripts(responder):
    return integration_create(user=responder, kind="generic", name="cron scripts").integration


def generic_alert(integration, **fields):
    alert = {"status": "firing", "starts_at": "2026-03-08T08:00:00Z", **fields}
    alert_ingest(integration=integration, payload={"alerts": [alert]})
    return Alert.objects.get(integration=integration, name=fields["name"])


def login(client, user, tz="Europe/Berlin"):
    user.timezone = tz
    user.save()
    client.force_login(user)


# --- the list -------------------------------------------------------------------------------


def test_the_alert_list_shows_each_alert_newest_first_in_the_viewers_time(
    client, responder, checkout_alerts
):
    login(client, responder)

    response = client.get("/alerts/")
    page = response.content.decode()

    assert response.status_code == 200
    assert page.count('class="alert-name"') == 2
    assert "Roll back checkout: 5xx above 5%" in page
    assert "checkout" in page and "Critical" in page and "Fired once" in page
    # 09:59:30Z and 09:58Z in Berlin (CET), with the date; the newer one first.
    assert page.index("2026-03-08 10:59 CET") < page.index("2026-03-08 10:58 CET")
    assert "Content check failed" not in page  # short subject and a runbook: fine


def test_an_alert_with_a_long_subject_and_no_runbook_is_flagged(client, responder, scripts):
    generic_alert(scripts, name="CheckoutErrors", summary=LONG_SUMMARY)
    login(client, responder)

    page = client.get("/alerts/").content.decode()

    assert "Content check failed" in page
    assert f"Subject has {len(LONG_SUMMARY)} characters; keep it under 50." in page
    assert "No runbook link (annotation runbook_url)." in page


def test_the_list_filters_by_status_urgency_service_and_name(
    client, responder, checkout_alerts, scripts
):
    generic_alert(
        scripts,
        name="DiskWillFillIn4h",
        labels={"service": "storage", "severity": "info"},
        runbook_url="https://rb.example.com/disk",
    )
    login(client, responder)

    def names(query):
        page = client.get(f"/alerts/?{query}").content.decode()
        return re.findall(r'class="alert-name">([^<]+)<', page)

    assert names("service=storage") == ["DiskWillFillIn4h"]
    assert names("urgency=critical") == ["CheckoutErrorRateHigh"] * 2
    assert names("urgency=eventually") == ["DiskWillFillIn4h"]
    assert names("name=checkouterror") == ["CheckoutErrorRateHigh"] * 2  # part of it, any case
    assert names("status=resolved") == []

    alert_ingest(
        integration=checkout_alerts[0].integration, payload=payload("alertmanager-resolved.json")
    )
    assert names("status=resolved") == ["CheckoutErrorRateHigh"] * 2
    assert names("status=firing") == ["DiskWillFillIn4h"]
    assert "No alerts match these filters." in client.get("/alerts/?name=nothing").content.decode()


def test_a_bad_filter_is_a_form_error(client, responder, checkout_alerts):
    login(client, responder)
    response = client.get("/alerts/?status=exploded")
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_the_list_shows_fifty_alerts_a_page(client, responder, scripts):
    alerts = [
        {"name": f"Probe{i:02d}", "status": "firing", "starts_at": f"2026-03-08T08:{i:02d}:00Z"}
        for i in range(51)
    ]
    alert_ingest(integration=scripts, payload={"alerts": alerts})
    login(client, responder)

    first = client.get("/alerts/").content.decode()
    second = client.get("/alerts/?page=2").content.decode()

    assert first.count('class="alert-name"') == 50
    assert "Page 1 of 2" in first and "Probe50" in first
    assert re.findall(r'class="alert-name">([^<]+)<', second) == ["Probe00"]  # the oldest


def test_a_long_history_is_counted_only_up_to_the_cap(client, responder, scripts, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from oncall import pagination

    monkeypatch.setattr(pagination, "COUNT_CAP", 100)
    alerts = [
        {
            "name": f"Probe{i:03d}",
            "status": "firing",
            "starts_at": f"2026-03-08T0{i // 60}:{i % 60:02d}:00Z",
        }
        for i in range(120)
    ]
    alert_ingest(integration=scripts, payload={"alerts": alerts})
    login(client, responder)

    with CaptureQueriesContext(connection) as queries:
        first = client.get("/alerts/").content.decode()
    # Read before the next request resets the log.
    counts = [q["sql"] for q in queries if "COUNT(*)" in q["sql"] and "oncall_alert" in q["sql"]]
    last = client.get("/alerts/?page=3").content.decode()

    assert "100+ alerts" in first and "Page 1 of 2+" in first and "?page=2" in first
    [count] = counts
    assert "LIMIT 101" in count and "ORDER BY" not in count  # never counts the whole history
    assert "Page 3 of 3" in last and "120 alerts" in last and "Probe000" in last


def test_responders_can_tick_alerts_to_declare_an_incident_from_them(
    client, responder, checkout_alerts
):
    login(client, responder)
    page = client.get("/alerts/").content.decode()

    assert 'id="declare-from-alerts"' in page
    assert 'method="get" action="/incidents/declare/"' in page
    for alert in checkout_alerts:
        assert f'name="alerts" value="{alert.pk}" form="declare-from-alerts"' in page


def test_viewers_see_alerts_but_no_acknowledge_or_declare_buttons(client, viewer, checkout_alerts):
    login(client, viewer)
    page = client.get("/alerts/").content.decode()

    assert page.count('class="alert-name"') == 2
    assert "Acknowledge</button>" not in page
    assert "Declare incident from selected alerts" not in page


def test_the_navigation_links_to_the_alerts(client, viewer):
    login(client, viewer)
    assert '<a href="/alerts/">Alerts</a>' in client.get("/incidents/").content.decode()


# --- acknowledging --------------------------------------------------------------------------


def test_acknowledging_from_the_list_records_who_and_when(client, responder, checkout_alerts):
    login(client, responder)
    alert = checkout_alerts[0]

    response = client.post(f"/alerts/{alert.pk}/acknowledge/", {"next": "/alerts/?status=firing"})

    assert response.status_code == 302
    assert response["Location"] == "/alerts/?status=firing"
    alert.refresh_from_db()
    assert alert.acknowledged_by == responder
    assert alert.acknowledged_at is not None
    page = client.get(response["Location"]).content.decode()
    assert "You acknowledged CheckoutErrorRateHigh." in page
    assert page.count("Acknowledge</button>") == 1  # only the other alert still has the button


def test_acknowledging_an_alert_that_resolved_unacknowledged_says_why_not(
    client, responder, checkout_alerts
):
    alert_ingest(
        integration=checkout_alerts[0].integration, payload=payload("alertmanager-resolved.json")
    )
    login(client, responder)
    alert = checkout_alerts[0]

    response = client.post(f"/alerts/{alert.pk}/acknowledge/", follow=True)

    page = response.content.decode()
    assert response.redirect_chain == [(f"/alerts/{alert.pk}/", 302)]
    assert "This alert resolved at 2026-03-08" in page
    assert "before anyone acknowledged it; there is nothing to acknowledge." in page
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_a_viewer_cannot_acknowledge(client, viewer, checkout_alerts):
    login(client, viewer)
    alert = checkout_alerts[0]

    page = client.post(f"/alerts/{alert.pk}/acknowledge/", follow=True).content.decode()

    assert "Only responders and admins can acknowledge alerts." in page
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_an_external_next_address_is_ignored(client, responder, checkout_alerts):
    login(client, responder)
    alert = checkout_alerts[0]
    response = client.post(
        f"/alerts/{alert.pk}/acknowledge/", {"next": "https://evil.example.com/"}
    )
    assert response["Location"] == f"/alerts/{alert.pk}/"


# --- the detail page ------------------------------------------------------------------------


def test_the_alert_page_shows_labels_annotations_and_links(client, responder, checkout_alerts):
    login(client, responder)
    alert = checkout_alerts[0]

    response = client.get(f"/alerts/{alert.pk}/")
    page = response.content.decode()

    assert response.status_code == 200
    assert "checkout-1:8080" in page  # the instance label
    assert "checkout-1 returns 7.2% 5xx over 5m" in page  # the description annotation
    assert 'href="https://runbooks.example.com/checkout-5xx"' in page
    assert 'href="http://prometheus.example.com:9090/graph?' in page
    assert "prod" in page and "Prometheus Alertmanager" in page
    assert "2026-03-08 10:58 CET" in page
    assert f'action="/alerts/{alert.pk}/acknowledge/"' in page
    assert f'href="/incidents/declare/?alerts={alert.pk}"' in page


def test_a_sender_supplied_script_link_is_not_made_clickable(client, responder, scripts):
    alert = generic_alert(scripts, name="Sneaky", runbook_url="javascript:alert(1)")
    login(client, responder)

    page = client.get(f"/alerts/{alert.pk}/").content.decode()

    assert 'href="javascript:' not in page
    assert "not a web link" in page


def test_an_unknown_alert_is_not_found(client, responder):
    login(client, responder)
    response = client.get("/alerts/999999/")
    assert response.status_code == 404
    assert "There is no such alert, or you may not see it." in response.content.decode()


def test_an_alert_of_a_private_incident_is_hidden_from_outsiders(
    client, responder, outsider, checkout_alerts
):
    hidden, other = checkout_alerts
    declare(responder, private=True, alert_ids=[hidden.pk])

    login(client, outsider)
    assert client.get(f"/alerts/{hidden.pk}/").status_code == 404
    assert client.post(f"/alerts/{hidden.pk}/acknowledge/").status_code == 404
    assert client.get(f"/alerts/{other.pk}/").status_code == 200
    assert client.get("/alerts/").content.decode().count('class="alert-name"') == 1

    client.force_login(responder)  # a member of the incident
    assert client.get(f"/alerts/{hidden.pk}/").status_code == 200


# --- integrations ---------------------------------------------------------------------------


def issued_url(page: str) -> str:
    """The secret webhook URL shown on the page after creating or rotating."""
    return re.search(r'id="issued-url"[^>]*?value="([^"]+)"', page).group(1)


def test_creating_an_integration_shows_its_working_url_once(client, responder):
    login(client, responder)

    response = client.post(
        "/integrations/",
        {"kind": "alertmanager", "name": "Production Alertmanager", "service": "checkout"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert "it will not be shown again" in page
    assert "webhook_configs" in page
    url = issued_url(page)
    assert "/hooks/alertmanager/" in url
    integration = Integration.objects.get()
    assert (integration.name, integration.default_service_slug) == (
        "Production Alertmanager",
        "checkout",
    )

    # The URL works: Alertmanager can post to it.
    delivered = post(client, urlsplit(url).path, raw("alertmanager-firing.json"))
    assert delivered.status_code == 200
    assert Alert.objects.filter(integration=integration).count() == 2

    # ... and is not shown again.
    listing = client.get("/integrations/").content.decode()
    assert "Production Alertmanager" in listing
    assert urlsplit(url).path not in listing


def test_a_grafana_integration_explains_the_contact_point_and_keeps_the_secret(client, responder):
    login(client, responder)
    page = client.post(
        "/integrations/",
        {"kind": "grafana", "name": "Grafana", "signing_secret": "s3cret-hmac"},
    ).content.decode()

    assert "Contact points" in page and "X-Grafana-Alerting-Signature" in page
    assert "s3cret-hmac" not in page
    assert Integration.objects.get().signing_secret == "s3cret-hmac"


def test_a_signing_secret_for_alertmanager_is_refused_and_nothing_is_created(client, responder):
    login(client, responder)
    response = client.post(
        "/integrations/", {"kind": "alertmanager", "name": "prod", "signing_secret": "x"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "The integration was not created." in page
    assert "Only Grafana and PagerDuty integrations sign their requests." in page
    assert not Integration.objects.exists()


def test_an_integration_needs_a_name(client, responder):
    login(client, responder)
    response = client.post("/integrations/", {"kind": "generic", "name": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Integration.objects.exists()


def test_disabling_an_integration_stops_its_url(client, responder):
    login(client, responder)
    url = issued_url(
        client.post("/integrations/", {"kind": "alertmanager", "name": "prod"}).content.decode()
    )
    integration = Integration.objects.get()

    response = client.post(f"/integrations/{integration.pk}/enabled/", {"enabled": "0"})

    assert response.status_code == 302
    integration.refresh_from_db()
    assert integration.enabled is False
    page = client.get("/integrations/").content.decode()
    assert "prod is disabled" in page and "Enable</button>" in page
    assert post(client, urlsplit(url).path, raw("alertmanager-firing.json")).status_code == 404

    client.post(f"/integrations/{integration.pk}/enabled/", {"enabled": "1"})
    assert post(client, urlsplit(url).path, raw("alertmanager-firing.json")).status_code == 200


def test_rotating_the_token_replaces_the_url(client, responder):
    login(client, responder)
    old = issued_url(
        client.post("/integrations/", {"kind": "alertmanager", "name": "prod"}).content.decode()
    )
    integration = Integration.objects.get()

    response = client.post(f"/integrations/{integration.pk}/rotate-token/")
    page = response.content.decode()
    new = issued_url(page)

    assert response.status_code == 200
    assert "The previous URL has stopped working." in page
    assert new != old
    assert post(client, urlsplit(old).path, raw("alertmanager-firing.json")).status_code == 404
    assert post(client, urlsplit(new).path, raw("alertmanager-firing.json")).status_code == 200


def test_viewers_may_not_see_or_change_integrations(client, viewer, prod):
    login(client, viewer)

    listing = client.get("/integrations/")
    created = client.post("/integrations/", {"kind": "generic", "name": "mine"})
    rotated = client.post(f"/integrations/{prod.pk}/rotate-token/")
    disabled = client.post(f"/integrations/{prod.pk}/enabled/", {"enabled": "0"})

    assert [r.status_code for r in (listing, created, rotated, disabled)] == [403] * 4
    assert "only responders and admins can see and change them" in listing.content.decode()
    assert list(Integration.objects.values_list("name", "enabled")) == [("prod", True)]
