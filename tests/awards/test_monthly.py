"""이달의 상상지기, as the month goes by: officials of two departments answer
and comment in November 2026, the task ranks them on December 1st (time
moved forward with tests/clock.py), the operator confirms the winners on
the round's screen as rendered, and the public page shows confirmed months
only. A month with nothing in it makes an empty round and no crash; the
task run twice makes one round; a round confirmed twice is refused."""

import pytest
from django.urls import reverse

from accounts.models import AuditRecord
from answers import services as answer_services
from awards import services, tasks
from awards.models import AwardCandidate, AwardStatus, MonthlyAward
from notifications.models import Notification
from proposals import services as proposal_services
from tests.answers.helpers import assigned, submitted
from tests.clock import at
from tests.factories import DepartmentFactory, ProposalFactory, UserFactory, official, operator
from tests.pages import english_client, form_posting_to, logged_in, messages_sent, page_text

pytestmark = pytest.mark.django_db

PUBLIC = reverse("awards:monthly")
ROUNDS = reverse("admin:awards_monthlyaward_changelist")


def round_url(award) -> str:
    return reverse("admin:awards_monthlyaward_change", args=[award.pk])


def answered(by, *, assigned_on, published_on):
    """An answer `by` wrote for a proposal assigned to their department on
    `assigned_on`, published by an operator on `published_on` (Seoul dates)."""
    with at(*assigned_on, 10):
        assignment = assigned(by.department)
    with at(*published_on, 11):
        answer = submitted(assignment, by=by)
        return answer_services.answer_publish(answer=answer, user=operator())


def commented(by, *, on, hidden=False):
    with at(*on, 15):
        proposal = ProposalFactory()
        comment = proposal_services.comment_create(
            proposal=proposal, author=by, body="검토하겠습니다."
        )
        if hidden:
            proposal_services.comment_set_hidden(
                comment=comment, user=operator(), reason="개인정보", hidden=True
            )
    return comment


@pytest.fixture
def november():
    """Two departments' officials at work in November 2026:
    도로과 김도로: 2 answers on time, 1 comment → 2×3 + 1 = 7;
    공원과 박공원: 1 late answer, 2 comments → 1 + 2 = 3;
    도로과 이보행: 2 comments (a third hidden, one in October) → 2.
    A citizen's comment counts for nobody."""
    roads, parks = DepartmentFactory(name="도로과"), DepartmentFactory(name="공원과")
    kim = official(roads, display_name="김도로")
    park = official(parks, display_name="박공원")
    lee = official(roads, display_name="이보행")
    answered(kim, assigned_on=(2026, 11, 2), published_on=(2026, 11, 4))
    answered(kim, assigned_on=(2026, 11, 9), published_on=(2026, 11, 12))
    late = answered(park, assigned_on=(2026, 8, 3), published_on=(2026, 11, 20))
    assert late.met_deadline is False
    commented(kim, on=(2026, 11, 5))
    commented(park, on=(2026, 11, 6))
    commented(park, on=(2026, 11, 30))
    commented(lee, on=(2026, 11, 1))
    commented(lee, on=(2026, 11, 15))
    commented(lee, on=(2026, 11, 16), hidden=True)
    commented(lee, on=(2026, 10, 31))
    commented(UserFactory(), on=(2026, 11, 7))
    return {"kim": kim, "park": park, "lee": lee, "roads": roads, "parks": parks}


def rank_on_december_first() -> MonthlyAward:
    with at(2026, 12, 1, 7, 30):
        tasks.rank_monthly_award.delay()
    return MonthlyAward.objects.get()


