"""Blameless-writing guidance: warnings the author sees while writing and a reviewer acknowledges.

``document`` decides which sections are read and turns findings into warnings; ``text`` finds the
author's sentences; ``reading`` reads one sentence (tokens, names, the subject of each verb);
``rules/`` holds one module per kind of blame and ``blame`` runs them; ``names`` knows who is a
person (the cached directory, participants, given names); ``lexicon`` holds the word lists.
"""

from postmortems.lint.document import (
    RULES,
    LintWarning,
    is_read,
    lint_postmortem,
    lint_sections,
)

__all__ = ["RULES", "LintWarning", "is_read", "lint_postmortem", "lint_sections"]
