"""The forms on an argument (delete one's own, hide one as an operator),
loaded from the proposal's page and sent as a browser sends them, with the
page's CSRF token enforced: the argument is a component included `with …
only`, which drops the token unless it is passed."""

import pytest

from debates import services
from debates.models import Argument
from tests.factories import UserFactory, operator
from tests.pages import flash, form_posting_to, logged_in

from .helpers import open_debate

pytestmark = pytest.mark.django_db


def test_the_author_deletes_their_argument_with_the_pages_form():
    # given a member's argument in an open debate
    debate = open_debate()
    author = UserFactory()
    argument = services.argument_create(
        debate=debate, author=author, side="for", body="보행로가 넓어지면 좋겠습니다."
    )
    browser = logged_in(author, csrf_checks=True)
    page = browser.get(debate.proposal.get_absolute_url())

    # when they send the delete form the page shows them
    action = f"/debates/arguments/{argument.pk}/delete/"
    sent = browser.post(action, form_posting_to(page, action)["fields"], follow=True)

    # then it is deleted, and the page says so
    assert sent.status_code == 200
    assert Argument.objects.get(pk=argument.pk).deleted_at is not None
    assert "Your argument is deleted." in flash(sent)


def test_an_operator_hides_an_argument_with_the_pages_form():
    # given someone's argument and an operator on the proposal's page
    debate = open_debate()
    argument = services.argument_create(
        debate=debate, author=UserFactory(), side="against", body="광고성 글입니다."
    )
    browser = logged_in(operator(), csrf_checks=True)
    page = browser.get(debate.proposal.get_absolute_url())

    # when they fill in the reason and press "Hide"
    action = f"/debates/arguments/{argument.pk}/moderate/"
    fields = {
        **form_posting_to(page, action)["fields"],
        "reason": "운영원칙 위반",
        "action": "hide",
    }
    sent = browser.post(action, fields, follow=True)

    # then it is hidden, with the reason kept
    assert sent.status_code == 200
    argument.refresh_from_db()
    assert argument.is_hidden and argument.hidden_reason == "운영원칙 위반"
    assert "Hidden." in flash(sent)


def test_an_argument_form_sent_twice_posts_once():
    # given a member on the page of a proposal in debate, the argument form filled in
    debate = open_debate()
    browser = logged_in(UserFactory(), csrf_checks=True)
    page = browser.get(debate.proposal.get_absolute_url())
    action = f"/debates/{debate.pk}/arguments/"
    fields = {**form_posting_to(page, action)["fields"], "side": "for", "body": "보행로가 좁아요."}
    assert fields["submission_token"]

    # when it is sent twice (a double click)
    browser.post(action, fields)
    second = browser.post(action, fields, follow=True)

    # then one argument is posted, and the second sending is shown it
    assert Argument.objects.filter(debate=debate).count() == 1
    assert "This form was already sent; here is what it made." in flash(second)


def test_a_refused_argument_comes_back_with_its_token_and_posts_once_corrected():
    debate = open_debate()
    browser = logged_in(UserFactory(), csrf_checks=True)
    action = f"/debates/{debate.pk}/arguments/"
    page = browser.get(debate.proposal.get_absolute_url())
    fields = {**form_posting_to(page, action)["fields"], "side": "for", "body": ""}
    refused = browser.post(action, fields, follow=True)
    again = form_posting_to(refused, action)["fields"]
    assert again["submission_token"] == fields["submission_token"]
    browser.post(action, {**again, "side": "for", "body": "다시 씁니다."})
    browser.post(action, {**again, "side": "for", "body": "다시 씁니다."})
    assert Argument.objects.filter(debate=debate).count() == 1
