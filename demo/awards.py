"""The demo's awards: a reward recorded for the proposer of an adopted item,
이달의 상상지기 for the past months (confirmed, the latest waiting for the
operator), and the best creative policies of the years the demo's items were
completed. Everything goes through awards.services, then is dated at the
moment it tells of (demo.clock.at and the awards' own stamps), so nothing is
stamped with the day the demo was loaded. Idempotent: a second run adds nothing."""

from datetime import datetime, timedelta

from django.utils import timezone

from awards import services
from awards.models import AwardStatus, BestPolicy, MonthlyAward, ProposerReward
from tracking.models import CardKind, CardStage, ManagementCard

from .clock import at, months_later
from .staff import Staff

# Months ranked for 이달의 상상지기, the latest left for the operator to confirm.
AWARD_MONTHS = 6
REWARD_AMOUNT = 100_000
# What the best policies' citations say, in turn.
CITATIONS = [
    "시민의 일상 불편을 정확히 짚고, 부서와 함께 반년 만에 현장을 바꾼 제안입니다.",
    "적은 예산으로 많은 시민이 혜택을 누리게 한 창의적인 정책입니다.",
]


def seed_awards(staff: Staff, now: datetime) -> None:
    """Requires the demo's cards worked on (demo.cards.seed_cards) and its
    answers and comments dated (demo.history)."""
    _reward(staff, now)
    _monthly_awards(staff, now)
    _best_policies(staff, now)


def _adopted_cards():
    return ManagementCard.objects.filter(kind=CardKind.ADOPTED, proposal__author__isnull=False)


def _reward(staff: Staff, now: datetime) -> None:
    """A culture voucher for the proposer of the first completed adopted
    item (else the first adopted one), a month after its adoption."""
    if ProposerReward.objects.exists():
        return
    cards = _adopted_cards().order_by("created_at", "pk")
    card = cards.filter(stage=CardStage.COMPLETED).first() or cards.first()
    if card is None:
        return
    moment = min(card.created_at + timedelta(days=30), now - timedelta(days=1))
    with at(moment):
        reward = services.reward_record(
            card=card,
            user=staff.operator,
            kind="culture_voucher",
            amount_won=REWARD_AMOUNT,
            given_on=timezone.localdate(moment),
            note="실현회의 채택 감사 문화상품권",
        )
    ProposerReward.objects.filter(pk=reward.pk).update(created_at=moment)


def _monthly_awards(staff: Staff, now: datetime) -> None:
    """The rounds of the past AWARD_MONTHS months, each ranked on the 1st
    at 07:30 as the beat does; all but the latest confirmed with their top
    three a few days later."""
    this_month = timezone.localtime(now).replace(day=1, hour=7, minute=30, second=0, microsecond=0)
    for back in range(AWARD_MONTHS, 0, -1):
        ranked_at = months_later(this_month, -back + 1)
        if MonthlyAward.objects.filter(month=services.previous_month(ranked_at)).exists():
            continue
        award = services.monthly_award_rank(now=ranked_at)
        MonthlyAward.objects.filter(pk=award.pk).update(ranked_at=ranked_at)
        confirmed_at = ranked_at + timedelta(days=3, hours=3)
        if back == 1 or award.status != AwardStatus.WAITING or confirmed_at >= now:
            continue  # the latest waits on the operator's home
        winners = [c.pk for c in award.candidates.all()[: services.DEFAULT_WINNERS]]
        with at(confirmed_at):
            services.monthly_award_confirm(award=award, winner_ids=winners, user=staff.operator)
        MonthlyAward.objects.filter(pk=award.pk).update(confirmed_at=confirmed_at)


def _best_policies(staff: Staff, now: datetime) -> None:
    """The completed adopted items, each a best policy of the year it was
    completed, marked a week after its completion."""
    completed = (
        _adopted_cards()
        .filter(stage=CardStage.COMPLETED, best_policy__isnull=True)
        .select_related("proposal")
        .order_by("stage_changed_at", "pk")
    )
    for n, card in enumerate(completed):
        done = timezone.localtime(card.stage_changed_at or card.created_at)
        moment = min(done + timedelta(days=7), now - timedelta(hours=2))
        with at(moment):
            best = services.best_policy_mark(
                card=card,
                user=staff.operator,
                year=done.year,
                citation=CITATIONS[n % len(CITATIONS)],
            )
        BestPolicy.objects.filter(pk=best.pk).update(created_at=moment)
