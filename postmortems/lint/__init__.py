"""Blameless-writing guidance: warnings the author sees while writing and a reviewer acknowledges.

``postmortems.lint.document`` decides which sections are read and turns findings into warnings;
``blame`` finds the five kinds of blame in a sentence; ``names`` knows who is a person; ``text``
finds the author's sentences; ``lexicon`` holds the word lists.
"""

from postmortems.lint.document import (
    RULES,
    LintWarning,
    is_read,
    lint_postmortem,
    lint_sections,
)

__all__ = ["RULES", "LintWarning", "is_read", "lint_postmortem", "lint_sections"]
