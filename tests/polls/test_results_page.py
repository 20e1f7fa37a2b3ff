"""The results page, /polls/<id>/results/, as citizens and staff read it:
the numbers in the tables, the breakdowns' hidden groups, what waits for the
close, the staff's early view, the department's response, and a query count
that does not grow with the votes. The summary on the poll page too."""

import pytest
from django.template import Context, Template
from django.urls import reverse

from polls.models import PollKind, PollStatus, QuestionKind, ResultsShown
from tests.factories import UserFactory, official, operator
from tests.pages import english_client, logged_in, page_html, page_text
from tests.polls.results_world import make_poll, vote, votes

pytestmark = pytest.mark.django_db


def _url(poll):
    return reverse("polls:results", args=[poll.pk])


def _rows(html: str, testid: str = "poll-choice-row") -> list[str]:
    import re

    rows = re.findall(rf'<tr data-testid="{testid}">(.*?)</tr>', html, re.S)
    return [" ".join(page_text(row).split()) for row in rows]


def test_a_citizen_reads_a_closed_polls_results_in_tables():
    # given a closed yes/no poll with 10 votes
    poll = make_poll(kind=PollKind.YES_NO, status=PollStatus.CLOSED)
    votes(poll, "찬성", 6, district="jongno")
    votes(poll, "반대", 3, district="mapo")
    vote(poll, "기타", texts={0: "주민 의견을 더 들어야 합니다"})

    # when a visitor opens the results
    page = english_client().get(_url(poll))

    # then each choice's count and share is in the table, with its caption
    assert page.status_code == 200
    html = page_html(page)
    assert _rows(html) == ["찬성 6 60.0%", "반대 3 30.0%", "기타 1 10.0%"]
    assert "<caption>" in html and 'scope="row"' in html and 'scope="col"' in html
    assert 'aria-hidden="true"' in html and "poll-w-60" in html
    text = page_text(page)
    assert "10 answers" in text
    assert "The department will respond to the result here." in text
    # the reason is counted for staff only: the public reads no reason
    assert "주민 의견을 더 들어야 합니다" not in text
    assert "not public yet" not in text.lower()


def test_the_breakdown_hides_small_groups_on_the_page():
    poll = make_poll(status=PollStatus.CLOSED)
    votes(poll, "A", 7, district="jongno")
    votes(poll, "B", 6, district="mapo")
    votes(poll, "A", 2, district="jung")

    html = page_html(english_client().get(_url(poll)))

    # Jung-gu's 2 and the next smallest (Mapo's 6) are hidden: no number at all
    assert "Not shown: fewer than 5 members" in html
    assert html.count("Not shown: fewer than 5 members") == 2
    breakdown = html.split('data-testid="poll-breakdown-district"')[1].split("</table>")[0]
    assert "Jongno-gu" in breakdown and ">7<" in breakdown
    assert ">6<" not in breakdown and ">2<" not in breakdown


def test_after_close_results_wait_for_the_close():
    poll = make_poll(open_now=True, results_shown=ResultsShown.AFTER_CLOSE)
    votes(poll, "A", 3)

    page = english_client().get(_url(poll))

    assert page.status_code == 200
    text = page_text(page)
    assert "The results are shown when voting ends" in text
    assert "poll-choice-row" not in page_html(page)


def test_live_results_show_while_voting_but_breakdowns_wait():
    poll = make_poll(open_now=True, results_shown=ResultsShown.LIVE)
    votes(poll, "A", 6, district="jongno")

    page = logged_in(UserFactory()).get(_url(poll))

    assert _rows(page_html(page))[0] == "A 6 100.0%"
    assert "Results by district and age band are shown when voting ends." in page_text(page)
    assert "poll-breakdown" not in page_html(page)


def test_the_department_sees_results_early_marked_not_public():
    poll = make_poll(open_now=True)
    votes(poll, "B", 5, district="jongno")
    staff = official(department=poll.department)

    page = logged_in(staff).get(_url(poll))

    assert "Not public yet" in page_text(page)
    assert _rows(page_html(page))[1] == "B 5 100.0%"
    # an official of another department is a citizen here
    other = logged_in(official()).get(_url(poll))
    assert "poll-choice-row" not in page_html(other)


@pytest.mark.parametrize("who", ["anonymous", "citizen", "other department"])
def test_a_draft_is_not_found_but_by_its_staff(who):
    poll = make_poll(status=PollStatus.DRAFT)
    client = {
        "anonymous": lambda: english_client(),
        "citizen": lambda: logged_in(UserFactory()),
        "other department": lambda: logged_in(official()),
    }[who]()
    assert client.get(_url(poll)).status_code == 404
    assert logged_in(operator()).get(_url(poll)).status_code == 200


