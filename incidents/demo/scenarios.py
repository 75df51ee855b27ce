"""The demo's incidents, replayed oldest first so that INC numbers follow history."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from django.utils import timezone as django_timezone

from incidents import services
from incidents.demo.base import (
    ACTIVE_TITLE,
    EDGE_TITLE,
    GCP_TITLE,
    PRIVATE_TITLE,
    S3_TITLE,
    TRAFFIC_TITLE,
    Audience,
    People,
    Replay,
    UpdateKind,
    clock,
    local_clock,
)
from incidents.models import Incident, Kind, Role, Severity, Status, TriggerCategory


def _edge_router_outage(p: People) -> Replay:
    """Real-World SRE (Nat Welch), ch. 4: the postmortem example of 2016-02-22 (Pacific time)."""
    t = local_clock("America/Los_Angeles", date(2016, 2, 22))
    r = Replay()
    r.declare(
        t("14:48"),
        p.demo,
        title=EDGE_TITLE,
        severity=Severity.SEV2,
        kind=Kind.INCIDENT,
        trigger_category=TriggerCategory.CONFIG_CHANGE,
        services=["edge-router", "web-frontend"],
        started_at=t("14:12"),
        detected_at=t("14:45"),
        summary=(
            "A change was made that introduced a new route that caused an exception in our "
            "parser. When the edge routers reloaded their configuration at 14:12, the affected "
            "routers stopped routing requests until the change was rolled back at 15:17 (PST)."
        ),
        impact=(
            "For 65 minutes about 40% of requests to the website and the public API failed with "
            "HTTP 502 at the edge. No data was lost."
        ),
    )
    r.highlight_declaration(p.demo)
    r.assign(t("14:50"), p.demo, Role.OPERATIONS_LEAD, p.priya)
    r.assign(t("14:51"), p.demo, Role.COMMUNICATIONS_LEAD, p.amara)
    r.assign(t("14:52"), p.kenji, Role.SCRIBE, p.kenji)  # took the vacant role himself
    r.update(
        t("14:54"),
        p.amara,
        "Since about 14:12 PST part of the requests to the website and the API fail at the edge. "
        "The operations lead is investigating the edge fleet; no cause identified yet.",
        audience=Audience.INTERNAL,
        next_update_at=t("15:24"),
    )
    r.note(
        t("14:56"),
        p.kenji,
        "A commit changing the edge router configuration is merged and deployed to the edge "
        "fleet by the pipeline. It adds a new route for the partner API.",
        occurred_at=t("14:04"),
        highlighted=True,
    )
    r.note(
        t("14:57"),
        p.kenji,
        "[Outage Begins] The edge routers reload the new configuration; the configuration "
        "parser raises an exception on the new route and the affected routers stop routing "
        "requests. The edge 502 rate rises from 0.1% to about 40%.",
        occurred_at=t("14:12"),
        highlighted=True,
    )
    r.note(
        t("14:57"),
        p.kenji,
        "External synthetic checks start failing intermittently. The availability alert waits "
        "for a sustained failure before it pages, so nobody is paged yet.",
        occurred_at=t("14:21"),
    )
    r.note(
        t("14:58"),
        p.kenji,
        "Customer support receives the first reports that the site is unavailable and asks in "
        "the support channel whether something is down.",
        occurred_at=t("14:33"),
    )
    r.note(
        t("14:58"),
        p.kenji,
        "The primary on-call is paged: EdgeAvailabilityLow (edge success rate below 99%).",
        occurred_at=t("14:45"),
        highlighted=True,
    )
    r.update(
        t("15:00"),
        p.amara,
        "We are investigating errors when loading our website and API: some requests fail with "
        "a 502 error. Next update by 15:30 PST.",
        audience=Audience.EXTERNAL,
        next_update_at=t("15:30"),
    )
    r.note(
        t("15:02"),
        p.priya,
        "Edge router logs show a parser exception on every configuration reload since 14:12. "
        "The only change in that window is the 14:04 configuration commit.",
        highlighted=True,
    )
    r.status(
        t("15:04"),
        p.demo,
        Status.IDENTIFIED,
        "Cause: the 14:04 edge router configuration change. Decision: roll back, not fix forward.",
    )
    r.note(
        t("15:06"),
        p.priya,
        "Rollback started: reverting the configuration commit and redeploying the previous edge "
        "router configuration.",
        highlighted=True,
    )
    r.note(
        t("15:11"), p.priya, "Rollback has reached half of the edge fleet; 502 rate down to 12%."
    )
    r.mitigate(
        t("15:18"),
        p.priya,
        at=t("15:17"),
        note="[Outage Ends] Rollback complete on every edge router; success rate back to 99.98%.",
    )
    r.status(t("15:20"), p.demo, Status.MONITORING, "Watching error rates before standing down.")
    r.update(
        t("15:24"),
        p.amara,
        "The errors affecting our website and API between 14:12 and 15:17 PST are resolved: a "
        "configuration change to our edge routers has been rolled back. We will publish a "
        "summary of the root cause.",
        audience=Audience.EXTERNAL,
        kind=UpdateKind.RESOLUTION,
        follow_up_expected=True,
    )
    r.status(
        t("15:45"),
        p.demo,
        Status.RESOLVED,
        "Error rates stable for half an hour. Response over; postmortem to follow.",
        highlight=True,
    )
    r.update(
        t("11:00", days=2),
        p.amara,
        "Root cause of the errors on 22 February: a configuration change introduced a new route "
        "that our edge routers' configuration parser could not handle, so routers that loaded "
        "it stopped routing requests. We are validating edge configuration before it is merged, "
        "rolling configuration out to a canary group first, and paging sooner when the edge "
        "success rate drops.",
        audience=Audience.EXTERNAL,
        kind=UpdateKind.FOLLOW_UP,
    )
    return r


def _s3_outage(p: People) -> Replay:
    """Amazon S3 in us-east-1 was unavailable on 2017-02-28, ~17:37–21:54 UTC: for us a dependency."""
    t = local_clock("UTC", date(2017, 2, 28))
    r = Replay()
    r.declare(
        t("17:44"),
        p.amara,
        title=S3_TITLE,
        severity=Severity.SEV2,
        kind=Kind.INCIDENT,
        trigger_category=TriggerCategory.DEPENDENCY_FAILURE,
        services=["object-storage", "web-frontend"],
        started_at=t("17:37"),
        detected_at=t("17:41"),
        update_interval_minutes=30,
        summary=(
            "Amazon S3 in us-east-1 was unavailable from 17:37 to 21:54 UTC. Image uploads and the "
            "images we serve from S3 failed until S3 recovered; the rest of the site kept working."
        ),
        impact=(
            "Users could not upload images for 4 h 17 min (from 18:10 the upload form showed a "
            "maintenance banner instead of an error). Existing images did not load until S3 read "
            "requests recovered at 20:26 UTC."
        ),
    )
    r.note(
        t("17:45"),
        p.amara,
        "[Outage Begins] Requests to S3 in us-east-1 start failing: uploads return errors and "
        "images stop loading.",
        occurred_at=t("17:37"),
        highlighted=True,
    )
    r.note(
        t("17:45"),
        p.amara,
        "UploadErrorRateHigh fires (upload errors above 5%); the primary on-call is paged.",
        occurred_at=t("17:41"),
    )
    r.assign(t("17:46"), p.amara, Role.OPERATIONS_LEAD, p.priya)
    r.assign(t("17:47"), p.amara, Role.COMMUNICATIONS_LEAD, p.tom)
    r.note(
        t("17:50"),
        p.priya,
        "The AWS status page shows every service healthy, but the S3 console and our own "
        "requests to us-east-1 fail. Treating S3 in us-east-1 as down.",
        highlighted=True,
    )
    r.update(
        t("17:52"),
        p.tom,
        "Uploads and images fail because Amazon S3 in us-east-1 is failing. Browsing, search and "
        "checkout work. We are replacing the upload form with a maintenance banner.",
        audience=Audience.INTERNAL,
    )
    r.update(
        t("18:05"),
        p.tom,
        "Image uploads are unavailable and some images do not load because of an outage at our "
        "storage provider. Everything else works. Next update by 18:35 UTC.",
        audience=Audience.EXTERNAL,
    )
    r.note(
        t("18:10"),
        p.priya,
        "Upload form switched to a maintenance banner (feature flag): users see an explanation "
        "instead of an error.",
        highlighted=True,
    )
    r.assign(t("18:20"), p.amara, Role.SUBJECT_MATTER_EXPERT, p.kenji)
    r.fire_due_reminders(t("18:36"))  # the 18:35 update was late: the comms lead is reminded
    r.note(
        t("18:45"),
        p.kenji,
        "Our S3 client retries with exponential backoff and jitter: no retry storm from our side.",
    )
    r.update(
        t("18:52"),
        p.tom,
        "AWS has confirmed a problem with S3 in us-east-1. Uploads remain unavailable and some "
        "images do not load. Next update by 19:22 UTC.",
        audience=Audience.EXTERNAL,
    )
    r.note(
        t("19:05"),
        p.priya,
        "AWS posts its updates on Twitter: its own status dashboard depended on S3 and could "
        "not be updated.",
    )
    r.update(
        t("19:20"),
        p.tom,
        "No change: waiting for S3 to recover. Nothing is lost; uploads are paused.",
        audience=Audience.INTERNAL,
    )
    r.assign(t("19:30"), p.amara, Role.INCIDENT_COMMANDER, p.priya)  # end of Amara's day
    r.release(t("19:31"), p.priya, Role.OPERATIONS_LEAD, p.priya)
    r.update(
        t("19:50"),
        p.tom,
        "AWS reports it is restoring S3 in us-east-1. Uploads remain unavailable. Next update by "
        "20:20 UTC.",
        audience=Audience.EXTERNAL,
    )
    r.update(
        t("20:20"),
        p.tom,
        "AWS reports progress restoring S3. Next update by 20:50 UTC.",
        audience=Audience.EXTERNAL,
    )
    r.note(
        t("20:27"),
        p.priya,
        "S3 GET, LIST and DELETE requests recover: images load again.",
        occurred_at=t("20:26"),
        highlighted=True,
    )
    r.update(
        t("20:50"),
        p.tom,
        "Images load again. Uploads are still unavailable while our storage provider recovers. "
        "Next update by 21:20 UTC.",
        audience=Audience.EXTERNAL,
    )
    r.note(
        t("21:19"),
        p.kenji,
        "S3 PUT requests recover in us-east-1; our first test uploads succeed.",
        occurred_at=t("21:18"),
    )
    r.update(
        t("21:20"),
        p.tom,
        "Test uploads succeed; we will re-enable uploads once the error rate is back to normal.",
        audience=Audience.INTERNAL,
    )
    r.mitigate(
        t("21:56"),
        p.priya,
        at=t("21:54"),
        note="[Outage Ends] Upload error rate back to normal; maintenance banner removed.",
    )
    r.status(t("21:58"), p.priya, Status.MONITORING)
    r.update(
        t("22:00"),
        p.tom,
        "Image uploads and images work normally again since 21:54 UTC. The cause was an outage "
        "of Amazon S3 in us-east-1; AWS will publish its own summary.",
        audience=Audience.EXTERNAL,
        kind=UpdateKind.RESOLUTION,
        follow_up_expected=False,
    )
    r.status(t("22:30"), p.priya, Status.RESOLVED, "S3 stable for half an hour.", highlight=True)
    return r


def _traffic_spike(p: People) -> Replay:
    """An input/traffic change on checkout, mitigated by scaling out."""
    t = local_clock("Europe/London", date(2017, 11, 24))
    r = Replay()
    r.declare(
        t("09:55"),
        p.tom,
        title=TRAFFIC_TITLE,
        severity=Severity.SEV3,
        kind=Kind.INCIDENT,
        trigger_category=TriggerCategory.TRAFFIC_CHANGE,
        services=["checkout"],
        started_at=t("09:40"),
        detected_at=t("09:52"),
        summary=(
            "A promotional e-mail sent at 09:30 brought four times the usual traffic to checkout. "
            "The autoscaler reached its instance limit and checkout slowed down until we scaled "
            "out by hand."
        ),
        impact="From 09:40 to 10:14 GMT about 15% of checkout attempts timed out.",
    )
    r.note(
        t("09:56"),
        p.tom,
        "[Outage Begins] Checkout p99 latency above 2 s; the first timeouts.",
        occurred_at=t("09:40"),
        highlighted=True,
    )
    r.assign(t("09:57"), p.tom, Role.OPERATIONS_LEAD, p.kenji)
    r.update(
        t("10:00"),
        p.tom,
        "Checkout is slow and some payments time out under four times the usual traffic. "
        "Scaling out now.",
        audience=Audience.INTERNAL,
    )
    limit_note = r.note(
        t("10:02"),
        p.kenji,
        "The autoscaler reached its limit of 20 checkout instances.",
        occurred_at=t("09:48"),
    )
    r.status(t("10:04"), p.tom, Status.IDENTIFIED, "Cause: traffic spike; scaling out.")
    r.note(
        t("10:06"),
        p.kenji,
        "Raised the autoscaler limit to 60 and scaled checkout out to 40 instances.",
        highlighted=True,
    )
    r.mitigate(
        t("10:15"),
        p.kenji,
        at=t("10:14"),
        note="[Outage Ends] Checkout p99 latency back under 400 ms; no more timeouts.",
    )
    r.note(
        t("10:20"),
        p.kenji,
        "Correction: the autoscaler reached its limit at 09:45, not 09:48, and the limit was 24 "
        "instances, not 20 (from the autoscaler's event log).",
        occurred_at=t("09:45"),
        corrects=limit_note,
        highlighted=True,
    )
    r.update(
        t("10:25"),
        p.tom,
        "Checkout is healthy again since 10:14 GMT.",
        audience=Audience.INTERNAL,
        kind=UpdateKind.RESOLUTION,
        follow_up_expected=False,
    )
    r.status(t("10:40"), p.tom, Status.RESOLVED)
    return r


def _google_cloud_networking(p: People) -> Replay:
    """Stakeholder updates while Google Cloud networking lost packets, 2018-01-25."""
    t = local_clock("UTC", date(2018, 1, 25))
    r = Replay()
    r.declare(
        t("16:28"),
        p.kenji,
        title=GCP_TITLE,
        severity=Severity.SEV3,
        kind=Kind.INCIDENT,
        trigger_category=TriggerCategory.DEPENDENCY_FAILURE,
        services=["cloud-network"],
        started_at=t("16:10"),
        detected_at=t("16:22"),
        summary=(
            "Google Cloud networking had elevated packet loss and latency. Requests between our "
            "regions were slow or timed out until Google mitigated the problem."
        ),
        impact="For 98 minutes some requests to our API were slow (p99 above 3 s) or timed out.",
    )
    r.note(
        t("16:29"),
        p.kenji,
        "InterRegionPacketLoss fires: 3% packet loss between our regions.",
        occurred_at=t("16:22"),
    )
    r.assign(t("16:30"), p.kenji, Role.COMMUNICATIONS_LEAD, p.tom)
    r.update(
        t("16:35"),
        p.tom,
        "We are investigating elevated packet loss and latency affecting our services hosted on "
        "Google Cloud. Some requests may be slow or time out. Next update by 17:05 UTC.",
        audience=Audience.EXTERNAL,
        next_update_at=t("17:05"),
    )
    r.note(
        t("16:45"),
        p.kenji,
        "The Google Cloud status dashboard confirms an incident with Google Cloud Networking: "
        "elevated packet loss and latency.",
        highlighted=True,
    )
    r.note(t("16:55"), p.kenji, "Shifted most traffic to our least affected region.")
    r.update(
        t("17:03"),
        p.tom,
        "Google has confirmed an issue with Google Cloud Networking and is working on it. We have "
        "moved most of our traffic away from the most affected region; some requests are still "
        "slow. Next update by 17:33 UTC.",
        audience=Audience.EXTERNAL,
        next_update_at=t("17:33"),
    )
    r.update(
        t("17:30"),
        p.tom,
        "Google reports that its mitigation is in progress and packet loss is decreasing. Next "
        "update by 18:00 UTC.",
        audience=Audience.EXTERNAL,
        next_update_at=t("18:00"),
    )
    r.mitigate(
        t("17:52"),
        p.kenji,
        at=t("17:48"),
        note="[Outage Ends] Packet loss between regions back below 0.1%.",
    )
    r.update(
        t("17:58"),
        p.tom,
        "The issue with Google Cloud networking is resolved for our services as of 17:48 UTC. "
        "We will share a summary of the root cause once Google has published its incident "
        "report.",
        audience=Audience.EXTERNAL,
        kind=UpdateKind.RESOLUTION,
        follow_up_expected=True,
    )
    r.status(t("18:15"), p.kenji, Status.RESOLVED)
    r.update(
        t("10:00", days=5),
        p.tom,
        "Root-cause follow-up: Google's incident report places the cause of the packet loss "
        "inside Google's network and describes how it was corrected. On our side, moving traffic "
        "away from the affected region took 25 minutes by hand; we are automating that step.",
        audience=Audience.EXTERNAL,
        kind=UpdateKind.FOLLOW_UP,
    )
    return r


def _private_credential_exposure(p: People) -> Replay:
    """A private incident: only its members (and admins) can see it."""
    t = local_clock("Asia/Tokyo", date(2024, 11, 12))
    r = Replay()
    r.declare(
        t("10:20"),
        p.kenji,
        title=PRIVATE_TITLE,
        severity=Severity.SEV2,
        kind=Kind.INCIDENT,
        trigger_category=TriggerCategory.CODE_CHANGE,
        private=True,
        started_at=t("09:05"),
        detected_at=t("10:12"),
        summary="A deploy token was printed in a CI build log; it was revoked and rotated.",
        impact="No use of the token was found in the audit log.",
    )
    r.assign(t("10:22"), p.kenji, Role.SCRIBE, p.demo)
    r.note(
        t("10:25"),
        p.demo,
        "A change to a build script's debug output causes a deploy token to be printed in the "
        "build log.",
        occurred_at=t("09:05"),
        highlighted=True,
    )
    r.note(
        t("10:26"),
        p.demo,
        "The secret scanner flags the token in the build log.",
        occurred_at=t("10:12"),
    )
    r.mitigate(
        t("10:36"),
        p.kenji,
        at=t("10:35"),
        note="Token revoked and rotated; build logs containing it deleted.",
    )
    r.update(
        t("10:40"),
        p.kenji,
        "The exposed deploy token is revoked and rotated. No misuse found so far.",
        audience=Audience.INTERNAL,
        kind=UpdateKind.RESOLUTION,
        follow_up_expected=True,
    )
    r.status(t("11:30"), p.kenji, Status.RESOLVED, "Audit log reviewed: no use of the token.")
    return r


def _active_frontend_errors(p: People) -> Replay:
    """Still going: declared 20 minutes before the first load, so the countdown and reminders run."""
    declared = django_timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=20)

    def t(minutes: int) -> datetime:
        return declared + timedelta(minutes=minutes)

    r = Replay()
    r.declare(
        t(0),
        p.demo,
        title=ACTIVE_TITLE,
        severity=Severity.SEV2,
        kind=Kind.INCIDENT,
        services=["web-frontend"],
        started_at=t(-15),
        detected_at=t(-4),
        summary="Product pages intermittently return 502 errors.",
        impact="About 8% of product page views fail.",
    )
    r.note(
        t(1), p.demo, "FrontendErrorRate fires: 502s above 2% on product pages.", occurred_at=t(-4)
    )
    r.assign(t(2), p.demo, Role.OPERATIONS_LEAD, p.priya)
    r.update(
        t(3),
        p.demo,
        "Some product pages fail with a 502 error. We are investigating; checkout is not affected.",
        audience=Audience.INTERNAL,
    )
    r.note(
        t(9),
        p.priya,
        "The 502s all come from one of the three frontend pools; the others are healthy.",
    )
    r.note(t(14), p.priya, "Drained the unhealthy pool; taking a heap dump before restarting it.")
    r.status(t(16), p.demo, Status.IDENTIFIED, "One frontend pool is unhealthy; it is drained.")
    return r


# title: (tags, contributing factors), set by the commander a day after the incident resolved
# (now, for the active one): the taxonomy card, its counts and the shared names have data.
TAXONOMY = {
    EDGE_TITLE: (["bgp", "config-push"], ["manual change", "no canary for config changes"]),
    S3_TITLE: (["aws", "cloud-provider"], ["single region dependency", "missing alert"]),
    TRAFFIC_TITLE: (["autoscaling", "capacity"], ["missing alert", "slow scale-up"]),
    GCP_TITLE: (["cloud-provider", "gcp"], ["single region dependency"]),
    PRIVATE_TITLE: (["ci", "security"], ["secrets in build logs"]),
    ACTIVE_TITLE: (["frontend"], []),
}


def add_taxonomy(incident: Incident) -> None:
    tags, factors = TAXONOMY[incident.title]
    now = django_timezone.now()
    when = min(incident.resolved_at + timedelta(days=1), now) if incident.resolved_at else now
    with clock(when):
        services.incident_taxonomy_update(
            incident=incident, user=incident.declared_by, tags=tags, contributing_factors=factors
        )


SCENARIOS: list[tuple[str, Callable[[People], Replay]]] = [
    (EDGE_TITLE, _edge_router_outage),
    (S3_TITLE, _s3_outage),
    (TRAFFIC_TITLE, _traffic_spike),
    (GCP_TITLE, _google_cloud_networking),
    (PRIVATE_TITLE, _private_credential_exposure),
    (ACTIVE_TITLE, _active_frontend_errors),
]
