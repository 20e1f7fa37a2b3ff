"""Issue 16, the seam between the conductor and the answers: a partner
institution's proposal past the answer bar that no department could be
given waits on its administrators' home ("could not be assigned"), and
they assign it by hand (answers.open_assignment asked with it). They are
told so, as the city's operators are; another institution's administrators
and a city proposal's never hear of it."""

import pytest
from django.urls import reverse

from notifications.models import Notification
from pipeline import services as pipeline
from proposals.models import ProposalStatus
from tests.factories import CategoryFactory, ProposalFactory, operator
from tests.institutions.orgadmin_world import institution, institution_admin
from tests.pages import logged_in

pytestmark = pytest.mark.django_db


def blocked(of, key):
    """A proposal of `of` (None: the city's) past every bar, in a category
    with no department to answer it."""
    category = CategoryFactory(code=f"orphan-{key}", default_department=None, institution=of)
    return ProposalFactory(
        status=ProposalStatus.OPEN,
        category=category,
        institution=of,
        title=f"배정할 곳이 없는 제안 {key}",
        endorsement_count=100_000,
    )


def told(proposal) -> set[int]:
    return set(
        Notification.objects.filter(kind="assignment_blocked", proposal_id=proposal.pk).values_list(
            "recipient_id", flat=True
        )
    )


def test_an_institutions_blocked_proposal_is_told_to_its_administrators_and_the_operators():
    a, b = institution("A"), institution("B")
    city_operator, a_admin, b_admin = operator(), institution_admin(a), institution_admin(b)
    proposal = blocked(a, "a")

    assert pipeline.promote_if_due(proposal_id=proposal.pk) is None

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.OPEN
    assert told(proposal) == {city_operator.pk, a_admin.pk}
    # The notice leads A's administrator to the screen where they assign it.
    notice = Notification.objects.get(kind="assignment_blocked", recipient=a_admin)
    assert notice.url == reverse("admin:proposals_proposal_assign", args=[proposal.pk])
    assert logged_in(a_admin).get(notice.url).status_code == 200
    assert b_admin.pk not in told(proposal)


def test_a_city_proposal_blocked_is_the_operators_alone():
    a = institution("A")
    city_operator, a_admin = operator(), institution_admin(a)
    proposal = blocked(None, "city")

    pipeline.promote_if_due(proposal_id=proposal.pk)

    assert told(proposal) == {city_operator.pk}
    assert a_admin.pk not in told(proposal)
