"""The blameless lint against a labelled corpus of blaming and blameless sentences.

Prints recall per kind and the false-positive rate, for the tuning split (corpus.yaml) and the
private held-out split (heldout.yaml, written before tuning, in other words). Targets: recall ≥ 0.9
overall and ≥ 0.8 per kind; false positives ≤ 5 %.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from postmortems.lint import lint_sections
from postmortems.lint.names import directory_cache_clear
from tests.factories import UserFactory

HERE = Path(__file__).parent
KINDS = ["role", "name", "verb", "hindsight", "cause"]
BLAME_RULES = {"person_name", "person_role", "blame_verb", "hindsight", "blame_as_cause"}


def _load(name: str) -> dict:
    return yaml.safe_load((HERE / name).read_text())


@pytest.fixture
def participants(db):
    """The corpus's directory as real users; its participants are the incident's people."""
    directory_cache_clear()
    people = []
    for row in _load("corpus.yaml")["directory"]:
        participant = row.pop("participant", False)
        user = UserFactory(**row)
        if participant:
            people.append(user)
    yield people
    directory_cache_clear()


def flagged(text: str, people) -> set[str]:
    """The blame rules that fire on ``text`` written in a root-cause section."""
    section = {"key": "root_cause", "title": "Root cause", "purpose": "root_cause", "body": text}
    warnings = lint_sections([section], has_action_items=True, people=people)
    return {w.rule for w in warnings} & BLAME_RULES


def score(sentences: list[dict], people) -> dict:
    caught, total, false_positives, blameless, misses = Counter(), Counter(), 0, 0, []
    for item in sentences:
        rules = flagged(item["text"], people)
        if item["kind"] == "none":
            blameless += 1
            false_positives += bool(rules)
            if rules:
                misses.append(f"  FP {sorted(rules)}: {item['text']!r}")
        else:
            total[item["kind"]] += 1
            caught[item["kind"]] += bool(rules)
            if not rules:
                misses.append(f"  missed [{item['kind']}]: {item['text']!r}")
    return {
        "recall": {k: caught[k] / total[k] for k in KINDS if total[k]},
        "overall": sum(caught.values()) / sum(total.values()),
        "fp_rate": false_positives / blameless,
        "counts": (sum(total.values()), blameless),
        "misses": misses,
    }


def report(name: str, result: dict) -> None:
    per_kind = ", ".join(f"{k} {v:.2f}" for k, v in result["recall"].items())
    blaming, blameless = result["counts"]
    print(
        f"\n{name}: {blaming} blaming + {blameless} blameless sentences · recall {result['overall']:.2f} "
        f"({per_kind}) · false positives {result['fp_rate']:.1%}"
    )
    print("\n".join(result["misses"]))


def test_the_corpus_is_big_enough_and_balanced():
    sentences = _load("corpus.yaml")["sentences"] + _load("heldout.yaml")["sentences"]
    kinds = Counter(s["kind"] for s in sentences)
    assert len(sentences) >= 150
    assert kinds["none"] >= len(sentences) * 0.4
    assert all(kinds[k] >= 20 for k in KINDS)


@pytest.mark.parametrize(
    ("name", "data_file"),
    [("tuning split", "corpus.yaml"), ("held-out split", "heldout.yaml")],
)
def test_recall_per_kind_and_false_positives(name, data_file, participants):
    result = score(_load(data_file)["sentences"], participants)
    report(f"{name} ({data_file})", result)
    assert result["overall"] >= 0.9
    assert all(v >= 0.8 for v in result["recall"].values()), result["recall"]
    assert result["fp_rate"] <= 0.05
