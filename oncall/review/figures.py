"""The weekly review's figures, computed by the database (METRICS.md, "Alerts and alert fatigue").

A storm week holds 100k alerts, so nothing here loads a week's alerts into Python: the figures
of every alert name come from one ``GROUP BY name`` query, flapping fingerprints from one window
query (``LEAD`` over each fingerprint's firings), and the instances shown under a group from one
``ROW_NUMBER`` query limited to the newest few per name. Each works on SQLite and PostgreSQL.

Definitions (the same as the alert's own Python properties):
- *paged* = critical alerts; **alert MTTA** = mean ``acknowledged_at − fired_at`` over paged
  alerts that were acknowledged; paged alerts nobody acknowledged are a separate count and share;
- *auto-resolved unacknowledged* = resolved, and not acknowledged at or before resolving;
- *long subject* = the subject (the stripped summary, else the name) has 50+ characters;
  *no runbook* = the runbook link is blank;
- *flapping* = the same fingerprint (of one integration) firing 3+ times within 24 h;
- **actionable rate** = actionable ÷ reviewed; unreviewed alerts are a count, never guessed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import (
    Case,
    Count,
    DurationField,
    F,
    Func,
    Q,
    QuerySet,
    Sum,
    TextField,
    Value,
    When,
    Window,
)
from django.db.models.functions import Lead, Length, RowNumber
from django.db.models.lookups import Exact, GreaterThanOrEqual

from oncall.alerts.models import ALERT_SUBJECT_MAX_CHARS, Alert

FLAP_FIRINGS = 3
FLAP_WINDOW = timedelta(hours=24)
# What Python's str.strip() removes: every character whose isspace() is true.
WHITESPACE = "".join(c for c in map(chr, range(0x110000)) if c.isspace())


class _Strip(Func):
    """``str.strip()`` in SQL: trim every Python whitespace character from both ends."""

    function = "TRIM"
    arity = 2
    output_field = TextField()

    def __init__(self, expression, **extra):
        super().__init__(expression, Value(WHITESPACE), **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, function="BTRIM", **extra)


def _subject():
    """The alert's subject as ``Alert.subject`` defines it: the stripped summary, else the name."""
    summary = _Strip("summary")
    return Case(
        When(Exact(summary, Value("")), then=F("name")),
        default=summary,
        output_field=TextField(),
    )


CRITICAL = Q(urgency=Alert.Urgency.CRITICAL)
PAGED_ACKNOWLEDGED = CRITICAL & Q(acknowledged_at__isnull=False)
# Resolved, and nobody acknowledged it at or before the resolution.
AUTO_RESOLVED_UNACKNOWLEDGED = Q(resolved_at__isnull=False) & (
    Q(acknowledged_at__isnull=True) | Q(acknowledged_at__gt=F("resolved_at"))
)


@dataclass
class Figures:
    """The METRICS.md figures over a set of alert instances (one group, or the whole week)."""

    instances: int = 0
    paged: int = 0
    paged_acknowledged: int = 0
    paged_unacknowledged: int = 0
    mtta_seconds: float | None = None
    auto_resolved_unacknowledged: int = 0
    long_subject: int = 0
    no_runbook: int = 0
    actionable: int = 0
    not_actionable: int = 0
    unreviewed: int = 0
    # The sum behind the mean, so that a week's MTTA is exact over its groups.
    acknowledge_total: timedelta = timedelta(0)

    @property
    def unacknowledged_share(self) -> float | None:
        return self.paged_unacknowledged / self.paged if self.paged else None

    @property
    def reviewed(self) -> int:
        return self.actionable + self.not_actionable

    @property
    def actionable_rate(self) -> float | None:
        """Actionable ÷ reviewed; None when nothing was reviewed (never guessed)."""
        return self.actionable / self.reviewed if self.reviewed else None

    @property
    def mtta_text(self) -> str:
        return format_duration(self.mtta_seconds)

    @property
    def actionable_rate_text(self) -> str:
        return format_rate(self.actionable_rate)

    @property
    def unacknowledged_share_text(self) -> str:
        return format_rate(self.unacknowledged_share)

    def as_dict(self) -> dict[str, object]:
        return {
            "instances": self.instances,
            "paged": self.paged,
            "paged_acknowledged": self.paged_acknowledged,
            "paged_unacknowledged": self.paged_unacknowledged,
            "unacknowledged_share": self.unacknowledged_share,
            "mtta_seconds": self.mtta_seconds,
            "auto_resolved_unacknowledged": self.auto_resolved_unacknowledged,
            "long_subject": self.long_subject,
            "no_runbook": self.no_runbook,
            "actionable": self.actionable,
            "not_actionable": self.not_actionable,
            "unreviewed": self.unreviewed,
            "reviewed": self.reviewed,
            "actionable_rate": self.actionable_rate,
        }


COUNTED = (
    "instances",
    "paged",
    "paged_acknowledged",
    "auto_resolved_unacknowledged",
    "long_subject",
    "no_runbook",
    "actionable",
    "not_actionable",
    "unreviewed",
)


