"""Durations in the units people read (METRICS.md: human units for people, never raw seconds)."""

from __future__ import annotations

from datetime import timedelta


def human(amount: timedelta) -> str:
    """``7 days``, ``3 days 12 h``, ``12 h``, ``3 h 32 min``, ``45 min``."""
    minutes = int(amount.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if days:
        parts.append(f"{days} day{'s' if days != 1 else ''}")
    if hours:
        parts.append(f"{hours} h")
    if minutes and not days:
        parts.append(f"{minutes} min")
    return " ".join(parts) or "none"
