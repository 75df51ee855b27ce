"""Report charts as PNG: matplotlib's object API on the Agg canvas (never pyplot, which keeps
global state and is not thread-safe in a web process).

Readable when printed: whole numbers on count axes, date labels that never overlap, "No data"
instead of empty axes, severity colours identical to the web app's badges (``--sev1`` … in
firebreak.css), the Okabe–Ito colour-blind-safe palette for everything else, titles in words a
manager uses."""

from __future__ import annotations

import io
from collections.abc import Callable

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from incidents.models import Severity
from postmortems.reports import humanize, metrics
from postmortems.reports.metrics import Period, Scope

WIDTH, HEIGHT = 7.5, 3.2
ASPECT = HEIGHT / WIDTH
# More buckets than this would be unreadable; longer periods use months instead of weeks.
MAX_WEEKS = 26
# The badge colours of config/static/css/firebreak.css (--sev1 … --sev4).
SEVERITY_COLOURS = {"SEV1": "#b42318", "SEV2": "#d9480f", "SEV3": "#b7791f", "SEV4": "#4a5568"}
# Okabe–Ito.
BLUE, ORANGE, SKY, GREEN, VERMILLION, PURPLE, GREY = (
    "#0072B2", "#E69F00", "#56B4E9", "#009E73", "#D55E00", "#CC79A7", "#999999",
)  # fmt: skip
BUCKET_COLOURS = {"business": SKY, "off_hours": ORANGE, "sleep": BLUE}
BUCKET_LABELS = {"business": "business hours", "off_hours": "evenings and weekends",
                 "sleep": "sleep hours (22:00–08:00)"}  # fmt: skip


def _png(figure: Figure) -> bytes:
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110)
    return buffer.getvalue()


def _figure(title: str) -> tuple[Figure, object]:
    figure = Figure(figsize=(WIDTH, HEIGHT), layout="constrained")
    axes = figure.add_subplot()
    axes.set_title(title, fontsize=11, loc="left")
    axes.spines[["top", "right"]].set_visible(False)
    return figure, axes


def _label(period: Period, unit: str) -> str:
    return period.start.strftime("%b %Y" if unit == "month" else "%d %b")


def _no_data(figure: Figure, axes, text: str = "No data in this period") -> bytes:
    """An empty chart says so, without axes (no −0.04 on an empty scale)."""
    title = axes.get_title(loc="left")
    axes.cla()
    axes.set_axis_off()
    figure.set_size_inches(WIDTH, 0.9)  # a strip, not an empty frame
    axes.text(0.0, 0.5, f"{title}\n{text}.", ha="left", va="center", transform=axes.transAxes,
              color="#444", fontsize=10, linespacing=1.6)  # fmt: skip
    return _png(figure)


