"""Fixtures for the knowledge base: incidents and postmortems written through the services, with
the domain signals (sent on commit) delivered so the search index follows them."""

from __future__ import annotations

import pytest

from postmortems import services
from postmortems.models import SectionPurpose
from tests.factories import ServiceFactory, TeamFactory, declare


@pytest.fixture
def write(django_capture_on_commit_callbacks):
    """``write(fn, **kwargs)`` calls a service and delivers its on-commit signals."""

    def call(fn, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(**kwargs)

    return call


@pytest.fixture
def write_postmortem(write):
    """Declare an incident and write its postmortem with the given root cause."""

    def make(user, *, title, root_cause, summary="", private=False, services_=(), **incident):
        incident = write(
            declare,
            user=user,
            title=title,
            summary=summary,
            private=private,
            services=list(services_),
            **incident,
        )
        postmortem = write(services.postmortem_create, user=user, incident=incident)
        section = postmortem.sections.filter(purpose=SectionPurpose.ROOT_CAUSE).first()
        result = write(
            services.postmortem_save,
            user=user,
            postmortem=postmortem,
            version=postmortem.version,
            sections=[{"key": section.key, "body": root_cause}],
        )
        return result.postmortem

    return make


@pytest.fixture
def payments(db):
    return ServiceFactory(slug="payments", name="Payments", team=TeamFactory(slug="money"))


@pytest.fixture
def edge(db):
    return ServiceFactory(slug="edge", name="Edge", team=TeamFactory(slug="network"))


@pytest.fixture
def archive(responder, write_postmortem, payments, edge):
    """Three public postmortems about different failures, on different services."""
    return {
        "certificate": write_postmortem(
            responder,
            title="Checkout down for partners",
            root_cause="The TLS certificate of the partner gateway expired on Sunday because "
            "renewal was a manual step nobody owned.",
            services_=["payments"],
            severity="SEV1",
            trigger_category="config_change",
        ),
        "dns": write_postmortem(
            responder,
            title="Login slow everywhere",
            root_cause="A DNS resolver change doubled lookup latency; caches expired together.",
            services_=["edge"],
            severity="SEV2",
            trigger_category="infrastructure_change",
        ),
        "queue": write_postmortem(
            responder,
            title="Emails delayed by hours",
            root_cause="The mail queue filled because a consumer deploy crashed on startup.",
            services_=["payments"],
            severity="SEV3",
            trigger_category="code_change",
        ),
    }
