"""The panel's pages used as a member uses them: /panel/ and its forms,
the panel box on a proposal's page with its rating form as rendered, and
/panel/to-rate/. Refusals come back as plain messages; nothing is written."""

import re

import pytest
from django.test import Client

from accounts.roles import Role
from panel.models import ApplicationStatus, PanelApplication, PanelRating
from tests.factories import UserFactory, official
from tests.pages import english_client, flash, form_posting_to, logged_in, page_html, page_text

from .helpers import open_proposal, panel_member, rate

pytestmark = pytest.mark.django_db

APPLY = "/panel/apply/"


def _rate_url(proposal):
    return f"/panel/proposals/{proposal.pk}/rate/"


def _radio_values(response, name) -> list[str]:
    """The values of the radio buttons named `name`, as rendered."""
    return re.findall(
        rf'<input type="radio" name="{name}" value="(\d+)"', response.content.decode()
    )


# --- /panel/ -------------------------------------------------------------------------


def test_a_visitor_reads_what_the_panel_is_and_is_asked_to_log_in():
    response = english_client().get("/panel/")
    text = page_text(response)
    assert "creativity, public value and feasibility" in text
    assert "Log in to apply" in text
    assert f'action="{APPLY}"' not in response.content.decode()


def test_a_citizen_applies_through_the_form_sees_the_status_and_withdraws():
    member = UserFactory()
    client = logged_in(member, csrf_checks=True)
    page = client.get("/panel/")
    form = form_posting_to(page, APPLY)
    assert "Why would you like to join the panel?" in page_text(page)

    response = client.post(
        APPLY, {**form["fields"], "motivation": "마을 일을 함께 보고 싶어요."}, follow=True
    )
    assert "Your application was sent" in " ".join(flash(response))
    text = page_text(response)
    assert "Your application" in text and "Waiting for a decision" in text
    assert f'action="{APPLY}"' not in response.content.decode()  # one at a time
    application = PanelApplication.objects.get(member=member)

    withdraw = f"/panel/applications/{application.pk}/withdraw/"
    response = client.post(withdraw, form_posting_to(response, withdraw)["fields"], follow=True)
    assert "Your application was withdrawn." in flash(response)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    # and the form is back, to apply again
    form_posting_to(response, APPLY)


def test_an_empty_motivation_is_refused_with_a_message_and_nothing_saved():
    client = logged_in(UserFactory(), csrf_checks=True)
    form = form_posting_to(client.get("/panel/"), APPLY)
    response = client.post(APPLY, {**form["fields"], "motivation": "   "})
    assert response.status_code == 400
    assert "This field is required." in " ".join(flash(response))
    assert not PanelApplication.objects.exists()


def test_someone_elses_application_cannot_be_withdrawn():
    application = PanelApplication.objects.create(member=UserFactory(), motivation="참여")
    client = logged_in(UserFactory())
    assert client.post(f"/panel/applications/{application.pk}/withdraw/").status_code == 404
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PENDING


def test_staff_are_told_they_cannot_apply_and_get_no_form():
    client = logged_in(official())
    response = client.get("/panel/")
    assert "Staff members cannot join the citizen panel" in page_text(response)
    assert f'action="{APPLY}"' not in response.content.decode()
    response = client.post(APPLY, {"motivation": "저도요"})
    assert "Staff members cannot join" in " ".join(flash(response))
    assert not PanelApplication.objects.exists()


def test_the_applicant_sees_the_operators_note_after_a_refusal():
    member = UserFactory()
    PanelApplication.objects.create(
        member=member,
        motivation="참여",
        status=ApplicationStatus.REFUSED,
        decision_note="활동 계획을 더 알려 주세요.",
    )
    text = page_text(logged_in(member).get("/panel/"))
    assert "Refused" in text and "활동 계획을 더 알려 주세요." in text


def test_the_page_speaks_korean_by_default():
    text = page_text(Client().get("/panel/"))
    assert "상상누리단" in text and "로그인하고 신청하기" in text


# --- the proposal page ---------------------------------------------------------------


def test_a_panel_member_rates_through_the_form_as_rendered():
    member = panel_member()
    proposal = open_proposal()
    client = logged_in(member, csrf_checks=True)
    page = client.get(proposal.get_absolute_url())
    form = form_posting_to(page, _rate_url(proposal))
    html = page_html(page)
    # three radio groups, each a fieldset with its legend
    for legend in ("Creativity", "Public value", "Feasibility"):
        assert f"<legend>{legend}</legend>" in html
    for name in ("creativity", "public_value", "feasibility"):
        assert _radio_values(page, name) == ["1", "2", "3", "4", "5"]

    response = client.post(
        _rate_url(proposal),
        {
            **form["fields"],
            "creativity": "5",
            "public_value": "4",
            "feasibility": "3",
            "note": "예산 근거가 있으면 좋겠습니다.",
        },
        follow=True,
    )
    assert "Thank you! Your rating was recorded." in flash(response)
    text = page_text(response)
    assert "You rated this proposal." in text
    assert "Creativity 5 · Public value 4 · Feasibility 3" in text
    assert "4.00" in text and "1 panel member rated" in text
    assert _rate_url(proposal) not in response.content.decode()
    rating = PanelRating.objects.get()
    assert (rating.member, rating.note) == (member, "예산 근거가 있으면 좋겠습니다.")


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"creativity": "9"}, "Please give Creativity a score from 1 to 5."),
        ({"public_value": "-1"}, "Please give Public value a score from 1 to 5."),
        ({"feasibility": "abc"}, "Please give Feasibility a score from 1 to 5."),
        ({"feasibility": ""}, "Please give Feasibility a score from 1 to 5."),
        ({"note": "가" * 1001}, "1000"),
    ],
)
def test_tampered_or_missing_scores_get_a_plain_message_and_nothing_is_written(values, message):
    proposal = open_proposal()
    client = logged_in(panel_member(), csrf_checks=True)
    form = form_posting_to(client.get(proposal.get_absolute_url()), _rate_url(proposal))
    data = {**form["fields"], "creativity": "3", "public_value": "3", "feasibility": "3", **values}
    response = client.post(_rate_url(proposal), data, follow=True)
    assert any(message in shown for shown in flash(response))
    assert not PanelRating.objects.exists()
    proposal.refresh_from_db()
    assert proposal.panel_rating_count == 0


