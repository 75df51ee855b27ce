"""The five kinds of blame, found in one sentence by a light, dependency-free reading of it.

Kinds (``Finding.kind``): ``role`` (a person named by role is made the agent of the change),
``name`` (a person's name, handle or id), ``verb`` (verbs, adjectives and idioms of blame),
``hindsight`` (hindsight and counterfactuals) and ``cause`` (blame dressed as a cause).

Subject awareness: each verb's subject is the first noun phrase of its clause (or the agent of a
passive); a person or a role there makes a blame verb blame, a system does not ("the retry loop
ignored the header"). "We" is the blameless way to write it and is only flagged for judgements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from postmortems.lint import lexicon as lx
from postmortems.lint.lexicon import words
from postmortems.lint.names import NameIndex, looks_like_given_name, looks_like_unknown_name
from postmortems.lint.text import Sentence, Token, tokenize

PERSON, GROUP, WE, SYSTEM, NAME = "person", "group", "we", "system", "name"
PEOPLE = {PERSON, GROUP, NAME}
_PUNCT = {",", ";", ":", "(", ")", "—", "–", "--", '"', "?", "!"}
_ACTION_VERBS = lx.CHANGE_VERBS | lx.PERSON_BLAME_VERBS | lx.STRONG_BLAME_VERBS
_USERNAME = re.compile(r"^[a-z][a-z0-9]*(?:[._-][a-z0-9]+)*$")


def _looks_like_username(word: str) -> bool:
    """Lowercase, at least three letters, maybe with dots, digits or underscores: "jsmith42"."""
    return bool(_USERNAME.match(word)) and sum(c.isalpha() for c in word) >= 3


def r_system_word(word: str) -> bool:
    """A lowercase word the lexicon knows (a verb, a noun of people or systems): not a handle."""
    return (
        word in lx.FUNCTION_WORDS
        or lx.lemma_in(word, lx.CHANGE_VERBS | lx.RESPONSE_VERBS | lx.PERSON_BLAME_VERBS)
        or word in lx.ROLE_NOUNS
        or word in lx.GROUP_NOUNS
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
_POSTMODIFIERS = frozenset(
    {"responsible", "accountable", "involved", "assigned", "available", "present", "concerned",
     "tasked", "charged", "working", "handling", "running", "leading", "owning", "in", "charge"}
)  # fmt: skip
_COPULA = {"was", "is", "were", ":", "are"}
_HUMAN_CAUSES = {"human", "humans", "people", "person", "personnel", "staff", "someone"}
_CAUSE_MARKERS = {"result", "due", "caused", "because", "attributed", "stemmed", "traced", "down"}
_PRONOUNS = lx.WE_PRONOUNS | lx.GROUP_PRONOUNS | lx.INDIVIDUAL_PRONOUNS
_SLACK_ID = re.compile(r"^[UW][A-Z0-9]{8,}$")
_CLOCK = re.compile(r"\b\d{1,2}:\d{2}\b")
_HUMAN_ARTIFACTS = words(
    """
    alert alerts page pages warning warnings runbook runbooks checklist checklists procedure
    procedures review reviews ticket tickets message messages email emails escalation notice
    step steps process policy signs sign notification notifications request requests advice
    """
)


@dataclass(frozen=True)
class Finding:
    kind: str
    phrase: str  # the words that carry the blame, as written
    hint: str  # a concrete rewrite built from the sentence


class _Reading:
    """One sentence: tokens, who each token names, and the subject of any verb."""

    def __init__(self, sentence: Sentence, names: NameIndex):
        self.sentence = sentence
        self.tokens: list[Token] = tokenize(sentence.analysed)
        self.lower = [t.lower for t in self.tokens]
        self.names = names
        self.name_at: set[int] = {i for i in range(len(self.tokens)) if self._is_name(i)}

    # --- who is named -------------------------------------------------------------------------

    def _next_is_verbish(self, i: int) -> bool:
        nxt = self.lower[i + 1] if i + 1 < len(self.tokens) else ""
        return bool(nxt) and (
            lx.is_past_form(nxt)
            or nxt in lx.NEGATORS
            or nxt in lx.FUTURE_OR_ADVICE
            or nxt in {"was", "had", "has", "is", "and", "who", "then", "didn't", "never"}
            or nxt in lx.AUXILIARIES
        )

    def _is_name(self, i: int) -> bool:
        tok = self.tokens[i]
        raw, base = tok.text, tok.base
        if raw.startswith("<@") or raw in self.names.slack_ids or _SLACK_ID.match(raw):
            return True
        if raw.startswith("@"):
            return raw[1:].lower() not in lx.BROADCAST_MENTIONS
        if self.sentence.heading:
            return False
        previous = self.lower[i - 1] if i else ""
        at_start = i == 0 or previous in _PUNCT
        nxt = self.lower[i + 1] if i + 1 < len(self.tokens) else ""
        if nxt in lx.PLACE_NOUNS:
            return False  # "the Virginia region"
        if (nxt == "who" or self.lower[i + 1 : i + 3] == [",", "who"]) and (
            previous not in lx.DETERMINERS
            and tok.lower not in lx.FUNCTION_WORDS
            and tok.lower not in lx.ROLE_NOUNS
            and tok.lower not in lx.GROUP_NOUNS
            and tok.text.replace(".", "").replace("_", "").isalnum()
        ):
            return True  # "it was jdoe who rotated the keys": people are "who"
        if base in self.names.words or looks_like_given_name(base, possessive=tok.possessive):
            if at_start and not (tok.possessive or self._next_is_verbish(i)):
                # "Mark the alert as resolved", "Will we need ...": a word, not a name.
                nxt = self.lower[i + 1] if i + 1 < len(self.tokens) else ""
                if nxt in lx.DETERMINERS or nxt in lx.WE_PRONOUNS or nxt in lx.GROUP_PRONOUNS:
                    return False
                if base not in self.names.words and nxt and not self.tokens[i + 1].capitalised:
                    return False
            return True
        if tok.lower in self.names.usernames and previous not in lx.DETERMINERS:
            return True
        handle_like = any(c in raw for c in "._") or (
            any(c.isdigit() for c in raw) and sum(c.isalpha() for c in raw) >= 4
        )
        if _looks_like_username(raw) and ((i == 0 and raw not in lx.FUNCTION_WORDS) or handle_like):
            j = self._skip_adverbs(i + 1)
            nxt_word = self.lower[j] if j < len(self.tokens) else ""
            if (handle_like and previous == "by") or (
                lx.is_past_form(nxt_word) and not r_system_word(raw)
            ):
                return True  # "jsmith pushed the change", "edited by j.smith"
        if looks_like_unknown_name(base):
            if tok.possessive:
                following = self.lower[i + 1 : i + 3]
                return any(lx.lemma_in(w, lx.PERSONAL_ARTIFACTS) for w in following)
            j = self._skip_adverbs(i + 1)
            if j < len(self.tokens):
                word = self.lower[j]
                verbs = _ACTION_VERBS
                if tok.lower.endswith("s") and not tok.possessive:
                    return False  # "Requests failed ...": a plural noun, not a name
                if (lx.is_past_form(word) and lx.lemma_in(word, verbs)) or word in {
                    "didn't", "never", "forgot", "neglected"
                }:  # fmt: skip
                    return True
        return False

    def _skip_adverbs(self, j: int) -> int:
        while j < len(self.tokens) and (
            self.lower[j] in lx.AUXILIARIES
            and self.lower[j] not in {"never", "not", "didn't"}
            or (self.lower[j].endswith("ly") and len(self.lower[j]) > 4)
        ):
            j += 1
        return j

    def category(self, i: int) -> str:
        """Who token ``i`` names when it heads a noun phrase."""
        tok = self.tokens[i]
        word = tok.base.lower()
        if i in self.name_at:
            return NAME
        if word in lx.INDIVIDUAL_PRONOUNS or word in lx.ROLE_NOUNS:
            return PERSON
        if word in {"agent", "rep", "representative"} and i > 0 and self.lower[i - 1] in {
            "support", "service", "sales", "customer", "field"
        }:  # fmt: skip
            return PERSON
        if word in lx.GROUP_NOUNS or word in lx.GROUP_PRONOUNS:
            return GROUP
        if word.endswith("s") and word[:-1] in lx.ROLE_NOUNS:
            return GROUP  # "the owners", "the reviewers"
        if word in lx.WE_PRONOUNS:
            return WE
        return SYSTEM

    # --- subjects -----------------------------------------------------------------------------

    def clause_start(self, v: int) -> int:
        for k in range(v - 1, -1, -1):
            word = self.lower[k]
            if word in _PUNCT or word in lx.CLAUSE_OPENERS:
                if word == "that" and k + 1 < v and self.category(k + 1) != SYSTEM:
                    return k + 1  # "it was clear that the engineer ..."
                return k + 1
        return 0

    def subject(self, v: int, depth: int = 0) -> tuple[str, int, int]:
        """(category, start, end) of the subject of the verb at ``v``; ("", v, v) when none.

        The category is the head's (the noun before any preposition, relative clause or verb);
        the span is the whole noun phrase up to the verb and its auxiliaries.
        """
        start = self.clause_start(v)
        end = v
        while end > start and (
            self.lower[end - 1] in lx.AUXILIARIES
            or self.lower[end - 1] in lx.BE_FORMS
            or self.lower[end - 1] in lx.COUNTERFACTUAL_MODALS
            or self.lower[end - 1] in {"to", "have", "'ve", "then", "also"}
            or self.lower[end - 1].endswith("ly")
        ):
            end -= 1
        if start > 0 and end == start and depth < 3:
            opener = self.lower[start - 1]
            if opener in {"who", "that", "which"} and start >= 2:
                return self._head(start - 2, max(0, start - 6), start - 1)
            if opener in {"and", "then", "but", "or"}:
                return self.subject(start - 1, depth + 1)
        if end <= start:
            return ("", v, v)
        span = list(range(start, end))
        if self.lower[span[0]] in lx.PREPOSITIONS:
            # "In March we migrated": the subject is the pronoun or name after the phrase.
            for k in span:
                if self.lower[k] in _PRONOUNS:
                    return (self.category(k), k, end)
                if k in self.name_at:
                    return (NAME, k, end)
            return ("", v, v)
        one_of = (
            len(span) > 2
            and self.lower[span[1]] == "of"
            and self.lower[span[0]] in {"one", "some", "many", "several", "two", "each", "most"}
        )
        if one_of:
            span = span[2:]
        cut = len(span)
        for n, k in enumerate(span[1:], start=1):
            word = self.lower[k]
            if word in lx.PREPOSITIONS or word in {"who", "that", "which", "whom"}:
                cut = n
                break
            if word in lx.BE_FORMS or word in {"had", "has", "did", "didn't"}:
                cut = n  # "Whoever was on call yanked ...": the head is "whoever"
                break
            if (
                lx.is_past_form(word)
                and self.lower[k - 1] in lx.WE_PRONOUNS | lx.GROUP_PRONOUNS
                and n >= 2
            ):
                cut = n - 1  # "the consultant we hired rewrote ...": the head is "consultant"
                break
            if lx.is_past_form(word) and self.lower[k - 1] not in lx.DETERMINERS:
                if lx.lemma_in(word, lx.COMPLEMENT_VERBS) and k + 1 < v and depth < 3:
                    # "the engineer assumed the flag affected ...": the flag did the affecting
                    return self._subject_from(k + 1, v)
                cut = n  # "Whoever owned the migration botched ...": the subject ends at a verb
                break
        head = span[:cut]
        while len(head) > 1 and self.lower[head[-1]] in _POSTMODIFIERS:
            head = head[:-1]  # "the developer responsible (for billing)"
        category, _, _ = self._head(head[-1], head[0], head[-1] + 1)
        if category == SYSTEM and lx.lemma_in(self.lower[head[-1]], lx.PERSONAL_ARTIFACTS):
            owners = [k for k in head[:-1] if self.tokens[k].possessive]
            if owners and self.category(owners[-1]) in {PERSON, NAME}:
                category = PERSON  # "the support agent's bulk edit overwrote ..."
        if one_of and self.lower[head[0] - 2] == "one" and category == GROUP:
            category = PERSON  # "one of our engineers" is one person
        # The span runs to the verb: "the SRE on shift", "the person who wrote the script".
        return (category, start, end)

    def _subject_from(self, start: int, v: int) -> tuple[str, int, int]:
        """The subject of ``v`` when its clause starts at ``start`` (after a verb of thinking)."""
        end = v
        while end > start and (
            self.lower[end - 1] in lx.AUXILIARIES or self.lower[end - 1].endswith("ly")
        ):
            end -= 1
        if end <= start:
            return ("", v, v)
        cut = end
        for k in range(start + 1, end):
            if self.lower[k] in lx.PREPOSITIONS or self.lower[k] in lx.BE_FORMS:
                cut = k
                break
        category, _, _ = self._head(cut - 1, start, cut)
        return (category, start, end)

    def _head(self, head: int, start: int, end: int) -> tuple[str, int, int]:
        category = self.category(head)
        if category == SYSTEM and end - 1 in self.name_at and not self.tokens[end - 1].possessive:
            category = NAME
        return (category, start, end)

    def passive(self, v: int) -> bool:
        j = v - 1
        while j >= 0 and (self.lower[j].endswith("ly") or self.lower[j] in {"not", "never"}):
            j -= 1
        return j >= 0 and self.lower[j] in {"was", "were", "been", "being", "got", "is", "are"}

    def agent(self, v: int) -> str:
        """Who did it in a passive: the head after "by" ("was rushed by an impatient owner")."""
        for k in range(v + 1, min(len(self.tokens), v + 4)):
            if self.lower[k] == "by":
                end = k + 1
                while end < len(self.tokens) and end - k <= 5:
                    word = self.lower[end]
                    if word in _PUNCT or word in lx.PREPOSITIONS or word in lx.CLAUSE_OPENERS:
                        break
                    end += 1
                return self.category(end - 1) if end > k + 1 else ""
        return ""

    def text(self, start: int, end: int) -> str:
        if start >= end:
            return ""
        return self.sentence.analysed[self.tokens[start].start : self.tokens[end - 1].end]

    def words_after(self, i: int, limit: int = 9) -> str:
        """Up to ``limit`` words from ``i`` to the end of the clause (the object of a verb)."""
        end = i
        while end < len(self.tokens) and end - i < limit:
            word = self.tokens[end]
            opener = word.lower in lx.CLAUSE_OPENERS - {"that"} and not word.text.isupper()
            if word.lower in _PUNCT or opener:
                break
            end += 1
        return self.text(i, end)


# --- the rules, one per kind -----------------------------------------------------------------


def _rewrite_with_we(r: _Reading, start: int, end: int) -> str:
    """The sentence with the span replaced by "we" (or "our" for a possessive)."""
    text = r.sentence.analysed
    tok_end = r.tokens[end - 1]
    we = "our" if tok_end.possessive else "we"
    if start == 0:
        we = we.capitalize()
    new = text[: r.tokens[start].start] + we + text[tok_end.end :]
    return " ".join(new.split())


def find_names(r: _Reading) -> list[Finding]:
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


_MISS_VERBS = {"ignore", "overlook", "miss", "disregard", "dismiss", "brush", "shrug", "wave"}
_SKIP_VERBS = {"skip", "bypass", "circumvent"}
_MEMORY_VERBS = {"forget", "neglect", "omit", "fail"}


def _verb_hint(r: _Reading, i: int, end: int, phrase: str) -> str:
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
_PHRASE_STOPS = _PUNCT | lx.PREPOSITIONS | lx.CLAUSE_OPENERS


def find_blame_verbs(r: _Reading) -> list[Finding]:
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


def find_roles(r: _Reading) -> list[Finding]:
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


def _hindsight(r: _Reading, i: int, end: int) -> Finding:
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


def find_hindsight(r: _Reading) -> list[Finding]:
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


def _cause(r: _Reading, start: int, end: int) -> Finding:
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


def find_causes(r: _Reading) -> list[Finding]:
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
            while end < n and end - i <= 8 and low[end] not in _PHRASE_STOPS - {":"}:
                person = low[end] in _HUMAN_CAUSES or r.category(end) in {PERSON, NAME}
                if person and not r.tokens[end].possessive:
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
                if low[k] in _PHRASE_STOPS:
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
                while end < n and end - i <= 5 and low[end] not in _PHRASE_STOPS:
                    end += 1
                if end > i + 1 and r.category(end - 1) in PEOPLE | {PERSON}:
                    return [_cause(r, i - 1, end)]
        if (
            word in {"to", "of"}
            and i > 0
            and low[i - 1] in {"due", "attributed", "down", "because"}
        ):
            end = i + 1
            while end < n and end - i <= 4 and low[end] not in _PHRASE_STOPS:
                end += 1
            if end > i + 1 and r.category(end - 1) in {PERSON, NAME}:
                return [_cause(r, i - 1, end)]
    return []


def find_blame(sentence: Sentence, names: NameIndex) -> list[Finding]:
    """Every kind of blame in ``sentence``, at most one finding per kind and phrase."""
    reading = _Reading(sentence, names)
    if not reading.tokens:
        return []
    findings = (
        find_names(reading)
        + find_roles(reading)
        + find_blame_verbs(reading)
        + find_hindsight(reading)
        + find_causes(reading)
    )
    unique: dict[tuple[str, str], Finding] = {}
    for finding in findings:
        unique.setdefault((finding.kind, finding.phrase.lower()), finding)
    return list(unique.values())


@lru_cache(maxsize=8192)
def find_blame_cached(sentence: Sentence, names: NameIndex) -> tuple[Finding, ...]:
    """``find_blame``, remembered per sentence and version of the names: while someone types,
    only the sentence being typed is read again on each preview."""
    return tuple(find_blame(sentence, names))
