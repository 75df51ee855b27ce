"""The demo's building blocks: its people, teams and services, and ``Replay``, which plays a past
incident through the real services with the clock set to the moment each step happened
(``clock``). Declarations, role handoffs, stakeholder updates, reminders and notes therefore carry
their historical timestamps exactly as if Firebreak had been used live, and the timeline stays
append-only: every event is written once, with the right ``occurred_at`` (back-dated notes keep
the ``recorded_at`` of the moment they were written).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from unittest import mock
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group
from django.utils import timezone as django_timezone

from incidents import services
from incidents.models import (
    Incident,
    Service,
    StakeholderUpdate,
    Team,
    TimelineEvent,
)
from oncall.access import ADMIN, RESPONDER, VIEWER
from oncall.models import User

DEMO_PASSWORD = "firebreak-demo"  # noqa: S105 - published demo login (README)
ADMIN_PASSWORD = "firebreak-admin"  # noqa: S105 - published demo login (README)

Audience = StakeholderUpdate.Audience
UpdateKind = StakeholderUpdate.UpdateKind
EventKind = TimelineEvent.EventKind

# username: (first name, last name, time zone, group, password or None for no login)
PEOPLE = {
    "demo": ("Demo", "Responder", "America/Los_Angeles", RESPONDER, DEMO_PASSWORD),
    "admin": ("Firebreak", "Admin", "UTC", ADMIN, ADMIN_PASSWORD),
    "priya": ("Priya", "Raman", "America/Los_Angeles", RESPONDER, None),
    "amara": ("Amara", "Okafor", "America/New_York", RESPONDER, None),
    "tom": ("Tom", "Hughes", "Europe/London", RESPONDER, None),
    "kenji": ("Kenji", "Sato", "Asia/Tokyo", RESPONDER, None),
    "vera": ("Vera", "Lindqvist", "Europe/Stockholm", VIEWER, DEMO_PASSWORD),
}

# slug: (name, members)
TEAMS = {
    "edge": ("Edge & Networking", ["demo", "priya"]),
    "storage": ("Storage", ["amara", "kenji"]),
    "payments": ("Payments", ["tom"]),
    "web": ("Web Frontend", ["demo", "priya", "kenji"]),
}

# slug: (name, team, tier, SLO target, description)
SERVICES = {
    "edge-router": (
        "Edge routing",
        "edge",
        Service.Tier.TIER1,
        "0.9995",
        "Edge routers that terminate TLS and route every request to its backend.",
    ),
    "cloud-network": (
        "Cloud networking",
        "edge",
        Service.Tier.TIER1,
        "0.999",
        "Our networks and links between regions on Google Cloud.",
    ),
    "object-storage": (
        "Uploads & object storage",
        "storage",
        Service.Tier.TIER2,
        "0.999",
        "Image uploads and the images we serve, stored in Amazon S3 (us-east-1).",
    ),
    "checkout": (
        "Checkout",
        "payments",
        Service.Tier.TIER1,
        "0.9995",
        "Basket, payment and order confirmation.",
    ),
    "web-frontend": (
        "Web frontend",
        "web",
        Service.Tier.TIER1,
        "0.999",
        "The website: product pages, search and account pages.",
    ),
}

EDGE_TITLE = "Edge routers rejected traffic after a configuration change"
S3_TITLE = "Uploads and images failing: Amazon S3 us-east-1 outage"
TRAFFIC_TITLE = "Checkout timeouts during a traffic spike"
GCP_TITLE = "Google Cloud networking: elevated packet loss and latency"
PRIVATE_TITLE = "Credential exposure in CI build logs"
ACTIVE_TITLE = "Web frontend: elevated 502 errors on product pages"


@contextmanager
def clock(moment: datetime) -> Iterator[None]:
    """Make ``django.utils.timezone.now()`` return ``moment`` while one past step is replayed.

    Only for this loader: every service stamps "now", and a demo of past incidents needs those
    stamps in the past. The command is single-threaded, so the patch cannot leak into requests.
    """
    with mock.patch.object(django_timezone, "now", return_value=moment):
        yield


def local_clock(zone: str, day: date) -> Callable[..., datetime]:
    """``t("14:04")`` → that wall-clock time on ``day`` in ``zone``; ``days=1`` for the next day."""
    tz = ZoneInfo(zone)

    def at(hhmm: str, *, days: int = 0) -> datetime:
        hour, minute = (int(part) for part in hhmm.split(":"))
        return datetime.combine(day + timedelta(days=days), time(hour, minute), tzinfo=tz)

    return at


@dataclass
class People:
    demo: User
    admin: User
    priya: User
    amara: User
    tom: User
    kenji: User
    vera: User


class Replay:
    """One incident, replayed through the services; each step runs at its own moment."""

    def __init__(self) -> None:
        self._incident: Incident | None = None

    @property
    def incident(self) -> Incident:
        if self._incident is None:
            raise RuntimeError("Declare the incident before replaying later steps.")
        return self._incident

    def declare(self, when: datetime, user, **fields) -> Incident:
        with clock(when):
            self._incident = services.incident_declare(user=user, **fields)
        return self.incident

    def assign(self, when: datetime, user, role: str, assignee) -> None:
        with clock(when):
            services.role_assign(incident=self.incident, user=user, role=role, assignee=assignee)

    def release(self, when: datetime, user, role: str, assignee) -> None:
        with clock(when):
            services.role_release(incident=self.incident, user=user, role=role, assignee=assignee)

    def note(
        self,
        when: datetime,
        user,
        body: str,
        *,
        occurred_at: datetime | None = None,
        highlighted: bool = False,
        corrects: TimelineEvent | None = None,
    ) -> TimelineEvent:
        """A note written at ``when``; ``occurred_at`` back-dates it to when the thing happened."""
        with clock(when):
            return services.timeline_note_add(
                incident=self.incident,
                user=user,
                body=body,
                occurred_at=occurred_at,
                highlighted=highlighted,
                corrects=corrects,
            )

    def update(self, when: datetime, user, body: str, **options) -> None:
        with clock(when):
            services.status_update_post(incident=self.incident, user=user, body=body, **options)

    def status(self, when: datetime, user, status: str, note: str = "", *, highlight=False) -> None:
        with clock(when):
            self._incident = services.incident_change_status(
                incident=self.incident, user=user, status=status, note=note
            )
            if highlight:
                self._highlight_latest(EventKind.STATUS_CHANGED, user)

    def mitigate(self, when: datetime, user, at: datetime, note: str) -> None:
        with clock(when):
            self._incident = services.incident_mitigate(
                incident=self.incident, user=user, at=at, note=note
            )
            self._highlight_latest(EventKind.MITIGATED, user)

    def highlight_declaration(self, user) -> None:
        self._highlight_latest(EventKind.DECLARED, user)

    def fire_due_reminders(self, when: datetime) -> None:
        """What the beat sweep and a worker would have done at ``when``."""
        with clock(when):
            for reminder_id in services.reminders_claim_due(now=when):
                services.reminder_fire(reminder_id=reminder_id)

    def _highlight_latest(self, kind: str, user) -> None:
        event = self.incident.timeline.filter(kind=kind).latest("id")
        services.timeline_event_highlight(
            incident=self.incident, user=user, event=event, highlighted=True
        )


# --- people and the service catalogue ---------------------------------------------------------


def ensure_people() -> People:
    users = {}
    for username, (first, last, zone, group, password) in PEOPLE.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@firebreak.example",
                timezone=zone,
                is_staff=group == ADMIN,
                is_superuser=group == ADMIN,
            )
            if password:
                user.set_password(password)
            else:
                user.set_unusable_password()
            user.save()
            # The groups come from a migration; get_or_create also survives a flushed database.
            user.groups.add(Group.objects.get_or_create(name=group)[0])
        users[username] = user
    return People(**users)


def ensure_catalogue(admin: User) -> None:
    for slug, (name, member_names) in TEAMS.items():
        if not Team.objects.filter(slug=slug).exists():
            members = list(User.objects.filter(username__in=member_names))
            services.team_create(user=admin, slug=slug, name=name, members=members)
    for slug, (name, team_slug, tier, slo, description) in SERVICES.items():
        if not Service.objects.filter(slug=slug).exists():
            services.service_create(
                user=admin,
                slug=slug,
                name=name,
                description=description,
                tier=tier,
                team=Team.objects.get(slug=team_slug),
                slo_target=Decimal(slo),
            )


# --- the incidents, oldest first, so INC numbers follow history ---------------------------------
