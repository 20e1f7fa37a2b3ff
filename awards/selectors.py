"""Reading awards: the public pages' lists (confirmed rounds only, best
policies of public items), a member's own rewards, and the rounds waiting
for an operator. Each list costs a fixed number of queries."""

from django.db.models import Prefetch, QuerySet

from tracking.models import ManagementCard
from tracking.selectors import PUBLIC as PUBLIC_CARD

from .models import AwardCandidate, AwardStatus, BestPolicy, MonthlyAward, ProposerReward


def confirmed_rounds() -> QuerySet[MonthlyAward]:
    """Confirmed rounds, newest month first, each with its winners
    (`winners`: best rank first, with official and department)."""
    return (
        MonthlyAward.objects.filter(status=AwardStatus.CONFIRMED)
        .prefetch_related(
            Prefetch(
                "candidates",
                queryset=AwardCandidate.objects.filter(is_winner=True).select_related(
                    "official", "department"
                ),
                to_attr="winners",
            )
        )
        .order_by("-month")
    )


def waiting_rounds() -> QuerySet[MonthlyAward]:
    """Rounds ranked and waiting for an operator's confirmation, oldest first."""
    return MonthlyAward.objects.filter(status=AwardStatus.WAITING).order_by("month")


def best_policies() -> QuerySet[BestPolicy]:
    """Best policies whose item is public (its proposal neither hidden nor
    trashed), by year and order, with what the list shows."""
    return (
        BestPolicy.objects.filter(card__in=_public_cards())
        .select_related("card__proposal", "card__department")
        .order_by("-year", "position", "id")
    )


def _public_cards():
    return ManagementCard.objects.filter(PUBLIC_CARD).values("pk")


def best_policy_years() -> list[int]:
    """The years that have a public best policy, newest first."""
    return list(best_policies().order_by("-year").values_list("year", flat=True).distinct())


def rewards_received(user) -> QuerySet[ProposerReward]:
    """The rewards given to `user` as a proposer, newest first."""
    return (
        ProposerReward.objects.filter(proposer=user)
        .select_related("card__proposal")
        .order_by("-given_on", "-id")
    )


def member_award_data(user) -> dict:
    """A member's rewards and 이달의 상상지기 candidacies, for the export of
    their data (accounts/export.py, registered in apps.py)."""
    return {
        "rewards": [
            {
                "proposal": reward.card.proposal_id,
                "kind": reward.kind,
                "amount_won": reward.amount_won,
                "given_on": reward.given_on.isoformat(),
                "additional": reward.is_addition,
            }
            for reward in rewards_received(user)
        ],
        "monthly_awards": [
            {
                "month": candidate.award.month.strftime("%Y-%m"),
                "rank": candidate.rank,
                "score": candidate.score,
                "winner": candidate.is_winner,
            }
            for candidate in AwardCandidate.objects.filter(official=user)
            .select_related("award")
            .order_by("award__month")
        ],
    }
