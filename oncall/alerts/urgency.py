"""How an alert's labels decide its urgency (documented mapping).

Urgency says how soon a human must act:

==============  ==================================================================
``critical``    page now; a responder should acknowledge within 30 minutes
``today``       working hours; handle within 24 hours, no paging at night
``eventually``  queue it; no paging, look at it when convenient
==============  ==================================================================

The labels ``urgency``, ``severity`` and ``priority`` are read in that order; the first one whose
value (case-insensitive, trimmed) is listed below decides. Unknown values are skipped, and an
alert with no recognised label is ``today``: it is not lost, and it wakes nobody at night.

- critical:   critical, crit, page, paging, emergency, fatal, disaster, high, p0, p1, sev0, sev1
- today:      warning, warn, error, err, major, average, medium, moderate, p2, p3, sev2, sev3
- eventually: info, informational, information, notice, low, minor, none, debug, ok, p4, p5,
  sev4, sev5, ticket

The names ``critical``, ``today`` and ``eventually`` themselves are accepted too.
"""

from __future__ import annotations

from datetime import timedelta

URGENCY_LABELS = ("urgency", "severity", "priority")

CRITICAL = "critical"
TODAY = "today"
EVENTUALLY = "eventually"
DEFAULT_URGENCY = TODAY

_VALUES = {
    CRITICAL: "critical crit page paging emergency fatal disaster high p0 p1 sev0 sev1",
    TODAY: "today warning warn error err major average medium moderate p2 p3 sev2 sev3",
    EVENTUALLY: "eventually info informational information notice low minor none debug ok "
    "p4 p5 sev4 sev5 ticket",
}
URGENCY_BY_VALUE = {value: urgency for urgency, words in _VALUES.items() for value in words.split()}

# How soon someone should respond; None means no deadline (queued).
RESPONSE_TARGET = {CRITICAL: timedelta(minutes=30), TODAY: timedelta(hours=24), EVENTUALLY: None}


def urgency_from_labels(labels: dict[str, str]) -> str:
    """The urgency for an alert with these labels (see the module docstring)."""
    lowered = {str(key).lower(): value for key, value in labels.items()}
    for label in URGENCY_LABELS:
        value = lowered.get(label)
        if value is None:
            continue
        urgency = URGENCY_BY_VALUE.get(str(value).strip().lower())
        if urgency:
            return urgency
    return DEFAULT_URGENCY
