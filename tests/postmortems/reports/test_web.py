"""The reports dashboard: headline figures with the change, links to the incidents behind them,
charts as PNG images, and private incidents listed without their titles to non-members."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from incidents.models import Incident
from postmortems.reports.models import ReportPackJob
from postmortems.reports.services import report_pack_generate

pytestmark = pytest.mark.django_db

Q3 = {"preset": "quarter", "quarter": "2026Q3"}


def test_dashboard_shows_headline_figures_and_the_change(client, dataset):
    client.force_login(dataset["people"]["rita"])

    page = client.get("/reports/", Q3)

    html = page.content.decode()
    assert page.status_code == 200
    assert "1 h 20 min" in html  # MTTR mean 4800 s
    # the period in five sentences, on top
    assert "4 incidents, 3 more than 2026Q2." in html
    assert "API used 113 % of its error budget" in html
    assert "3 measured, 1 missing data" in html
    # 4 incidents against 1 (#6, started 06-30) in the 92 days before
    assert re.search(r"Incidents</span>\s*<strong[^>]*>4</strong>\s*<span[^>]*>▼ \+3 vs", html)
    assert "50 %" in html  # update on-time rate and coverage
    assert "99.89 %" in html  # api's availability
    assert "which=mttr_missing" in html
    assert "/reports/charts/mttr-trend.png?" in html
    # people health: kenji had 4 pages, 2 interruptions, 1 in his sleep hours
    assert re.search(r"<td>kenji</td><td>4</td><td>2</td><td>1</td>", html)


def test_a_bad_quarter_is_a_400_with_the_reason(client, dataset):
    client.force_login(dataset["people"]["rita"])

    page = client.get("/reports/", {"preset": "quarter", "quarter": "2026Q5"})

    assert page.status_code == 400
    assert "YYYYQn" in page.content.decode()


def test_incidents_behind_a_figure_count_private_ones_without_naming_them(client, dataset):
    client.force_login(dataset["people"]["outsider"])

    page = client.get("/reports/incidents/", Q3).content.decode()

    assert "Incident 1" in page and "A private incident" in page
    assert "Incident 4" not in page and "INC-4" not in page
    missing = client.get("/reports/incidents/", {**Q3, "which": "mttr_missing"}).content.decode()
    assert "Incident 3" in missing and "Incident 1" not in missing


def test_charts_are_png_images(client, dataset):
    client.force_login(dataset["people"]["rita"])

    for name in ["incidents-by-severity", "mttr-trend", "downtime", "alerts", "interruptions",
                 "updates", "action-items"]:  # fmt: skip
        response = client.get(f"/reports/charts/{name}.png", Q3)
        assert response["Content-Type"] == "image/png"
        assert response.content.startswith(b"\x89PNG")
    assert client.get("/reports/charts/nothing.png", Q3).status_code == 404


def test_signed_out_people_are_sent_to_log_in(client, dataset):
    assert client.get("/reports/", Q3).status_code == 302


# --- the alerts behind the alert figures ----------------------------------------------------------


def alert_rows(html: str) -> list[str]:
    return re.findall(r'<a href="/alerts/\d+/">([^<]+)</a>', html)


def test_alert_figures_link_to_the_alerts_they_count(client, dataset):
    client.force_login(dataset["people"]["rita"])
    html = client.get("/reports/", Q3).content.decode()

    links = {
        which: html.count(f"alerts/?preset=quarter&amp;quarter=2026Q3&amp;which={which}")
        for which in ("fired", "paged", "reviewed", "acknowledged", "unacknowledged",
                      "auto_resolved", "unreviewed")
    }  # fmt: skip
    assert all(links.values()), links
    assert 'href="#interruptions"' in html and 'id="interruptions"' in html

    def listed(**query):
        page = client.get("/reports/alerts/", {**Q3, **query})
        assert page.status_code == 200
        return page.content.decode()

    # Each list holds exactly the alerts its figure counts (test_metrics.py has the figures).
    fired = listed(which="fired")
    assert "5 alerts counted." in fired
    assert sorted(alert_rows(fired)) == ["DiskFull", "DiskFull"] + ["HighLatency"] * 3
    assert "4 alerts counted." in listed(which="paged")
    assert "3 alerts counted." in listed(which="reviewed")
    assert "2 alerts counted." in listed(which="unreviewed")
    assert "2 alerts counted." in listed(which="auto_resolved")
    assert "1 alert counted." in listed(which="unacknowledged")
    assert alert_rows(listed(which="fired", name="DiskFull")) == ["DiskFull", "DiskFull"]
    # The team or service filter of the report narrows the alerts the same way.
    assert alert_rows(listed(which="fired", service="db")) == ["DiskFull", "DiskFull"]


def test_flapping_and_noisiest_rows_link_to_their_alerts(client, dataset):
    client.force_login(dataset["people"]["rita"])
    q4 = {"preset": "quarter", "quarter": "2026Q4"}
    html = client.get("/reports/", q4).content.decode()
    assert "which=fired&amp;fingerprint=f5" in html
    assert "which=fired&amp;name=QueueBacklog" in html

    page = client.get("/reports/alerts/", {**q4, "which": "fired", "fingerprint": "f5"})
    assert alert_rows(page.content.decode()) == ["QueueBacklog"] * 3


def test_alerts_of_a_private_incident_count_but_are_listed_only_to_members(client, dataset):
    from incidents.models import Incident
    from oncall.models import Alert

    private = Incident.objects.get(number=4)
    private.alerts.add(Alert.objects.get(name="DiskFull", urgency="today"))

    client.force_login(dataset["people"]["outsider"])
    html = client.get("/reports/alerts/", {**Q3, "which": "fired", "service": "db"}).content
    html = html.decode()
    assert "2 alerts counted; 1 of them belong to private incidents" in html
    assert alert_rows(html) == ["DiskFull"]

    client.force_login(dataset["people"]["rita"])  # a member
    html = client.get("/reports/alerts/", {**Q3, "which": "fired", "service": "db"}).content
    assert alert_rows(html.decode()) == ["DiskFull", "DiskFull"]


def test_an_unknown_alert_figure_is_a_400(client, dataset):
    client.force_login(dataset["people"]["rita"])
    page = client.get("/reports/alerts/", {**Q3, "which": "everything"})
    assert page.status_code == 400
    assert "Unknown figure" in page.content.decode()


@pytest.mark.parametrize(
    ("preset", "start", "end"),
    [("this_quarter", "2026-10-01", "2027-01-01"), ("last_quarter", "2026-07-01", "2026-10-01"),
     ("last4", "2026-01-01", "2027-01-01"), ("ytd", "2026-01-01", "2027-01-01")],
)  # fmt: skip
def test_period_presets(client, dataset, preset, start, end, time_machine):
    time_machine.move_to("2026-11-15T12:00:00Z")
    client.force_login(dataset["people"]["rita"])

    page = client.get("/reports/", {"preset": preset})

    assert page.status_code == 200
    period = page.context["period"]
    assert (period.start.date().isoformat(), period.end.date().isoformat()) == (start, end)


def test_the_pack_link_starts_a_background_job_and_shows_its_progress(client, dataset):
    client.force_login(dataset["people"]["rita"])

    page = client.get("/reports/pack/", {"quarter": "2026Q3", "format": "pdf"})

    assert page.status_code == 200
    html = page.content.decode()
    assert (
        "Making the 2026Q3 PDF pack in the background" in html and 'hx-trigger="every 1s"' in html
    )
    job = ReportPackJob.objects.get()
    report_pack_generate(job_id=job.pk)
    ready = client.get("/reports/pack/", {"quarter": "2026Q3", "format": "pdf", "partial": "1"})
    assert "is ready" in ready.content.decode() and "every 1s" not in ready.content.decode()
    download = client.get(f"/reports/pack/{job.pk}/download/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    client.force_login(dataset["people"]["outsider"])  # someone else's pack is not theirs
    assert client.get(f"/reports/pack/{job.pk}/download/").status_code == 404
    assert client.get("/reports/pack/", {"quarter": "2026Q9"}).status_code == 400


def test_long_flapping_and_repeated_lists_show_the_worst_twenty_and_count_the_rest(client, dataset):
    """A big quarter has thousands of flapping fingerprints and repeated actions: the page shows
    the 20 that matter most as chips and says how many more there are (the pack has them all)."""
    from oncall.models import Alert, Integration
    from postmortems.models import ActionItem, Postmortem

    integration = Integration.objects.get(name="prom")
    start = datetime(2026, 11, 2, tzinfo=UTC)
    for index in range(25):  # 25 fingerprints more, 3 firings each; fp-07 fires 5 times
        for firing in range(5 if index == 7 else 3):
            fired = start + timedelta(days=index, hours=firing)
            Alert.objects.create(
                integration=integration, fingerprint=f"fp-{index:02}", name="Churn",
                service_slug="db", fired_at=fired, first_received_at=fired,
                last_received_at=fired, urgency="today",
            )  # fmt: skip
    incidents = Incident.objects.order_by("number")[:2]
    for incident in incidents:
        postmortem, _ = Postmortem.objects.get_or_create(
            incident=incident, defaults={"title": f"PM {incident.number}"}
        )
        for index in range(23):  # 23 actions asked for by both postmortems, plus "add retry budget"
            ActionItem.objects.create(
                incident=incident, postmortem=postmortem, title=f"Action {index:02}",
                due_date=date(2026, 12, 1),
            )  # fmt: skip
    client.force_login(dataset["people"]["rita"])

    html = client.get("/reports/", {"preset": "quarter", "quarter": "2026Q4"}).content.decode()

    flapping = re.findall(r"fingerprint=([\w-]+)\">", html)
    assert len(flapping) == 20
    assert flapping[0] == "fp-07"  # the one that fired most comes first
    assert "and 6 more" in html  # 26 flapping: f5 and fp-00 … fp-24
    repeated = re.findall(r'<span class="chip">([^<]*) ×2</span>', html)
    assert len(repeated) == 20
    assert "and 4 more" in html  # 24 repeated
