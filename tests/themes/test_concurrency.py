"""Proposals to a theme at the moment it closes, on the real PostgreSQL
server: every proposal either lands before the close (and is counted) or is
refused with the theme's message (and nothing of it is written); the count
equals the standing rows; a proposal hidden while others arrive keeps the
count exact."""

import pytest

from oasis.errors import ServiceError
from proposals import services as proposal_services
from proposals.models import Proposal
from tests.factories import UserFactory, operator
from tests.themes.helpers import make_theme, proposal_fields
from tests.threads import run_at_once
from themes import services
from themes.models import Theme, ThemeProposal, ThemeStatus

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_proposals_racing_the_close_land_before_it_or_are_refused_and_the_count_stays_exact():
    theme = make_theme()
    authors = [UserFactory() for _ in range(6)]
    fields = [proposal_fields(title=f"경주 제안 {n}") for n in range(6)]
    staff = operator()
    already = services.theme_propose(theme=theme, author=UserFactory(), **proposal_fields())

    calls = [
        lambda author=author, values=values: services.theme_propose(
            theme=theme, author=author, **values
        )
        for author, values in zip(authors, fields, strict=True)
    ]
    calls.insert(3, lambda: services.theme_close(theme=theme, actor=staff, reason="마감"))
    calls.append(
        lambda: proposal_services.proposal_hide(proposal=already, user=staff, reason="광고")
    )
    results = run_at_once(calls)

    assert not [r for r in results if isinstance(r, Exception) and not isinstance(r, ServiceError)]
    proposing = results[:3] + results[4:7]  # the close is at 3, the hiding last
    assert isinstance(results[3], Theme) and isinstance(results[7], Proposal)
    landed = [r for r in proposing if isinstance(r, Proposal)]
    refused = [r for r in proposing if isinstance(r, ServiceError)]
    assert len(landed) + len(refused) == 6
    theme = Theme.objects.get(pk=theme.pk)
    assert theme.status == ThemeStatus.CLOSED
    assert ThemeProposal.objects.filter(theme=theme).count() == len(landed) + 1
    assert Proposal.objects.count() == len(landed) + 1  # nothing of a refused one
    assert theme.proposal_count == len(landed)  # the hidden one is not counted
    assert services.proposal_count_reconcile(theme=theme) == len(landed)
    for proposal in landed:
        assert proposal.created_at <= theme.closed_at
