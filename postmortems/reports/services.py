"""Writes for reports: the quarterly pack made by a background job (issue 16: generating it
inside a web request ran past a WSGI worker's timeout at 100k incidents).

``report_pack_request`` returns the job for these parameters, starting it when there is no
fresh file; ``report_pack_generate`` (the Celery task's one call) claims the job, writes the
file with progress on the row, and marks it ready. Files live under ``VAR_DIR/report-packs/``.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from postmortems.reports import metrics
from postmortems.reports import pack as packs
from postmortems.reports.metrics import Scope
from postmortems.reports.models import ReportPackJob

logger = logging.getLogger(__name__)

FRESH_FOR = timedelta(minutes=15)
# A job "running" longer than this died with its worker: the next request starts it again.
STALE_RUNNING = timedelta(minutes=15)
PROGRESS_EVERY = timedelta(seconds=0.5)
RETRY_FAILED_AFTER = timedelta(minutes=1)


def pack_directory() -> Path:
    folder = Path(settings.VAR_DIR) / "report-packs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _key(user, quarter: str, fmt: str, scope: Scope) -> str:
    parts = [
        str(user.pk if user is not None else "-"),
        quarter,
        fmt,
        str(scope.team.pk if scope.team else "-"),
        str(scope.service.pk if scope.service else "-"),
        scope.severity or "-",
        f"v{metrics.DEFINITIONS_VERSION}",
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _needs_run(job: ReportPackJob, now) -> bool:
    Status = ReportPackJob.Status
    if job.status == Status.FAILED:  # shown to the poller for a while, then tried again
        return now - job.finished_at > RETRY_FAILED_AFTER
    if job.status == Status.READY:
        return now - job.finished_at > FRESH_FOR or not os.path.exists(job.path)
    if job.status == Status.RUNNING:
        return job.started_at is not None and now - job.started_at > STALE_RUNNING
    return False  # queued: a worker will take it


def report_pack_request(*, user, quarter: str, fmt: str, scope: Scope) -> ReportPackJob:
    """The job making ``fmt`` of ``quarter`` for ``user`` (whose view of private incidents the
    pack lists) and ``scope``; queued when there is no fresh file and none being made.
    Preconditions: ``quarter`` and ``fmt`` are valid (the API and views check them)."""
    now = timezone.now()
    key = _key(user, quarter, fmt, scope)
    defaults = {
        "requested_by": user, "quarter": quarter, "format": fmt, "team": scope.team,
        "service": scope.service, "severity": scope.severity or "", "requested_at": now,
        "steps_total": packs.progress_steps(fmt),
    }  # fmt: skip
    try:
        with transaction.atomic():
            job, created = ReportPackJob.objects.get_or_create(key=key, defaults=defaults)
    except IntegrityError:  # the same request at the same moment: theirs is ours
        job, created = ReportPackJob.objects.get(key=key), False
    if not created:
        if not _needs_run(job, now):
            return job
        # Restart only if nobody else restarted it meanwhile (a conditional update).
        restarted = ReportPackJob.objects.filter(pk=job.pk, status=job.status).update(
            status=ReportPackJob.Status.QUEUED, steps_done=0, step="", error="",
            requested_at=now, started_at=None, finished_at=None,
        )  # fmt: skip
        job.refresh_from_db()
        if not restarted:
            return job
    _enqueue(job.pk)
    return job


def _enqueue(job_id: int) -> None:
    from postmortems.reports.tasks import report_pack_generate

    transaction.on_commit(lambda: report_pack_generate.delay(job_id))


def report_pack_generate(*, job_id: int) -> None:
    """Make the pack of a queued job. Idempotent: a job that is not queued (taken by another
    worker, already made) is left alone."""
    Status = ReportPackJob.Status
    claimed = ReportPackJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=timezone.now(), steps_done=0
    )
    if not claimed:
        return
    job = ReportPackJob.objects.select_related("requested_by", "team", "service").get(pk=job_id)
    scope = Scope(team=job.team, service=job.service, severity=job.severity or None)
    done = 0
    last_saved = timezone.now()

    def progress(step: str) -> None:
        nonlocal done, last_saved
        done += 1
        moment = timezone.now()
        if moment - last_saved >= PROGRESS_EVERY:
            last_saved = moment
            ReportPackJob.objects.filter(pk=job_id).update(steps_done=done, step=step[:120])

    folder = pack_directory()
    target = folder / f"{job.key}.{packs.FORMATS[job.format][1]}"
    try:
        pack = packs.build_pack(job.requested_by, job.quarter, scope, progress)
        # Written aside and renamed into place: a download never reads half a file.
        with tempfile.NamedTemporaryFile(dir=folder, delete=False, suffix=".part") as out:
            packs.write_pack(pack, job.format, out, progress)
        os.replace(out.name, target)
    except Exception as error:
        logger.exception("Report pack %s failed", job_id)
        ReportPackJob.objects.filter(pk=job_id).update(
            status=Status.FAILED, error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
        )  # fmt: skip
        raise
    ReportPackJob.objects.filter(pk=job_id).update(
        status=Status.READY, path=str(target), file_name=pack.filename(job.format),
        size=target.stat().st_size, steps_done=job.steps_total, step="done",
        finished_at=timezone.now(),
    )  # fmt: skip
