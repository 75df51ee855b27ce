"""The quarterly manager pack: PDF (renders, charts embedded), XLSX (opens, formula-safe),
CSV zip, JSON; from the API and from the management command."""

from __future__ import annotations

import io
import json
import re
import subprocess
import zipfile
from datetime import datetime, timedelta

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from incidents.models import Incident
from postmortems.reports.models import ReportPackJob
from postmortems.reports.services import report_pack_generate

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports/quarterly/"


def fetch(client, params):
    """Ask for the pack; when it is being made (202), let a worker make it, and ask again."""
    response = client.get(URL, params)
    if response.status_code == 202:
        for job in ReportPackJob.objects.filter(status="queued"):
            report_pack_generate(job_id=job.pk)
        response = client.get(URL, params)
    return response


@pytest.fixture
def hostile_title(dataset):
    Incident.objects.filter(number=2).update(title='=HYPERLINK("http://evil","x")')


def _pdf_text(pdf) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip


@pytest.fixture
def config_change(dataset):
    Incident.objects.filter(number=1).update(trigger_category="config_change")


def test_pdf_page_one_is_the_story_in_human_units(api, dataset, config_change, tmp_path):
    response = fetch(api.as_user(dataset["people"]["rita"]), {"quarter": "2026Q3", "format": "pdf"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "firebreak-report-2026q3.pdf" in response["Content-Disposition"]
    pdf = tmp_path / "pack.pdf"
    pdf.write_bytes(b"".join(response.streaming_content))
    subprocess.run(
        ["pdftotext", "-layout", "-l", "1", str(pdf), str(tmp_path / "one.txt")], check=True
    )
    page_one = " ".join((tmp_path / "one.txt").read_text().split())
    # The five sentences, from the hand-computed figures (conftest.py, test_metrics.py):
    assert "4 incidents, 3 more than 2026Q2." in page_one  # #6 started in Q2
    # TTR 1 h, 1 h, 2 h → median 1 h; Q2's only incident (#6) took 2 h
    assert "Half of the incidents recovered within 1 h (median), down from 2 h." in page_one
    # api: 9,000 s of downtime against 0.1 % of 92 days (7,948.8 s)
    assert (
        "API used 113 % of its error budget (99.89 % available against a 99.90 % objective)."
        in page_one
    )
    # 6 interruptions: 2 business (rita, kenji), 2 off-hours (omar), 2 sleep (rita, kenji)
    assert "67 % of 6 pages came outside business hours, most to omar" in page_one
    assert "1 of 3 action items due were done on time; 2 overdue now." in page_one
    # The headline table against the previous quarter, with its verdicts
    assert "Headline figures against 2026Q2" in page_one
    # (pdftotext's layout mode may drop the space in a short "2 h")
    assert re.search(r"Time to recover, mean \(MTTR\) 1 h 20 min 2 ?h −40 min better", page_one)
    assert re.search(r"Mean time between failures 23 days 91 days −68 days worse", page_one)
    text = _pdf_text(pdf)
    assert not re.search(r"\d{4,}\.\d", text)  # no raw seconds such as 1983150.0
    assert "config_change" not in text and "Configuration change" in text
    assert "The last four quarters" in text and "2025Q4" in text
    assert "Appendix: metric definitions (METRICS.md v2)" in text
    assert re.search(r"INC-4\s+Incident\s+4", text)  # rita is a member of the private incident
    subprocess.run(["pdftoppm", "-png", "-r", "30", str(pdf), str(tmp_path / "page")], check=True)
    assert len(list(tmp_path.glob("page-*.png"))) >= 5
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True,
                            check=True).stdout.splitlines()[2:]  # fmt: skip
    assert [line.split()[2] for line in images].count("image") == 8  # the trend + 7 charts


def test_xlsx_has_real_durations_dates_and_percentages_and_is_formula_safe(
    api, dataset, hostile_title, config_change
):
    response = fetch(
        api.as_user(dataset["people"]["outsider"]), {"quarter": "2026q3", "format": "xlsx"}
    )

    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames[0] == "README"
    assert {"headline", "trend", "services", "teams", "people_health", "incidents"} <= set(
        workbook.sheetnames
    )
    readme = {row[0].value: row[1].value for row in workbook["README"].iter_rows(max_row=12)}
    assert readme["Period"] == "2026-07-01 to 2026-10-01 (end exclusive)"
    assert readme["Scope"] == "all teams and services"
    assert readme["Definitions"] == "METRICS.md v2 (below)"
    incidents = workbook["incidents"]
    assert incidents.freeze_panes == "A2"
    assert incidents.auto_filter.ref == "A1:J5"
    header = [c.value for c in incidents[1]]
    assert header[:6] == ["Incident", "Title", "Severity", "Services", "Trigger", "Started"]
    rows = {row[0].value: row for row in incidents.iter_rows(min_row=2)}
    assert rows["INC-2"][1].value == '\'=HYPERLINK("http://evil","x")'
    # The outsider is not a member of INC-4: it is counted, not named (no number, title, link).
    assert "INC-4" not in rows
    [private] = [row for row in incidents.iter_rows(min_row=2) if row[0].value in (None, "")]
    assert private[1].value == "A private incident" and not private[9].value
    first = rows["INC-1"]
    assert first[4].value == "Configuration change"  # a label, not the code
    # dates in the report's time zone (the outsider's: UTC), as dates
    assert (
        first[5].value == datetime(2026, 7, 10, 10, 0)
        and first[5].number_format == "yyyy-mm-dd hh:mm"
    )
    assert first[8].value == timedelta(hours=1) and first[8].number_format == "[h]:mm"
    assert incidents.column_dimensions["B"].width == 50
    services = workbook["services"]
    assert services.freeze_panes == "A2"
    api_row = next(row for row in services.iter_rows(min_row=2) if row[0].value == "API")
    availability, slo, budget = api_row[6], api_row[7], api_row[8]
    assert (availability.value, availability.number_format) == (0.998868, "0.00%")
    assert (slo.value, budget.number_format) == (0.999, "0.0%")
    assert services.column_dimensions["A"].width >= len("Service")
    headline = {row[0].value: row for row in workbook["headline"].iter_rows(min_row=2)}
    assert headline["Incidents"][1].value == 4
    assert headline["Incidents"][1].number_format == "#,##0"  # Excel shows "4", not "4."
    mttr = headline["Time to recover, mean (MTTR)"][1]
    assert mttr.value == timedelta(seconds=4800) and mttr.number_format == "[h]:mm"
    assert headline["Mean time between failures"][1].value == timedelta(seconds=1983150)
    assert [c.value for c in workbook["headline"][1]] == ["Figure", "2026Q3", "2026Q2", "Change"]
    assert headline["Incidents"][3].value == "worse: +3"
    assert headline["Time to recover, median"][3].value == "better: −1 h"


def test_csv_is_a_zip_of_tables_and_json_is_one_document(api, dataset, hostile_title):
    client = api.as_user(dataset["people"]["rita"])

    archive = zipfile.ZipFile(io.BytesIO(b"".join(
        fetch(client, {"quarter": "2026Q3", "format": "csv"}).streaming_content
    )))  # fmt: skip
    assert {"headline.csv", "services.csv", "incidents.csv", "METRICS.md"} <= set(
        archive.namelist()
    )
    assert "'=HYPERLINK" in archive.read("incidents.csv").decode()
    document = json.loads(b"".join(fetch(client, {"quarter": "2026Q3"}).streaming_content))
    assert document["summary"]["mtbf"]["seconds"] == 1983150.0
    assert document["previous_quarter"]["incidents"]["count"] == 1
    assert document["tables"]["services"][2]["Service"] == "Search"
    # machine formats keep exact values and codes, with the unit in the key / header
    assert document["definitions_version"] == 2
    api_row = document["tables"]["services"][0]
    assert api_row["Downtime (seconds)"] == 9000.0 and api_row["Available (ratio)"] == 0.998868
    incidents = {row["Incident"]: row for row in document["tables"]["incidents"]}
    assert incidents["INC-1"]["Time to recover (seconds)"] == 3600.0
    assert incidents["INC-1"]["Started (UTC, ISO 8601)"] == "2026-07-10T10:00:00+00:00"
    headline = archive.read("headline.csv").decode().splitlines()
    assert headline[0] == "Figure,Unit,2026Q3,2026Q2,Change,Verdict"
    assert "Mean time between failures,seconds,1983150.0,7858800.0," in "\n".join(headline)


@pytest.mark.parametrize(
    ("params", "field"),
    [({"quarter": "2026Q5"}, "quarter"), ({}, "quarter"),
     ({"quarter": "2026Q3", "format": "docx"}, "format"),
     ({"quarter": "2026Q3", "team": "nobody"}, "team")],
)  # fmt: skip
def test_bad_pack_parameters_are_a_400(api, dataset, params, field):
    response = api.as_user(dataset["people"]["rita"]).get(URL, params)

    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_management_command_writes_the_pack_with_a_progress_bar(dataset, tmp_path, capsys):
    out = tmp_path / "pack.xlsx"

    call_command("export_quarterly_report", "--quarter", "2026Q3", "--format", "xlsx",
                 "--out", str(out))  # fmt: skip

    assert openpyxl.load_workbook(out)["headline"]["B2"].value == 4
    captured = capsys.readouterr()
    assert "17/17" in captured.err and "Wrote Incident response report 2026Q3" in captured.out
    with pytest.raises(CommandError, match="YYYYQn"):
        call_command("export_quarterly_report", "--quarter", "Q3", "--out", str(out))


def test_the_pack_lists_nothing_of_a_private_incident_to_someone_outside_it(
    api, dataset, private_repeat
):
    def pack_of(person) -> str:
        api.force_authenticate(user=None)
        client = api.as_user(dataset["people"][person])
        return b"".join(fetch(client, {"quarter": "2026Q3"}).streaming_content).decode()

    member, outsider = pack_of("rita"), pack_of("outsider")

    assert "rotate the leaked signing key" in member
    assert "signing key" not in outsider
    document = json.loads(outsider)
    # #4 (private) is missing a resolution: counted for everyone, listed only for members
    assert document["summary"]["mean_time_to_resolve"]["missing"] == 1
    assert document["summary"]["mean_time_to_resolve"]["missing_incidents"] == []
    assert "missing_items" not in outsider
    assert json.loads(member)["summary"]["mean_time_to_resolve"]["missing_incidents"] == [4]


def test_the_pack_is_made_in_the_background_once_for_the_same_request(
    api, dataset, django_capture_on_commit_callbacks
):
    client = api.as_user(dataset["people"]["rita"])
    params = {"quarter": "2026Q3", "format": "pdf"}

    with django_capture_on_commit_callbacks() as enqueued:
        first = client.get(URL, params)
        second = client.get(URL, params)  # asked twice while it is being made

    assert (first.status_code, second.status_code) == (202, 202)
    assert first.json()["status"] == "queued" and first["Retry-After"] == "2"
    assert first.json()["progress"]["done"] == 0
    assert len(enqueued) == 1 and ReportPackJob.objects.count() == 1
    job = ReportPackJob.objects.get()
    report_pack_generate(job_id=job.pk)
    report_pack_generate(job_id=job.pk)  # a redelivered task does nothing
    job.refresh_from_db()
    assert (job.status, job.steps_done, job.steps_total) == ("ready", job.steps_total, 4 + 21)
    ready = client.get(URL, params)
    assert ready.status_code == 200 and ready["Content-Type"] == "application/pdf"
    assert b"".join(ready.streaming_content).startswith(b"%PDF")
    # someone else's pack is another job: private incident titles differ between people
    assert client.get(URL, {**params, "format": "xlsx"}).status_code == 202
    other = api.as_user(dataset["people"]["outsider"]).get(URL, params)
    assert other.status_code == 202 and ReportPackJob.objects.count() == 3


def test_a_long_incident_list_in_the_pdf_shows_the_longest_and_says_so(
    api, dataset, tmp_path, monkeypatch
):
    from postmortems.reports.pack import build

    monkeypatch.setattr(build, "PDF_INCIDENTS", 2)
    response = fetch(api.as_user(dataset["people"]["rita"]), {"quarter": "2026Q3", "format": "pdf"})
    pdf = tmp_path / "pack.pdf"
    pdf.write_bytes(b"".join(response.streaming_content))

    text = " ".join(_pdf_text(pdf).split())
    assert "The 2 incidents with the longest impact of 4, in the order they started" in text
    # #3 (2 h to its resolution) and #4 (2 h) are listed; #1 and #2 (1 h each) are not
    assert "INC-3" in text and "INC-4" in text
    assert "INC-1 " not in text and "INC-2 " not in text
