"""Reads for reports, with visibility: figures include private incidents, listings do not
show a private incident to someone who is not its member."""

from __future__ import annotations

from datetime import datetime

from incidents.selectors import incident_visible_queryset
from postmortems.reports import metrics
from postmortems.reports.metrics import Period, Scope
from postmortems.selectors import action_item_visible_queryset

# Figures whose "missing data" lists incident numbers.
_INCIDENT_LISTS = ("mttr", "mttd", "mtta", "mean_time_to_resolve")


def report_summary(
    user, period: Period, scope: Scope, *, now: datetime | None = None, comparison: bool = False
) -> dict:
    """``metrics.summary`` for this person (``None``: someone who may see no private incident):
    incidents missing a stamp are listed by number only when the person may see them (the counts
    always include them), and so are the repeated action items of private incidents.

    ``comparison``: a period only compared against (see ``metrics.summary``) also leaves the
    repeated action items empty: they do not depend on the period, and the compared-to period
    lists nothing."""
    data = metrics.summary(period, scope, now=now, comparison=comparison)
    data["action_items"]["repeated"] = (
        []
        if comparison
        else metrics.repeated_action_items(scope, among=action_item_visible_queryset(user))
    )
    listed_stats = [data[key] for key in _INCIDENT_LISTS] + [data["postmortems"]["lead_time"]]
    listed = [
        number
        for stats in listed_stats
        for number in stats["missing_items"] + stats["inconsistent_items"]
    ]
    visible = set(
        incident_visible_queryset(user).filter(number__in=listed).values_list("number", flat=True)
    )
    for stats in listed_stats:
        stats["missing_incidents"] = [n for n in stats.pop("missing_items") if n in visible]
        # Stamps out of order are listed like missing ones (METRICS v2), never averaged in.
        stats["inconsistent_incidents"] = [
            n for n in stats.pop("inconsistent_items") if n in visible
        ]
    return data
