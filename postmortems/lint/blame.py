"""The five kinds of blame, found in one sentence by a light, dependency-free reading of it.

Kinds (``Finding.kind``): ``role`` (a person named by role is made the agent of the change),
``name`` (a person's name, handle or id), ``verb`` (verbs, adjectives and idioms of blame),
``hindsight`` (hindsight and counterfactuals) and ``cause`` (blame dressed as a cause).

Subject awareness: each verb's subject is the first noun phrase of its clause (or the agent of a
passive); a person or a role there makes a blame verb blame, a system does not ("the retry loop
ignored the header"). "We" is the blameless way to write it and is only flagged for judgements.
"""

from __future__ import annotations

from functools import lru_cache

from postmortems.lint.names import NameIndex
from postmortems.lint.reading import Finding, Reading
from postmortems.lint.rules.cause import find_causes
from postmortems.lint.rules.hindsight import find_hindsight
from postmortems.lint.rules.people import find_names, find_roles
from postmortems.lint.rules.verbs import find_blame_verbs
from postmortems.lint.text import Sentence

__all__ = ["Finding", "find_blame", "find_blame_cached"]


def find_blame(sentence: Sentence, names: NameIndex) -> list[Finding]:
    """Every kind of blame in ``sentence``, at most one finding per kind and phrase."""
    reading = Reading(sentence, names)
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
