"""The anonymous page cache (oasis/page_cache.py), from the readers' side:
public pages set no cookie, so they can be kept; a second reader is answered
without the database; members, and a reader with a message waiting, never get
the anonymous copy; each answer has its own CSP nonce; the language switch
still works as the page renders it."""

import re
import time

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.template import engines
from django.test import Client, RequestFactory
from django.urls import include, path

from oasis.page_cache import STATUS_HEADER, cache, cached_for_anonymous, page_key
from tests.clock import at
from tests.factories import CommentFactory, ProposalFactory, UserFactory
from tests.pages import english_client, flash, form_posting_to, logged_in, page_text

pytestmark = [pytest.mark.django_db, pytest.mark.page_cache]

NONCE_PAGE = engines["django"].from_string(
    '<!DOCTYPE html><html><head><title>waiting</title></head><body><p id="n">{{ request.csp_nonce }}</p>'
    '<script nonce="{{ request.csp_nonce }}">document.title = "ran";</script></body></html>'
)


@cached_for_anonymous
def nonce_page(request):
    """A page with an inline script allowed by its nonce (no public page has
    one today; the admin's workroom does)."""
    return HttpResponse(NONCE_PAGE.render({}, request))


urlpatterns = [
    path("nonce/", nonce_page),
    path("", include("oasis.urls")),
]


@pytest.fixture
def proposal():
    proposal = ProposalFactory(title="한강 산책로에 그늘막을")
    CommentFactory(proposal=proposal)
    return proposal


def public_pages(proposal) -> list[str]:
    return [
        "/",
        "/proposals/",
        "/proposals/?sort=popular",
        proposal.get_absolute_url(),
        "/adopted/",
        "/meetings/",
        "/debates/",
    ]


def test_public_pages_set_no_cookie_for_a_reader_who_is_not_logged_in(proposal):
    # given a visitor who has never been here
    browser = Client()
    for url in public_pages(proposal):
        # when they open a public page
        response = browser.get(url)
        # then it sets no cookie (no csrftoken, no session) and stays cacheable
        assert response.status_code == 200, url
        assert dict(response.cookies) == {}, url
        assert "Set-Cookie" not in response, url
    assert not browser.cookies


def test_the_language_switch_works_as_rendered_and_needs_no_token(proposal):
    # given a reader of the English page (their browser checks CSRF)
    browser = english_client(csrf_checks=True)
    page = browser.get(proposal.get_absolute_url())
    form = form_posting_to(page, "/i18n/setlang/")
    assert "csrfmiddlewaretoken" not in form["fields"]

    # when they choose 한국어 and press the button
    switched = browser.post("/i18n/setlang/", {**form["fields"], "language": "ko"}, follow=True)

    # then they are back on the same page, in Korean
    assert switched.redirect_chain[-1][0] == proposal.get_absolute_url()
    assert browser.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ko"
    assert '<html lang="ko">' in switched.content.decode()


def test_a_second_reader_is_answered_from_the_cache_without_the_database(
    proposal, django_assert_num_queries
):
    first = english_client().get("/proposals/")
    assert first[STATUS_HEADER] == "miss"
    with django_assert_num_queries(0):
        second = english_client().get("/proposals/")
    assert second[STATUS_HEADER] == "hit"
    assert second.content == first.content
    assert proposal.title in page_text(second)


def test_each_language_and_each_query_has_its_own_copy(proposal):
    english = english_client().get("/")
    korean = Client(HTTP_ACCEPT_LANGUAGE="ko").get("/")
    assert '<html lang="en">' in english.content.decode()
    assert '<html lang="ko">' in korean.content.decode()
    assert korean[STATUS_HEADER] == "miss"
    assert english_client().get("/?x=1")[STATUS_HEADER] == "miss"


def test_a_member_is_never_served_the_anonymous_copy(proposal):
    # given the proposal's page kept for readers who are not logged in
    english_client().get(proposal.get_absolute_url())
    assert english_client().get(proposal.get_absolute_url())[STATUS_HEADER] == "hit"

    # when a member logs in with the form as rendered, coming back to it
    member = UserFactory()
    browser = english_client(csrf_checks=True)
    login_page = browser.get(f"/accounts/login/?next={proposal.get_absolute_url()}")
    form = form_posting_to(login_page, "/accounts/login/")
    page = browser.post(
        "/accounts/login/",
        {**form["fields"], "login": member.email, "password": "pass-word-123"},
        follow=True,
    )

    # then their first page is answered by the view, with their own buttons
    assert page.redirect_chain[-1][0] == proposal.get_absolute_url()
    assert STATUS_HEADER not in page
    assert "Log out" in page_text(page)
    assert "Log in to endorse" not in page_text(page)
    # and so is every page after it
    assert "Log out" in page_text(logged_in(member).get(proposal.get_absolute_url()))


