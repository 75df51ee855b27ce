"""Claiming due rows (DESIGN.md, reminders as data) — one implementation for every kind of row.

Pages, shift reminders, incident reminders and report deliveries are rows with a ``status``
(``pending`` → ``claimed`` → …), a ``due_at`` and a ``claimed_at``. A sweep (Celery beat, possibly
several at once) claims the due ones with a conditional UPDATE per row: the UPDATE matches only if
the row's status and claim time are still what the sweep read, so each row is won by one caller.
A claim whose worker died is taken back once it is older than the lease.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db.models import Model, Q

logger = logging.getLogger(__name__)

# The two states every claimable row has (its own choices class names them too).
PENDING, CLAIMED = "pending", "claimed"


def claim_due_rows(
    model: type[Model],
    *,
    now: datetime,
    lease: timedelta,
    limit: int,
    reclaim_statuses: Iterable[str] | None = None,
    order_by: tuple[str, ...] = ("due_at",),
) -> list[int]:
    """Claim the rows of ``model`` that are due (``pending`` with ``due_at <= now``) or whose claim
    is stale (status in ``reclaim_statuses``, default ``claimed``, with ``claimed_at`` older than
    ``lease``). Returns the ids this caller now owns, at most ``limit``; each is set to
    ``claimed`` with ``claimed_at = now``.

    Precondition: ``model`` has ``status`` (with the choices ``"pending"`` and ``"claimed"``),
    ``due_at`` and ``claimed_at``. The caller must hand every returned id to its
    worker; an id it drops is taken back after the lease. Safe to run concurrently.
    """
    reclaim = list(reclaim_statuses or [CLAIMED])
    candidates = list(
        model.objects.filter(
            Q(status=PENDING, due_at__lte=now) | Q(status__in=reclaim, claimed_at__lt=now - lease)
        )
        .order_by(*order_by)
        .values_list("pk", "status", "claimed_at")[:limit]
    )
    claimed = []
    for pk, seen_status, seen_claimed_at in candidates:
        # Conditional update: matches only if nobody else changed the row since it was read.
        won = model.objects.filter(pk=pk, status=seen_status, claimed_at=seen_claimed_at).update(
            status=CLAIMED, claimed_at=now
        )
        if won:
            claimed.append(pk)
        else:
            logger.info("%s %s: another sweep claimed it first", model._meta.verbose_name, pk)
    return claimed
