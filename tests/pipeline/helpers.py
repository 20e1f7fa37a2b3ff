"""Helpers for the conductor's tests."""

from panel.models import PanelRating
from proposals.models import Proposal
from tests.factories import UserFactory


def panel_rated(proposal: Proposal, *ratings: tuple[int, int, int]) -> Proposal:
    """`proposal` rated by one panel member per (creativity, public value,
    feasibility) triple, with its counters as panel's rating service keeps
    them (Proposal.panel_rating_count, and panel_score: the mean of the
    three scores over all ratings, in hundredths, rounded half up). Written
    directly so the conductor's tests do not depend on who may rate when
    (panel's rules); the panel's own tests rate through its service."""
    for creativity, public_value, feasibility in ratings:
        PanelRating.objects.create(
            proposal=proposal,
            member=UserFactory(),
            creativity=creativity,
            public_value=public_value,
            feasibility=feasibility,
        )
    total, count = sum(map(sum, ratings)), len(ratings)
    score = (200 * total + 3 * count) // (6 * count) if count else 0
    Proposal.objects.filter(pk=proposal.pk).update(panel_rating_count=count, panel_score=score)
    proposal.refresh_from_db()
    return proposal
