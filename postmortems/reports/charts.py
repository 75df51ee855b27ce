"""Report charts as PNG: matplotlib's object API on the Agg canvas (never pyplot, which keeps
global state and is not thread-safe in a web process)."""

from __future__ import annotations

import io
from collections.abc import Callable

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from incidents.models import Severity
from postmortems.reports import metrics
from postmortems.reports.metrics import Period, Scope

# More buckets than this would be unreadable; longer periods use months instead of weeks.
MAX_WEEKS = 26
BUCKET_COLOURS = {"business": "#3b7dd8", "off_hours": "#f0a030", "sleep": "#6b3fa0"}


def _png(figure: Figure) -> bytes:
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    return buffer.getvalue()


def _figure(title: str) -> tuple[Figure, object]:
    figure = Figure(figsize=(7.5, 3.2), layout="constrained")
    axes = figure.add_subplot()
    axes.set_title(title, fontsize=11)
    axes.spines[["top", "right"]].set_visible(False)
    return figure, axes


def _label(period: Period, unit: str) -> str:
    return period.start.strftime("%b %Y" if unit == "month" else "%d %b")


def _empty(axes) -> None:
    axes.text(0.5, 0.5, "No data in this period", ha="center", va="center",
              transform=axes.transAxes, color="#777")  # fmt: skip


def incidents_by_severity(period: Period, scope: Scope) -> bytes:
    figure, axes = _figure("Incidents by severity per month")
    months = metrics.split(period, "month")
    labels = [_label(p, "month") for p in months]
    counts = [metrics.incident_count(p, scope)["by_severity"] for p in months]
    bottom = [0] * len(months)
    for severity in Severity.values:
        values = [c.get(severity, 0) for c in counts]
        axes.bar(range(len(labels)), values, bottom=bottom, label=severity)
        bottom = [a + b for a, b in zip(bottom, values, strict=True)]
    axes.set_xticks(range(len(labels)), labels)
    if not any(bottom):
        _empty(axes)
    axes.legend(fontsize=8, frameon=False)
    axes.set_ylabel("incidents")
    return _png(figure)


def mttr_trend(period: Period, scope: Scope) -> bytes:
    figure, axes = _figure("MTTR per month (hours; gaps: no recovered incidents)")
    months = metrics.split(period, "month")
    labels = [_label(p, "month") for p in months]
    means = [metrics.mttr(p, scope)["mean_seconds"] for p in months]
    hours = [None if m is None else m / 3600 for m in means]
    axes.plot(range(len(labels)), [float("nan") if h is None else h for h in hours], marker="o")
    axes.set_xticks(range(len(labels)), labels)
    if all(h is None for h in hours):
        _empty(axes)
    axes.set_ylabel("hours")
    axes.set_ylim(bottom=0)
    return _png(figure)


def downtime_vs_budget(period: Period, scope: Scope) -> bytes:
    figure, axes = _figure("Downtime per service vs. error budget (hours)")
    rows = metrics.availability(period, scope)
    names = [row["service"] for row in rows]
    downtime = [row["downtime_seconds"] / 3600 for row in rows]
    budget = [(1 - row["slo_target"]) * period.seconds / 3600 for row in rows]
    positions = range(len(rows))
    axes.bar([p - 0.2 for p in positions], downtime, width=0.4, label="downtime", color="#c0392b")
    axes.bar([p + 0.2 for p in positions], budget, width=0.4, label="error budget", color="#95a5a6")
    axes.set_xticks(list(positions), names, rotation=30, ha="right", fontsize=8)
    if not rows:
        _empty(axes)
    axes.legend(fontsize=8, frameon=False)
    return _png(figure)


def alerts_per_week(period: Period, scope: Scope) -> bytes:
    unit = "week" if len(metrics.split(period, "week")) <= MAX_WEEKS else "month"
    figure, axes = _figure(f"Alerts fired and actionable rate per {unit}")
    buckets = metrics.split(period, unit)
    counts = [metrics.alert_counts(p, scope) for p in buckets]
    labels = [_label(p, unit) for p in buckets]
    positions = range(len(labels))
    axes.bar(positions, [c["fired"] for c in counts], color="#3b7dd8", label="fired")
    axes.set_xticks(positions, labels)
    axes.set_ylabel("alerts")
    axes.tick_params(axis="x", labelrotation=45, labelsize=7)
    rate_axes = axes.twinx()
    rates = [c["actionable_rate"] for c in counts]
    rate_axes.plot(positions, [float("nan") if r is None else r * 100 for r in rates],
                   color="#27ae60", marker="o", label="actionable %")  # fmt: skip
    rate_axes.set_ylim(0, 100)
    rate_axes.set_ylabel("actionable % (reviewed)")
    if not any(c["fired"] for c in counts):
        _empty(axes)
    return _png(figure)


def interruptions_per_person(period: Period, scope: Scope) -> bytes:
    figure, axes = _figure("Interruptions per person (recipient's local time)")
    rows = metrics.interruptions_per_person(period, scope)
    people = [row["person"] for row in rows]
    bottom = [0] * len(rows)
    for bucket, colour in BUCKET_COLOURS.items():
        values = [row[bucket] for row in rows]
        axes.bar(range(len(people)), values, bottom=bottom, color=colour,
                 label=bucket.replace("_", "-"))  # fmt: skip
        bottom = [a + b for a, b in zip(bottom, values, strict=True)]
    axes.set_xticks(range(len(people)), people)
    if not rows:
        _empty(axes)
    axes.legend(fontsize=8, frameon=False)
    axes.tick_params(axis="x", labelrotation=30, labelsize=8)
    return _png(figure)


def update_on_time(period: Period, scope: Scope) -> bytes:
    figure, axes = _figure("Stakeholder updates on time per month (%)")
    months = metrics.split(period, "month")
    rates = [metrics.update_on_time_rate(p, scope)["on_time_rate"] for p in months]
    axes.bar(
        range(len(months)), [float("nan") if r is None else r * 100 for r in rates], color="#16a085"
    )  # fmt: skip  (no bar: no gaps that month)
    axes.set_xticks(range(len(months)), [_label(p, "month") for p in months])
    axes.set_ylim(0, 100)
    if all(r is None for r in rates):
        _empty(axes)
    return _png(figure)


def action_items_opened_done(period: Period, scope: Scope) -> bytes:
    figure, axes = _figure("Action items opened vs. done per month")
    months = metrics.split(period, "month")
    rows = [metrics.action_items_opened_done(p, scope) for p in months]
    positions = range(len(months))
    axes.bar([p - 0.2 for p in positions], [r["opened"] for r in rows], width=0.4, label="opened")
    axes.bar([p + 0.2 for p in positions], [r["done"] for r in rows], width=0.4, label="done")
    axes.set_xticks(list(positions), [_label(p, "month") for p in months], fontsize=8)
    if not any(r["opened"] or r["done"] for r in rows):
        _empty(axes)
    axes.legend(fontsize=8, frameon=False)
    return _png(figure)


CHARTS: dict[str, tuple[str, Callable[[Period, Scope], bytes]]] = {
    "incidents-by-severity": ("Incidents by severity per month", incidents_by_severity),
    "mttr-trend": ("MTTR trend", mttr_trend),
    "downtime": ("Downtime per service vs. error budget", downtime_vs_budget),
    "alerts": ("Alerts and actionable rate", alerts_per_week),
    "interruptions": ("Interruptions per person", interruptions_per_person),
    "updates": ("Update on-time rate", update_on_time),
    "action-items": ("Action items opened vs. done", action_items_opened_done),
}
