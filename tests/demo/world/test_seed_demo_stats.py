"""The demo counts the open statistics once when it loads (issue 15), so
/stats/ has figures at once: every proposal has its fact, the figures equal
the proposals the public sees, and every stage of the funnel has some."""

import pytest

from proposals.models import Proposal
from stats import figures
from stats.models import ProposalFact, Refresh
from tests.stats.helpers import tallies_disagreeing_with_facts

pytestmark = pytest.mark.django_db


def test_the_demo_is_counted_once_and_its_figures_are_the_public_proposals(world):
    assert Refresh.objects.filter(full=True, finished_at__isnull=False).count() == 1
    assert figures.as_of() is not None
    assert ProposalFact.objects.count() == Proposal.objects.count()
    total = figures.totals()
    assert total.received == Proposal.objects.public().count()
    funnel = [total.received, total.answered, total.debated, total.on_agenda, total.adopted]
    assert funnel == sorted(funnel, reverse=True) and total.adopted > 0
    assert total.completed <= total.adopted
    assert figures.timeliness() and figures.by_year()
    assert tallies_disagreeing_with_facts() == []
