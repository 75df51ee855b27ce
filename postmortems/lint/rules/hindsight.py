"""Rule: hindsight and counterfactuals ("might have caught", "it was obvious that")."""

from __future__ import annotations

import re

from postmortems.lint import lexicon as lx
from postmortems.lint.reading import (
    PEOPLE,
    SYSTEM,
    Finding,
    Reading,
)

_MODAL_FILLERS = {
    "to",
    "not",
    "never",
    "easily",
    "really",
    "just",
    "only",
    "simply",
    "merely",
    "so",
}
_CLOCK = re.compile(r"\b\d{1,2}:\d{2}\b")


def _hindsight(r: Reading, i: int, end: int) -> Finding:
    phrase = r.text(i, end)
    j = end + 1 if end < len(r.tokens) and r.lower[end] in {"that", "to", "from"} else end
    rest = r.words_after(j)
    example = f', e.g. "at the time, nothing we looked at showed {rest}"' if rest else ""
    return Finding(
        "hindsight",
        phrase,
        f"Say what people saw at the time and why their actions made sense then{example}; if "
        'something would have helped, write it as an action item ("we will add …").',
    )


_HINDSIGHT_IDIOMS_BY_START: dict[str, list[tuple[str, ...]]] = {}
for _idiom in lx.HINDSIGHT_IDIOMS:
    _HINDSIGHT_IDIOMS_BY_START.setdefault(_idiom[0], []).append(_idiom)

_FOR_ANYONE_TO_SEE = [
    [who, "to", verb]
    for who in ("anyone", "anybody", "all", "everyone")
    for verb in ("see", "read", "notice")
]


def _why_not(following: list[str]) -> bool:
    """ "why didn't", "why wasn't", "why did no one": asking why someone did not."""
    if not following:
        return False
    if following[0] in {"didn't", "wasn't", "weren't", "hadn't", "couldn't", "wouldn't"}:
        return True
    return following[0] in {"did", "was"} and following[1:2] in (["not"], ["no"], ["nobody"])


def find_hindsight(r: Reading) -> list[Finding]:
    n = len(r.tokens)
    low = r.lower
    for i, word in enumerate(low):
        for idiom in _HINDSIGHT_IDIOMS_BY_START.get(word, ()):
            if tuple(low[i : i + len(idiom)]) == idiom:
                return [_hindsight(r, i, i + len(idiom))]
        # "should have known", "could've caught", "ought to have escalated", "might not have".
        if word in lx.COUNTERFACTUAL_MODALS:
            j = i + 1
            minimised = False
            while j < n and low[j] in _MODAL_FILLERS:
                minimised = minimised or low[j] in lx.MINIMISERS
                j += 1
            perfect = word.endswith("'ve") or (j < n and low[j] in {"have", "'ve"})
            if perfect:
                k = j + 1 if not word.endswith("'ve") else j
                while k < n and (
                    low[k] in {"been", "not", "easily", "just"} or low[k].endswith("ly")
                ):
                    k += 1
                participle = low[k] if k < n else ""
                category, *_ = r.subject(i)
                if word in {"must", "must've"}:
                    category = SYSTEM  # "must have restarted" infers; "must have known" judges
                if (
                    category != SYSTEM
                    or minimised  # "it would only have taken a quick look"
                    or lx.lemma_in(participle, lx.HINDSIGHT_PARTICIPLES)
                    or participle in lx.EVIDENT_WORDS
                    or participle in {"trivial", "easy", "simple", "straightforward"}
                    or word in {"should", "should've", "ought"}
                ):
                    return [_hindsight(r, i, min(n, k + 1))]
        if word == "had" and r.clause_start(i) == i and i + 2 < n:
            # "Had the engineer checked ...": an inverted counterfactual.
            for k in range(i + 1, min(n, i + 6)):
                if lx.is_past_form(low[k]) and low[k] != "been":
                    return [_hindsight(r, i, k + 1)]
        if word == "if" and i + 1 < n and low[i + 1] == "only":
            return [_hindsight(r, i, i + 2)]
        if word == "if":
            for k in range(i + 1, min(n, i + 6)):
                if low[k] == "had" and k + 1 < n:
                    category, *_ = r.subject(k)
                    if category in PEOPLE:
                        return [_hindsight(r, i, k + 2)]
        if word == "why" and i + 1 < n and _why_not(low[i + 1 : i + 3]):
            return [_hindsight(r, i, i + 2)]
        if word in lx.EVIDENT_WORDS:
            before = low[max(0, i - 4) : i]
            after = low[i + 1] if i + 1 < n else ""
            negated = any(w in {"not", "un", "never", "hardly", "barely"} for w in before)
            copula = any(w in lx.BE_FORMS for w in before) and not any(
                w in {"became", "become", "becomes", "got"} for w in before
            )
            timed = bool(_CLOCK.search(r.text(0, i)))
            if copula and not negated and not timed and after not in {"and", "but", "or"}:
                return [_hindsight(r, max(0, i - 2), i + 1)]
        if (
            word in lx.MINIMISERS
            and i + 2 < n
            and low[i + 2] == "to"
            and lx.lemmas(low[i + 1]) & {"need", "have", "take"}
            and r.subject(i)[0] != SYSTEM
        ):
            return [_hindsight(r, i, i + 3)]
        if word == "all" and i + 2 < n:
            if low[i + 1] in {"it", "that"} and low[i + 2] in {"took", "takes", "needed", "was"}:
                return [_hindsight(r, i, i + 3)]
            if low[i + 2] in {"had", "needed", "has", "have", "need"} and (
                r.category(i + 1) != SYSTEM
            ):
                return [_hindsight(r, i, i + 3)]
        if word == "for" and low[i + 1 : i + 4] in _FOR_ANYONE_TO_SEE:
            return [_hindsight(r, i, i + 4)]
        if word in {"more", "extra", "little", "bit"}:
            following = low[i + 1 : i + 3]
            careful = {"careful", "attentive", "experienced", "competent", "diligent", "thorough"}
            if any(w in lx.CARE_NOUNS or w in careful for w in following) and (
                "with" in low[max(0, i - 3) : i] or any(w in careful for w in following)
            ):
                return [_hindsight(r, i, i + 2)]
        if word == "plain" and i + 2 < n and low[i + 1] == "sight":
            return [_hindsight(r, i - 1, i + 2)]
    return []
