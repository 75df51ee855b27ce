"""Blameless-writing guidance: warnings the author sees while writing and a reviewer acknowledges.

Rules (each warning is ``{rule, message, excerpt, section}``):

* ``person_name`` — a person's name (the incident's participants and the user directory) in a
  summary or root-cause section.
* ``blame_phrase`` — "fault", "should have", "failed to", "careless", "human error", "why didn't".
* ``summary_too_long`` — a summary of more than two paragraphs.
* ``no_action_items`` — no action items and no paragraph on the cost of doing nothing.

Only the author's own words are read: generated blocks ({{ placeholders }}) are left out.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from postmortems.models import ActionItem, Postmortem, SectionPurpose
from postmortems.placeholders import strip_placeholders

NAME_PURPOSES = {SectionPurpose.SUMMARY, SectionPurpose.ROOT_CAUSE}
MAX_SUMMARY_PARAGRAPHS = 2
REWRITE_ADVICE = (
    'Rewrite it with "we" (we shipped a change that…) and ask where a tool or process could have '
    "prevented the mistake."
)

BLAME_PHRASES: list[re.Pattern] = [
    # "fault", but not fault tolerance, fault injection, fault domains or fault isolation.
    re.compile(r"\bfault(?![- ]?(?:toleran\w*|injection|domains?|isolation)\b)\b", re.IGNORECASE),
    re.compile(r"\bshould(?: have|['’]ve)\b", re.IGNORECASE),  # should have
    re.compile(r"\bfailed to\b", re.IGNORECASE),  # failed to
    re.compile(r"\bcareless(?:ly|ness)?\b", re.IGNORECASE),  # careless
    re.compile(r"\bhuman errors?\b", re.IGNORECASE),  # human error
    re.compile(r"\bwhy (?:didn['’]t|did not)\b", re.IGNORECASE),  # why didn't
]
COST_OF_DOING_NOTHING = re.compile(r"\bcost of doing nothing\b", re.IGNORECASE)
_PARAGRAPH_SPLIT = re.compile(r"\n\s*\n")
_SENTENCE_END = re.compile(r"[.!?\n]")
EXCERPT_MAX = 160


@dataclass(frozen=True)
class LintWarning:
    rule: str
    message: str
    excerpt: str
    section: str = ""

    @property
    def id(self) -> str:
        raw = f"{self.rule}|{self.section}|{self.excerpt}".encode()
        return hashlib.sha256(raw).hexdigest()[:12]

    def as_dict(self) -> dict[str, str]:
        return {
            "id": self.id,
            "rule": self.rule,
            "message": self.message,
            "excerpt": self.excerpt,
            "section": self.section,
        }


def _excerpt(text: str, start: int, end: int) -> str:
    """The sentence around a match, shortened to EXCERPT_MAX characters."""
    left = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    right_match = _SENTENCE_END.search(text, end)
    right = right_match.end() if right_match else len(text)
    sentence = " ".join(text[left:right].split())
    if len(sentence) > EXCERPT_MAX:
        sentence = sentence[: EXCERPT_MAX - 1].rstrip() + "…"
    return sentence


def known_names(people: Iterable = ()) -> set[str]:
    """First names, last names and full names from the user directory plus ``people``."""
    names: set[str] = set()
    rows = list(
        get_user_model().objects.filter(is_active=True).values_list("first_name", "last_name")
    )
    rows += [(getattr(p, "first_name", ""), getattr(p, "last_name", "")) for p in people]
    for first, last in rows:
        for part in (first, last, f"{first} {last}"):
            part = " ".join((part or "").split())
            if len(part) >= 2:
                names.add(part)
    return names


def _name_pattern(names: set[str]) -> re.Pattern | None:
    if not names:
        return None
    alternatives = sorted((re.escape(n) for n in names), key=len, reverse=True)
    # Case-sensitive: "Chris" is a person, "chris" inside a word or code is not.
    return re.compile(r"(?<![\w@])(?:" + "|".join(alternatives) + r")(?![\w])")


def lint_sections(
    sections: list[dict], *, has_action_items: bool, people: Iterable = ()
) -> list[LintWarning]:
    """Lint ``[{key, title, purpose, body}]``. Pure apart from reading the user directory."""
    warnings: list[LintWarning] = []
    name_re = _name_pattern(known_names(people))
    mentions_cost = False
    for section in sections:
        text = strip_placeholders(section.get("body", ""))
        key, title = section.get("key", ""), section.get("title", section.get("key", ""))
        purpose = section.get("purpose", SectionPurpose.OTHER)
        if COST_OF_DOING_NOTHING.search(text):
            mentions_cost = True
        if purpose in NAME_PURPOSES and name_re is not None:
            seen: set[str] = set()
            for match in name_re.finditer(text):
                name = match.group(0)
                if name in seen:
                    continue
                seen.add(name)
                warnings.append(
                    LintWarning(
                        "person_name",
                        f'"{name}" names a person in {title}. Blameless postmortems describe what happened '
                        f"and what allowed it, not who did it. {REWRITE_ADVICE}",
                        _excerpt(text, match.start(), match.end()),
                        key,
                    )
                )
        for pattern in BLAME_PHRASES:
            for match in pattern.finditer(text):
                warnings.append(
                    LintWarning(
                        "blame_phrase",
                        f'"{match.group(0)}" in {title} reads as blame. {REWRITE_ADVICE}',
                        _excerpt(text, match.start(), match.end()),
                        key,
                    )
                )
        if purpose == SectionPurpose.SUMMARY:
            paragraphs = [p for p in _PARAGRAPH_SPLIT.split(text.strip()) if p.strip()]
            if len(paragraphs) > MAX_SUMMARY_PARAGRAPHS:
                warnings.append(
                    LintWarning(
                        "summary_too_long",
                        f"{title} has {len(paragraphs)} paragraphs. Keep it to two: what happened and "
                        "how we fixed it; the details belong in the sections below.",
                        _excerpt(paragraphs[2], 0, 0),
                        key,
                    )
                )
    if not has_action_items and not mentions_cost:
        warnings.append(
            LintWarning(
                "no_action_items",
                "There are no action items. Add what we will change, or a paragraph on the cost of "
                "doing nothing if we decide to change nothing.",
                "",
                "",
            )
        )
    return warnings


def lint_postmortem(
    postmortem: Postmortem, *, sections: list[dict] | None = None
) -> list[LintWarning]:
    """Warnings for a saved postmortem, or for unsaved ``sections`` bodies ({key: body} overlays)."""
    from postmortems.blocks import people_involved

    saved = [
        {"key": s.key, "title": s.title, "purpose": s.purpose, "body": s.body}
        for s in postmortem.sections.all()
    ]
    if sections is not None:
        overlay = {
            s["key"]: s.get("body", "") for s in sections if isinstance(s, dict) and "key" in s
        }
        saved = [{**s, "body": overlay.get(s["key"], s["body"])} for s in saved]
    has_items = ActionItem.objects.filter(incident_id=postmortem.incident_id).exists()
    return lint_sections(
        saved, has_action_items=has_items, people=people_involved(postmortem.incident)
    )
