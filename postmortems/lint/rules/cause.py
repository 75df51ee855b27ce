"""Rule: blame dressed as a cause ("operator error", "lack of diligence", "caused by the
on-call engineer")."""

from __future__ import annotations

from postmortems.lint import lexicon as lx
from postmortems.lint.reading import (
    GROUP,
    NAME,
    PEOPLE,
    PERSON,
    PHRASE_STOPS,
    SYSTEM,
    Finding,
    Reading,
)

_COPULA = {"was", "is", "were", ":", "are"}
_HUMAN_CAUSES = {"human", "humans", "people", "person", "personnel", "staff", "someone"}
_CAUSE_MARKERS = {"result", "due", "caused", "because", "attributed", "stemmed", "traced", "down"}


def _cause(r: Reading, start: int, end: int) -> Finding:
    phrase = r.text(start, end)
    context = ""
    for k in range(end, min(len(r.tokens), end + 3)):
        if r.lower[k] in {"during", "in", "while", "when"}:
            context = r.words_after(k + 1, 6)
            break
    if context:
        hint = (
            f'Ask what made the action possible and name that: say what "{context}" allowed, '
            f'e.g. "{context} let a wrong step through without a confirmation".'
        )
    else:
        hint = (
            'Ask what made the action possible and name that as the cause, e.g. "the command '
            'accepted the wrong target without a confirmation".'
        )
    return Finding("cause", phrase, hint)


_NEUTRAL_ERROR_TALK = {"symptom", "myth", "label", "starting", "consequence", "effect", "not"}


