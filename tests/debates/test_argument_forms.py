"""The argument form sent twice or sent back corrected, as a browser sends
it from the proposal's page (CSRF enforced). Every argument form as rendered
(give, delete one's own, hide as an operator) with its CSRF token, and
forged without it, is a row of tests/attacks/test_csrf_forms.py."""

import pytest

from debates.models import Argument
from tests.factories import UserFactory
from tests.pages import flash, form_posting_to, logged_in

from .helpers import open_debate

pytestmark = pytest.mark.django_db


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
