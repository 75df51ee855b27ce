"""METRICS.md chronology: started ≤ detected ≤ declared, detected ≤ acknowledged,
started ≤ mitigated ≤ resolved ≤ closed. Missing stamps are skipped, never treated as zero."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.utils import timezone

CHAINS = (
    ("started_at", "detected_at", "declared_at"),
    ("detected_at", "acknowledged_at"),
    ("started_at", "mitigated_at", "resolved_at", "closed_at"),
)
LABELS = {
    "started_at": "started (impact began)",
    "detected_at": "detected",
    "declared_at": "declared",
    "acknowledged_at": "acknowledged",
    "mitigated_at": "mitigated (impact ended)",
    "resolved_at": "resolved",
    "closed_at": "closed",
}
# Clocks disagree a little; anything further ahead than this is a typo, not a timestamp.
FUTURE_TOLERANCE = timedelta(minutes=5)


def chronology_errors(
    stamps: dict[str, datetime | None], *, now: datetime | None = None
) -> dict[str, list[str]]:
    """Return ``{field: [message, ...]}`` for every violated rule (empty when all is well)."""
    errors: dict[str, list[str]] = {}
    now = now or timezone.now()
    for field, value in stamps.items():
        if value is not None and value > now + FUTURE_TOLERANCE:
            errors.setdefault(field, []).append(
                f"{LABELS.get(field, field)} cannot be in the future."
            )
    for chain in CHAINS:
        for i, earlier in enumerate(chain):
            for later in chain[i + 1 :]:
                a, b = stamps.get(earlier), stamps.get(later)
                if a is not None and b is not None and a > b:
                    errors.setdefault(later, []).append(
                        f"{LABELS[later]} ({_utc(b)}) cannot be before {LABELS[earlier]} ({_utc(a)})."
                    )
    return errors


def _utc(moment: datetime) -> str:
    """A stamp as people read it in an error: one zone, to the second, no microseconds."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