def test_a_published_response_is_on_the_page():
    from django.utils import timezone

    poll = make_poll(status=PollStatus.CLOSED)
    poll.response = "결과를 반영해 급식소를 늘리겠습니다.\n내년 예산에 담겠습니다."
    poll.save(update_fields=["response"])
    assert "급식소" not in page_text(english_client().get(_url(poll)))
    poll.response_published_at = timezone.now()
    poll.save(update_fields=["response_published_at"])

    text = page_text(english_client().get(_url(poll)))

    assert "결과를 반영해 급식소를 늘리겠습니다." in text
    assert poll.department.label in text


def test_a_discussion_polls_results_show_arguments_by_side():
    from polls.models import ArgumentSide, PollArgument

    poll = make_poll(
        kind=PollKind.DISCUSSION,
        status=PollStatus.CLOSED,
        questions=(("어떻게 할까요?", QuestionKind.TEXT, ()),),
    )
    PollArgument.objects.create(
        poll=poll, side=ArgumentSide.FOR, body="급식소", endorsement_count=3
    )
    PollArgument.objects.create(
        poll=poll, side=ArgumentSide.AGAINST, body="소음", endorsement_count=1
    )

    page = english_client().get(_url(poll))

    text = page_text(page)
    assert "Arguments and endorsements by side" in text
    assert "급식소" in text and "소음" in text


def test_the_page_in_korean():
    poll = make_poll(status=PollStatus.CLOSED)
    votes(poll, "A", 2)
    from django.test import Client

    text = page_text(Client().get(_url(poll)))
    assert "결과" in text
    assert "응답" in text


def test_the_results_page_reads_a_fixed_number_of_queries(django_assert_max_num_queries):
    poll = make_poll(
        kind=PollKind.SURVEY,
        status=PollStatus.CLOSED,
        questions=(
            ("One", QuestionKind.SINGLE, ("A", "B")),
            ("Several", QuestionKind.MULTIPLE, ("A", "B", "C")),
            ("Text", QuestionKind.TEXT, ()),
        ),
    )
    client = logged_in(operator())
    client.get(_url(poll))  # the session and the second factor settle
    for district in ("jongno", "mapo", "jung", "gangnam"):
        for _ in range(6):
            vote(poll, (0, "A"), (1, "B"), (1, "C"), district=district, texts={2: "의견"})
    with django_assert_max_num_queries(16) as few:
        client.get(_url(poll))
    for _ in range(10):
        vote(poll, (0, "B"), (1, "A"), district="seocho", texts={2: "또"})
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(_url(poll)).status_code == 200


def test_the_summary_on_the_poll_page():
    poll = make_poll(status=PollStatus.CLOSED)
    votes(poll, "A", 3)
    votes(poll, "C", 1)
    template = Template('{% include "polls/includes/results_summary.html" %}')

    html = template.render(Context({"poll": poll, "user": UserFactory()}))

    assert _rows(html) == ["A 3 75.0%", "B 0 0.0%", "C 1 25.0%"]
    assert reverse("polls:results", args=[poll.pk]) in html
    waiting = make_poll(open_now=True)
    html = template.render(Context({"poll": waiting, "user": UserFactory()}))
    assert "poll-choice-row" not in html


def test_the_poll_page_shows_the_summary():
    poll = make_poll(status=PollStatus.CLOSED)
    votes(poll, "B", 4)

    page = english_client().get(reverse("polls:detail", args=[poll.pk]))

    assert page.status_code == 200
    assert _rows(page_html(page)) == ["A 0 0.0%", "B 4 100.0%", "C 0 0.0%"]
    assert reverse("polls:results", args=[poll.pk]) in page_html(page)


def test_an_open_discussion_polls_results_show_what_its_page_already_shows():
    """A discussion poll's page shows each argument's endorsements and
    orders by them as they come (set to "after close" or not, the default):
    the results page keeping them back until the close hid nothing and told
    readers the results were not out."""
    from polls.services import discussion as services
    from tests.polls.discussion_helpers import discussion_poll

    poll = discussion_poll(results_shown=ResultsShown.AFTER_CLOSE)
    argument = services.argument_post(
        poll=poll, author=UserFactory(), side="for", body="급식소를 늘리면 좋겠습니다."
    )
    services.argument_endorse(argument=argument, member=UserFactory())

    poll_page = page_text(english_client().get(f"/polls/{poll.pk}/"))
    results = page_text(english_client().get(_url(poll)))

    assert "1 endorsement" in poll_page
    assert "Arguments and endorsements by side" in results
    assert "급식소를 늘리면 좋겠습니다." in results
    assert "shown when voting ends" not in results
