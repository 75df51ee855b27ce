"""Who counts as a person's name: the user directory (cached), the incident's participants, and
given names the directory does not hold.

The directory index is built from one query and kept in this process for ``DIRECTORY_TTL``
seconds, so the editor's preview (a request per pause in typing) does not read the user table
each time. The incident's participants are merged in fresh on every call, so the people who
matter most are never stale.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from postmortems.lint.given_names import GIVEN_NAMES
from postmortems.lint.lexicon import FUNCTION_WORDS, SYSTEM_PROPER_NOUNS

DIRECTORY_TTL = 60.0  # seconds; a renamed user is recognised within a minute

# Common English diminutives: "Bob" is Robert, "Liz" is Elizabeth.
NICKNAMES: dict[str, tuple[str, ...]] = {
    "Robert": ("Bob", "Bobby", "Rob", "Robbie", "Bert"),
    "William": ("Bill", "Billy", "Will", "Liam"),
    "Thomas": ("Tom", "Tommy"),
    "Richard": ("Rick", "Ricky", "Dick", "Rich"),
    "James": ("Jim", "Jimmy", "Jamie"),
    "Elizabeth": ("Liz", "Lizzie", "Beth", "Betty", "Eliza"),
    "Margaret": ("Maggie", "Meg", "Peggy"),
    "Katherine": ("Kate", "Katie", "Kathy", "Kat"),
    "Catherine": ("Kate", "Cathy", "Cat"),
    "Alexander": ("Alex", "Sasha", "Xander"),
    "Alexandra": ("Alex", "Sasha", "Lexi"),
    "Christopher": ("Chris", "Kit"),
    "Christina": ("Chris", "Tina"),
    "Michael": ("Mike", "Mikey", "Mick"),
    "Edward": ("Ed", "Eddie", "Ted", "Ned"),
    "Jonathan": ("Jon", "Jonny"),
    "Joseph": ("Joe", "Joey"),
    "Daniel": ("Dan", "Danny"),
    "Samuel": ("Sam", "Sammy"),
    "Samantha": ("Sam", "Sammy"),
    "Benjamin": ("Ben", "Benny"),
    "Nicholas": ("Nick", "Nicky"),
    "Anthony": ("Tony",),
    "Patricia": ("Pat", "Patty", "Trish"),
    "Patrick": ("Pat", "Paddy"),
    "Jennifer": ("Jen", "Jenny"),
    "Rebecca": ("Becky", "Becca"),
    "Dmitri": ("Dima",),
    "Dmitry": ("Dima",),
    "Aleksandr": ("Sasha",),
    "Francisco": ("Paco", "Pancho"),
    "Jose": ("Pepe",),
    "Giuseppe": ("Beppe",),
    "Johannes": ("Hans",),
    "Wolfgang": ("Wolf",),
}


@dataclass
class NameIndex:
    """Sets looked up token by token (no giant regular expression: 5,000 users stay fast)."""

    words: set[str] = field(default_factory=set)  # capitalised first/last names and name parts
    usernames: set[str] = field(default_factory=set)  # lowercase
    slack_ids: set[str] = field(default_factory=set)
    full_names: set[tuple[str, ...]] = field(default_factory=set)  # ("Priya", "Raman")

    def add(self, username: str, first: str, last: str, slack_id: str = "") -> None:
        parts = [p for p in f"{first} {last}".replace("-", " ").split() if len(p) >= 2]
        for part in parts:
            if part[:1].isupper() and part.lower() not in FUNCTION_WORDS:
                self.words.add(part)
        if len(parts) >= 2:
            self.full_names.add(tuple(f"{first} {last}".split()))
        for nickname in NICKNAMES.get((first or "").strip(), ()):
            self.words.add(nickname)
        if username and len(username) >= 3 and username.lower() not in FUNCTION_WORDS:
            self.usernames.add(username.lower())
        if slack_id:
            self.slack_ids.add(slack_id)

    def merged(self, other: NameIndex) -> NameIndex:
        return NameIndex(
            self.words | other.words,
            self.usernames | other.usernames,
            self.slack_ids | other.slack_ids,
            self.full_names | other.full_names,
        )


def _index_of(rows: Iterable[tuple[str, str, str, str]]) -> NameIndex:
    index = NameIndex()
    for username, first, last, slack_id in rows:
        index.add(username or "", first or "", last or "", slack_id or "")
    return index


_lock = threading.Lock()
_cached: tuple[float, NameIndex] | None = None


def directory_index() -> NameIndex:
    """Every active user's names, from one query at most every ``DIRECTORY_TTL`` seconds."""
    global _cached
    now = time.monotonic()
    cached = _cached
    if cached is not None and now - cached[0] < DIRECTORY_TTL:
        return cached[1]
    with _lock:
        rows = get_user_model().objects.filter(is_active=True)
        index = _index_of(rows.values_list("username", "first_name", "last_name", "slack_user_id"))
        _cached = (now, index)
    return index


def directory_cache_clear() -> None:
    """Forget the cached directory (tests; a bulk import of users)."""
    global _cached
    _cached = None


def people_index(people: Iterable) -> NameIndex:
    """The names of ``people`` (user objects, e.g. the incident's participants), read fresh."""
    return _index_of(
        (
            getattr(p, "username", "") or "",
            getattr(p, "first_name", "") or "",
            getattr(p, "last_name", "") or "",
            getattr(p, "slack_user_id", "") or "",
        )
        for p in people
    )


def looks_like_given_name(word: str) -> bool:
    """A capitalised word that is a known given name and not a system ("Ruby", "Cassandra")."""
    return word in GIVEN_NAMES and word not in SYSTEM_PROPER_NOUNS


def looks_like_unknown_name(word: str) -> bool:
    """A capitalised word shaped like a name that no list knows: "Sanjay", not "GitHub" or "DNS"."""
    return (
        word[:1].isupper()
        and word[1:].islower()
        and word.isalpha()
        and 3 <= len(word) <= 14
        and not word.endswith(("ing", "tion", "ment", "ness", "ity"))
        and word not in SYSTEM_PROPER_NOUNS
        and word.lower() not in FUNCTION_WORDS
    )
