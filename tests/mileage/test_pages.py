"""The member's mileage page, the rankings, and the mileage panel on the
member's home and profile, as members and visitors use them."""

import datetime

import pytest
from django.utils import timezone

from accounts.participation import Action
from mileage.models import MileageRule, MileageSettings
from tests.clock import at, seoul
from tests.factories import CommentFactory, ProposalFactory, UserFactory, official
from tests.mileage.given import earn
from tests.pages import english_client, logged_in, page_html, page_text

MINE = "/me/mileage/"
RANKING = "/mileage/ranking/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def rules():
    MileageRule.objects.update_or_create(
        action=Action.PROPOSE, defaults={"points": 50, "daily_cap": 100}
    )
    MileageRule.objects.update_or_create(
        action=Action.COMMENT, defaults={"points": 5, "daily_cap": 0}
    )
    MileageRule.objects.update_or_create(action=Action.ADJUSTMENT, defaults={"points": 0})
    MileageSettings.load()  # 새싹 100, 나무 500, 숲 2000, 오아시스 10000


# --- /me/mileage/ ------------------------------------------------------------------------


def test_my_mileage_needs_a_login():
    response = english_client().get(MINE)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={MINE}"


def test_my_mileage_shows_balance_grade_progress_ledger_and_how_grades_work(rules):
    # Given a member with 380 points (새싹), from a proposal, a comment taken back
    # and an adjustment
    member = UserFactory()
    proposal = ProposalFactory(author=member, title="한강 다리 산책로")
    earn(member, 400, proposal=proposal)
    comment = CommentFactory(proposal=proposal, author=member)
    credit = earn(member, 5, action=Action.COMMENT, source=comment, proposal=proposal)
    earn(member, -5, action=Action.COMMENT, source=comment, proposal=proposal, reverses=credit)
    earn(member, -20, action=Action.ADJUSTMENT, note="중복 가입 정리")
    # When they open their mileage page
    response = logged_in(member).get(MINE)
    text = page_text(response)
    html = page_html(response)
    # Then they see the balance, the grade and how far 나무 is
    assert "380 points" in text
    assert 'aria-label="Grade: Sprout"' in html
    assert "120 points to go to Tree" in text
    assert '<progress id="grade-progress-main" max="100" value="70">' in html
    # And every entry, newest first, with its reason, sign and source
    assert text.index("Adjusted by an operator") < text.index("Made a proposal")
    assert "중복 가입 정리" in text and "Taken back" in text
    assert "+400" in text and "minus20" in text.replace(" ", "")
    assert f'href="/proposals/{proposal.pk}/">한강 다리 산책로</a>' in html
    # And how grades work: thresholds and what each action earns, with caps
    assert "Tree" in text and "500 points" in text and "10,000 points" in text
    assert "Made a proposal" in text and "+50" in text and "100 points" in text
    assert "No limit" in text
    assert "Adjusted by an operator" not in text.split("What earns points")[1]
    assert f'href="{RANKING}"' in html


def test_the_ledger_links_only_proposals_the_public_can_see(rules):
    member = UserFactory()
    hidden = ProposalFactory(author=member, title="숨긴 제안", is_hidden=True)
    earn(member, 50, proposal=hidden)
    response = logged_in(member).get(MINE)
    assert f"/proposals/{hidden.pk}/" not in page_html(response)
    assert "숨긴 제안" not in page_text(response)
    assert "A proposal no longer shown" in page_text(response)


def test_my_mileage_in_korean(rules):
    member = UserFactory(language="ko")
    earn(member, 150)
    client = logged_in(member)
    client.cookies["django_language"] = "ko"
    text = page_text(client.get(MINE))
    assert "내 마일리지" in text
    assert "나무까지 350점 남았어요" in text
    assert "제안 작성" in text


def test_the_highest_grade_says_so(rules):
    member = UserFactory()
    earn(member, 12000)
    text = page_text(logged_in(member).get(MINE))
    assert "You have reached the highest grade" in text


def test_the_ledger_is_paged_in_a_fixed_number_of_queries(rules, django_assert_max_num_queries):
    member = UserFactory()
    for _ in range(45):
        earn(member, 10, proposal=ProposalFactory())
    client = logged_in(member)
    client.get(MINE)  # session warmed
    # session, user, settings, the capped count, the page's ids and rows,
    # the public proposals' titles, the rules, the nav's unread count...
    with django_assert_max_num_queries(12):
        first = client.get(MINE)
    with django_assert_max_num_queries(12):
        last = client.get(MINE, {"page": 3})
    assert page_html(first).count('class="num points-plus"') == 20
    assert page_html(last).count('class="num points-plus"') == 5
    assert page_text(client.get(MINE, {"page": "x"})).count("+10") >= 20  # a bad page is page 1


# --- /mileage/ranking/ -------------------------------------------------------------------


def _ranking_rows(response, table: int) -> list[str]:
    """The name cells of the monthly (0) or all-time (1) ranking."""
    html = page_html(response)
    heading = ('aria-labelledby="ranking-month"', 'aria-labelledby="ranking-all"')[table]
    section = html.split(heading)[1].split("</section>")[0]
    if '<table class="ranking">' not in section:
        return []
    rows = section.split("</thead>")[1].split("</table>")[0]
    return [row.split("</td>")[1] for row in rows.split("<tr>")[1:]]