def test_the_task_ranks_last_months_officials_by_answers_on_time_late_and_comments(november):
    award = rank_on_december_first()

    assert award.month.isoformat() == "2026-11-01"
    assert award.status == AwardStatus.WAITING
    rows = [
        (c.official, c.department, c.answers_on_time, c.answers_late, c.comments, c.score, c.rank)
        for c in award.candidates.all()
    ]
    assert rows == [
        (november["kim"], november["roads"], 2, 0, 1, 7, 1),
        (november["park"], november["parks"], 0, 1, 2, 3, 2),
        (november["lee"], november["roads"], 0, 0, 2, 2, 3),
    ]


def test_the_task_run_again_or_retried_makes_no_second_round(november):
    first = rank_on_december_first()
    with at(2026, 12, 1, 7, 31):
        tasks.rank_monthly_award.delay()
    with at(2026, 12, 15, 7, 30):
        services.monthly_award_rank()

    assert list(MonthlyAward.objects.all()) == [first]
    assert AwardCandidate.objects.count() == 3


def test_an_official_who_left_the_role_is_not_ranked(november):
    november["lee"].groups.clear()

    award = rank_on_december_first()

    assert november["lee"] not in {c.official for c in award.candidates.all()}


def test_ties_share_a_rank():
    roads = DepartmentFactory(name="도로과")
    one, two, three = (official(roads) for _ in range(3))
    for person in (one, two):
        commented(person, on=(2026, 11, 3))
        commented(person, on=(2026, 11, 4))
    commented(three, on=(2026, 11, 5))

    award = rank_on_december_first()

    assert [c.rank for c in award.candidates.all()] == [1, 1, 3]


def test_a_month_without_answers_or_comments_makes_an_empty_round_nobody_is_asked_to_confirm():
    operator_client = logged_in(operator())

    with at(2027, 1, 1, 7, 30):
        tasks.rank_monthly_award.delay()

    award = MonthlyAward.objects.get()
    assert (award.month.isoformat(), award.status) == ("2026-12-01", AwardStatus.EMPTY)
    assert not award.candidates.exists()
    home = page_text(operator_client.get(reverse("admin:index")))
    assert "No officials-of-the-month round is waiting for you." in home
    # Its screen says so and offers nothing to confirm.
    page = operator_client.get(round_url(award))
    assert page.status_code == 200
    assert "Nobody answered or commented in this month." in page_text(page)
    assert "Confirm the winners" not in page_text(page)


def test_the_operator_confirms_the_winners_on_the_rounds_screen_and_they_are_told(november):
    award = rank_on_december_first()
    boss = operator()
    browser = logged_in(boss, csrf_checks=True)

    # The operators' home says a round waits, and leads to its screen.
    home = browser.get(reverse("admin:index"))
    assert "Officials of the month waiting for confirmation" in page_text(home)
    assert round_url(award) in home.content.decode()

    page = browser.get(round_url(award))
    form = form_posting_to(page, round_url(award))
    kim, park, lee = award.candidates.all()
    # The top three are ticked; the operator leaves 이보행 out.
    assert form["fields"]["winners"] == [str(kim.pk), str(park.pk), str(lee.pk)]
    response = browser.post(
        round_url(award), {**form["fields"], "winners": [str(kim.pk), str(park.pk)]}
    )

    assert response.status_code == 302
    assert (
        "The officials of the month for 2026-11 are confirmed; the winners are told."
        in messages_sent(response)
    )
    award.refresh_from_db()
    assert award.status == AwardStatus.CONFIRMED and award.confirmed_by == boss
    assert set(award.candidates.filter(is_winner=True)) == {kim, park}
    told = Notification.objects.filter(kind="monthly_award_won")
    assert {n.recipient for n in told} == {november["kim"], november["park"]}
    assert AuditRecord.objects.filter(action="awards.monthly_award_confirmed").count() == 1
    assert "No officials-of-the-month round is waiting for you." in page_text(
        browser.get(reverse("admin:index"))
    )

    # The same form sent again (the back button, a second tab): refused, nothing written.
    confirmed_at = award.confirmed_at
    again = browser.post(round_url(award), {**form["fields"], "winners": [str(lee.pk)]})

    assert again.status_code == 200
    assert (
        "The officials of the month for 2026-11 are already confirmed; nothing was changed."
        in page_text(again)
    )
    award.refresh_from_db()
    assert award.confirmed_at == confirmed_at
    assert set(award.candidates.filter(is_winner=True)) == {kim, park}
    assert told.count() == 2
    assert AuditRecord.objects.filter(action="awards.monthly_award_confirmed").count() == 1