def _mtta(total: timedelta, acknowledged: int) -> float | None:
    return total.total_seconds() / acknowledged if acknowledged else None


def figures_by_name(alerts: QuerySet[Alert]) -> dict[str, Figures]:
    """The figures of each alert name among ``alerts``: one ``GROUP BY name`` query."""
    rows = (
        alerts.order_by()
        .values("name")
        .annotate(
            instances=Count("pk"),
            paged=Count("pk", filter=CRITICAL),
            paged_acknowledged=Count("pk", filter=PAGED_ACKNOWLEDGED),
            acknowledge_total=Sum(
                F("acknowledged_at") - F("fired_at"),
                filter=PAGED_ACKNOWLEDGED,
                output_field=DurationField(),
            ),
            auto_resolved_unacknowledged=Count("pk", filter=AUTO_RESOLVED_UNACKNOWLEDGED),
            long_subject=Count(
                "pk", filter=Q(GreaterThanOrEqual(Length(_subject()), ALERT_SUBJECT_MAX_CHARS))
            ),
            no_runbook=Count("pk", filter=Q(Exact(_Strip("runbook_url"), Value("")))),
            # Not named "actionable": that would shadow the field in the filters.
            n_actionable=Count("pk", filter=Q(actionable=True)),
            not_actionable=Count("pk", filter=Q(actionable=False)),
            unreviewed=Count("pk", filter=Q(actionable__isnull=True)),
        )
    )
    figures = {}
    for row in rows:
        total = row["acknowledge_total"] or timedelta(0)
        row["actionable"] = row.pop("n_actionable")
        figures[row["name"]] = Figures(
            **{name: row[name] for name in COUNTED},
            paged_unacknowledged=row["paged"] - row["paged_acknowledged"],
            acknowledge_total=total,
            mtta_seconds=_mtta(total, row["paged_acknowledged"]),
        )
    return figures


def figures_total(parts) -> Figures:
    """The figures of several groups together (sums; the MTTA from the summed durations)."""
    totals = Figures()
    for part in parts:
        for name in (*COUNTED, "paged_unacknowledged", "acknowledge_total"):
            setattr(totals, name, getattr(totals, name) + getattr(part, name))
    totals.mtta_seconds = _mtta(totals.acknowledge_total, totals.paged_acknowledged)
    return totals


def flapping_by_name(alerts: QuerySet[Alert]) -> dict[str, list[str]]:
    """Per alert name, the fingerprints that fired ``FLAP_FIRINGS``+ times within ``FLAP_WINDOW``
    (sorted): each firing is compared with the one two later of the same fingerprint."""
    later = Window(
        Lead("fired_at", offset=FLAP_FIRINGS - 1),
        partition_by=[F("name"), F("integration_id"), F("fingerprint")],
        order_by=F("fired_at").asc(),
    )
    rows = (
        alerts.order_by()
        .annotate(third_fired_at=later)
        .filter(third_fired_at__lte=F("fired_at") + Value(FLAP_WINDOW))
        .values_list("name", "fingerprint")
    )
    flapping: dict[str, set[str]] = defaultdict(set)
    for name, fingerprint in rows:
        flapping[name].add(fingerprint)
    return {name: sorted(fingerprints) for name, fingerprints in flapping.items()}


def newest_ids_by_name(alerts: QuerySet[Alert], *, names, per_name: int) -> dict[str, list[int]]:
    """The ids of the newest ``per_name`` instances of each of ``names``, newest first: one
    narrow ``ROW_NUMBER`` query (ids, names and times only, no joins, however big a group)."""
    names = list(names)
    if not per_name or not names:
        return {}
    rank = Window(
        RowNumber(),
        partition_by=[F("name")],
        order_by=[F("fired_at").desc(), F("pk").desc()],
    )
    rows = (
        alerts.select_related(None)
        .order_by()
        .filter(name__in=names)
        .annotate(rank_in_name=rank)
        .filter(rank_in_name__lte=per_name)
        .values_list("name", "rank_in_name", "pk")
    )
    newest: dict[str, list[int]] = defaultdict(list)
    for name, _, pk in sorted(rows):
        newest[name].append(pk)
    return newest


def newest_by_name(alerts: QuerySet[Alert], *, names, per_name: int) -> dict[str, list[Alert]]:
    """The newest ``per_name`` instances of each of ``names``, newest first (two queries)."""
    ids = newest_ids_by_name(alerts, names=names, per_name=per_name)
    loaded = alerts.order_by().in_bulk([pk for pks in ids.values() for pk in pks])
    return {name: [loaded[pk] for pk in pks if pk in loaded] for name, pks in ids.items()}


def format_duration(seconds: float | None) -> str:
    if seconds is None:
        return "n/a"
    seconds = round(seconds)
    hours, rest = divmod(abs(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    sign = "-" if seconds < 0 else ""
    if hours:
        return f"{sign}{hours} h {minutes:02d} min"
    if minutes:
        return f"{sign}{minutes} min {secs:02d} s"
    return f"{sign}{secs} s"


def format_rate(rate: float | None) -> str:
    return "n/a" if rate is None else f"{rate:.0%}"