def test_the_ranking_shows_this_month_and_all_time_with_masked_names_and_grades():
    with at(2026, 12, 5, 12):
        old_hand = UserFactory(display_name="김오래", nickname="")
        earn(old_hand, 3000, when=seoul(2026, 10, 3, 10))
        earn(old_hand, 20, when=seoul(2026, 12, 2, 10))
        newcomer = UserFactory(display_name="이새봄", nickname="")
        earn(newcomer, 300, when=seoul(2026, 12, 1, 9))
        tied = UserFactory(nickname="동점이")
        earn(tied, 20, when=seoul(2026, 12, 4, 9))
        # Staff, withdrawn and inactive members are not ranked
        earn(official(nickname="공무원"), 900, when=seoul(2026, 12, 3, 9))
        earn(UserFactory(nickname="떠난이", withdrawn_at=timezone.now()), 900)
        earn(UserFactory(nickname="멈춘이", is_active=False), 900)
        response = english_client().get(RANKING)
    assert response.status_code == 200
    text = page_text(response)
    assert "This month (2026-12)" in text
    monthly = _ranking_rows(response, 0)
    assert len(monthly) == 3
    assert "이*봄" in monthly[0] and "김*래" in monthly[1] and "동점이" in monthly[2]
    html = page_html(response)
    # Equal points share a rank
    assert '<tr><td class="num">2</td><td><span class="member-name">김*래' in html
    assert '<tr><td class="num">2</td><td><span class="member-name">동점이' in html
    all_time = _ranking_rows(response, 1)
    assert "김*래" in all_time[0] and 'aria-label="Grade: Forest"' in all_time[0]
    assert "이*봄" in all_time[1] and "동점이" in all_time[2]
    for name in ("공무원", "떠난이", "멈춘이", "탈퇴한", "Withdrawn"):
        assert name not in text
    assert "김오래" not in text and "이새봄" not in text
    # Earlier months with points are linked
    assert 'href="?month=2026-10"' in html


def test_an_earlier_month_is_chosen_by_its_parameter():
    with at(2026, 12, 5, 12):
        member = UserFactory(nickname="시월이")
        earn(member, 70, when=seoul(2026, 10, 3, 10))
        client = english_client()
        october = client.get(RANKING, {"month": "2026-10"})
        november = client.get(RANKING, {"month": "2026-11"})
    assert "Month of 2026-10" in page_text(october)
    assert "시월이" in _ranking_rows(october, 0)[0]
    assert _ranking_rows(november, 0) == []
    assert "Nobody has earned points here yet." in page_text(november)


@pytest.mark.parametrize(
    "month",
    ["2026-13", "abc", "2026-1-1", "2027-01", "1999-12", "2026-00", "٢٠٢٦-١٠", "2026-10\x00"],
)
def test_a_bad_month_is_not_found_never_an_error(month):
    with at(2026, 12, 5, 12):
        response = english_client().get(RANKING, {"month": month})
    assert response.status_code == 404


def test_the_ranking_costs_the_same_queries_for_many_members(django_assert_max_num_queries):
    def fill(n):
        for i in range(n):
            earn(UserFactory(), 10 + i)

    fill(5)
    client = english_client()
    with django_assert_max_num_queries(4) as few:
        client.get(RANKING)
    fill(60)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(RANKING)
    assert len(_ranking_rows(response, 0)) == 50
    assert len(_ranking_rows(response, 1)) == 50


def test_the_ranking_is_linked_from_every_page_and_my_mileage():
    assert f'href="{RANKING}"' in page_html(english_client().get("/"))


# --- the member's home and profile ----------------------------------------------------------


@pytest.mark.parametrize("path", ["/me/", "/accounts/profile/"])
def test_home_and_profile_show_balance_grade_progress_and_last_points(rules, path):
    member = UserFactory()
    proposal = ProposalFactory(author=member, title="우리 동네 쉼터")
    for n in range(4):
        earn(
            member,
            10 * (n + 1),
            proposal=proposal,
            when=timezone.now() + datetime.timedelta(minutes=n),
        )
    response = logged_in(member).get(path)
    text = page_text(response)
    html = page_html(response)
    assert "100 points" in text and 'aria-label="Grade: Sprout"' in html
    assert "400 points to go to Tree" in text
    # The last three entries: 40, 30, 20 (not the first 10)
    last = text.split("Your last points, newest first")[1].split("All my mileage")[0]
    assert "+40" in last and "+30" in last and "+20" in last and "+10" not in last
    assert f'href="/proposals/{proposal.pk}/">우리 동네 쉼터</a>' in html
    assert f'href="{MINE}"' in html


def test_a_new_member_home_shows_their_seed_grade(rules):
    member = UserFactory()
    response = logged_in(member).get("/me/")
    assert 'aria-label="Grade: Seed"' in page_html(response)
    assert "100 points to go to Sprout" in page_text(response)


def test_profile_and_home_of_a_member_with_a_grade_stay_bounded(
    rules, django_assert_max_num_queries
):
    member = UserFactory()
    for _ in range(10):
        earn(member, 10, proposal=ProposalFactory())
    client = logged_in(member)
    client.get("/me/")
    # The panel adds three queries (settings, last entries, their proposals).
    with django_assert_max_num_queries(14):
        client.get("/me/")
