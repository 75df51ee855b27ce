"""Which sections the lint reads, and the warnings it gives for a whole postmortem.

Rules (each warning is ``{id, rule, message, hint, excerpt, section}``, the excerpt being the
sentence the warning is about):

* ``person_name`` — a person's name, username, Slack id or @mention, a possessive ("Maria's
  typo"), a nickname, or a given name the directory does not hold.
* ``person_role`` — one person named by role and made the agent of the change ("the SRE on shift
  restarted ...").
* ``blame_verb`` — a verb, adjective or idiom of blame with a person as subject ("overlooked",
  "sloppy", "dropped the ball"); a system as subject is not blame.
* ``hindsight`` — hindsight and counterfactuals ("might have caught", "it was obvious that").
* ``blame_as_cause`` — blame dressed as a cause ("operator error", "lack of diligence").
* ``summary_too_long`` — a summary of more than two paragraphs.
* ``no_action_items`` — no action items and no paragraph on the cost of doing nothing.

Read: summary, impact, root cause, contributing factors and lessons — never the generated
timeline, code blocks or quoted lines (see ``text``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from postmortems.lint.blame import find_blame_cached
from postmortems.lint.names import incident_participants, names_for
from postmortems.lint.text import prose_sentences
from postmortems.models import ActionItem, Postmortem, SectionPurpose
from postmortems.placeholders import strip_placeholders

READ_PURPOSES = {
    SectionPurpose.SUMMARY,
    SectionPurpose.IMPACT,
    SectionPurpose.ROOT_CAUSE,
    SectionPurpose.LESSONS,
}
# Templates have no purpose of their own for contributing factors; their title says it.
_CONTRIBUTING = re.compile(r"contribut\w*|factors?", re.IGNORECASE)
MAX_SUMMARY_PARAGRAPHS = 2
COST_OF_DOING_NOTHING = re.compile(r"\bcost of doing nothing\b", re.IGNORECASE)
_PARAGRAPH_SPLIT = re.compile(r"\n\s*\n")
EXCERPT_MAX = 160

# kind found in a sentence → (rule, what the kind is, for the message)
KINDS = {
    "name": (
        "person_name",
        'names a person: blameless postmortems say "we" (or the role the system gave them) and '
        "what allowed it, not who did it",
    ),
    "role": ("person_role", "singles out one person by role, which points at them as a name does"),
    "verb": ("blame_verb", "judges a person (a verb, adjective or idiom of blame)"),
    "hindsight": (
        "hindsight",
        "is hindsight: it judges what people did by what we know now, not by what they could see then",
    ),
    "cause": (
        "blame_as_cause",
        "names a person as the cause (blame dressed as a cause): a person's action is where the "
        "investigation starts, not where it ends",
    ),
}
RULES = [rule for rule, _ in KINDS.values()] + ["summary_too_long", "no_action_items"]


@dataclass(frozen=True)
class LintWarning:
    rule: str
    message: str
    excerpt: str
    section: str = ""
    hint: str = ""

    @property
    def id(self) -> str:
        raw = f"{self.rule}|{self.section}|{self.excerpt}".encode()
        return hashlib.sha256(raw).hexdigest()[:12]

    def as_dict(self) -> dict[str, str]:
        return {
            "id": self.id,
            "rule": self.rule,
            "message": self.message,
            "hint": self.hint,
            "excerpt": self.excerpt,
            "section": self.section,
        }


def _short(sentence: str) -> str:
    if len(sentence) > EXCERPT_MAX:
        return sentence[: EXCERPT_MAX - 1].rstrip() + "…"
    return sentence


def is_read(section: dict) -> bool:
    """Whether the blame rules read this section (summary, impact, root cause, contributing
    factors, lessons)."""
    if section.get("purpose", SectionPurpose.OTHER) in READ_PURPOSES:
        return True
    label = f"{section.get('key', '')} {section.get('title', '')}"
    return bool(_CONTRIBUTING.search(label.replace("_", " ")))


def lint_sections(
    sections: list[dict], *, has_action_items: bool, people: Iterable = ()
) -> list[LintWarning]:
    """Lint ``[{key, title, purpose, body}]``; ``people`` are the incident's participants.

    Reads the user directory through its cache (``names.directory_index``).
    """
    warnings: list[LintWarning] = []
    names = names_for(people)
    mentions_cost = False
    for section in sections:
        body = section.get("body", "")
        text = strip_placeholders(body)
        key, title = section.get("key", ""), section.get("title", section.get("key", ""))
        if COST_OF_DOING_NOTHING.search(text):
            mentions_cost = True
        if is_read(section):
            warnings += _blame_warnings(text, key, title, names)
        if section.get("purpose") == SectionPurpose.SUMMARY:
            paragraphs = [p for p in _PARAGRAPH_SPLIT.split(text.strip()) if p.strip()]
            if len(paragraphs) > MAX_SUMMARY_PARAGRAPHS:
                warnings.append(
                    LintWarning(
                        "summary_too_long",
                        f"{title} has {len(paragraphs)} paragraphs. Keep it to two: what happened and "
                        "how we fixed it; the details belong in the sections below.",
                        _short(" ".join(paragraphs[2].split())),
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


def _blame_warnings(text: str, key: str, title: str, names) -> list[LintWarning]:
    warnings = []
    seen: set[tuple[str, str]] = set()
    for sentence in prose_sentences(text):
        for finding in find_blame_cached(sentence, names):
            rule, what = KINDS[finding.kind]
            excerpt = _short(sentence.text)
            if (rule, excerpt) in seen:
                continue  # one warning per kind and sentence
            seen.add((rule, excerpt))
            warnings.append(
                LintWarning(
                    rule,
                    f'"{finding.phrase}" in {title} {what}.',
                    excerpt,
                    key,
                    finding.hint,
                )
            )
    return warnings


def lint_postmortem(
    postmortem: Postmortem, *, sections: list[dict] | None = None
) -> list[LintWarning]:
    """Warnings for a saved postmortem, or for unsaved ``sections`` bodies ({key: body} overlays)."""
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
        saved, has_action_items=has_items, people=incident_participants(postmortem.incident)
    )
