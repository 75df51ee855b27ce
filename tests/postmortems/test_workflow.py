"""Review and publication: draft → in review → published; snapshots; amendments."""

from __future__ import annotations

import pytest

from config.errors import PermissionDenied, ValidationFailed
from incidents import services as incident_services
from oncall.models import Notification
from postmortems import services
from postmortems.models import PostmortemRevision
from postmortems.rendering import render_document
from tests.factories import UserFactory
from tests.postmortems.conftest import la


@pytest.fixture
def reviewer(db):
    return UserFactory(username="rev", first_name="Rev", groups=["responder"])


def _clean_draft(postmortem, user):
    """A draft without warnings: blameless text and an action item."""
    services.action_item_create(user=user, postmortem=postmortem, title="Lint route configs in CI")
    services.postmortem_save(
        user=user,
        postmortem=postmortem,
        version=postmortem.version,
        sections=[{"key": "summary", "body": "We changed a route."}],
    )
    postmortem.refresh_from_db()
    return postmortem


def test_full_review_and_publication(postmortem, responder, reviewer):
    _clean_draft(postmortem, responder)
    services.postmortem_submit(user=responder, postmortem=postmortem, reviewers=[reviewer])
    postmortem.refresh_from_db()
    assert postmortem.status == "in_review"
    assert Notification.objects.filter(
        recipient=reviewer, subject__startswith="Review requested"
    ).exists()

    with pytest.raises(ValidationFailed, match="Waiting for approval from: Rev"):
        services.postmortem_publish(user=responder, postmortem=postmortem)
    services.postmortem_review(user=reviewer, postmortem=postmortem, decision="approved")
    published = services.postmortem_publish(
        user=responder, postmortem=postmortem, visibility="customers"
    )
    assert (published.status, published.visibility) == ("published", "customers")
    assert published.published_at is not None
    assert PostmortemRevision.objects.filter(postmortem=postmortem, kind="published").exists()


def test_requesting_changes_sends_it_back_to_draft_with_a_comment(postmortem, responder, reviewer):
    services.postmortem_submit(user=responder, postmortem=postmortem, reviewers=[reviewer])
    with pytest.raises(ValidationFailed, match="Say what should change"):
        services.postmortem_review(
            user=reviewer, postmortem=postmortem, decision="changes_requested"
        )
    services.postmortem_review(
        user=reviewer,
        postmortem=postmortem,
        decision="changes_requested",
        comment="Add impact numbers",
    )
    postmortem.refresh_from_db()
    assert postmortem.status == "draft"
    assert Notification.objects.filter(recipient=responder, body="Add impact numbers").exists()


def test_reviewer_must_acknowledge_warnings_to_approve(postmortem, responder, reviewer):
    services.postmortem_save(
        user=responder,
        postmortem=postmortem,
        version=1,
        sections=[{"key": "summary", "body": "Rita failed to test."}],
    )
    services.postmortem_submit(user=responder, postmortem=postmortem, reviewers=[reviewer])
    with pytest.raises(ValidationFailed) as refused:
        services.postmortem_review(user=reviewer, postmortem=postmortem, decision="approved")
    assert refused.value.code == "warnings_not_acknowledged"
    review = services.postmortem_review(
        user=reviewer, postmortem=postmortem, decision="approved", acknowledge_warnings=True
    )
    assert {w["rule"] for w in review.acknowledged_warnings} >= {
        "person_name",
        "blame_verb",
        "no_action_items",
    }


def test_only_chosen_reviewers_review_and_not_the_author(
    postmortem, responder, reviewer, other_responder
):
    with pytest.raises(ValidationFailed, match="cannot review their own"):
        services.postmortem_submit(user=responder, postmortem=postmortem, reviewers=[responder])
    with pytest.raises(ValidationFailed, match="one or two reviewers"):
        services.postmortem_submit(user=responder, postmortem=postmortem, reviewers=[])
    services.postmortem_submit(user=responder, postmortem=postmortem, reviewers=[reviewer])
    with pytest.raises(PermissionDenied):
        services.postmortem_review(
            user=other_responder,
            postmortem=postmortem,
            decision="approved",
            acknowledge_warnings=True,
        )


def test_an_edit_after_approval_needs_a_fresh_approval(postmortem, responder, reviewer):
    _clean_draft(postmortem, responder)
    services.postmortem_submit(user=responder, postmortem=postmortem, reviewers=[reviewer])
    services.postmortem_review(user=reviewer, postmortem=postmortem, decision="approved")
    postmortem.refresh_from_db()
    services.postmortem_save(
        user=responder,
        postmortem=postmortem,
        version=postmortem.version,
        sections=[{"key": "impact", "body": "More"}],
    )
    with pytest.raises(ValidationFailed, match="Waiting for approval"):
        services.postmortem_publish(user=responder, postmortem=postmortem)


def test_only_owner_commander_or_admin_publishes(postmortem, responder, reviewer, other_responder):
    _clean_draft(postmortem, responder)
    services.postmortem_submit(user=responder, postmortem=postmortem, reviewers=[reviewer])
    services.postmortem_review(user=reviewer, postmortem=postmortem, decision="approved")
    with pytest.raises(PermissionDenied):
        services.postmortem_publish(user=other_responder, postmortem=postmortem)


def test_generated_blocks_are_frozen_at_publication_and_amendments_are_revisions(
    postmortem, responder, reviewer, edge_incident
):
    _clean_draft(postmortem, responder)
    services.postmortem_submit(user=responder, postmortem=postmortem, reviewers=[reviewer])
    services.postmortem_review(user=reviewer, postmortem=postmortem, decision="approved")
    published = services.postmortem_publish(user=responder, postmortem=postmortem)
    incident_services.timeline_note_add(
        incident=edge_incident,
        user=responder,
        body="Late highlight",
        occurred_at=la(15, 0),
        highlighted=True,
    )
    assert "Late highlight" not in render_document(published).values["timeline"]

    amended = services.postmortem_save(
        user=responder,
        postmortem=published,
        version=published.version,
        sections=[{"key": "summary", "body": "We changed a route; corrected."}],
    ).postmortem
    assert amended.status == "published"
    assert PostmortemRevision.objects.filter(
        postmortem=postmortem, kind="amended", version=amended.version
    ).exists()
    assert "Late highlight" not in render_document(amended).values["timeline"]


def test_submit_twice_keeps_the_earlier_review_round(
    postmortem, responder, reviewer, other_responder
):
    services.postmortem_submit(user=responder, postmortem=postmortem, reviewers=[reviewer])
    services.postmortem_review(
        user=reviewer, postmortem=postmortem, decision="changes_requested", comment="More"
    )
    services.postmortem_submit(
        user=responder, postmortem=postmortem, reviewers=[reviewer, other_responder]
    )
    reviews = list(
        postmortem.reviews.order_by("id").values_list("reviewer__username", "decision", "active")
    )
    assert reviews == [
        ("rev", "changes_requested", False),
        ("rev", "pending", True),
        ("omar", "pending", True),
    ]
