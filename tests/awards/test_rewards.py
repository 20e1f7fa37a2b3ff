"""The reward for an adopted proposer, recorded by an operator from the
item's card page as staff use it; the proposer is told and sees it on
their page. A department promise, a second reward not marked as an
addition, a date in the future and an absurd amount are refused with a
message and nothing written; only operators reach the screen."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditRecord
from awards import services
from awards.models import ProposerReward
from notifications.models import Notification
from tests.factories import DepartmentFactory, UserFactory, official, operator
from tests.pages import form_posting_to, logged_in, messages_sent, page_text
from tests.tracking.helpers import adopted_card
from tests.tracking.test_promises import promised

pytestmark = pytest.mark.django_db


def card_page(card) -> str:
    return reverse("admin:tracking_managementcard_change", args=[card.pk])


def reward_url(card) -> str:
    return reverse("admin:awards_proposerreward_record", args=[card.pk])


def filled(form, **values):
    return {**form["fields"], **values}


def reward_form(browser, card):
    """The operator follows the card page's link to the reward screen."""
    page = browser.get(card_page(card))
    assert reward_url(card) in page.content.decode()
    return form_posting_to(browser.get(reward_url(card)), reward_url(card))


TODAY = lambda: timezone.localdate().isoformat()  # noqa: E731


def test_the_operator_records_a_reward_from_the_card_and_the_proposer_sees_it():
    card = adopted_card(title="한강 다리 보행로 넓히기")
    proposer = card.proposal.author
    browser = logged_in(operator(), csrf_checks=True)

    form = reward_form(browser, card)
    response = browser.post(
        reward_url(card),
        filled(form, kind="culture_voucher", amount_won="50000", given_on=TODAY(), note="시상식"),
    )

    assert response.status_code == 302 and response["Location"] == card_page(card)
    assert "The reward is recorded; the proposer is told." in messages_sent(response)
    reward = ProposerReward.objects.get()
    assert (reward.proposer, reward.kind, reward.amount_won, reward.is_addition) == (
        proposer,
        "culture_voucher",
        50000,
        False,
    )
    assert AuditRecord.objects.filter(action="awards.reward_recorded").count() == 1
    notice = Notification.objects.get(kind="reward_given")
    assert notice.recipient == proposer
    # The proposer's own page: "Rewards received".
    mine = page_text(logged_in(proposer).get(reverse("me")))
    assert "Rewards received" in mine
    assert "한강 다리 보행로 넓히기 : Culture voucher · 50,000 won" in mine
    # Nobody else's page shows it.
    assert "Rewards received" not in page_text(logged_in(UserFactory()).get(reverse("me")))


def test_a_second_reward_must_say_it_is_an_addition():
    card = adopted_card()
    boss = operator()
    services.reward_record(
        card=card,
        user=boss,
        kind="culture_voucher",
        amount_won=50000,
        given_on=dt.date(2026, 11, 1),
    )
    browser = logged_in(boss, csrf_checks=True)
    form = reward_form(browser, card)

    response = browser.post(
        reward_url(card), filled(form, kind="gift_card", amount_won="30000", given_on=TODAY())
    )

    assert response.status_code == 200
    assert "This item already has a reward. To record another one, tick “additional reward”." in (
        page_text(response)
    )
    assert ProposerReward.objects.count() == 1

    response = browser.post(
        reward_url(card),
        filled(form, kind="gift_card", amount_won="30000", given_on=TODAY(), is_addition="on"),
    )
    assert response.status_code == 302
    assert ProposerReward.objects.filter(is_addition=True).count() == 1
    assert Notification.objects.filter(kind="reward_given").count() == 2