def find_causes(r: Reading) -> list[Finding]:
    n = len(r.tokens)
    low = r.lower
    for i, word in enumerate(low):
        nxt = low[i + 1] if i + 1 < n else ""
        after = low[i + 2] if i + 2 < n else ""
        # "operator error", "human failure", "a people problem", "personnel issue".
        if word in lx.ERROR_ACTORS and nxt in lx.ERROR_NOUNS:
            strict = nxt.rstrip("s") in {
                "error",
                "mistake",
                "slip",
                "lapse",
                "oversight",
                "blunder",
            }
            people = word in lx.PERSON_PROBLEM_WORDS or word in {"personnel", "staff"}
            human_failure = word in {"human", "operator", "pilot"} and nxt.startswith(
                ("failure", "fault")
            )
            if not (strict or people or human_failure):
                continue
            if after in lx.ERROR_PHRASE_NEUTRAL_AFTER:
                continue
            tail = low[i + 2 : i + 5]
            if tail[:1] in (["is"], ["was"]) and any(w in _NEUTRAL_ERROR_TALK for w in tail[1:]):
                continue
            if any(w in {"not", "beyond", "than", "instead"} for w in low[max(0, i - 3) : i]):
                continue
            return [_cause(r, i, i + 2)]
        # "the human factor" (one human, as a cause; "human factors" is a field of study).
        if word in {"human", "people", "personnel"} and nxt == "factor":
            return [_cause(r, i, i + 2)]
        # "the root cause was the on-call engineer", "culprit: the new hire".
        if word in {"cause", "causes", "culprit"}:
            verb = next((k for k in range(i + 1, min(n, i + 4)) if low[k] in _COPULA), None)
            end = (verb or n) + 1
            while end < n and end - i <= 8 and low[end] not in PHRASE_STOPS - {":"}:
                person = low[end] in _HUMAN_CAUSES or r.category(end) in {PERSON, NAME}
                if person and not r.tokens[end].possessive:
                    if end + 1 < n and low[end + 1] in lx.ERROR_NOUNS | lx.FAILING_NOUNS:
                        return [_cause(r, end, end + 2)]  # "cause: operator error"
                    return [_cause(r, i, end + 1)]
                end += 1
        # "... on the part of the on-call engineer".
        if word == "part" and i >= 2 and low[i - 2 : i] == ["on", "the"] and nxt == "of":
            for k in range(i + 2, min(n, i + 6)):
                if r.category(k) in {PERSON, NAME, GROUP}:
                    return [_cause(r, i - 2, k + 1)]
        # "this outage is on the deploying engineer".
        if word in {"is", "was", "lies", "rests"} and nxt == "on":
            for k in range(i + 2, min(n, i + 6)):
                if low[k] in PHRASE_STOPS:
                    break
                if r.category(k) in {PERSON, NAME} and not r.tokens[k].possessive:
                    return [_cause(r, i, k + 1)]
        # "failure to follow the change process": a person's failing, without the person.
        if (
            word in {"failure", "failures"}
            and nxt == "to"
            and lx.lemma_in(after, lx.DILIGENCE_VERBS)
        ):
            return [_cause(r, i, i + 3)]
        # "human fallibility", "operator inattention".
        if word in lx.ERROR_ACTORS and (nxt in lx.FAILING_NOUNS or nxt in lx.BLAME_ADJECTIVES):
            return [_cause(r, i, i + 2)]
        # "lack of diligence", "a lapse in attention", "insufficient care", "poor judgement".
        if word in lx.LACK_WORDS:
            for k in range(i + 1, min(n, i + 4)):
                if low[k] in lx.FAILING_NOUNS:
                    return [_cause(r, i, k + 1)]
                if low[k] not in {"of", "in", "the", "a", "to", "on", "any", "proper", "due"}:
                    break
        # "the fault lies with", "at fault", "to blame", "Maria's fault".
        if word in lx.BLAME_NOUNS:
            prev = low[i - 1] if i else ""
            if prev in {"at", "to"} and word in {"fault", "blame"}:
                return [_cause(r, i - 1, i + 1)]
            if lx.lemmas(nxt) & {"lie", "lay", "rest", "fall", "fell", "belong"}:
                return [_cause(r, i, i + 2)]
            if word == "fault" and (
                prev in lx.WE_PRONOUNS | lx.GROUP_PRONOUNS | lx.INDIVIDUAL_PRONOUNS
                or (i > 0 and r.tokens[i - 1].possessive and r.category(i - 1) != SYSTEM)
                or (nxt == "of" and r.category(min(n - 1, i + 2)) in PEOPLE)
            ):
                return [_cause(r, max(0, i - 1), i + 1)]
        # "the engineer's failure to follow procedure", "the on-call's poor judgement".
        tok = r.tokens[i]
        if tok.possessive and r.category(i) in PEOPLE | {PERSON}:
            if any(w in _CAUSE_MARKERS for w in low[max(0, i - 5) : i]):
                return [_cause(r, max(0, i - 3), i + 2)]  # "the result of the engineer's ..."
            for k in range(i + 1, min(n, i + 4)):
                if lx.lemma_in(
                    low[k], lx.ERROR_NOUNS | lx.FAILING_NOUNS | {"judgement", "judgment"}
                ):
                    return [_cause(r, i, k + 1)]
        # "a mistake made by the operator", "caused by the on-call engineer".
        if word == "by" and i > 0:
            before = set(low[max(0, i - 3) : i])
            blame_before = before & {"mistake", "error", "slip", "lapse", "oversight", "blunder"}
            cause_before = before & {"caused", "triggered", "introduced"}
            if blame_before or cause_before:
                end = i + 1
                while end < n and end - i <= 5 and low[end] not in PHRASE_STOPS:
                    end += 1
                if end > i + 1 and r.category(end - 1) in PEOPLE | {PERSON}:
                    return [_cause(r, i - 1, end)]
        if (
            word in {"to", "of"}
            and i > 0
            and low[i - 1] in {"due", "attributed", "down", "because"}
        ):
            end = i + 1
            while end < n and end - i <= 4 and low[end] not in PHRASE_STOPS:
                end += 1
            if end > i + 1 and r.category(end - 1) in {PERSON, NAME}:
                return [_cause(r, i - 1, end)]
    return []