def _x_labels(axes, labels: list[str]) -> None:
    """Category labels that never overlap: all of them when few, else every n-th, slanted."""
    positions = list(range(len(labels)))
    step = max(1, -(-len(labels) // 14))
    axes.set_xticks(positions[::step], labels[::step])
    if len(labels) > 6:
        axes.tick_params(axis="x", labelrotation=45, labelsize=8)
        for text in axes.get_xticklabels():
            text.set_horizontalalignment("right")


def _legend(axes, handles=None, labels=None, *, twin: bool = False) -> None:
    """Beside the plot, never over the bars (past the right-hand scale of a twin chart)."""
    if handles is None:
        handles, labels = axes.get_legend_handles_labels()
    axes.legend(handles, labels, fontsize=8, frameon=False, loc="upper left",
                bbox_to_anchor=(1.16 if twin else 1.02, 1.0))  # fmt: skip


def _whole_numbers(axes) -> None:
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylim(bottom=0)


def incidents_by_severity(period: Period, scope: Scope) -> bytes:
    figure, axes = _figure("How many incidents, and how severe, each month")
    months = metrics.split(period, "month")
    counts = [metrics.incident_count(p, scope)["by_severity"] for p in months]
    if not any(counts):
        return _no_data(figure, axes)
    bottom = [0] * len(months)
    for severity in Severity.values:
        values = [c.get(severity, 0) for c in counts]
        axes.bar(range(len(months)), values, bottom=bottom, label=severity,
                 color=SEVERITY_COLOURS[severity])  # fmt: skip
        bottom = [a + b for a, b in zip(bottom, values, strict=True)]
    _x_labels(axes, [_label(p, "month") for p in months])
    _whole_numbers(axes)
    _legend(axes)
    axes.set_ylabel("incidents")
    return _png(figure)


def mttr_trend(period: Period, scope: Scope) -> bytes:
    figure, axes = _figure("How long recovery took each month (median and 90th percentile)")
    months = metrics.split(period, "month")
    stats = [metrics.mttr(p, scope) for p in months]
    if all(s["median_seconds"] is None for s in stats):
        return _no_data(figure, axes, "No incident recovered in this period")
    hours = [[float("nan") if s[key] is None else s[key] / 3600 for s in stats]
             for key in ("median_seconds", "p90_seconds")]  # fmt: skip
    # The p90 as hollow squares under the median's dots: both stay visible when equal.
    axes.plot(range(len(months)), hours[1], marker="s", markersize=11, markerfacecolor="none",
              linestyle="--", color=ORANGE, label="90th percentile")  # fmt: skip
    axes.plot(range(len(months)), hours[0], marker="o", color=BLUE, label="median")
    _x_labels(axes, [_label(p, "month") for p in months])
    axes.set_ylabel("hours")
    axes.set_ylim(bottom=0)
    _legend(axes)
    return _png(figure)


def downtime_vs_budget(period: Period, scope: Scope, *, rows: list[dict] | None = None) -> bytes:
    """Error budget used per service, in % of its budget, each bar labelled with its figure and
    downtime, and the whole budget marked: a service far over its budget never flattens the
    others into invisible bars. ``rows``: ``metrics.availability`` of the period and scope when
    the caller has it."""
    figure, axes = _figure("Error budget used per service (100 % = all of it)")
    if rows is None:
        rows = metrics.availability(period, scope)
    rows = [row for row in rows if row["downtime_seconds"] and row["error_budget_used"] is not None]
    if not rows:
        return _no_data(figure, axes, "No downtime in this period")
    rows = sorted(rows, key=lambda row: -row["error_budget_used"])[:15]
    used = [row["error_budget_used"] * 100 for row in rows]
    positions = range(len(rows))
    colours = [VERMILLION if value > 100 else ORANGE if value > 50 else SKY for value in used]
    # Bars past three budgets are cut there (their label keeps the figure), so the others and
    # the whole-budget line stay readable.
    top = min(max(max(used), 100), 300)
    bars = axes.bar(positions, [min(value, top) for value in used], width=0.6, color=colours,
                    hatch=["//" if value > top else "" for value in used])  # fmt: skip
    labels = [f"{value:,.0f} %{' (off the scale)' if value > top else ''}\n"
              f"{humanize.duration(row['downtime_seconds'])}"
              for value, row in zip(used, rows, strict=True)]  # fmt: skip
    axes.bar_label(bars, labels, fontsize=8, padding=2)
    axes.axhline(100, color="#444", linestyle="--", linewidth=1)
    axes.text(len(rows) - 0.5, 100, " whole budget", va="bottom", ha="right", fontsize=8,
              color="#444")  # fmt: skip
    axes.set_ylim(0, top * 1.3)
    _x_labels(axes, [row["name"] for row in rows])
    axes.set_ylabel("% of error budget")
    return _png(figure)


def alerts_per_week(period: Period, scope: Scope) -> bytes:
    unit = "week" if len(metrics.split(period, "week")) <= MAX_WEEKS else "month"
    figure, axes = _figure(f"Alerts each {unit}, and how many needed a human")
    buckets = metrics.split(period, unit)
    counts = [metrics.alert_counts(p, scope) for p in buckets]
    if not any(c["fired"] for c in counts):
        return _no_data(figure, axes)
    positions = range(len(buckets))
    axes.bar(positions, [c["fired"] for c in counts], color=SKY, label="alerts fired")
    _x_labels(axes, [_label(p, unit) for p in buckets])
    _whole_numbers(axes)
    axes.set_ylabel("alerts")
    rate_axes = axes.twinx()
    rates = [c["actionable_rate"] for c in counts]
    rate_axes.plot(positions, [float("nan") if r is None else r * 100 for r in rates],
                   color=VERMILLION, marker="o", label="actionable (of reviewed), %")  # fmt: skip
    rate_axes.set_ylim(0, 100)
    rate_axes.set_ylabel("actionable %")
    rate_axes.spines[["top"]].set_visible(False)
    handles = axes.get_legend_handles_labels()
    more = rate_axes.get_legend_handles_labels()
    _legend(rate_axes, handles[0] + more[0], handles[1] + more[1], twin=True)
    return _png(figure)


def interruptions_per_person(period: Period, scope: Scope, *, rows: list[dict] | None = None
                             ) -> bytes:  # fmt: skip
    """``rows``: ``metrics.interruptions_per_person`` of the period and scope when the caller
    has it."""
    figure, axes = _figure("Who was interrupted by pages, and when (their local time)")
    if rows is None:
        rows = metrics.interruptions_per_person(period, scope)
    rows = rows[:20]
    if not rows:
        return _no_data(figure, axes, "Nobody was interrupted in this period")
    bottom = [0] * len(rows)
    for bucket, colour in BUCKET_COLOURS.items():
        values = [row[bucket] for row in rows]
        axes.bar(range(len(rows)), values, bottom=bottom, color=colour,
                 label=BUCKET_LABELS[bucket])  # fmt: skip
        bottom = [a + b for a, b in zip(bottom, values, strict=True)]
    _x_labels(axes, [row["person"] for row in rows])
    _whole_numbers(axes)
    axes.set_ylabel("interruptions")
    _legend(axes)
    return _png(figure)


def update_on_time(period: Period, scope: Scope) -> bytes:
    figure, axes = _figure("Stakeholder updates sent on time each month (%)")
    months = metrics.split(period, "month")
    rates = [metrics.update_on_time_rate(p, scope)["on_time_rate"] for p in months]
    if all(r is None for r in rates):
        return _no_data(figure, axes, "No stakeholder updates were due in this period")
    axes.bar(
        range(len(months)), [float("nan") if r is None else r * 100 for r in rates], color=GREEN
    )  # fmt: skip  (no bar: no gaps that month)
    _x_labels(axes, [_label(p, "month") for p in months])
    axes.set_ylim(0, 100)
    axes.set_ylabel("% on time")
    return _png(figure)


def action_items_opened_done(period: Period, scope: Scope) -> bytes:
    figure, axes = _figure("Follow-up work: action items opened and done each month")
    months = metrics.split(period, "month")
    rows = [metrics.action_items_opened_done(p, scope) for p in months]
    if not any(r["opened"] or r["done"] for r in rows):
        return _no_data(figure, axes)
    positions = range(len(months))
    axes.bar([p - 0.2 for p in positions], [r["opened"] for r in rows], width=0.4,
             label="opened", color=ORANGE)  # fmt: skip
    axes.bar([p + 0.2 for p in positions], [r["done"] for r in rows], width=0.4, label="done",
             color=BLUE)  # fmt: skip
    _x_labels(axes, [_label(p, "month") for p in months])
    _whole_numbers(axes)
    _legend(axes)
    return _png(figure)


def quarterly_trend(trend: list[tuple[str, dict]]) -> bytes:
    """Incidents (bars) and median recovery time (line) over the quarters of ``trend``."""
    figure, axes = _figure("Incidents and median time to recover, last four quarters")
    counts = [data["incidents"]["count"] for _, data in trend]
    if not any(counts):
        return _no_data(figure, axes, "No incidents in the last four quarters")
    labels = [label for label, _ in trend]
    axes.bar(range(len(trend)), counts, color=SKY, label="incidents")
    _x_labels(axes, labels)
    _whole_numbers(axes)
    axes.set_ylabel("incidents")
    hours = axes.twinx()
    medians = [data["mttr"]["median_seconds"] for _, data in trend]
    hours.plot(range(len(trend)), [float("nan") if m is None else m / 3600 for m in medians],
               color=VERMILLION, marker="o", label="median time to recover (hours)")  # fmt: skip
    hours.set_ylim(bottom=0)
    hours.set_ylabel("hours")
    hours.spines[["top"]].set_visible(False)
    first, second = axes.get_legend_handles_labels(), hours.get_legend_handles_labels()
    _legend(hours, first[0] + second[0], first[1] + second[1], twin=True)
    return _png(figure)


CHARTS: dict[str, tuple[str, Callable[[Period, Scope], bytes]]] = {
    "incidents-by-severity": ("Incidents by severity each month", incidents_by_severity),
    "mttr-trend": ("How long recovery took", mttr_trend),
    "downtime": ("Error budget used per service", downtime_vs_budget),
    "alerts": ("Alerts and how many needed a human", alerts_per_week),
    "interruptions": ("Who was interrupted, and when", interruptions_per_person),
    "updates": ("Stakeholder updates on time", update_on_time),
    "action-items": ("Action items opened and done", action_items_opened_done),
}
