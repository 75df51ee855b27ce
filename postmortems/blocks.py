"""Generated blocks of a postmortem, computed from the incident (reads only).

While a draft is open these are computed live on every render; at publication the values are
frozen into ``Postmortem.snapshot``. Every time is written in the incident's own time zone
(``incident.timezone``) with the zone named in a header, because incidents are narrated in one
zone and cross midnight.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from incidents.models import Incident, Kind, Role, Severity, Status, TimelineEvent, TriggerCategory
from incidents.selectors import effective_roles, role_history, timeline_for
from postmortems.placeholders import escape_inline, table_cell

METRICS_VERSION = "METRICS.md v2"
OUTAGE_BEGINS = "[Outage Begins]"
OUTAGE_ENDS = "[Outage Ends]"


def incident_tz(incident: Incident) -> ZoneInfo:
    try:
        return ZoneInfo(incident.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def fmt_local(value: datetime | None, tz: ZoneInfo) -> str:
    """``2016-02-22 14:12 PST``, or an em dash for a missing stamp."""
    if value is None:
        return "—"
    return value.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z")


def tz_header(incident: Incident) -> str:
    """``America/Los_Angeles (PST, UTC−08:00)``, using the offset in force when impact began."""
    tz = incident_tz(incident)
    local = incident.started_at.astimezone(tz)
    offset = local.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    minutes = abs(minutes)
    return f"{incident.timezone} ({local.strftime('%Z')}, UTC{sign}{minutes // 60:02d}:{minutes % 60:02d})"


# --- durations (METRICS.md, per-incident durations) ------------------------------------------------


@dataclass(frozen=True)
class Duration:
    key: str
    label: str
    formula: str
    seconds: int | None  # None: a stamp is missing ("missing data", never zero)


DURATION_DEFINITIONS = (
    ("ttd", "Time to detect (TTD)", "detected_at − started_at", "detected_at", "started_at"),
    (
        "tta",
        "Time to acknowledge (TTA)",
        "acknowledged_at − detected_at",
        "acknowledged_at",
        "detected_at",
    ),
    ("ttr", "Time to recover (TTR)", "mitigated_at − started_at", "mitigated_at", "started_at"),
    ("time_to_resolve", "Time to resolve", "resolved_at − started_at", "resolved_at", "started_at"),
)


def incident_durations(incident: Incident) -> list[Duration]:
    result = []
    for key, label, formula, later, earlier in DURATION_DEFINITIONS:
        end, start = getattr(incident, later), getattr(incident, earlier)
        seconds = (
            int((end - start).total_seconds()) if end is not None and start is not None else None
        )
        result.append(Duration(key, label, formula, seconds))
    return result


def format_duration(seconds: int | None) -> str:
    """``65 minutes (1 h 05 min)``; seconds are shown only under a minute or when not whole."""
    if seconds is None:
        return "not recorded (missing data)"
    minutes, rest = divmod(seconds, 60)
    if minutes == 0:
        return f"{rest} second{'s' if rest != 1 else ''}"
    text = f"{minutes} minute{'s' if minutes != 1 else ''}"
    if rest:
        text += f" {rest} second{'s' if rest != 1 else ''}"
    if minutes >= 60:
        hours, mins = divmod(minutes, 60)
        if hours >= 48:
            days, hours = divmod(hours, 24)
            text += f" ({days} d {hours} h {mins:02d} min)"
        else:
            text += f" ({hours} h {mins:02d} min)"
    return text


def durations_markdown(incident: Incident) -> str:
    lines = ["| Duration | Value | Definition |", "| --- | --- | --- |"]
    for d in incident_durations(incident):
        lines.append(f"| {d.label} | {format_duration(d.seconds)} | `{d.formula}` |")
    lines.append("")
    lines.append(f"_Durations as defined in {METRICS_VERSION} (see the appendix of any export)._")
    return "\n".join(lines)


# --- people and roles ------------------------------------------------------------------------------


def _name(user) -> str:
    return getattr(user, "display_name", None) or user.get_username()


def people_involved(incident: Incident) -> list:
    """Role holders (any time), the declarer, timeline authors and update authors, by name."""
    people: dict[int, object] = {}
    for assignment in role_history(incident):
        people.setdefault(assignment.user_id, assignment.user)
    if incident.declared_by_id:
        people.setdefault(incident.declared_by_id, incident.declared_by)
    for event in TimelineEvent.objects.filter(
        incident=incident, actor__isnull=False
    ).select_related("actor"):
        people.setdefault(event.actor_id, event.actor)
    for update in incident.updates.filter(posted_by__isnull=False).select_related("posted_by"):
        people.setdefault(update.posted_by_id, update.posted_by)
    return sorted(people.values(), key=lambda u: _name(u).lower())


def people_markdown(incident: Incident) -> str:
    people = people_involved(incident)
    return ", ".join(escape_inline(_name(u)) for u in people) if people else "_Nobody recorded._"


def roles_markdown(incident: Incident) -> str:
    tz = incident_tz(incident)
    history = list(role_history(incident))
    lines = [
        f"**Roles** (times in {tz_header(incident)})",
        "",
        "| Role | Held by |",
        "| --- | --- |",
    ]
    incident_date = incident.started_at.astimezone(tz).date()

    def short(value: datetime) -> str:
        # The time alone on the incident's day; with the date on any other day.
        local = value.astimezone(tz)
        return (
            local.strftime("%H:%M")
            if local.date() == incident_date
            else local.strftime("%Y-%m-%d %H:%M")
        )

    for role in Role:
        holds = [a for a in history if a.role == role.value]
        if not holds:
            continue
        spans = []
        for a in holds:
            until = short(a.ended_at) if a.ended_at else "end"
            spans.append(f"{escape_inline(_name(a.user))} ({short(a.assigned_at)}–{until})")
        lines.append(f"| {role.label} | {', '.join(spans)} |")
    delegated_to_ic = [r.label for r in effective_roles(incident) if not r.delegated and r.holders]
    if delegated_to_ic:
        lines.append("")
        lines.append(
            "_Not delegated, so held by the incident commander: "
            + ", ".join(delegated_to_ic)
            + "._"
        )
    return "\n".join(lines)


def commander_name(incident: Incident) -> str:
    for role in effective_roles(incident):
        if role.role == Role.INCIDENT_COMMANDER and role.holders:
            return _name(role.holders[0])
    return "—"


# --- timeline ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineRow:
    at: datetime
    text: str  # Markdown, one line
    marker: str  # OUTAGE_BEGINS / OUTAGE_ENDS / ""


def timeline_rows(incident: Incident) -> list[TimelineRow]:
    """Highlighted events plus the two impact markers, in time order.

    A highlighted *mitigated* event is represented by the [Outage Ends] marker (the incident's
    ``mitigated_at`` is authoritative even after a correction), so it is not listed twice.
    """
    # A highlighted note written as "[Outage Begins] ..." at that very instant is the marker's text.
    marker_at = {OUTAGE_BEGINS: incident.started_at, OUTAGE_ENDS: incident.mitigated_at}
    marker_text = {OUTAGE_BEGINS: "", OUTAGE_ENDS: ""}
    ranked: list[tuple[datetime, int, int, TimelineRow]] = []
    for event in timeline_for(incident).filter(highlighted=True):
        if event.kind == TimelineEvent.EventKind.MITIGATED:
            continue
        text = table_cell(event.body) or event.get_kind_display()
        marker = next(
            (m for m in marker_at if text.startswith(m) and event.occurred_at == marker_at[m]), None
        )
        if marker is not None and not marker_text[marker]:
            marker_text[marker] = text[len(marker) :].strip() or " "
            continue
        ranked.append((event.occurred_at, 1, event.pk, TimelineRow(event.occurred_at, text, "")))
    for order, marker in ((0, OUTAGE_BEGINS), (2, OUTAGE_ENDS)):
        at = marker_at[marker]
        if at is not None:
            text = f"**{marker}** {marker_text[marker]}".rstrip()
            ranked.append((at, order, 0, TimelineRow(at, text, marker)))
    ranked.sort(key=lambda item: item[:3])
    return [row for *_, row in ranked]


def timeline_markdown(incident: Incident) -> str:
    tz = incident_tz(incident)
    lines = [
        f"**Time zone: {tz_header(incident)}.** Dates are shown where they change.",
        "",
        "| Date | Time | Event |",
        "| --- | --- | --- |",
    ]
    previous_date = None
    for row in timeline_rows(incident):
        local = row.at.astimezone(tz)
        date = local.strftime("%Y-%m-%d")
        lines.append(
            f"| {date if date != previous_date else ''} | {local.strftime('%H:%M')} | {row.text} |"
        )
        previous_date = date
    if incident.mitigated_at is None:
        lines.append("")
        lines.append(f"_Impact has not been marked as ended, so there is no {OUTAGE_ENDS} yet._")
    return "\n".join(lines)


# --- alerts and action items ------------------------------------------------------------------------


def alerts_markdown(incident: Incident) -> str:
    """The alerts linked to the incident: when each fired, what it said, and who acknowledged it."""
    tz = incident_tz(incident)
    alerts = list(incident.alerts.select_related("acknowledged_by").order_by("fired_at", "pk"))
    if not alerts:
        return "**Alerts**\n\n_No alerts were linked to this incident._"
    lines = [
        "**Alerts**",
        "",
        "| Fired | Alert | Service | Acknowledged | Resolved |",
        "| --- | --- | --- | --- | --- |",
    ]
    for alert in alerts:
        subject = alert.name + (f": {alert.summary}" if alert.summary else "")
        acknowledged = (
            f"{fmt_local(alert.acknowledged_at, tz)} by {escape_inline(_name(alert.acknowledged_by))}"
            if alert.acknowledged_at and alert.acknowledged_by
            else (fmt_local(alert.acknowledged_at, tz) if alert.acknowledged_at else "no")
        )
        resolved = fmt_local(alert.resolved_at, tz) if alert.resolved_at else "no"
        lines.append(
            f"| {fmt_local(alert.fired_at, tz)} | {table_cell(subject)} | "
            f"{escape_inline(alert.service_slug) or '—'} | {acknowledged} | {resolved} |"
        )
    return "\n".join(lines)


def _link_target(url: str) -> str:
    """A URL usable as a Markdown link destination (no spaces or parentheses to end it early)."""
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def action_items_markdown(incident: Incident) -> str:
    from postmortems.models import ActionItem

    items = list(
        ActionItem.objects.filter(incident=incident)
        .select_related("owner")
        .order_by("due_date", "id")
    )
    if not items:
        return "_No action items yet._"
    lines = [
        "| Action | Type | Priority | Owner | Due | Status |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for item in items:
        title = escape_inline(item.title)
        if item.tracker_url:
            label = item.tracker_key or "tracker"
            title += f" ([{escape_inline(label)}]({_link_target(item.tracker_url)}))"
        status = item.get_status_display()
        if item.status == ActionItem.ItemStatus.WONT_DO and item.wont_do_reason:
            status += f": {table_cell(item.wont_do_reason)}"
        lines.append(
            f"| {title} | {item.get_item_type_display()} | {item.get_priority_display()} | "
            f"{escape_inline(_name(item.owner)) if item.owner else 'unassigned'} | {item.due_date:%Y-%m-%d} | {status} |"
        )
    return "\n".join(lines)


# --- all placeholder values -------------------------------------------------------------------------


def _label(choices, value) -> str:
    try:
        return choices(value).label
    except ValueError:
        return str(value)


def placeholder_values(incident: Incident) -> dict[str, str]:
    """Every allow-listed placeholder rendered as Markdown for this incident (live values)."""
    tz = incident_tz(incident)
    services = ", ".join(escape_inline(s.name) for s in incident.services.all()) or "none recorded"
    values = {
        "incident.reference": incident.reference,
        "incident.title": escape_inline(incident.title),
        "incident.severity": _label(Severity, incident.severity),
        "incident.status": _label(Status, incident.status),
        "incident.kind": _label(Kind, incident.kind),
        "incident.trigger": _label(TriggerCategory, incident.trigger_category),
        "incident.services": services,
        "incident.timezone": tz_header(incident),
        "incident.date": incident.started_at.astimezone(tz).strftime("%Y-%m-%d"),
        "incident.commander": escape_inline(commander_name(incident)),
        "incident.summary": incident.summary or "_No summary was written during the incident._",
        "incident.impact": incident.impact or "_No impact was written during the incident._",
        "people": people_markdown(incident),
        "durations": durations_markdown(incident),
        "roles": roles_markdown(incident),
        "timeline": timeline_markdown(incident),
        "alerts": alerts_markdown(incident),
        "action_items": action_items_markdown(incident),
    }
    for field in (
        "started_at",
        "detected_at",
        "declared_at",
        "acknowledged_at",
        "mitigated_at",
        "resolved_at",
    ):
        values[f"incident.{field}"] = fmt_local(getattr(incident, field), tz)
    return values
