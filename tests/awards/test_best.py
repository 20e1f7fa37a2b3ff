"""The yearly best creative policies: an operator marks a completed adopted
item from its card page; an item not completed, a department promise, an
item marked before and a year not begun are refused; the public page lists
them by year, each linking to the item's public page, and leaves out an
item whose proposal was hidden."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditRecord
from awards import services
from awards.models import BestPolicy
from proposals.models import Proposal
from tests.factories import UserFactory, official, operator
from tests.pages import english_client, form_posting_to, logged_in, messages_sent, page_text
from tests.tracking.helpers import at_stage
from tests.tracking.test_promises import promised
from tracking.models import CardStage

pytestmark = pytest.mark.django_db

PUBLIC = reverse("awards:best")


def card_page(card) -> str:
    return reverse("admin:tracking_managementcard_change", args=[card.pk])


def mark_url(card) -> str:
    return reverse("admin:awards_bestpolicy_mark", args=[card.pk])


def mark(card, year, citation="시민 삶을 바꾼 정책", user=None, position=None):
    return services.best_policy_mark(
        card=card, user=user or operator(), year=year, citation=citation, position=position
    )


def test_the_operator_marks_a_completed_item_from_its_card_and_the_public_sees_it():
    card = at_stage(CardStage.COMPLETED, title="한강 다리 보행로 넓히기")
    browser = logged_in(operator(), csrf_checks=True)
    assert mark_url(card) in browser.get(card_page(card)).content.decode()
    form = form_posting_to(browser.get(mark_url(card)), mark_url(card))
    this_year = timezone.localdate().year
    # The year the item was completed is proposed.
    assert form["fields"]["year"] == str(this_year)

    response = browser.post(
        mark_url(card), {**form["fields"], "citation": "걷고 싶은 다리를 만든 시민 제안"}
    )

    assert response.status_code == 302
    assert "The item is now a best creative policy; it shows on the public page." in messages_sent(
        response
    )
    best = BestPolicy.objects.get()
    assert (best.card, best.year, best.position) == (card, this_year, 1)
    assert AuditRecord.objects.filter(action="awards.best_policy_marked").count() == 1
    # Marked once: the card page no longer offers it.
    assert mark_url(card) not in browser.get(card_page(card)).content.decode()

    page = english_client().get(PUBLIC)
    assert "한강 다리 보행로 넓히기" in page_text(page)
    assert "걷고 싶은 다리를 만든 시민 제안" in page_text(page)
    assert card.get_absolute_url() in page.content.decode()


@pytest.mark.parametrize(
    ("stage", "message"),
    [
        (
            CardStage.IN_PROGRESS,
            "Only completed items can be best policies; this one is “In progress”.",
        ),
        (
            CardStage.SUSPENDED,
            "Only completed items can be best policies; this one is “Suspended”.",
        ),
    ],
)
def test_an_item_not_completed_is_refused(stage, message):
    card = at_stage(stage)
    browser = logged_in(operator(), csrf_checks=True)
    assert mark_url(card) not in browser.get(card_page(card)).content.decode()
    form = form_posting_to(browser.get(mark_url(card)), mark_url(card))

    response = browser.post(
        mark_url(card), {**form["fields"], "year": "2026", "citation": "좋은 정책"}
    )

    assert response.status_code == 200
    assert message in page_text(response)
    assert not BestPolicy.objects.exists()


def test_an_item_marked_before_and_a_year_not_begun_are_refused():
    card = at_stage(CardStage.COMPLETED)
    mark(card, 2025)
    with pytest.raises(services.ServiceError, match="already a best policy"):
        mark(card, 2026)

    other = at_stage(CardStage.COMPLETED)
    next_year = timezone.localdate().year + 1
    with pytest.raises(services.ServiceError, match="Please give a year between"):
        mark(other, next_year)
    with pytest.raises(services.ServiceError, match="Please write the citation"):
        mark(other, 2025, citation="   ")
    with pytest.raises(services.ServiceError, match="Number 1 of 2025 is already taken"):
        mark(other, 2025, position=1)
    assert BestPolicy.objects.count() == 1


def test_a_department_promise_is_refused():
    card = promised()
    with pytest.raises(services.ServiceError, match="Only items the realization meeting adopted"):
        mark(card, 2026)


@pytest.mark.parametrize("who", ["citizen", "official"])
def test_only_operators_mark(who):
    card = at_stage(CardStage.COMPLETED)
    member = UserFactory() if who == "citizen" else official(card.department)
    browser = logged_in(member)

    assert browser.get(mark_url(card)).status_code in (302, 403)
    response = browser.post(mark_url(card), {"year": "2026", "citation": "좋은 정책"})
    assert response.status_code in (302, 403)
    with pytest.raises(services.PermissionDenied):
        mark(card, 2026, user=member)
    assert not BestPolicy.objects.exists()


def test_the_public_page_goes_by_year_and_leaves_hidden_proposals_out():
    first, second, hidden = (at_stage(CardStage.COMPLETED) for _ in range(3))
    mark(first, 2024, citation="2024년의 정책")
    mark(second, 2025, citation="2025년의 정책")
    mark(hidden, 2025, citation="숨겨진 정책")
    Proposal.objects.filter(pk=hidden.proposal_id).update(is_hidden=True)
    visitor = english_client()

    latest = visitor.get(PUBLIC)
    assert "2025년의 정책" in page_text(latest) and "2024년의 정책" not in page_text(latest)
    assert "숨겨진 정책" not in page_text(latest)
    assert 'href="?year=2024"' in latest.content.decode()

    older = visitor.get(PUBLIC, {"year": "2024"})
    assert "2024년의 정책" in page_text(older) and "2025년의 정책" not in page_text(older)
    # A year with nothing, or not a year at all, shows the latest.
    for year in ("1999", "abc", ""):
        assert "2025년의 정책" in page_text(visitor.get(PUBLIC, {"year": year}))


def test_an_empty_page_says_so():
    assert "No best policy has been chosen yet." in page_text(english_client().get(PUBLIC))


def test_the_public_page_costs_the_same_queries_for_one_policy_or_many(
    django_assert_max_num_queries,
):
    mark(at_stage(CardStage.COMPLETED), 2025)
    visitor = english_client()
    with django_assert_max_num_queries(3) as one:
        visitor.get(PUBLIC)
    for _ in range(4):
        mark(at_stage(CardStage.COMPLETED), 2025)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = visitor.get(PUBLIC)
    assert response.content.decode().count('data-testid="best-policy"') == 5