def test_the_form_sent_twice_records_one_reward():
    card = adopted_card()
    browser = logged_in(operator(), csrf_checks=True)
    form = reward_form(browser, card)
    values = filled(form, kind="certificate", amount_won="0", given_on=TODAY(), is_addition="")

    browser.post(reward_url(card), values)
    again = browser.post(reward_url(card), values)

    assert again.status_code == 302
    assert ProposerReward.objects.count() == 1


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"amount_won": "50000", "given_on": "2999-01-01"},
            "The date the reward was given cannot be in the future.",
        ),
        ({"amount_won": "-1", "given_on": "2026-11-01"}, "greater than or equal to 0"),
        ({"amount_won": "1000000000", "given_on": "2026-11-01"}, "less than or equal to 10000000"),
        ({"amount_won": "50000", "given_on": "어제"}, "Enter a valid date."),
    ],
)
def test_bad_dates_and_amounts_are_refused_and_nothing_is_written(values, message):
    card = adopted_card()
    browser = logged_in(operator(), csrf_checks=True)
    form = reward_form(browser, card)

    response = browser.post(reward_url(card), filled(form, kind="culture_voucher", **values))

    assert response.status_code == 200
    assert message in page_text(response)
    assert not ProposerReward.objects.exists()
    assert not Notification.objects.filter(kind="reward_given").exists()


def test_an_absurd_amount_is_refused_by_the_service_too():
    with pytest.raises(services.ServiceError, match="more than a reward can be"):
        services.reward_record(
            card=adopted_card(),
            user=operator(),
            kind="culture_voucher",
            amount_won=10**9,
            given_on=dt.date(2026, 11, 1),
        )
    assert not ProposerReward.objects.exists()


def test_a_department_promise_gets_no_reward_and_no_link():
    card = promised()
    browser = logged_in(operator(), csrf_checks=True)

    assert reward_url(card) not in browser.get(card_page(card)).content.decode()
    form = form_posting_to(browser.get(reward_url(card)), reward_url(card))
    response = browser.post(
        reward_url(card), filled(form, kind="culture_voucher", amount_won="1000", given_on=TODAY())
    )

    assert response.status_code == 200
    assert "Rewards are given for items the realization meeting adopted; this one is not." in (
        page_text(response)
    )
    assert not ProposerReward.objects.exists()


@pytest.mark.parametrize("who", ["citizen", "official", "card_official"])
def test_only_operators_record_rewards(who):
    department = DepartmentFactory()
    card = adopted_card(department)
    member = {
        "citizen": UserFactory,
        "official": lambda: official(DepartmentFactory()),
        "card_official": lambda: official(department),
    }[who]()
    browser = logged_in(member)

    if who == "card_official":  # sees the card, but not the reward link
        assert reward_url(card) not in browser.get(card_page(card)).content.decode()
    assert browser.get(reward_url(card)).status_code in (302, 403)
    response = browser.post(
        reward_url(card), {"kind": "culture_voucher", "amount_won": "1", "given_on": TODAY()}
    )
    assert response.status_code in (302, 403)
    assert not ProposerReward.objects.exists()
    with pytest.raises(services.PermissionDenied):
        services.reward_record(
            card=card, user=member, kind="gift_card", amount_won=1, given_on=dt.date(2026, 1, 1)
        )


def test_the_rewards_list_is_the_operators():
    card = adopted_card()
    services.reward_record(
        card=card, user=operator(), kind="gift_card", amount_won=20000, given_on=dt.date(2026, 1, 5)
    )
    listing = reverse("admin:awards_proposerreward_changelist")

    assert "20,000" in page_text(logged_in(operator()).get(listing))
    assert logged_in(official(card.department)).get(listing).status_code == 403


def test_a_reward_is_in_the_proposers_data_export():
    from accounts.export import member_data

    card = adopted_card()
    services.reward_record(
        card=card, user=operator(), kind="gift_card", amount_won=20000, given_on=dt.date(2026, 1, 5)
    )

    data = member_data(card.proposal.author)["awards"]
    assert data["rewards"] == [
        {
            "proposal": card.proposal_id,
            "kind": "gift_card",
            "amount_won": 20000,
            "given_on": "2026-01-05",
            "additional": False,
        }
    ]
