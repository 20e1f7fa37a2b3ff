"""Two operators at once, on the real PostgreSQL server: a round confirmed
from two tabs at the same moment is confirmed once (one is refused, one
notice each, one audit row); two first rewards for one item make one; the
monthly task run twice at once makes one round."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import AuditRecord
from awards import services
from awards.models import AwardCandidate, AwardStatus, MonthlyAward, ProposerReward
from notifications.models import Notification
from oasis.errors import ServiceError
from proposals import services as proposal_services
from tests.factories import DepartmentFactory, ProposalFactory, official, operator
from tests.threads import run_at_once
from tests.tracking.helpers import adopted_card

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def next_month_start():
    """The first moment of next month: the task run then ranks this month."""
    return services.month_bounds(timezone.localdate().replace(day=1))[1]


def _round():
    roads = DepartmentFactory()
    for person in (official(roads), official(roads)):
        proposal_services.comment_create(proposal=ProposalFactory(), author=person, body="검토")
    return services.monthly_award_rank(now=next_month_start())


def test_a_round_confirmed_twice_at_once_is_confirmed_once():
    award = _round()
    ids = [c.pk for c in award.candidates.all()]
    bosses = [operator(), operator()]

    results = run_at_once(
        [
            lambda boss=boss: services.monthly_award_confirm(award=award, winner_ids=ids, user=boss)
            for boss in bosses
        ]
    )

    assert sum(isinstance(r, MonthlyAward) for r in results) == 1
    assert sum(isinstance(r, ServiceError) for r in results) == 1
    assert MonthlyAward.objects.get().status == AwardStatus.CONFIRMED
    assert AuditRecord.objects.filter(action="awards.monthly_award_confirmed").count() == 1
    assert Notification.objects.filter(kind="monthly_award_won").count() == 2


def test_two_first_rewards_at_once_make_one():
    card = adopted_card()
    bosses = [operator(), operator()]

    results = run_at_once(
        [
            lambda boss=boss: services.reward_record(
                card=card,
                user=boss,
                kind="culture_voucher",
                amount_won=50000,
                given_on=dt.date(2026, 1, 1),
            )
            for boss in bosses
        ]
    )

    assert sum(isinstance(r, ServiceError) for r in results) == 1
    assert ProposerReward.objects.count() == 1


def test_the_monthly_task_run_twice_at_once_makes_one_round():
    roads = DepartmentFactory()
    proposal_services.comment_create(
        proposal=ProposalFactory(), author=official(roads), body="검토"
    )
    moment = next_month_start()

    results = run_at_once([lambda: services.monthly_award_rank(now=moment)] * 2)

    assert all(isinstance(r, MonthlyAward) for r in results), results
    assert MonthlyAward.objects.count() == 1
    assert AwardCandidate.objects.count() == 1
