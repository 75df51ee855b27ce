"""The period in five sentences, generated from the figures (page 1 of the pack, top of the
Reports page): incidents against the previous period, median recovery, the service that used
most of its error budget, pages outside business hours, action items done on time."""

from __future__ import annotations

from postmortems.reports import humanize


def _incidents(now: dict, before: dict, previous_label: str) -> str:
    n, m = now["incidents"]["count"], before["incidents"]["count"]
    text = humanize.count(n, "incident")
    if now.get("measured_to", "") < now["period"]["to"]:
        text += " so far"  # a period still running is compared as it stands
    if n and not m:
        return f"{text}, none in {previous_label}."
    if n < m:
        return f"{text}, {humanize.count(m - n)} fewer than {previous_label}."
    if n > m:
        return f"{text}, {humanize.count(n - m)} more than {previous_label}."
    return f"{text}, as many as {previous_label}."


def _recovery(now: dict, before: dict) -> str:
    median, earlier = now["mttr"]["median_seconds"], before["mttr"]["median_seconds"]
    if median is None:
        return "No incident has recovered yet, so there is no recovery time to report."
    text = f"Half of the incidents recovered within {humanize.duration(median)} (median)"
    if earlier is None:
        return text + "."
    if humanize.duration(median) == humanize.duration(earlier):
        return text + ", the same as before."
    direction = "down" if median < earlier else "up"
    return f"{text}, {direction} from {humanize.duration(earlier)}."


def _budget(now: dict) -> str:
    rows = [row for row in now["availability"] if row["error_budget_used"] is not None]
    worst = max(rows, key=lambda row: row["error_budget_used"], default=None)
    if worst is None or not worst["error_budget_used"]:
        return "No service used any of its error budget."
    used = humanize.percent(worst["error_budget_used"])
    return (
        f"{worst['name']} used {used} of its error budget "
        f"({humanize.percent(worst['availability'], 2)} available against a "
        f"{humanize.percent(worst['slo_target'], 2)} objective)."
    )


def _pages(now: dict) -> str:
    alerts = now["alerts"]
    total = alerts["interruptions"]
    if not total:
        return "Nobody was interrupted by a page."
    outside = alerts["off_hours_interruptions"] + alerts["sleep_interruptions"]
    share = humanize.percent(outside / total)
    people = [row for row in alerts["per_person"] if row["off_hours"] + row["sleep"]]
    most = max(
        people, key=lambda row: (row["off_hours"] + row["sleep"], row["person"]), default=None
    )
    text = f"{share} of {humanize.count(total, 'page')} came outside business hours"
    if most is None:
        return text + "."
    return f"{text}, most to {most['person']} ({humanize.count(alerts['sleep_interruptions'])} during sleep hours in all)."


def _action_items(now: dict) -> str:
    items = now["action_items"]
    if not items["due"]:
        return f"No action item fell due; {humanize.count(items['overdue'])} overdue from before."
    return (
        f"{humanize.count(items['done_on_time'])} of {humanize.count(items['due'], 'action item')} due were done "
        f"on time; {humanize.count(items['overdue'])} overdue now."
    )


def sentences(now: dict, before: dict, previous_label: str) -> list[str]:
    """Five sentences from ``summary`` dicts of this period and the one before
    (``previous_label``: "2026Q2", "the previous 30 days")."""
    return [
        _incidents(now, before, previous_label),
        _recovery(now, before),
        _budget(now),
        _pages(now),
        _action_items(now),
    ]
