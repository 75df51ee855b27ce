"""Reading one sentence: tokens, who each token names, and the subject of each verb.

Subject awareness: a verb's subject is the first noun phrase of its clause (or the agent of a
passive); its head decides who it is: a person, a group of people, "we", or a system.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from postmortems.lint import lexicon as lx
from postmortems.lint.names import NameIndex, looks_like_given_name, looks_like_unknown_name
from postmortems.lint.text import Sentence, Token, tokenize

PERSON, GROUP, WE, SYSTEM, NAME = "person", "group", "we", "system", "name"
PEOPLE = {PERSON, GROUP, NAME}
PUNCT = {",", ";", ":", "(", ")", "—", "–", "--", '"', "?", "!"}
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


_POSTMODIFIERS = frozenset(
    {"responsible", "accountable", "involved", "assigned", "available", "present", "concerned",
     "tasked", "charged", "working", "handling", "running", "leading", "owning", "in", "charge"}
)  # fmt: skip
_PRONOUNS = lx.WE_PRONOUNS | lx.GROUP_PRONOUNS | lx.INDIVIDUAL_PRONOUNS
_SLACK_ID = re.compile(r"^[UW][A-Z0-9]{8,}$")


@dataclass(frozen=True)
class Finding:
    kind: str
    phrase: str  # the words that carry the blame, as written
    hint: str  # a concrete rewrite built from the sentence


class Reading:
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
        at_start = i == 0 or previous in PUNCT
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
            if word in PUNCT or word in lx.CLAUSE_OPENERS:
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
            if owners and self.category(owners[-1]) == PERSON:
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
                    if word in PUNCT or word in lx.PREPOSITIONS or word in lx.CLAUSE_OPENERS:
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
            if word.lower in PUNCT or opener:
                break
            end += 1
        return self.text(i, end)


PHRASE_STOPS = PUNCT | lx.PREPOSITIONS | lx.CLAUSE_OPENERS
