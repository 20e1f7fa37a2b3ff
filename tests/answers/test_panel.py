"""What a citizen sees of the department answer on the proposal page, before
and after publishing, and the proposer's rating."""

import pytest
from django.test import Client

from answers import services
from answers.models import AnswerRating
from tests.clock import at
from tests.factories import DepartmentFactory, ProposalFactory, UserFactory, operator
from tests.pages import english, logged_in, page_text

from .helpers import (
    COMPLETE,
    REFUSAL,
    assigned,
    published,
    submitted,
)

# Dates here count calendar days (working days: test_workdays.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar_days")]


def panel(response) -> str:
    """The text of the answer section alone."""
    assert response.status_code == 200
    content = response.content.decode()
    start = content.find('id="answer"')
    if start == -1:
        return ""
    end = content.find("</section>", start)
    return page_text(content[start:end])


@pytest.fixture
def roads():
    return DepartmentFactory(name="도로계획과", name_en="Road Planning Division")


def test_nothing_is_shown_before_the_proposal_is_assigned():
    proposal = ProposalFactory()
    response = english(Client()).get(proposal.get_absolute_url())
    assert panel(response) == ""
    assert "Department answer" not in page_text(response)


def test_while_assigned_the_page_shows_the_department_and_the_deadline(roads):
    with at(2025, 3, 1, 10, 0):
        assignment = assigned(roads)
    browser = english(Client())
    with at(2025, 3, 11, 10, 0):
        text = panel(browser.get(assignment.proposal.get_absolute_url()))
    assert "Road Planning Division is preparing its answer" in text
    assert "Answer due by 2025-03-21 · 10 days left" in text
    with at(2025, 3, 21, 18, 0):
        assert "Due today" in panel(browser.get(assignment.proposal.get_absolute_url()))
    with at(2025, 3, 23, 9, 0):
        assert "Overdue by 2 days" in panel(browser.get(assignment.proposal.get_absolute_url()))


def test_a_submitted_answer_is_not_public_until_an_operator_publishes_it(roads):
    assignment = assigned(roads)
    submitted(assignment)
    text = panel(english(Client()).get(assignment.proposal.get_absolute_url()))
    assert "is preparing its answer" in text
    assert COMPLETE["necessity"] not in text and "Accepted" not in text


def test_the_published_answer_is_shown_in_full_with_the_deadline_met(roads):
    with at(2025, 3, 1, 10, 0):
        assignment = assigned(roads)
        published(assignment)
    text = panel(english(Client()).get(assignment.proposal.get_absolute_url()))
    assert "Accepted" in text and "Road Planning Division" in text
    for field in ("summary", "necessity", "effectiveness", "feasibility"):
        assert COMPLETE[field] in text
    assert "Estimated budget ₩120,000,000" in text
    assert "Published 2025-03-01" in text
    assert "Answered on time (due by 2025-03-21)" in text
    assert "Why not" not in text
    assert "The proposer has not rated the answer yet." in text


def test_a_refusal_shows_its_basis_in_plain_words_and_a_late_answer_says_so(roads):
    with at(2025, 3, 1, 10, 0):
        assignment = assigned(roads)
        answer = submitted(assignment, {**REFUSAL, "estimated_budget": None})
    with at(2025, 3, 25, 10, 0):
        services.answer_publish(answer=answer, user=operator())
    text = panel(english(Client()).get(assignment.proposal.get_absolute_url()))
    assert "Not accepted" in text
    assert f"Why not (the basis) Law {REFUSAL['refusal_basis']}" in text
    assert "Estimated budget Not estimated" in text
    assert "Answered after the deadline (due by 2025-03-21)" in text


def test_only_the_proposer_gets_the_rating_form(roads):
    assignment = assigned(roads)
    published(assignment)
    url = assignment.proposal.get_absolute_url()
    for browser in (english(Client()), logged_in(UserFactory()), logged_in(operator())):
        assert 'name="score"' not in browser.get(url).content.decode()
    content = logged_in(assignment.proposal.author).get(url).content.decode()
    assert f'action="/answers/{assignment.answer.pk}/rate/"' in content
    # five labelled radio buttons in a fieldset with a legend, and a labelled comment
    assert content.count('type="radio" name="score"') == 5
    assert "<legend>How useful was the answer?</legend>" in content
    assert '<label for="rating-score_0"><input type="radio" name="score" value="5"' in content
    assert '<label for="rating-comment">' in content


def test_the_proposer_rates_once_and_everyone_sees_the_rating(roads):
    assignment = assigned(roads)
    answer = published(assignment)
    proposer = logged_in(assignment.proposal.author)
    rate_url = f"/answers/{answer.pk}/rate/"

    response = proposer.post(
        rate_url, {"score": "4", "comment": "빨리 답해 주셔서 고맙습니다."}, follow=True
    )
    assert "Thank you for rating the answer." in page_text(response)
    text = panel(english(Client()).get(assignment.proposal.get_absolute_url()))
    assert "4 out of 5" in text and "빨리 답해 주셔서 고맙습니다." in text

    response = proposer.post(rate_url, {"score": "1"}, follow=True)
    assert "You have already rated this answer." in page_text(response)
    assert AnswerRating.objects.get().score == 4
    assert 'name="score"' not in response.content.decode()


def test_rating_is_refused_to_others_and_without_a_score(roads):
    assignment = assigned(roads)
    answer = published(assignment)
    rate_url = f"/answers/{answer.pk}/rate/"
    assert logged_in(UserFactory()).post(rate_url, {"score": "5"}).status_code == 403
    anonymous = Client().post(rate_url, {"score": "5"})
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    response = logged_in(assignment.proposal.author).post(rate_url, {"score": "9"}, follow=True)
    assert "Please choose a score from 1 to 5." in page_text(response)
    assert not AnswerRating.objects.exists()


def test_an_unpublished_answer_cannot_be_rated_by_url(roads):
    assignment = assigned(roads)
    answer = submitted(assignment)
    response = logged_in(assignment.proposal.author).post(
        f"/answers/{answer.pk}/rate/", {"score": "5"}, follow=True
    )
    assert "Only a published answer can be rated." in page_text(response)
    assert not AnswerRating.objects.exists()


def test_the_panel_adds_at_most_one_query(roads, django_assert_max_num_queries):
    from django.template import Context, Template

    assignment = assigned(roads)
    published(assignment)
    proposal = assignment.proposal
    proposal.refresh_from_db()
    template = Template("{% load answers_tags %}{% answer_panel proposal %}")
    with django_assert_max_num_queries(1):
        html = template.render(Context({"proposal": proposal, "user": UserFactory.build()}))
    assert "Department answer" in html or "부서 답변" in html
    unassigned = ProposalFactory()
    with django_assert_max_num_queries(0):
        assert template.render(Context({"proposal": unassigned})).strip() == ""
