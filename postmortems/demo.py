"""The demo's postmortems: the drafts the resolved demo incidents required, written up.

Two are published to the public status page, one waits for review, one is half-written and the
private incident's stays a draft only its members see. Their action items are in every state
(done, in progress, open and overdue), and two of them were asked for twice — by postmortems of
different incidents — so the *Repeated actions* page, the backlog check of similar incidents and
the follow-through figures of the quarterly report all have something to show.

Each step runs with the clock set to a few days after the incident (``incidents.demo.clock``), so
revisions, reviews and completed items carry plausible historical dates. Idempotent: a postmortem
that already has a saved revision or an action item is left alone (it may be a user's own work).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction

from config.errors import ApplicationError
from incidents.demo import DemoLoadError, People, clock
from incidents.models import Incident
from postmortems import services
from postmortems.models import ActionItem, Postmortem, Visibility

ItemType = ActionItem.ItemType
Priority = ActionItem.Priority
ItemStatus = ActionItem.ItemStatus

# Asked for by two postmortems each: the repeated actions page lists them.
BURN_RATE_ALERT = "Alert on the error-budget burn rate"
FAILOVER_RUNBOOK = "Write a runbook for moving traffic to another region"


@dataclass(frozen=True)
class Item:
    title: str
    owner: str  # a demo username
    status: str = ItemStatus.OPEN
    item_type: str = ItemType.PREVENT
    priority: str = Priority.MEDIUM
    description: str = ""


@dataclass(frozen=True)
class Writeup:
    incident_title: str
    author: str  # the draft's owner (the commander when it resolved): only they may publish
    reviewer: str
    summary: str
    root_cause: str
    items: list[Item] = field(default_factory=list)
    # "draft" (written, not submitted), "in_review" or "published"
    stage: str = "draft"
    visibility: str = Visibility.INTERNAL
    days_after: int = 3


WRITEUPS = [
    Writeup(
        incident_title="Edge routers rejected traffic after a configuration change",
        author="demo",
        reviewer="priya",
        stage="published",
        visibility=Visibility.PUBLIC,
        summary=(
            "On 22 February 2016 a routing change introduced a route our edge routers' parser "
            "could not read. When the routers reloaded their configuration at 14:12 PST, the "
            "affected routers stopped routing requests until the change was rolled back at "
            "15:17. About 40% of requests to the website and the public API failed for 65 "
            "minutes."
        ),
        root_cause=(
            "The new route used a wildcard host that the configuration parser did not accept. "
            "The parser raised an exception instead of rejecting the one route, and the router "
            "process kept no last good configuration, so every router that reloaded stopped "
            "routing.\n\nThe change was reviewed, but nothing validated the rendered "
            "configuration before it reached every router at once, and no alert fired on the "
            "rising error rate: we learned of the outage from customers 33 minutes in."
        ),
        items=[
            Item(
                "Validate rendered router configuration in CI",
                "priya",
                ItemStatus.DONE,
                priority=Priority.HIGH,
                description="Run the router's own parser on every rendered configuration.",
            ),
            Item(
                "Canary configuration changes before a global rollout",
                "demo",
                ItemStatus.DONE,
                priority=Priority.HIGH,
            ),
            Item(BURN_RATE_ALERT, "priya", ItemStatus.DONE, item_type=ItemType.DETECT),
            Item(
                "Keep the last good configuration when a reload fails",
                "kenji",
                ItemStatus.IN_PROGRESS,
                item_type=ItemType.MITIGATE,
            ),
        ],
    ),
    Writeup(
        incident_title="Uploads and images failing: Amazon S3 us-east-1 outage",
        author="priya",
        reviewer="amara",
        stage="published",
        visibility=Visibility.PUBLIC,
        summary=(
            "Amazon S3 in us-east-1 was unavailable for four hours. Image uploads failed and "
            "existing images did not load; the rest of the site kept working, and from 18:10 "
            "the upload form showed a maintenance banner instead of an error."
        ),
        root_cause=(
            "Our uploads and images live in a single S3 region. When S3 in us-east-1 failed we "
            "had no copy elsewhere and no practised way to serve from another region, so we "
            "could only wait for Amazon's recovery. The status page we relied on to confirm "
            "the outage was itself hosted on S3 and stayed green."
        ),
        items=[
            Item(
                "Replicate images to a second region",
                "amara",
                ItemStatus.IN_PROGRESS,
                priority=Priority.HIGH,
            ),
            Item(FAILOVER_RUNBOOK, "kenji", ItemStatus.DONE, item_type=ItemType.MITIGATE),
            Item(
                "Show the maintenance banner automatically when uploads fail",
                "demo",
                item_type=ItemType.MITIGATE,
                priority=Priority.LOW,
            ),
        ],
    ),
    Writeup(
        incident_title="Checkout timeouts during a traffic spike",
        author="tom",
        reviewer="amara",
        stage="in_review",
        summary=(
            "A promotional e-mail brought four times the usual traffic to checkout. The "
            "autoscaler reached its instance limit and about 15% of checkout attempts timed out "
            "for 34 minutes, until we raised the limit and scaled out by hand."
        ),
        root_cause=(
            "The autoscaler's maximum of 12 instances dated from last year's traffic. Marketing "
            "scheduled the campaign without telling the payments team, and no alert watched "
            "checkout latency against its SLO, so the first signal was a support ticket."
        ),
        items=[
            Item(
                "Raise the checkout autoscaler limit and review it each quarter",
                "tom",
                ItemStatus.DONE,
                priority=Priority.HIGH,
            ),
            Item(BURN_RATE_ALERT, "tom", item_type=ItemType.DETECT, priority=Priority.HIGH),
            Item(
                "Add large campaigns to the on-call calendar",
                "tom",
                item_type=ItemType.PROCESS,
                priority=Priority.LOW,
            ),
        ],
    ),
    Writeup(
        incident_title="Google Cloud networking: elevated packet loss and latency",
        author="kenji",
        reviewer="priya",
        summary=(
            "Google Cloud networking had elevated packet loss and latency for 98 minutes. "
            "Requests between our regions were slow or timed out until we shifted most traffic "
            "to the least affected region and Google mitigated the problem."
        ),
        root_cause=(
            "A provider failure we cannot prevent. What made it worse: shifting traffic took "
            "40 minutes because the steps were not written down anywhere."
        ),
        items=[
            Item(FAILOVER_RUNBOOK, "kenji", ItemStatus.IN_PROGRESS, item_type=ItemType.MITIGATE)
        ],
    ),
    Writeup(
        incident_title="Credential exposure in CI build logs",
        author="kenji",
        reviewer="demo",
        summary="A deploy token was printed in a CI build log; it was revoked and rotated.",
        root_cause=(
            "A debug line added to a build script printed the whole environment, and the CI "
            "system masks only secrets it was told about."
        ),
        items=[
            Item(
                "Mask every secret in CI logs",
                "demo",
                ItemStatus.DONE,
                priority=Priority.HIGH,
            ),
            Item("Scan build logs for tokens", "kenji", item_type=ItemType.DETECT),
        ],
    ),
]


@dataclass
class PostmortemsLoaded:
    written: list[Postmortem] = field(default_factory=list)
    existing: list[Postmortem] = field(default_factory=list)


def _untouched(postmortem: Postmortem) -> bool:
    """Still the draft the incident's resolution created: no saved edit, no action item."""
    return postmortem.version == 1 and not postmortem.action_items.exists()


