"""The demo shows the awards (issue 13): a reward recorded for an adopted
proposer, past months of Officials of the month confirmed with the latest waiting
for the operator, and a best creative policy, on the public pages, the
proposer's page and the operator's home, each dated before the loading."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from awards.models import AwardStatus, BestPolicy, MonthlyAward, ProposerReward
from demo.members import OPERATOR_EMAIL
from tests.pages import logged_in, page_text

pytestmark = pytest.mark.django_db


def test_past_months_are_confirmed_and_the_latest_waits_for_the_operator(world):
    rounds = list(MonthlyAward.objects.order_by("month"))
    assert len(rounds) == 6
    confirmed = [a for a in rounds if a.status == AwardStatus.CONFIRMED]
    assert len(confirmed) >= 2
    assert all(a.candidates.filter(is_winner=True).exists() for a in confirmed)
    assert rounds[-1].status == AwardStatus.WAITING
    assert all(a.ranked_at < world.started for a in rounds)
    assert all(a.confirmed_at < world.started for a in confirmed)

    public = page_text(Client().get(reverse("awards:monthly")))
    for award in confirmed:
        assert award.month.strftime("%Y-%m") in public
    assert rounds[-1].month.strftime("%Y-%m") not in public

    home = page_text(logged_in(User.objects.get(email=OPERATOR_EMAIL)).get(reverse("admin:index")))
    assert "Officials of the month waiting for confirmation" in home


def test_an_adopted_proposer_has_a_reward_on_their_page(world):
    reward = ProposerReward.objects.get()
    assert reward.created_at < world.started
    mine = page_text(logged_in(reward.proposer).get(reverse("me")))
    assert "Rewards received" in mine and reward.card.proposal.title in mine


def test_a_completed_item_is_a_best_creative_policy(world):
    best = BestPolicy.objects.select_related("card__proposal").first()
    assert best is not None and best.created_at < world.started
    page = Client().get(reverse("awards:best"))
    assert best.card.proposal.title in page_text(page)
