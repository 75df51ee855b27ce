"""Rule: verbs, adjectives and idioms of blame, with a person (not a system) as subject."""

from __future__ import annotations

from postmortems.lint import lexicon as lx
from postmortems.lint.lexicon import words
from postmortems.lint.reading import (
    PEOPLE,
    PERSON,
    SYSTEM,
    WE,
    Finding,
    Reading,
)

_HUMAN_ARTIFACTS = words(
    """
    alert alerts page pages warning warnings runbook runbooks checklist checklists procedure
    procedures review reviews ticket tickets message messages email emails escalation notice
    step steps process policy signs sign notification notifications request requests advice
    """
)


_MISS_VERBS = {"ignore", "overlook", "miss", "disregard", "dismiss", "brush", "shrug", "wave"}
_SKIP_VERBS = {"skip", "bypass", "circumvent"}
_MEMORY_VERBS = {"forget", "neglect", "omit", "fail"}


def _verb_hint(r: Reading, i: int, end: int, phrase: str) -> str:
    """A rewrite for the blame verb at ``i`` (the phrase ends before ``end``), from its object."""
    lemmas = lx.lemmas(r.lower[i])
    j = end + 1 if end < len(r.tokens) and r.lower[end] == "to" else end
    rest = r.words_after(j)
    if rest and lemmas & _MISS_VERBS:
        return (
            f'Say what made it easy to miss, e.g. "{rest} was one signal among many, and nothing '
            'made it stand out."'
        )
    if rest and lemmas & _SKIP_VERBS:
        return f'Say what the system allowed, e.g. "our deploy tool let a change skip {rest}."'
    if rest and (lemmas & _MEMORY_VERBS or r.lower[i] in lx.NEGATORS):
        action = rest if j > end or not end - i > 1 else f"{r.lower[end - 1]} {rest}"
        if r.lower[i] in lx.NEGATORS and end - i > 1:  # "didn't check": the checking
            action = f"{r.lower[end - 1]} {rest}"
        return (
            "Say what the process relied on memory for, e.g. "
            f'"nothing in our process asked us to {action}."'
        )
    if rest:
        return (
            f"Describe what was done to {rest} and what the tools showed at that moment, without "
            "judging; then what would have made the safe step the easy one."
        )
    return (
        f'Drop the judgement ("{phrase}") and say what the person saw and what the system allowed.'
    )


_IDIOMS_BY_START: dict[str, list[tuple[str, ...]]] = {}
for _idiom in lx.BLAME_IDIOMS:
    _IDIOMS_BY_START.setdefault(_idiom[0], []).append(_idiom)
_IDIOM_STARTS = frozenset(_IDIOMS_BY_START)
_PARTICLE_VERBS = frozenset(lx.PARTICLE_BLAME)
# Strong verbs that blame on their own; "brush", "shrug" and "slack" need their particle.
_STRONG_ALONE = lx.STRONG_BLAME_VERBS - {"brush", "shrug", "slack"}


def find_blame_verbs(r: Reading) -> list[Finding]:
    findings: list[Finding] = []
    n = len(r.tokens)
    for i, word in enumerate(r.lower):
        phrase = ""
        strong = False
        if word in lx.BLAME_ADJECTIVES:
            nxt = r.lower[i + 1] if i + 1 < n else ""
            stem = next((k for k in lx.TECHNICAL_AFTER_ADJECTIVE if word.startswith(k)), "")
            if stem and nxt in lx.TECHNICAL_AFTER_ADJECTIVE[stem]:
                continue
            kind = "cause" if word.endswith(("ness", "ence", "tion", "ancy", "acy")) else "verb"
            hint = (
                f'"{r.tokens[i].text}" judges a person\'s character. Name the conditions instead: '
                "what the person knew, what the tool showed, what time pressure there was."
            )
            findings.append(Finding(kind, r.tokens[i].text, hint))
            continue
        lemmas = lx.lemmas(word)
        for lemma in lemmas & _IDIOM_STARTS:
            for idiom in _IDIOMS_BY_START[lemma]:
                if tuple(r.lower[i + 1 : i + len(idiom)]) == idiom[1:]:
                    phrase, strong = r.text(i, i + len(idiom)), True
                    break
        if not phrase:
            for verb in lemmas & _PARTICLE_VERBS:
                if any(p in lx.PARTICLE_BLAME[verb] for p in r.lower[i + 1 : i + 4]):
                    phrase, strong = r.tokens[i].text, True
        if not phrase and not lemmas.isdisjoint(_STRONG_ALONE):
            phrase, strong = r.tokens[i].text, True
        if not phrase and not lemmas.isdisjoint(lx.PERSON_BLAME_VERBS) and word not in {"break"}:
            if word in {"fail", "failed", "fails"} and (i + 1 >= n or r.lower[i + 1] != "to"):
                continue
            phrase = r.tokens[i].text
        if not phrase and "fail" in lemmas and i + 1 < n and r.lower[i + 1] == "to":
            phrase = r.text(i, i + 2)
        modal_before = i > 0 and r.lower[i - 1] in {"could", "can", "was", "were", "would", "might"}
        if not phrase and word in lx.NEGATORS and not modal_before:
            for k in range(i + 1, min(n, i + 4)):
                if lx.lemma_in(r.lower[k], lx.DILIGENCE_VERBS):
                    phrase = r.text(i, k + 1)
                    strong = r.lower[k] in {"bother", "care", "bothered", "cared"}
                    break
        if not phrase:
            continue
        category, *_ = r.subject(i)
        if i > 0 and r.category(i - 1) in PEOPLE | {PERSON}:
            category = r.category(i - 1)  # "someone not paying attention"
        if r.passive(i):
            agent = r.agent(i)
            if agent:
                category = agent
            elif category == SYSTEM:
                head = r.subject(i)
                patient = r.lower[head[2] - 1] if head[2] > head[1] else ""
                category = PERSON if patient in _HUMAN_ARTIFACTS or strong else SYSTEM
        if category in PEOPLE or (strong and category != SYSTEM) or (strong and category == WE):
            findings.append(
                Finding("verb", phrase, _verb_hint(r, i, i + len(phrase.split()), phrase))
            )
    return findings
