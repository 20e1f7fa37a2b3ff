"""The refresh on the real PostgreSQL server, with others at work: two
refreshes at once, and refreshes while proposals are being written and the
figures read. The figures (tallies) must always say what their lists (the
facts) say, and end equal to the proposals the public sees."""

import threading

import pytest

from oasis.snapshot import consistent_snapshot
from proposals import services as proposal_services
from proposals.models import Proposal
from stats import figures
from stats import refresh as counting
from stats.models import ProposalFact, Refresh
from tests.factories import CategoryFactory, ProposalFactory, operator
from tests.stats.helpers import tallies_disagreeing_with_facts
from tests.threads import run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_refreshes_at_once_take_turns_and_count_right():
    category = CategoryFactory()
    for _ in range(30):
        ProposalFactory(category=category)
    counting.refresh()
    ProposalFactory(category=category)

    results = run_at_once([counting.refresh, lambda: counting.refresh(full=True)])

    assert all(isinstance(r, Refresh) for r in results), results
    first, second = sorted(results, key=lambda r: r.started_at)
    # One at a time: the second began counting when the first had finished.
    assert second.started_at >= first.finished_at
    assert figures.totals().received == 31 == ProposalFact.objects.count()
    assert tallies_disagreeing_with_facts() == []


def test_a_refresh_while_proposals_are_written_never_shows_figures_disagreeing_with_lists(
    monkeypatch,
):
    # Small chunks, so a full refresh writes its facts in many statements.
    monkeypatch.setattr(counting, "CHUNK", 20)
    category = CategoryFactory()
    staff = operator()
    existing = [ProposalFactory(category=category) for _ in range(120)]
    counting.refresh()
    done = threading.Event()
    seen = []

    def refresher():
        try:
            for _ in range(3):
                counting.refresh(full=True)
                counting.refresh()
        finally:
            done.set()
        return "refreshed"

    def reader():
        # What a page does: a figure, and the list it links to.
        while not done.is_set():
            with consistent_snapshot():
                figure = figures.totals().received
                listed = ProposalFact.objects.filter(is_public=True).count()
            seen.append((figure, listed))
        return "read"

    def writer():
        for number, proposal in enumerate(existing[:30]):
            ProposalFactory(category=category)
            if number % 3 == 0:
                proposal_services.proposal_hide(proposal=proposal, user=staff, reason="광고")
            elif number % 3 == 1:
                proposal_services.proposal_withdraw(proposal=proposal, user=proposal.author)
        return "wrote"

    results = run_at_once([refresher, reader, reader, writer], timeout=300)

    assert results == ["refreshed", "read", "read", "wrote"], results
    assert seen and [pair for pair in seen if pair[0] != pair[1]] == []
    counting.refresh()
    assert tallies_disagreeing_with_facts() == []
    assert figures.totals().received == Proposal.objects.public().count() == 140
