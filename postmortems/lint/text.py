"""From a section's Markdown to the sentences the author wrote, and from a sentence to tokens.

Left out: generated blocks ({{ placeholders }}), fenced and indented code, quoted lines
(``> ...``: chat and log excerpts), log lines and timeline-like table rows. Inline code is masked
so that ``user=mgarcia`` in backticks is never read as a name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from postmortems.placeholders import strip_placeholders

_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_INDENTED_CODE = re.compile(r"^(?: {4}|\t)")
_LIST_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|\d{1,3}[.)])\s+")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
# A log line: starts with a date or a clock time and carries a level or key=value pairs.
_LOG_LINE = re.compile(
    r"^\s*\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}|^\s*\[?\d{2}:\d{2}(?::\d{2})?\]?\s+\S+.*(?:=|ERROR|WARN|INFO|DEBUG)"
)
# A table row whose first cell is a time or a date: a (pasted) timeline.
_TIMELINE_ROW = re.compile(r"^\s*\|?\s*(?:\*\*)?\[?\d{1,4}[-:/.]\d{2}")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")
_INLINE_CODE = re.compile(r"(`+)(.+?)\1")
_URL = re.compile(r"\bhttps?://\S+")
# A sentence ends at . ! ? followed by space and something that can start a sentence.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9@<`*_])")
_ABBREVIATIONS = re.compile(
    r"\b(?:e\.g|i\.e|etc|vs|approx|incl|esp|cf|Dr|Mr|Mrs|Ms|St|No|Fig|min|sec|ca)\.$", re.IGNORECASE
)

TOKEN = re.compile(
    r"<@[A-Z0-9]{3,}(?:\|[^>]*)?>"  # Slack user mention <@U024BE7LH>
    r"|@[A-Za-z0-9][\w.\-]*[\w]|@[A-Za-z0-9]"  # @handle
    r"|[A-Za-z0-9]+(?:[-.][A-Za-z0-9]+)*(?:['’][A-Za-z]{1,2})?"  # words, didn't, Maria's, lars.e
    r"|[,;:()?!\"]|--|—|–"
)


@dataclass(frozen=True)
class Sentence:
    text: str  # as written (one line, whitespace collapsed): what the author sees
    analysed: str  # inline code and URLs masked: what the rules read
    heading: bool = False


@dataclass
class Token:
    text: str
    lower: str  # lowercase, straight apostrophes
    base: str  # without a possessive 's
    possessive: bool
    start: int
    end: int

    @property
    def capitalised(self) -> bool:
        return self.base[:1].isupper()


def tokenize(text: str) -> list[Token]:
    tokens = []
    for match in TOKEN.finditer(text):
        raw = match.group(0)
        lower = raw.lower().replace("’", "'")
        possessive = lower.endswith("'s") and len(lower) > 2
        base = raw[:-2] if possessive else raw
        if lower.endswith("s'") and raw[:1].isupper():  # "Jenkins'" build
            possessive, base = True, raw[:-1]
        tokens.append(Token(raw, lower, base, possessive, match.start(), match.end()))
    return tokens


def _mask(match: re.Match) -> str:
    return " " * len(match.group(0))


def _split_paragraph(lines: list[str], heading: bool, out: list[Sentence]) -> None:
    text = " ".join(" ".join(lines).split())
    if not text:
        return
    start = 0
    pieces = []
    for match in _SENTENCE_END.finditer(text):
        if _ABBREVIATIONS.search(text[start : match.start()]):
            continue
        pieces.append(text[start : match.start()])
        start = match.end()
    pieces.append(text[start:])
    for piece in pieces:
        piece = piece.strip()
        if piece:
            analysed = _URL.sub(_mask, _INLINE_CODE.sub(_mask, piece))
            out.append(Sentence(piece, analysed, heading))


def prose_sentences(markdown: str) -> list[Sentence]:
    """The author's own sentences in ``markdown``, in order; see the module docstring."""
    text = strip_placeholders(markdown)
    sentences: list[Sentence] = []
    paragraph: list[str] = []
    in_fence = False
    previous_blank = True
    for line in text.splitlines():
        if _FENCE.match(line):
            _split_paragraph(paragraph, False, sentences)
            paragraph, in_fence = [], not in_fence
            continue
        blank = not line.strip()
        skip = (
            in_fence
            or (_INDENTED_CODE.match(line) and previous_blank and not paragraph)
            or line.lstrip().startswith(">")
            or _LOG_LINE.match(line)
            or _TABLE_RULE.match(line)
            or (line.lstrip().startswith("|") and _TIMELINE_ROW.match(line.lstrip("| ")))
        )
        previous_blank = blank
        if blank or skip or _LIST_ITEM.match(line) or _HEADING.match(line):
            _split_paragraph(paragraph, False, sentences)
            paragraph = []
        if blank or skip:
            if skip and _INDENTED_CODE.match(line):
                previous_blank = True  # an indented block goes on until a non-indented line
            continue
        if _HEADING.match(line):
            _split_paragraph([_HEADING.sub("", line)], True, sentences)
            continue
        if line.lstrip().startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            for cell in cells:
                _split_paragraph([cell], False, sentences)
            continue
        paragraph.append(_LIST_ITEM.sub("", line))
    if not in_fence:
        _split_paragraph(paragraph, False, sentences)
    return sentences