def test_rating_twice_or_ones_own_proposal_is_refused_in_words():
    member = panel_member()
    proposal = open_proposal()
    rate(proposal, member)
    client = logged_in(member)
    data = {"creativity": "1", "public_value": "1", "feasibility": "1"}
    response = client.post(_rate_url(proposal), data, follow=True)
    assert any("already rated" in m for m in flash(response))

    own = open_proposal(author=member)
    page = client.get(own.get_absolute_url())
    assert "You cannot rate your own proposal." in page_text(page)
    assert _rate_url(own) not in page.content.decode()
    response = client.post(_rate_url(own), data, follow=True)
    assert any("your own proposal" in m for m in flash(response))
    assert PanelRating.objects.count() == 1


def test_citizens_see_the_scores_but_no_form_and_cannot_post_one():
    proposal = open_proposal()
    rate(proposal, panel_member(), 5, 5, 4)
    rate(proposal, panel_member(), 3, 4, 4)
    client = logged_in(UserFactory())
    page = client.get(proposal.get_absolute_url())
    text = page_text(page)
    assert "4.17" in text and "2 panel members rated" in text
    # the averages per criterion
    assert "Creativity 4.0" in text and "Public value 4.5" in text and "Feasibility 4.0" in text
    assert _rate_url(proposal) not in page.content.decode()
    response = client.post(
        _rate_url(proposal),
        {"creativity": "1", "public_value": "1", "feasibility": "1"},
        follow=True,
    )
    assert any("Only members of the citizen panel" in m for m in flash(response))
    assert PanelRating.objects.count() == 2


def test_notes_are_not_shown_to_the_public():
    proposal = open_proposal()
    rate(proposal, panel_member(), note="운영자만 보는 메모")
    assert "운영자만 보는 메모" not in page_text(english_client().get(proposal.get_absolute_url()))


def test_no_panel_box_while_nobody_rated_and_nobody_can_rate():
    proposal = open_proposal()
    assert 'id="panel"' not in english_client().get(proposal.get_absolute_url()).content.decode()


def test_the_proposal_page_costs_the_same_queries_however_many_rated(
    django_assert_max_num_queries,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    proposal = open_proposal()
    member = panel_member()
    client = logged_in(member)
    rate(proposal, panel_member())
    client.get(proposal.get_absolute_url())
    with CaptureQueriesContext(connection) as few:
        client.get(proposal.get_absolute_url())
    for _ in range(15):
        rate(proposal, panel_member())
    with django_assert_max_num_queries(len(few)):
        response = client.get(proposal.get_absolute_url())
    assert "16 panel members rated" in page_text(response)


# --- /panel/to-rate/ -------------------------------------------------------------------


def test_a_panel_member_lists_what_they_have_not_rated_paged_and_bounded(
    django_assert_max_num_queries,
):
    member = panel_member()
    waiting = [open_proposal(title=f"평가할 제안 {n}") for n in range(25)]
    done = open_proposal(title="이미 평가한 제안")
    rate(done, member)
    client = logged_in(member)
    client.get("/panel/to-rate/")
    with django_assert_max_num_queries(12):
        first = client.get("/panel/to-rate/")
    text = page_text(first)
    assert "25 proposals found" in text
    assert "평가할 제안 24" in text and "이미 평가한 제안" not in text
    assert "평가할 제안 0" not in text  # on the second page
    with django_assert_max_num_queries(12):
        second = client.get("/panel/to-rate/?page=2")
    assert "평가할 제안 0" in page_text(second)
    assert len(waiting) == 25


@pytest.mark.parametrize("who", ["citizen", "official"])
def test_others_cannot_open_the_list_to_rate(who):
    user = UserFactory() if who == "citizen" else official()
    assert logged_in(user).get("/panel/to-rate/").status_code == 403


def test_a_visitor_is_sent_to_log_in_for_the_list_to_rate():
    response = english_client().get("/panel/to-rate/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_panel_member_finds_the_list_from_the_panel_page():
    member = panel_member()
    response = logged_in(member).get("/panel/")
    assert "You are a member of the citizen panel." in page_text(response)
    assert 'href="/panel/to-rate/"' in response.content.decode()
    assert member.has_role(Role.PANEL)
