"""A hand-made week of alerts for the weekly alert review tests (test_alert_review*.py).

ISO week 2026-W47 is Monday 16 November to Sunday 22 November 2026. In Berlin (UTC+1) it runs
2026-11-15T23:00Z to 2026-11-22T23:00Z; in Los Angeles (UTC−8) 2026-11-16T08:00Z to
2026-11-23T08:00Z. Every alert is created through ``alert_ingest`` with generic payloads, and
acknowledged through ``alert_acknowledge`` at a chosen instant.

    CheckoutErrorRateHigh   critical, service checkout, runbook, short subject
      checkout[0]  fired 11-17 10:00Z, acknowledged 10:04Z (4 min)
      checkout[1]  fired 11-17 12:00Z, acknowledged 12:10Z (10 min)
      checkout[2]  fired 11-17 20:00Z, resolved 20:05Z, never acknowledged
      checkout[3]  fired 11-19 09:00Z, still firing, never acknowledged
      → the same fingerprint fired 3 times within 10 h: flapping; MTTA 7 min over 2.
    DiskWillFillIn4h        non-critical (severity info), service storage, team label "storage",
                            long subject, no runbook
      disk[0]  fired 11-18 08:00Z, acknowledged 08:30Z, resolved 09:00Z
      disk[1]  fired 11-19 07:00Z (23 h later)
      disk[2]  fired 11-20 09:00Z (26 h later): 3 firings but never 3 within 24 h: not flapping.
    NightlyBackupFailed     critical, service backup, never acknowledged
      backup_monday   fired 11-16 03:00Z: Monday 04:00 in Berlin (W47), Sunday 19:00 in LA (W46)
      backup_sunday   fired 11-23 02:00Z: Monday 03:00 in Berlin (W48), Sunday 18:00 in LA (W47)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import time_machine

from oncall.alerts.services import alert_acknowledge, alert_ingest, integration_create
from oncall.models import Alert

WEEK = "2026-W47"
AFTER_THE_WEEK = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)  # Wednesday of W48: "last week" is W47
LONG_SUMMARY = "Disk on the storage nodes will fill up within four hours at the current rate"


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def fire(integration, *, name, fingerprint, at, ends_at=None, **fields) -> Alert:
    alert = {
        "name": name,
        "fingerprint": fingerprint,
        "status": "resolved" if ends_at else "firing",
        "starts_at": iso(at),
        **fields,
    }
    if ends_at:
        alert["ends_at"] = iso(ends_at)
    alert_ingest(integration=integration, payload={"alerts": [alert]}, received_at=at)
    return Alert.objects.get(integration=integration, fingerprint=fingerprint, fired_at=at)


def resolve(alert: Alert, at: datetime) -> Alert:
    fire(
        alert.integration,
        name=alert.name,
        fingerprint=alert.fingerprint,
        at=alert.fired_at,
        ends_at=at,
        labels=alert.labels,
        summary=alert.summary,
        runbook_url=alert.runbook_url,
        urgency=alert.urgency,
        service=alert.service_slug,
    )
    alert.refresh_from_db()
    return alert


def acknowledge(alert: Alert, by, at: datetime) -> Alert:
    with time_machine.travel(at, tick=False):
        return alert_acknowledge(user=by, alert=alert)


@dataclass
class Week:
    checkout: list[Alert]
    disk: list[Alert]
    backup_monday: Alert
    backup_sunday: Alert


def build_week(responder) -> Week:
    source = integration_create(user=responder, kind="generic", name="scripts").integration

    def checkout(at):
        return fire(
            source,
            name="CheckoutErrorRateHigh",
            fingerprint="checkout-5xx",
            at=at,
            urgency="critical",
            service="checkout",
            summary="Roll back checkout: 5xx above 5%",
            runbook_url="https://runbooks.example.com/checkout",
        )

    first, second, third, fourth = (
        checkout(utc(2026, 11, 17, 10)),
        checkout(utc(2026, 11, 17, 12)),
        checkout(utc(2026, 11, 17, 20)),
        checkout(utc(2026, 11, 19, 9)),
    )
    acknowledge(first, responder, utc(2026, 11, 17, 10, 4))
    acknowledge(second, responder, utc(2026, 11, 17, 12, 10))
    resolve(third, utc(2026, 11, 17, 20, 5))

    def disk(at):
        return fire(
            source,
            name="DiskWillFillIn4h",
            fingerprint="disk-a",
            at=at,
            labels={"severity": "info", "team": "storage"},
            service="storage",
            summary=LONG_SUMMARY,
        )

    disks = [disk(utc(2026, 11, 18, 8)), disk(utc(2026, 11, 19, 7)), disk(utc(2026, 11, 20, 9))]
    acknowledge(disks[0], responder, utc(2026, 11, 18, 8, 30))
    resolve(disks[0], utc(2026, 11, 18, 9))

    def backup(at):
        return fire(
            source,
            name="NightlyBackupFailed",
            fingerprint=f"backup-{at:%d}",
            at=at,
            urgency="critical",
            service="backup",
            runbook_url="https://runbooks.example.com/backup",
        )

    monday, sunday = backup(utc(2026, 11, 16, 3)), backup(utc(2026, 11, 23, 2))
    refreshed = Alert.objects.in_bulk([first.pk, second.pk, third.pk, fourth.pk])
    return Week(
        checkout=[refreshed[a.pk] for a in (first, second, third, fourth)],
        disk=[Alert.objects.get(pk=d.pk) for d in disks],
        backup_monday=monday,
        backup_sunday=sunday,
    )
