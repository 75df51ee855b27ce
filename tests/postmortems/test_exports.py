"""Exports: Markdown with front matter, standalone HTML and a PDF that opens and renders."""

from __future__ import annotations

import subprocess

import markdown
import pytest

from postmortems import services
from postmortems.exports import export_postmortem
from postmortems.exports.markdown_export import neutralise_markdown
from tests.postmortems.test_rendering import HOSTILE, assert_inert, assert_no_active_content


@pytest.fixture
def hostile_postmortem(postmortem, responder):
    services.postmortem_save(
        user=responder,
        postmortem=postmortem,
        version=1,
        sections=[
            {"key": "summary", "body": "\n\n".join(HOSTILE)},
            {"key": "root_cause", "body": "A `<b>code</b>` span"},
        ],
        tags=["edge", "<script>x</script>"],
    )
    postmortem.refresh_from_db()
    return postmortem


def test_markdown_export_has_yaml_front_matter_and_the_timeline(postmortem):
    text = export_postmortem(postmortem, "md").content.decode()
    front, body = text.split("---\n")[1], text.split("---\n", 2)[2]
    assert 'incident: "INC-1"' in front
    assert 'timezone: "America/Los_Angeles"' in front
    assert 'metrics_definitions: "METRICS.md v2"' in front
    assert "|  | 14:12 | **[Outage Begins]** |" in body
    assert "|  | 15:17 | **[Outage Ends]** |" in body
    assert "## Appendix: metric definitions (METRICS.md v2)" in body


def test_markdown_export_is_inert_even_in_a_viewer_that_does_not_sanitise(hostile_postmortem):
    text = export_postmortem(hostile_postmortem, "md").content.decode()
    rendered = markdown.markdown(text, extensions=["tables", "fenced_code"])
    assert_no_active_content(rendered)
    assert "&lt;script" in rendered  # shown as text, exactly as typed
    assert "`<b>code</b>`" in text  # code is shown as written


def test_neutralised_markdown_keeps_ordinary_links_and_code():
    assert neutralise_markdown("[docs](https://example.com)") == "[docs](https://example.com)"
    assert neutralise_markdown("[x](javascript:alert(1))") == "[x](#unsafe-link-removed)"
    assert neutralise_markdown("[x](java&#115;cript:alert(1))") == "[x](#unsafe-link-removed)"
    assert (
        neutralise_markdown("```\n<b>kept</b>\n```\n<b>escaped</b>")
        == "```\n<b>kept</b>\n```\n&lt;b>escaped&lt;/b>"
    )


def test_html_export_is_standalone_inert_and_forbids_scripts(hostile_postmortem):
    html = export_postmortem(hostile_postmortem, "html").content.decode()
    assert html.startswith("<!doctype html>")
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert "<td>14:12</td>" in html and "[Outage Begins]" in html
    assert "METRICS.md v2" in html
    body = html.split("<body>", 1)[1]
    assert_inert(body)
    assert_no_active_content(body)


def test_pdf_opens_and_renders_its_first_page(postmortem, tmp_path):
    pdf = export_postmortem(postmortem, "pdf").content
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    path = tmp_path / "postmortem.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert (
        int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1]) >= 2
    )
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")],
        check=True,
    )
    png = tmp_path / "page-1.png"
    assert png.read_bytes().startswith(b"\x89PNG")
    assert png.stat().st_size > 5_000  # a blank page compresses to far less
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "14:12" in text and "[Outage Begins]" in text and "[Outage Ends]" in text
    assert "65 minutes" in text


def test_pdf_of_hostile_text_renders_the_words_not_the_markup(hostile_postmortem, tmp_path):
    path = tmp_path / "hostile.pdf"
    path.write_bytes(export_postmortem(hostile_postmortem, "pdf").content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "alert(1)" not in text  # script bodies are dropped, not printed
    assert "javascript:" not in text.lower()


def test_pdf_paginates_a_long_timeline_with_the_header_row_repeated(
    postmortem, responder, edge_incident, tmp_path
):
    from datetime import timedelta

    from incidents import services as incident_services

    for minute in range(0, 60):
        incident_services.timeline_note_add(
            incident=edge_incident,
            user=responder,
            body=f"Observation number {minute}",
            occurred_at=edge_incident.started_at + timedelta(minutes=minute),
            highlighted=True,
        )
    path = tmp_path / "long.pdf"
    path.write_bytes(export_postmortem(postmortem, "pdf").content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")
    timeline_pages = [p for p in pages if "Observation number" in p]
    assert len(timeline_pages) >= 2
    assert all("Date" in p and "Event" in p for p in timeline_pages)
