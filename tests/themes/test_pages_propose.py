"""Proposing to a theme through its page: the proposal form as rendered,
with the theme above it, filled and sent as a browser would; refused once
the theme has closed, with the text kept and nothing saved."""

import re

import pytest
import time_machine
from django.utils import timezone

from proposals.models import Proposal
from tests.factories import CategoryFactory, UserFactory, upload
from tests.pages import english_client, flash, form_posting_to, logged_in, page_text
from themes.models import ThemeProposal

from .page_helpers import a_theme

pytestmark = pytest.mark.django_db


def filled(form: dict, **values) -> dict:
    fields = dict(form["fields"])
    fields.update(
        title="한강에서 야외 영화를",
        body="여름밤 한강 공원에서 야외 영화를 상영하면 좋겠습니다.",
        category=str(CategoryFactory(code="culture", name="문화").pk),
    )
    fields.update(values)
    return fields


def test_a_member_proposes_to_an_open_theme_through_its_page():
    # Given an open theme and a member on its page
    theme = a_theme()
    member = UserFactory()
    browser = logged_in(member, csrf_checks=True)
    CategoryFactory(code="culture", name="문화")
    page = browser.get(f"/themes/{theme.pk}/")

    # When they follow "Propose an idea to this theme", fill the form and send it
    assert "Propose an idea to this theme" in page_text(page)
    form_page = browser.get(f"/themes/{theme.pk}/propose/")
    assert form_page.status_code == 200
    text = page_text(form_page)
    assert theme.title in text and "Proposals are taken until" in text
    form = form_posting_to(form_page, f"/themes/{theme.pk}/propose/")
    response = browser.post(f"/themes/{theme.pk}/propose/", filled(form), follow=True)

    # Then the proposal is published in the theme, and its page says so
    proposal = Proposal.objects.get(title="한강에서 야외 영화를")
    assert proposal.author == member
    assert ThemeProposal.objects.get(proposal=proposal).theme == theme
    assert flash(response) == ["Your proposal is published in the theme. Thank you!"]
    assert f"Submitted to the theme {theme.title}" in page_text(response)
    theme.refresh_from_db()
    assert theme.proposal_count == 1
    # and the theme's page lists it
    assert "한강에서 야외 영화를" in page_text(browser.get(f"/themes/{theme.pk}/"))

    # When the same page is sent again (a double click)
    again = browser.post(f"/themes/{theme.pk}/propose/", filled(form))
    # Then nothing more is made
    assert again.status_code == 302 and again["Location"] == proposal.get_absolute_url()
    assert Proposal.objects.count() == 1


def test_a_visitor_is_asked_to_log_in_first():
    theme = a_theme()
    response = english_client().get(f"/themes/{theme.pk}/propose/")
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=/themes/{theme.pk}/propose/"


def test_a_form_sent_after_the_close_is_refused_keeping_the_text():
    # Given a member who opened the form while the theme was open
    theme = a_theme()
    browser = logged_in(csrf_checks=True)
    form = form_posting_to(
        browser.get(f"/themes/{theme.pk}/propose/"), f"/themes/{theme.pk}/propose/"
    )

    # When they send it after the theme closed
    with time_machine.travel(theme.ends_at + timezone.timedelta(minutes=1), tick=False):
        response = browser.post(f"/themes/{theme.pk}/propose/", filled(form))

    # Then the form comes back with the reason and what they typed, nothing saved
    assert response.status_code == 200
    text = page_text(response)
    assert "no longer takes proposals" in text
    resent = form_posting_to(response, f"/themes/{theme.pk}/propose/")["fields"]
    assert resent["title"] == "한강에서 야외 영화를"
    assert resent["body"] == "여름밤 한강 공원에서 야외 영화를 상영하면 좋겠습니다."
    assert not Proposal.objects.exists() and not ThemeProposal.objects.exists()
    theme.refresh_from_db()
    assert theme.proposal_count == 0


def test_the_form_of_a_closed_theme_is_not_offered():
    theme = a_theme(phase="closed")
    browser = logged_in()
    response = browser.get(f"/themes/{theme.pk}/propose/", follow=True)
    assert response.redirect_chain[-1][0] == f"/themes/{theme.pk}/"
    assert any("no longer takes proposals" in message for message in flash(response))
    # nor that of a theme not open yet
    upcoming = a_theme(phase="upcoming")
    response = browser.get(f"/themes/{upcoming.pk}/propose/", follow=True)
    assert response.redirect_chain[-1][0] == f"/themes/{upcoming.pk}/"


def test_a_refused_upload_keeps_what_was_typed():
    # Given the form, filled, with a "photo" that is not an image
    theme = a_theme()
    browser = logged_in(csrf_checks=True)
    form = form_posting_to(
        browser.get(f"/themes/{theme.pk}/propose/"), f"/themes/{theme.pk}/propose/"
    )
    fields = filled(form)
    fields["photos"] = [upload("photo.jpg", b"not an image", "image/jpeg")]

    # When it is sent
    response = browser.post(f"/themes/{theme.pk}/propose/", fields)

    # Then the photo is refused with a message, the text is kept, nothing is saved
    assert response.status_code == 200
    assert re.search(r'class="errorlist', response.content.decode())
    resent = form_posting_to(response, f"/themes/{theme.pk}/propose/")["fields"]
    assert resent["title"] == "한강에서 야외 영화를"
    assert not Proposal.objects.exists()


def test_an_empty_form_says_what_is_missing():
    theme = a_theme()
    browser = logged_in(csrf_checks=True)
    form = form_posting_to(
        browser.get(f"/themes/{theme.pk}/propose/"), f"/themes/{theme.pk}/propose/"
    )
    response = browser.post(f"/themes/{theme.pk}/propose/", form["fields"])
    assert response.status_code == 200
    assert "This field is required." in page_text(response)
    assert not Proposal.objects.exists()
