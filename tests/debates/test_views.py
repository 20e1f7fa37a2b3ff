"""The debate as members use it: the section on the proposal page, its forms
(which work without JavaScript), the refusals shown as messages, and the
/debates/ list."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from accounts.roles import Role
from debates import services
from debates.models import Argument, DebateStatus, Stance
from proposals.models import Proposal
from tests.factories import DepartmentFactory, UserFactory, official, operator
from tests.pages import english, flash, logged_in, page_html

from .helpers import closed_debate, open_debate

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    return english(client)


def panel(response) -> str:
    """The debate section of a proposal page."""
    text = page_html(response)
    match = re.search(r'<section id="debate".*?\n</section>', text, re.S)
    assert match, "no debate section on the page"
    return match.group(0)


def column(response, side: str) -> str:
    match = re.search(rf'<section class="debate-side-{side}".*?</section>', panel(response), re.S)
    return match.group(0)


def count_shown(response, position: str) -> int:
    match = re.search(rf'data-testid="debate-{position}">([\d,]+)<', response.content.decode())
    return int(match.group(1).replace(",", ""))


# --- the section on the proposal page -----------------------------------------------


def test_a_proposal_without_a_debate_has_no_debate_section(client):
    from tests.factories import ProposalFactory

    response = client.get(ProposalFactory().get_absolute_url())
    assert response.status_code == 200
    assert 'id="debate"' not in response.content.decode()


def test_the_page_shows_counts_arguments_with_badges_and_days_left(client):
    # given a debate with stances and arguments from a citizen, an official and an expert
    debate = open_debate()
    for position in ("for", "for", "for", "against"):
        services.stance_set(debate=debate, user=UserFactory(), position=position)
    citizen = UserFactory(nickname="걷는사람")
    services.argument_create(
        debate=debate, author=citizen, side="for", body="걷기 좋은 다리가 필요합니다."
    )
    services.argument_create(
        debate=debate,
        author=official(DepartmentFactory(name="보행정책과", name_en="Walking Policy Division")),
        side="against",
        body="안전 기준을 먼저 검토해야 합니다.",
    )
    services.argument_create(
        debate=debate,
        author=UserFactory(roles=[Role.EXPERT_EXTERNAL], nickname="교수"),
        side="for",
        body="해외 도시에도 사례가 많습니다.",
    )

    # when anyone opens the proposal page
    response = client.get(debate.proposal.get_absolute_url())

    # then the counts are exact, with their shares
    section = panel(response)
    assert (
        count_shown(response, "for"),
        count_shown(response, "against"),
        count_shown(response, "undecided"),
    ) == (3, 1, 0)
    assert "4 members took a stance." in section
    assert 'role="img" aria-label="For 3 (75%), Against 1 (25%), Undecided 0 (0%)"' in section
    # the arguments stand in their columns, with badges
    for_side, against_side = column(response, "for"), column(response, "against")
    assert "걷기 좋은 다리가 필요합니다." in for_side and "해외 도시에도" in for_side
    assert "For: 2 arguments" in for_side
    assert (
        "안전 기준을 먼저" in against_side and "Official · Walking Policy Division" in against_side
    )
    assert "External expert" in for_side
    assert "걷는사람" in for_side
    # and how long it still runs
    assert "30 days left" in section
    assert (
        debate.ends_at.astimezone(timezone.get_current_timezone()).strftime("%Y-%m-%d %H:%M")
        in section
    )
    # a visitor is asked to log in instead of seeing the forms
    assert "Log in to take a stance" in section
    assert 'name="position"' not in section


def test_a_member_sees_a_labelled_stance_form_and_the_argument_form():
    debate = open_debate()
    browser = logged_in()
    section = panel(browser.get(debate.proposal.get_absolute_url()))
    assert "<legend>Your stance</legend>" in section
    for index, label in enumerate(["For", "Against", "Undecided"]):
        assert f'id="stance_position_{index}"' in section
        assert f'<label for="stance_position_{index}">{label}</label>' in section
    assert f'action="/debates/{debate.pk}/stance/"' in section
    assert f'action="/debates/{debate.pk}/arguments/"' in section
    assert '<label for="argument_body">Argument:</label>' in section
    assert "csrfmiddlewaretoken" in section


def test_taking_a_stance_and_changing_it():
    debate = open_debate()
    member = UserFactory()
    browser = logged_in(member)
    url = f"/debates/{debate.pk}/stance/"

    response = browser.post(url, {"position": "against"}, follow=True)
    assert response.redirect_chain[-1][0].endswith(
        f"/proposals/{debate.proposal_id}/#debate-stance"
    )
    assert "Your stance is saved. You can change it until the debate ends." in flash(response)
    assert count_shown(response, "against") == 1
    assert re.search(r'value="against"[^>]*checked', panel(response))
    assert "You are “Against”." in panel(response)

    response = browser.post(url, {"position": "for"}, follow=True)
    assert (count_shown(response, "for"), count_shown(response, "against")) == (1, 0)
    assert Stance.objects.get(debate=debate, user=member).position == "for"


def test_a_stance_without_a_choice_is_refused_with_a_message():
    debate = open_debate()
    response = logged_in().post(f"/debates/{debate.pk}/stance/", {}, follow=True)
    assert "Please choose for, against or undecided." in flash(response)
    assert not Stance.objects.exists()


def test_a_stance_after_the_end_is_refused_with_a_message():
    debate = open_debate()
    with time_machine.travel(debate.ends_at + timedelta(minutes=1)):
        browser = logged_in()  # a session from a month ago would have expired
        response = browser.post(f"/debates/{debate.pk}/stance/", {"position": "for"}, follow=True)
        assert response.status_code == 200
        assert "This debate has ended; its results are being counted." in flash(response)
        section = panel(response)
        assert 'name="position"' not in section  # no form any more
        assert ">Ended</span>" in section
    assert not Stance.objects.exists()


def test_visitors_are_sent_to_log_in_and_gets_are_refused(client):
    debate = open_debate()
    response = client.post(f"/debates/{debate.pk}/stance/", {"position": "for"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert logged_in().get(f"/debates/{debate.pk}/stance/").status_code == 405
    assert not Stance.objects.exists()


def test_posting_needs_the_csrf_token():
    debate = open_debate()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(UserFactory())
    response = browser.post(
        f"/debates/{debate.pk}/arguments/", {"side": "for", "body": "토큰 없이 보냅니다."}
    )
    assert response.status_code == 403
    assert not Argument.objects.exists()


def test_posting_an_argument_goes_to_it():
    debate = open_debate()
    browser = logged_in(official(DepartmentFactory(name_en="Bridges Division")))
    response = browser.post(
        f"/debates/{debate.pk}/arguments/",
        {"side": "against", "body": "구조 안전 진단이\r\n먼저 필요합니다."},
        follow=True,
    )
    argument = Argument.objects.get()
    assert response.redirect_chain[-1][0].endswith(f"#argument-{argument.pk}")
    assert "Your argument is posted." in flash(response)
    assert argument.body == "구조 안전 진단이\n먼저 필요합니다."
    against = column(response, "against")
    assert f'id="argument-{argument.pk}"' in against
    assert "Official · Bridges Division" in against


def test_a_refused_argument_comes_back_in_the_form():
    debate = open_debate()
    browser = logged_in()
    body = "아주 긴 논거 " * 300  # over the limit
    response = browser.post(
        f"/debates/{debate.pk}/arguments/", {"side": "for", "body": body}, follow=True
    )
    assert response.redirect_chain[-1][0].endswith("#debate-argue")
    assert "Ensure this value has at most 2000 characters (it has 2399)." in flash(response)
    section = panel(response)
    assert body.strip()[:50] in section
    assert re.search(r'value="for"[^>]*checked', section)
    # shown once: the next visit starts empty
    assert body.strip()[:50] not in panel(browser.get(debate.proposal.get_absolute_url()))
    assert not Argument.objects.exists()


def test_an_argument_without_a_side_is_refused():
    debate = open_debate()
    response = logged_in().post(
        f"/debates/{debate.pk}/arguments/", {"body": "어느 쪽인지 안 골랐어요."}, follow=True
    )
    assert flash(response)
    assert "어느 쪽인지 안 골랐어요." in panel(response)
    assert not Argument.objects.exists()


def test_no_arguments_on_a_closed_debate_and_no_form_either():
    debate = closed_debate()
    browser = logged_in()
    response = browser.post(
        f"/debates/{debate.pk}/arguments/",
        {"side": "for", "body": "마감 뒤에 씁니다."},
        follow=True,
    )
    assert "This debate is closed." in flash(response)
    section = panel(response)
    assert 'name="body"' not in section and 'name="position"' not in section
    assert "The debate has closed. The operators will publish its results here." in section
    assert not Argument.objects.exists()


def test_the_published_results_are_shown(client):
    debate = closed_debate()
    services.debate_publish_summary(
        debate=debate, operator=operator(), summary="찬성이 많았습니다.\n\n예산 확보가 과제입니다."
    )
    section = panel(client.get(debate.proposal.get_absolute_url()))
    assert "Debate results" in section
    assert "<p>찬성이 많았습니다.</p>" in section and "예산 확보가 과제입니다." in section
    assert "will publish its results" not in section


def test_an_early_close_shows_its_reason(client):
    debate = open_debate()
    services.debate_close(debate=debate, actor=operator(), reason="제안자가 중단을 요청했습니다.")
    section = panel(client.get(debate.proposal.get_absolute_url()))
    assert (
        "The operators closed this debate before its end. Reason: 제안자가 중단을 요청했습니다."
        in section
    )


def test_the_author_deletes_an_argument_from_the_page():
    debate = open_debate()
    author = UserFactory()
    argument = services.argument_create(
        debate=debate, author=author, side="for", body="지울 논거입니다."
    )
    assert logged_in().post(f"/debates/arguments/{argument.pk}/delete/").status_code == 404
    response = logged_in(author).post(f"/debates/arguments/{argument.pk}/delete/", follow=True)
    assert "Your argument is deleted." in flash(response)
    assert "지울 논거입니다." not in panel(response)
    argument.refresh_from_db()
    assert argument.deleted_at is not None


def test_operators_hide_an_argument_from_the_page():
    debate = open_debate()
    argument = services.argument_create(
        debate=debate, author=UserFactory(), side="for", body="광고입니다 광고"
    )
    url = f"/debates/arguments/{argument.pk}/moderate/"
    assert logged_in().post(url, {"action": "hide", "reason": "광고"}).status_code == 404

    admin_browser = logged_in(operator())
    response = admin_browser.post(url, {"action": "hide", "reason": ""}, follow=True)
    assert "Please give a reason." in flash(response)
    response = admin_browser.post(url, {"action": "hide", "reason": "광고"}, follow=True)
    assert "Hidden." in flash(response)

    section = panel(logged_in().get(debate.proposal.get_absolute_url()))
    assert "This argument was hidden by the operators. Reason: 광고" in section
    assert "광고입니다 광고" not in section


def test_posting_arguments_is_rate_limited():
    debate = open_debate()
    browser = logged_in()
    for n in range(20):
        browser.post(
            f"/debates/{debate.pk}/arguments/", {"side": "for", "body": f"논거 번호 {n}입니다."}
        )
    response = browser.post(
        f"/debates/{debate.pk}/arguments/", {"side": "for", "body": "스물한 번째입니다."}
    )
    assert response.status_code == 429
    assert Argument.objects.count() == 20


def test_the_debate_address_leads_to_the_proposal_page(client):
    debate = open_debate()
    response = client.get(f"/debates/{debate.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/proposals/{debate.proposal_id}/#debate"
    Proposal.objects.filter(pk=debate.proposal_id).update(is_hidden=True, hidden_reason="광고")
    assert client.get(f"/debates/{debate.pk}/").status_code == 404
    assert logged_in().post(f"/debates/{debate.pk}/stance/", {"position": "for"}).status_code == 404
    assert client.get("/debates/999999/").status_code == 404


# --- the list ---------------------------------------------------------------------


def test_the_list_shows_open_then_closed_debates_with_counts(client):
    finished = closed_debate(title="마감된 토론")
    running = open_debate(title="진행 중인 토론")
    services.stance_set(debate=running, user=UserFactory(), position="undecided")
    hidden = open_debate(title="숨긴 토론")
    Proposal.objects.filter(pk=hidden.proposal_id).update(is_hidden=True, hidden_reason="광고")

    response = client.get("/debates/")
    text = page_html(response)
    assert response.status_code == 200
    assert text.index("진행 중인 토론") < text.index("마감된 토론")
    assert "숨긴 토론" not in text
    assert "2 debates" in text
    assert f'data-testid="debate-{running.pk}-undecided">1<' in text
    assert f'href="/proposals/{running.proposal_id}/#debate"' in text

    only_open = page_html(client.get("/debates/?status=open"))
    assert "진행 중인 토론" in only_open and "마감된 토론" not in only_open
    only_closed = page_html(client.get("/debates/?status=closed"))
    assert "마감된 토론" in only_closed and "진행 중인 토론" not in only_closed
    assert client.get("/debates/?status=nonsense&page=abc").status_code == 200
    assert finished.status == DebateStatus.CLOSED


def _list_queries(client, django_assert_max_num_queries, how_many: int) -> int:
    for _n in range(how_many):
        debate = open_debate()
        services.stance_set(debate=debate, user=UserFactory(), position="for")
    with django_assert_max_num_queries(8) as captured:
        assert client.get("/debates/").status_code == 200
    return len(captured)


def test_the_list_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    few = _list_queries(client, django_assert_max_num_queries, 2)
    many = _list_queries(client, django_assert_max_num_queries, 18)  # 20 in all, one page
    assert few == many


def test_the_list_is_paginated(client):
    for _n in range(21):
        open_debate()
    first = page_html(client.get("/debates/"))
    assert "Page 1 of 2" in first
    assert first.count('<li class="card">') == 20
    second = page_html(client.get("/debates/?page=2"))
    assert second.count('<li class="card">') == 1


def test_the_panel_costs_no_query_before_the_debate_stage(django_assert_num_queries):
    from debates.selectors import debate_for_proposal
    from proposals.models import ProposalStatus
    from tests.factories import ProposalFactory

    for status in (ProposalStatus.OPEN, ProposalStatus.ASSIGNED, ProposalStatus.ANSWERED):
        with django_assert_num_queries(0):
            assert debate_for_proposal(ProposalFactory.build(status=status)) is None
    debate = open_debate()
    with django_assert_num_queries(1):
        assert debate_for_proposal(debate.proposal) == debate