def test_confirming_without_a_winner_is_refused_and_writes_nothing(november):
    award = rank_on_december_first()
    browser = logged_in(operator(), csrf_checks=True)
    form = form_posting_to(browser.get(round_url(award)), round_url(award))
    fields = {name: value for name, value in form["fields"].items() if name != "winners"}

    response = browser.post(round_url(award), fields)

    assert response.status_code == 200
    assert "Please choose at least one winner." in page_text(response)
    award.refresh_from_db()
    assert award.status == AwardStatus.WAITING


def test_a_winner_from_another_month_is_refused(november):
    award = rank_on_december_first()
    with at(2027, 1, 1, 7, 30):
        commented(november["kim"], on=(2026, 12, 3))
        services.monthly_award_rank()
    december = MonthlyAward.objects.get(month="2026-12-01")
    stranger = december.candidates.get()

    with pytest.raises(services.ServiceError):
        services.monthly_award_confirm(award=award, winner_ids=[stranger.pk], user=operator())
    award.refresh_from_db()
    assert award.status == AwardStatus.WAITING


@pytest.mark.parametrize("who", ["citizen", "official"])
def test_only_operators_see_or_confirm_rounds(november, who):
    award = rank_on_december_first()
    member = UserFactory() if who == "citizen" else november["kim"]
    browser = logged_in(member)

    for url in (ROUNDS, round_url(award)):
        response = browser.get(url)
        assert response.status_code in (302, 403)
        assert "Confirm the winners" not in page_text(response)
    kim = award.candidates.first()
    response = browser.post(round_url(award), {"winners": [str(kim.pk)]})
    assert response.status_code in (302, 403)
    award.refresh_from_db()
    assert award.status == AwardStatus.WAITING
    with pytest.raises(services.PermissionDenied):
        services.monthly_award_confirm(award=award, winner_ids=[kim.pk], user=member)


def test_the_public_page_shows_confirmed_months_only_with_winners_and_counts(november):
    award = rank_on_december_first()
    visitor = english_client()

    assert "2026-11" not in page_text(visitor.get(PUBLIC))

    kim, park, _lee = award.candidates.all()
    services.monthly_award_confirm(award=award, winner_ids=[kim.pk, park.pk], user=operator())
    text = page_text(visitor.get(PUBLIC))

    assert "2026-11" in text
    assert "김도로 도로과 answers on time 2 · late answers 0 · comments 1" in text
    assert "박공원 공원과 answers on time 0 · late answers 1 · comments 2" in text
    assert "이보행" not in text


def test_the_public_page_costs_the_same_queries_for_one_month_or_many(
    django_assert_max_num_queries,
):
    roads = DepartmentFactory(name="도로과")
    people = [official(roads) for _ in range(3)]

    def confirmed_month(year, month):
        for person in people:
            commented(person, on=(year, month, 10))
        nxt = (year + month // 12, month % 12 + 1)
        with at(*nxt, 1, 7, 30):
            award = services.monthly_award_rank()
        services.monthly_award_confirm(
            award=award, winner_ids=[c.pk for c in award.candidates.all()], user=operator()
        )

    confirmed_month(2026, 1)
    visitor = english_client()
    with django_assert_max_num_queries(4) as one:
        visitor.get(PUBLIC)
    for month in range(2, 8):
        confirmed_month(2026, month)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = visitor.get(PUBLIC)
    # Seven months of three winners each.
    assert response.content.decode().count('data-testid="award-winner"') == 21
