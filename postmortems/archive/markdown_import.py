"""Import a postmortem written elsewhere as plain Markdown, mapping its headings to sections.

Mapping rules (documented for users in ``import_archive --help``):

- If the text has ``##`` headings and starts with a single ``#`` heading, that one is the title.
- Every other ``#``/``##`` heading starts a section. Its title is matched, case-insensitively,
  against the template's section titles, then keys, then common synonyms ("Root cause(s)",
  "Impact", "Summary", "Timeline", "Action items", "Lessons learned", ...) via the section's
  purpose.
- Headings that match nothing are NOT dropped: they go, as ``### <heading>`` with their text,
  into one "Appendix" section (the template's ``appendix`` section, or a new one added at the end).
- Text before the first section heading goes to the summary section.
- Headings inside fenced code blocks are text, not headings.
"""

from __future__ import annotations

import re
from pathlib import Path

from config.errors import ApplicationError
from incidents.models import Incident
from postmortems import services
from postmortems.archive.codec import ArchiveError, split_front_matter
from postmortems.archive.importer import _File, _reference_number
from postmortems.models import Postmortem, PostmortemSection, SectionPurpose

APPENDIX_KEY = "appendix"
HEADING = re.compile(r"^(#{1,2})\s+(.+?)\s*#*\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")

# Lower-cased heading → section purpose.
SYNONYMS: dict[str, str] = {
    "summary": SectionPurpose.SUMMARY,
    "executive summary": SectionPurpose.SUMMARY,
    "overview": SectionPurpose.SUMMARY,
    "tl;dr": SectionPurpose.SUMMARY,
    "impact": SectionPurpose.IMPACT,
    "customer impact": SectionPurpose.IMPACT,
    "user impact": SectionPurpose.IMPACT,
    "timeline": SectionPurpose.TIMELINE,
    "chronology": SectionPurpose.TIMELINE,
    "root cause": SectionPurpose.ROOT_CAUSE,
    "root causes": SectionPurpose.ROOT_CAUSE,
    "root cause(s)": SectionPurpose.ROOT_CAUSE,
    "root cause analysis": SectionPurpose.ROOT_CAUSE,
    "cause": SectionPurpose.ROOT_CAUSE,
    "causes": SectionPurpose.ROOT_CAUSE,
    "action items": SectionPurpose.ACTION_ITEMS,
    "action item": SectionPurpose.ACTION_ITEMS,
    "follow-ups": SectionPurpose.ACTION_ITEMS,
    "follow-up actions": SectionPurpose.ACTION_ITEMS,
    "next steps": SectionPurpose.ACTION_ITEMS,
    "lessons learned": SectionPurpose.LESSONS,
    "lessons learnt": SectionPurpose.LESSONS,
    "lessons": SectionPurpose.LESSONS,
    "what we learned": SectionPurpose.LESSONS,
}


def read_markdown_file(path: Path) -> _File:
    """A ``markdown/`` file: front matter must name the incident (``incident: INC-n``)."""
    try:
        front, body = split_front_matter(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ArchiveError(f"{path}: not UTF-8 text") from None
    except ArchiveError as exc:
        raise ArchiveError(f"{path}: {exc}") from None
    if "incident" not in front:
        raise ArchiveError(f"{path}: the front matter must name the incident (incident: INC-<n>)")
    _reference_number(front["incident"])
    return _File(
        path, {"incident": front["incident"], "template": front.get("template"), "text": body}
    )


def split_headings(text: str) -> tuple[str | None, str, list[tuple[str, str]]]:
    """(title or None, text before the first section, [(heading, body)]) of a Markdown text."""
    parsed: list[tuple[int, str, list[str]]] = []
    preamble: list[str] = []
    in_fence = False
    for line in text.replace("\r\n", "\n").split("\n"):
        if FENCE.match(line):
            in_fence = not in_fence
        match = None if in_fence else HEADING.match(line)
        if match:
            parsed.append((len(match.group(1)), match.group(2), []))
        elif parsed:
            parsed[-1][2].append(line)
        else:
            preamble.append(line)
    title = None
    level_one = [p for p in parsed if p[0] == 1]
    if parsed and parsed[0][0] == 1 and len(level_one) == 1 and len(parsed) > 1:
        title = parsed[0][1]
        preamble += parsed[0][2]
        parsed = parsed[1:]
    sections = [(heading, "\n".join(lines).strip("\n")) for _level, heading, lines in parsed]
    return title, "\n".join(preamble).strip("\n"), sections


def _match(heading: str, sections: list[PostmortemSection]) -> PostmortemSection | None:
    wanted = heading.strip().lower()
    for section in sections:
        if section.title.strip().lower() == wanted or section.key.lower() == wanted:
            return section
    purpose = SYNONYMS.get(wanted)
    if purpose is None:
        return None
    return next((s for s in sections if s.purpose == purpose), None)


def markdown_postmortem_import(
    *, user, incident_ref: str, text: str, template: str | None = None
) -> Postmortem:
    """Create the postmortem of ``incident_ref`` from Markdown ``text`` through the services.

    Preconditions: ``user`` may edit the incident; the incident has no postmortem yet. Raises
    ArchiveError with a readable message otherwise.
    """
    number = _reference_number(incident_ref)
    incident = Incident.objects.filter(number=number).first()
    if incident is None:
        raise ArchiveError(f"there is no incident {incident_ref}")
    try:
        postmortem = services.postmortem_create(user=user, incident=incident, template=template)
        title, preamble, parts = split_headings(text)
        sections = list(postmortem.sections.order_by("position", "id"))
        bodies: dict[str, list[str]] = {}
        appendix: list[str] = []
        if preamble:
            summary = next((s for s in sections if s.purpose == SectionPurpose.SUMMARY), None)
            if summary is not None:
                bodies.setdefault(summary.key, []).append(preamble)
            else:
                appendix.append(preamble)
        for heading, body in parts:
            section = _match(heading, sections)
            if section is None or section.key == APPENDIX_KEY:
                appendix.append(body if section is not None else f"### {heading}\n\n{body}")
            else:
                bodies.setdefault(section.key, []).append(body)
        if appendix:
            if not any(s.key == APPENDIX_KEY for s in sections):
                PostmortemSection.objects.create(
                    postmortem=postmortem,
                    position=len(sections),
                    key=APPENDIX_KEY,
                    title="Appendix",
                    purpose=SectionPurpose.OTHER,
                )
            bodies.setdefault(APPENDIX_KEY, []).extend(appendix)
        result = services.postmortem_save(
            user=user,
            postmortem=postmortem,
            version=postmortem.version,
            sections=[
                {"key": key, "body": "\n\n".join(chunks).strip("\n") + "\n"}
                for key, chunks in bodies.items()
            ],
            title=title[:200] if title else None,
            note="Imported from Markdown",
        )
    except ApplicationError as exc:
        raise ArchiveError(f"{incident_ref}: {exc.message}") from None
    return result.postmortem