def _write(writeup: Writeup, postmortem: Postmortem, people: People) -> Postmortem:
    """Precondition: the postmortem's incident is resolved (its draft is dated after that)."""
    author = getattr(people, writeup.author)
    reviewer = getattr(people, writeup.reviewer)
    incident = postmortem.incident
    assert incident.resolved_at is not None
    start = incident.resolved_at + timedelta(days=writeup.days_after)
    with clock(start):
        sections = {s.key: s.body for s in postmortem.sections.all()}
        services.postmortem_save(
            user=author,
            postmortem=postmortem,
            version=postmortem.version,
            sections=[
                {"key": "summary", "body": writeup.summary},
                {"key": "root_cause", "body": writeup.root_cause},
                *(
                    [{"key": "impact", "body": f"{incident.impact}\n\n{sections['impact']}"}]
                    if "impact" in sections and incident.impact
                    else []
                ),
            ],
            note="First draft",
        )
        items = [
            services.action_item_create(
                user=author,
                postmortem=postmortem,
                title=item.title,
                description=item.description,
                item_type=item.item_type,
                priority=item.priority,
                owner=getattr(people, item.owner),
            )
            for item in writeup.items
        ]
    if writeup.stage in ("in_review", "published"):
        with clock(start + timedelta(days=1)):
            services.postmortem_submit(user=author, postmortem=postmortem, reviewers=[reviewer])
    if writeup.stage == "published":
        with clock(start + timedelta(days=2)):
            services.postmortem_review(
                user=reviewer,
                postmortem=postmortem,
                decision="approved",
                comment="Clear and blameless. Thanks for the detail on detection.",
                acknowledge_warnings=True,
            )
            services.postmortem_publish(
                user=author, postmortem=postmortem, visibility=writeup.visibility
            )
    for days, (item, spec) in enumerate(zip(items, writeup.items, strict=True), start=5):
        if spec.status == ItemStatus.OPEN:
            continue
        with clock(start + timedelta(days=days)):
            owner = getattr(people, spec.owner)
            services.action_item_update(user=owner, item=item, changes={"status": spec.status})
    return Postmortem.objects.get(pk=postmortem.pk)


def load_demo_postmortems(people: People) -> PostmortemsLoaded:
    """Write up each demo incident's required draft that nobody has touched yet."""
    result = PostmortemsLoaded()
    for writeup in WRITEUPS:
        incident = Incident.objects.filter(title=writeup.incident_title).order_by("number").first()
        postmortem = Postmortem.objects.filter(incident=incident).first() if incident else None
        if incident is None or postmortem is None or incident.resolved_at is None:
            # Not loaded, its draft deleted, or reopened since: nothing to write up.
            continue
        if not _untouched(postmortem):
            result.existing.append(postmortem)
            continue
        # One transaction per postmortem: a failure leaves the draft as it was.
        with transaction.atomic():
            try:
                result.written.append(_write(writeup, postmortem, people))
            except ApplicationError as exc:
                raise DemoLoadError(
                    f"Could not write the postmortem of {incident.reference}: {exc.message}"
                ) from exc
    return result
