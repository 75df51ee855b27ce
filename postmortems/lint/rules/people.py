"""Rules: a person's name, and one person named by role as the agent of the change."""

from __future__ import annotations

from postmortems.lint import lexicon as lx
from postmortems.lint.reading import (
    NAME,
    PERSON,
    Finding,
    Reading,
)


def _rewrite_with_we(r: Reading, start: int, end: int) -> str:
    """The sentence with the span replaced by "we" (or "our" for a possessive)."""
    text = r.sentence.analysed
    tok_end = r.tokens[end - 1]
    we = "our" if tok_end.possessive else "we"
    if start == 0:
        we = we.capitalize()
    new = text[: r.tokens[start].start] + we + text[tok_end.end :]
    return " ".join(new.split())


def find_names(r: Reading) -> list[Finding]:
    findings = []
    seen = set()
    indices = sorted(r.name_at)
    for i in indices:
        if i - 1 in r.name_at and not r.tokens[i - 1].possessive:
            continue  # second word of "Priya Raman"
        end = i + 1
        while end in r.name_at and not r.tokens[end - 1].possessive:
            end += 1
        name = r.text(i, end)
        if r.tokens[end - 1].possessive:
            name = name[: len(name) - (len(r.tokens[end - 1].text) - len(r.tokens[end - 1].base))]
        if name in seen:
            continue
        seen.add(name)
        rewrite = _rewrite_with_we(r, i, end)
        findings.append(
            Finding(
                NAME,
                name,
                f'Replace the name with "we" or with the role the system gave them: "{rewrite}"',
            )
        )
    return findings


def find_roles(r: Reading) -> list[Finding]:
    findings = []
    for v, word in enumerate(r.lower):
        if not lx.is_past_form(word) or (
            lx.lemma_in(word, lx.RESPONSE_VERBS) and not lx.lemma_in(word, lx.CHANGE_VERBS)
        ):
            continue
        if r.lower[v + 1 : v + 2] == ["back"] or not lx.RECOVERY_WORDS.isdisjoint(r.lower[v + 1 :]):
            continue  # "rolled back", "restarted the service to restore traffic": the response
        if r.passive(v) or (v > 0 and r.lower[v - 1] in lx.DETERMINERS):
            continue
        if any(w in lx.COUNTERFACTUAL_MODALS for w in r.lower[max(0, v - 4) : v]):
            continue  # "the reviewer might have caught ...": hindsight, not an action taken
        category, start, end = r.subject(v)
        if category != PERSON:
            continue
        role = r.text(start, end)
        rewrite = _rewrite_with_we(r, start, end)
        findings.append(
            Finding(
                "role",
                role,
                f'Say "we" and what the system allowed: "{rewrite}" — then ask what let one '
                "person's action have this effect.",
            )
        )
        break
    return findings
