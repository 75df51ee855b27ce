"""Declaring an incident from alerts on the web, and the incident page's linked-alerts panel."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

import pytest

from incidents import services
from incidents.models import Incident, TimelineEvent
from oncall.alerts.services import alert_ingest, integration_create
from oncall.models import Alert
from tests.factories import ServiceFactory, declare
from tests.oncall.fixtures import payload

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 8, 10, 30, tzinfo=UTC)  # half an hour after the recorded alerts fired


@pytest.fixture(autouse=True)
def half_past_ten(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def checkout_alerts(responder):
    """The two CheckoutErrorRateHigh instances from the recorded Alertmanager delivery (critical,
    service checkout, fired 09:58:00Z and 09:59:30Z), oldest first."""
    issued = integration_create(
        user=responder, kind="alertmanager", name="prod", service_slug="checkout"
    )
    alert_ingest(integration=issued.integration, payload=payload("alertmanager-firing.json"))
    return list(Alert.objects.order_by("fired_at", "pk"))


@pytest.fixture
def disk_alert(responder):
    """A non-critical alert without a summary, for a service Firebreak does not know."""
    issued = integration_create(user=responder, kind="generic", name="cron")
    alert_ingest(
        integration=issued.integration,
        payload={
            "alerts": [
                {
                    "name": "DiskWillFillIn4h",
                    "status": "firing",
                    "starts_at": "2026-03-08T10:05:00Z",
                    "labels": {"service": "storage", "severity": "warning"},
                }
            ]
        },
    )
    return Alert.objects.get(name="DiskWillFillIn4h")


def login(client, user, tz="Europe/Berlin"):
    user.timezone = tz
    user.save()
    client.force_login(user)


def query(*alerts) -> str:
    return "&".join(f"alerts={a.pk}" for a in alerts)


def declare_data(*alert_ids, **overrides):
    data = {
        "title": "Checkout returns 500s",
        "severity": "SEV2",
        "kind": "incident",
        "trigger_category": "unknown",
        "alerts": [str(a) for a in alert_ids],
    }
    data.update(overrides)
    return data


# --- the pre-filled form --------------------------------------------------------------------


def test_the_form_is_prefilled_from_the_chosen_alerts(client, responder, checkout_alerts):
    ServiceFactory(slug="checkout", name="Checkout")
    login(client, responder)
    newer, older = checkout_alerts[1], checkout_alerts[0]

    response = client.get(f"/incidents/declare/?{query(newer, older)}")
    page = response.content.decode()

    assert response.status_code == 200
    assert 'value="Roll back checkout: 5xx above 5%"' in page  # the first alert's summary
    assert re.search(r'<input[^>]*value="SEV2"[^>]*checked', page)  # critical → SEV2
    assert re.search(r'<option value="checkout" selected>Checkout</option>', page)
    assert "Declaring from 2 alerts:" in page
    # Detection is the earliest alert, shown in the declarer's zone with the date.
    assert "Detected at = earliest alert, <time" in page
    assert "2026-03-08 10:58 CET" in page
    for alert in (newer, older):
        assert f'<input type="hidden" name="alerts" value="{alert.pk}"' in page


def test_a_non_critical_alert_suggests_sev3_and_its_name_as_title(client, responder, disk_alert):
    ServiceFactory(slug="checkout", name="Checkout")
    login(client, responder)

    page = client.get(f"/incidents/declare/?{query(disk_alert)}").content.decode()

    assert 'value="DiskWillFillIn4h"' in page
    assert re.search(r'<input[^>]*value="SEV3"[^>]*checked', page)
    services = re.search(r'<select name="services".*?</select>', page, re.S).group(0)
    assert "Checkout" in services and "selected" not in services  # no service "storage" exists
    assert "Declaring from 1 alert:" in page


def test_an_unknown_alert_in_the_link_is_reported_and_left_out(client, responder, checkout_alerts):
    login(client, responder)

    response = client.get(f"/incidents/declare/?alerts={checkout_alerts[0].pk}&alerts=999999")
    page = response.content.decode()

    assert response.status_code == 400
    assert "Unknown alert(s): 999999." in page
    assert "Declaring from 1 alert:" in page
    assert 'name="alerts" value="999999"' not in page


# --- declaring ------------------------------------------------------------------------------


def test_declaring_links_the_alerts_and_detection_is_the_earliest(
    client, responder, checkout_alerts
):
    login(client, responder)

    response = client.post(
        "/incidents/declare/", declare_data(*(a.pk for a in reversed(checkout_alerts)))
    )

    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/incidents/{incident.number}/"
    assert set(incident.alerts.all()) == set(checkout_alerts)
    assert incident.detected_at == datetime(2026, 3, 8, 9, 58, tzinfo=UTC)
    assert TimelineEvent.objects.filter(incident=incident, kind="alert_linked").count() == 2

    page = client.get(response["Location"]).content.decode()
    assert "Linked 2 alert(s)." in page
    panel = page[page.index('id="alerts"') : page.index('id="timestamps"')]
    assert panel.count("CheckoutErrorRateHigh") == 2
    for alert in checkout_alerts:
        assert f'href="/alerts/{alert.pk}/"' in panel
    assert "2026-03-08 10:58 CET" in panel and "Firing" in panel


def test_an_unknown_alert_id_is_a_form_error_and_nothing_is_declared(
    client, responder, checkout_alerts
):
    login(client, responder)

    response = client.post("/incidents/declare/", declare_data(checkout_alerts[0].pk, 999999))

    page = response.content.decode()
    assert response.status_code == 400
    assert "The incident was not declared." in page
    assert "Unknown alert(s): 999999." in page
    assert "Declaring from 1 alert:" in page  # the known one is still shown
    assert not Incident.objects.exists()


def test_an_alert_id_that_is_not_a_number_is_a_form_error(client, responder, checkout_alerts):
    login(client, responder)

    response = client.post("/incidents/declare/", declare_data(checkout_alerts[0].pk, "1; DROP"))

    assert response.status_code == 400
    assert "Alert ids are whole numbers, such as 42; not: &#x27;1; DROP&#x27;." in (
        response.content.decode()
    )
    assert not Incident.objects.exists()


def test_an_alert_of_someone_elses_private_incident_cannot_be_used(
    client, responder, outsider, checkout_alerts
):
    hidden = checkout_alerts[0]
    declare(responder, private=True, alert_ids=[hidden.pk])
    login(client, outsider)

    shown = client.get(f"/incidents/declare/?{query(hidden)}")
    posted = client.post("/incidents/declare/", declare_data(hidden.pk))

    assert shown.status_code == 400
    assert f"Unknown alert(s): {hidden.pk}." in shown.content.decode()
    assert "CheckoutErrorRateHigh" not in shown.content.decode()
    assert posted.status_code == 400
    assert Incident.objects.count() == 1  # only the private one


# --- the incident page ----------------------------------------------------------------------


def test_linking_alerts_later_moves_detection_and_lists_them(client, responder, checkout_alerts):
    incident = declare(responder)  # detected now, 10:30Z
    login(client, responder)

    response = client.post(
        f"/incidents/{incident.number}/alerts/",
        {"alerts": f"{checkout_alerts[0].pk}, {checkout_alerts[1].pk}"},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/incidents/{incident.number}/#alerts"
    incident.refresh_from_db()
    assert incident.detected_at == checkout_alerts[0].fired_at
    page = client.get(f"/incidents/{incident.number}/").content.decode()
    assert "Linked 2 alert(s) to" in page
    panel = page[page.index('id="alerts"') : page.index('id="timestamps"')]
    assert panel.count("CheckoutErrorRateHigh") == 2


def test_linking_an_alert_from_hours_before_the_start_asks_to_confirm_the_earlier_start(
    client, responder, checkout_alerts, time_machine
):
    time_machine.move_to(NOW + timedelta(hours=3), tick=False)
    incident = declare(responder)  # impact began 13:30Z; the alert fired 09:58Z
    login(client, responder)
    url = f"/incidents/{incident.number}/alerts/"

    asked = client.post(url, {"alerts": str(checkout_alerts[0].pk)})
    confirmed = client.post(url, {"alerts": str(checkout_alerts[0].pk), "move_start": "on"})

    page = html.unescape(asked.content.decode())
    assert asked.status_code == 400
    assert "CheckoutErrorRateHigh fired at 2026-03-08 10:58 CET" in page
    assert "3 h 32 min before this incident's impact began (14:30 CET)" in page
    assert 'name="move_start"' in page
    assert confirmed.status_code == 302
    incident.refresh_from_db()
    assert incident.started_at == incident.detected_at == checkout_alerts[0].fired_at


def test_linking_the_same_alert_again_says_so(client, responder, checkout_alerts):
    incident = declare(responder, alert_ids=[checkout_alerts[0].pk])
    login(client, responder)

    page = client.post(
        f"/incidents/{incident.number}/alerts/", {"alerts": str(checkout_alerts[0].pk)}, follow=True
    ).content.decode()

    assert "Those alerts were already linked." in page
    assert TimelineEvent.objects.filter(incident=incident, kind="alert_linked").count() == 1


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("abc", "Alert ids are whole numbers"),
        ("999999", "Unknown alert(s): 999999."),
        ("", "This field is required."),
    ],
)
def test_bad_alert_ids_are_shown_on_the_incident_page(
    client, responder, checkout_alerts, typed, error
):
    incident = declare(responder)
    login(client, responder)

    response = client.post(f"/incidents/{incident.number}/alerts/", {"alerts": typed})

    assert response.status_code == 400
    assert error in response.content.decode()
    assert not incident.alerts.exists()


def test_readers_see_linked_alerts_but_no_link_form(client, viewer, responder, checkout_alerts):
    incident = declare(responder, alert_ids=[checkout_alerts[0].pk])
    login(client, viewer)

    page = client.get(f"/incidents/{incident.number}/").content.decode()

    assert f'href="/alerts/{checkout_alerts[0].pk}/"' in page
    assert f'action="/incidents/{incident.number}/alerts/"' not in page
    response = client.post(
        f"/incidents/{incident.number}/alerts/", {"alerts": str(checkout_alerts[1].pk)}
    )
    assert response.status_code == 403
    assert incident.alerts.count() == 1


def test_an_alert_also_on_a_private_incident_stays_hidden_in_the_panel(
    client, responder, outsider, checkout_alerts
):
    shared, public_only = checkout_alerts
    declare(responder, private=True, alert_ids=[shared.pk])
    public = declare(responder, alert_ids=[public_only.pk])
    services.incident_link_alerts(incident=public, user=responder, alert_ids=[shared.pk])
    login(client, outsider)

    page = client.get(f"/incidents/{public.number}/").content.decode()

    assert f'href="/alerts/{public_only.pk}/"' in page
    assert f'href="/alerts/{shared.pk}/"' not in page


def test_an_alert_already_in_an_open_incident_points_to_it_before_and_after_submitting(
    client, responder, checkout_alerts
):
    first = declare(responder, alert_ids=[checkout_alerts[0].pk])
    login(client, responder)
    link = f'<a href="/incidents/{first.number}/">{first.reference} {first.title}</a>'

    form = client.get(f"/incidents/declare/?alerts={checkout_alerts[0].pk}").content.decode()
    assert link in form

    response = client.post("/incidents/declare/", declare_data(checkout_alerts[0].pk))
    assert response.status_code == 409
    assert link in response.content.decode()
    assert Incident.objects.count() == 1
