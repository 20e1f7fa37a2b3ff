"""The panel score and count stay exact when panel members rate one
proposal at the same moment, and one member's two tabs make one rating and
one clear refusal, on the real PostgreSQL server (the proposal's row lock is
what makes them hold)."""

import pytest

from oasis.errors import ServiceError
from panel.models import PanelApplication, PanelRating
from panel.services import panel_score_of
from tests.factories import UserFactory
from tests.threads import run_at_once

from .helpers import open_proposal, panel_member, rate

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _run_at_once(callables):
    return run_at_once(callables, language=None)


def test_many_members_rating_at_once_keep_the_count_and_score_exact():
    proposal = open_proposal()
    members = [panel_member() for _ in range(12)]
    scores = [(1 + i % 5, 1 + (i * 2) % 5, 1 + (i * 3) % 5) for i in range(len(members))]
    results = _run_at_once(
        [lambda m=m, s=s: rate(proposal, m, *s) for m, s in zip(members, scores, strict=True)]
    )
    assert [r for r in results if isinstance(r, Exception)] == []
    proposal.refresh_from_db()
    assert (
        proposal.panel_rating_count == PanelRating.objects.filter(proposal=proposal).count() == 12
    )
    assert proposal.panel_score == panel_score_of(sum(map(sum, scores)), 12)


def test_one_member_rating_from_two_tabs_makes_one_rating_and_a_clear_refusal():
    proposal = open_proposal()
    member = panel_member()
    results = _run_at_once(
        [lambda: rate(proposal, member, 5, 5, 5), lambda: rate(proposal, member, 1, 1, 1)]
    )
    refusals = [r for r in results if isinstance(r, ServiceError)]
    assert (
        len(refusals) == 1 and "이미 이 제안을 평가했어요" in refusals[0].message
    )  # threads speak Korean
    proposal.refresh_from_db()
    assert proposal.panel_rating_count == 1
    assert proposal.panel_score in (500, 100)


def test_two_applications_sent_together_make_one():
    from panel import services

    member = UserFactory()
    results = _run_at_once(
        [lambda: services.panel_apply(member=member, motivation="함께하고 싶어요")] * 2
    )
    refusals = [r for r in results if isinstance(r, ServiceError)]
    assert len(refusals) == 1 and "이미 결정을 기다리고" in refusals[0].message
    assert PanelApplication.objects.filter(member=member).count() == 1
