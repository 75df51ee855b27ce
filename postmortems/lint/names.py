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
from postmortems.lint.lexicon import FUNCTION_WORDS, PLACE_NAMES, SYSTEM_PROPER_NOUNS

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


@dataclass(eq=False)
class NameIndex:
    """Sets looked up token by token (no giant regular expression: 5,000 users stay fast).

    ``key`` names this version of the index: two indexes with the same key hold the same names,
    so results computed with one (a sentence's findings) can be reused with the other.
    """

    words: set[str] = field(default_factory=set)  # capitalised first/last names and name parts
    usernames: set[str] = field(default_factory=set)  # lowercase
    slack_ids: set[str] = field(default_factory=set)
    full_names: set[tuple[str, ...]] = field(default_factory=set)  # ("Priya", "Raman")
    key: str = ""

    def __hash__(self) -> int:
        return hash(self.key) if self.key else id(self)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, NameIndex):
            return NotImplemented
        return self is other or (bool(self.key) and self.key == other.key)

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
            key=f"{self.key}+{other.key}" if self.key and other.key else "",
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
        index.key = f"directory@{now}"
        _cached = (now, index)
        _merged.clear()
    return index


_merged: dict[str, NameIndex] = {}


def names_for(people: Iterable) -> NameIndex:
    """The directory plus ``people`` (read fresh), reusing the union while both are unchanged."""
    directory = directory_index()
    participants = people_index(people)
    key = f"{directory.key}+{participants.key}"
    merged = _merged.get(key)
    if merged is None:
        if len(_merged) > 64:
            _merged.clear()
        merged = _merged[key] = directory.merged(participants)
    return merged


def directory_cache_clear() -> None:
    """Forget the cached directory (tests; a bulk import of users)."""
    global _cached
    _cached = None
    _merged.clear()


def people_index(people: Iterable) -> NameIndex:
    """The names of ``people`` (user objects, e.g. the incident's participants), read fresh."""
    rows = sorted(
        (
            getattr(p, "username", "") or "",
            getattr(p, "first_name", "") or "",
            getattr(p, "last_name", "") or "",
            getattr(p, "slack_user_id", "") or "",
        )
        for p in people
    )
    index = _index_of(rows)
    index.key = "people:" + "|".join("/".join(row) for row in rows)
    return index


def incident_participants(incident) -> list:
    """The people ``blocks.people_involved`` lists (role holders, the declarer, timeline and
    update authors), read in one query of their name columns: the preview asks on every pause
    in typing, and an incident can have thousands of timeline events."""
    from django.db.models import Q

    from incidents.models import RoleAssignment, StakeholderUpdate, TimelineEvent

    involved = (
        Q(pk=incident.declared_by_id)
        | Q(pk__in=RoleAssignment.objects.filter(incident=incident).values("user_id"))
        | Q(pk__in=TimelineEvent.objects.filter(incident=incident).values("actor_id"))
        | Q(pk__in=StakeholderUpdate.objects.filter(incident=incident).values("posted_by_id"))
    )
    return list(
        get_user_model()
        .objects.filter(involved)
        .only("username", "first_name", "last_name", "slack_user_id")
    )


def looks_like_given_name(word: str, *, possessive: bool = False) -> bool:
    """A capitalised word that is a known given name and not a system ("Ruby", "Cassandra") nor,
    unless possessive, a place ("failed over to Sydney")."""
    if word not in GIVEN_NAMES or word in SYSTEM_PROPER_NOUNS:
        return False
    return possessive or word not in PLACE_NAMES


def looks_like_unknown_name(word: str) -> bool:
    """A capitalised word shaped like a name that no list knows: "Sanjay", not "GitHub" or "DNS"."""
    return (
        word[:1].isupper()
        and word[1:].islower()
        and word.isalpha()
        and 3 <= len(word) <= 14
        and not word.endswith(("ing", "tion", "ment", "ness", "ity"))
        and word not in SYSTEM_PROPER_NOUNS
        and word not in PLACE_NAMES
        and word.lower() not in FUNCTION_WORDS
    )