def test_an_expired_copy_is_recomputed_by_one_reader_while_others_get_it(
    proposal, django_assert_num_queries
):
    with at(2026, 5, 1, 12, 0, 0) as clock:
        english_client().get("/")
        # when the copy has expired and another worker is recomputing it
        clock.shift(settings.PAGE_CACHE_SECONDS + 1)
        request = RequestFactory().get("/")
        request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = "en"
        lock = f"{page_key(request)}:lock"
        assert cache.add(lock, 1, 10)
        # then the others are answered the expired copy, without the database
        with django_assert_num_queries(0):
            stale = english_client().get("/")
        assert stale[STATUS_HEADER] == "stale"
        # and once the lock is free the next reader recomputes it
        cache.delete(lock)
        assert english_client().get("/")[STATUS_HEADER] == "miss"
        assert english_client().get("/")[STATUS_HEADER] == "hit"


def test_a_page_that_sets_a_cookie_is_not_kept(proposal):
    # A reader with a session (a member, or anyone the site gave one) is
    # never served from the cache, and what they are shown is never stored.
    member = logged_in()
    member.get("/proposals/")
    assert english_client().get("/proposals/")[STATUS_HEADER] == "miss"


@pytest.mark.urls(__name__)
def test_every_answer_from_the_cache_has_its_own_nonce():
    answers = [Client().get("/nonce/") for _ in range(3)]
    assert [answer[STATUS_HEADER] for answer in answers] == ["miss", "hit", "hit"]
    nonces = []
    for answer in answers:
        in_body = re.search(r'<p id="n">([^<]+)</p>', answer.content.decode())[1]
        assert f"'nonce-{in_body}'" in answer["Content-Security-Policy"]
        assert answer.content.decode().count(in_body) == 2
        nonces.append(in_body)
    assert len(set(nonces)) == 3


def test_a_reader_with_a_message_waiting_is_answered_by_the_view(proposal):
    # given the front page kept for readers who are not logged in
    english_client().get("/")
    assert english_client().get("/")[STATUS_HEADER] == "hit"

    # when a member logs out (the form as rendered) and lands on it
    browser = logged_in(csrf_checks=True)
    page = browser.get("/me/")
    form = form_posting_to(page, "/accounts/logout/")
    landed = browser.post("/accounts/logout/", form["fields"], follow=True)

    # then the page they land on is the view's, with their message
    assert landed.redirect_chain[-1][0] == "/"
    assert STATUS_HEADER not in landed
    assert flash(landed) == ["You have signed out."]


def test_a_page_that_cannot_be_kept_sends_its_waiting_readers_to_the_view(proposal):
    # given a reader's request for a missing page that another worker is
    # computing (the lock is taken) and that turned out not to be kept
    request = RequestFactory().get("/proposals/999999/")
    request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = "en"
    key = page_key(request)
    assert english_client().get("/proposals/999999/").status_code == 404
    assert cache.add(f"{key}:lock", 1, 10)
    try:
        # when another reader asks for it, they are answered at once by the
        # view, not after waiting seconds for a copy that will never come
        started = time.monotonic()
        assert english_client().get("/proposals/999999/").status_code == 404
        assert time.monotonic() - started < 1.0
    finally:
        cache.delete(f"{key}:lock")


def test_readers_arriving_from_a_shared_link_share_one_copy(proposal):
    english_client().get(proposal.get_absolute_url())
    for tracking in ("utm_source=kakao&utm_medium=share", "fbclid=IwAR0abc", "gclid=x1"):
        shared = english_client().get(f"{proposal.get_absolute_url()}?{tracking}")
        assert shared[STATUS_HEADER] == "hit", tracking
    # parameters the views read still have their own copies
    assert (
        english_client().get(f"{proposal.get_absolute_url()}?comments=2")[STATUS_HEADER] == "miss"
    )


@pytest.mark.urls(__name__)
def test_copies_of_pages_never_push_a_rate_limit_counter_out(settings):
    # given a member's rate-limit counter in the cache (local memory here, as
    # under `make run` and in each process while Redis is down)
    from django.core.cache import cache as counters

    counters.set("rl:a-members-counter", 5, 300)
    # when readers ask for many distinct pages (any query string makes one)
    reader = Client()
    for number in range(400):
        assert reader.get(f"/nonce/?n={number}")[STATUS_HEADER] == "miss"
    # then the counter is still there: copies live in a cache of their own
    assert counters.get("rl:a-members-counter") == 5
