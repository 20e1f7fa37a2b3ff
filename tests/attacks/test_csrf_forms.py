"""CSRF, from the attacker's side: every form the public site shows works
when filled and sent as a browser sends it (the page's own token, checks
enforced), and the same submission forged from another site (the member's
cookies, no token) is refused with 403 and stores nothing. And every URL
that takes a POST, the admin's included, refuses one without the token.

The site's forms, one row each in FORMS (a new form is one row; the last
test fails for a `<form method="post">` in templates/ that no row covers):

  templates/base.html                 log out (the language switch carries
                                      no token: TOKENLESS_FORMS)
  templates/proposals/form.html       propose; edit one's proposal
  templates/proposals/comment_form.html  edit one's comment
  templates/themes/propose.html       propose to an open theme
  templates/proposals/detail.html     endorse; take back an endorsement;
                                      follow; withdraw; delete one's
                                      proposal; comment; delete one's
                                      comment; operators: hide a proposal,
                                      promote it, hide a comment
  templates/components/report_form.html  report a proposal; report a comment
  templates/answers/proposal_panel.html  the proposer rates the answer
  templates/debates/proposal_panel.html  take a stance; give an argument
  templates/debates/argument.html     delete one's argument; operators: hide one
  templates/panel/home.html           apply to the citizen panel; withdraw one's application
  templates/panel/box.html            a panel member rates a proposal
  templates/polls/includes/discussion_block.html  a discussion poll: give an
                                      argument; endorse one; take it back
  templates/polls/vote_form.html      vote in a city poll
  templates/notifications/list.html   mark all notices read
  templates/notifications/settings.html  choose one's notices (the unsubscribe
                                      page's button carries no token:
                                      TOKENLESS_FORMS)
  templates/accounts/profile.html     edit one's profile
  templates/accounts/delete.html      close one's account
  templates/polls/details_needed.html give the details a targeted poll needs
  templates/legal/consent.html        agree to the documents in force; log out
  templates/mfa/authenticate.html     the sign-in code step's "cancel and sign out"
  templates/account/signup.html       sign up (and socialaccount/signup.html)
  allauth's own pages                 log in; ask a password reset

Not rows: the staff screens under templates/admin/ and */admin/ (the admin's
forms; the admin is covered by the every-URL test below and by the admin
suites), and the GET filter forms of the lists (they change nothing).

Personal-data export is a GET download (accounts:export), not a form."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail

from accounts.models import ConsentRecord, ConsentVia, User
from answers.models import AnswerRating
from debates.models import Argument, Stance
from notifications.models import Notification, NotificationPreference
from panel.models import PanelApplication, PanelRating
from polls.models import Ballot, Poll, PollArgument, PollArgumentEndorsement
from polls.services import discussion as discussion_services
from proposals import merging
from proposals import services as proposal_services
from proposals.models import Comment, Endorsement, EndorsementCarry, Follow, Proposal, Report
from tests.attacks.routes import fill as fill_route
from tests.attacks.routes import routes
from tests.attacks.world import World, refreshed
from tests.factories import ProposalFactory
from tests.pages import english_client, form_posting_to, logged_in
from tests.polls.discussion_helpers import discussion_poll
from tests.polls.target_helpers import targeted_poll
from themes.models import Theme, ThemeProposal

pytestmark = pytest.mark.django_db

NEW_TITLE = "보행로를 넓혀 주세요 (고침)"


def detail(name: str) -> Callable[[World], str]:
    return lambda w: getattr(w, name).get_absolute_url()


def proposal_of(name: str) -> Callable[[World], str]:
    return lambda w: getattr(w, name).proposal.get_absolute_url()


def with_fields(**values) -> Callable[[World, dict], dict]:
    """Fill in what a member types or picks, and the button they press
    (a browser sends the pressed button's name and value)."""
    return lambda w, form: {**form["fields"], **values}


def _poll_for_mapo(world: World):
    """A poll for Mapo-gu residents, made in the test's own savepoint (so
    not in the shared world) the first time a row asks for it."""
    found = Poll.objects.filter(title="마포구에 묻습니다").first()
    return found or targeted_poll(title="마포구에 묻습니다", districts=["mapo"])


def _asked_carry(world: World):
    """citizen_b's request to carry their endorsement of a merged duplicate
    over, made in the test's own savepoint the first time a row asks."""
    found = EndorsementCarry.objects.filter(member=world.people.citizen_b).first()
    if found:
        return found
    source, target = ProposalFactory(), ProposalFactory()
    proposal_services.proposal_endorse(proposal=source, user=world.people.citizen_b)
    merging.proposal_merge(
        actor=world.user("operator"), source=source, target=target, reason="같은 제안"
    )
    return EndorsementCarry.objects.get(member=world.people.citizen_b, source=source)


def _details_of(poll) -> str:
    return f"/polls/{poll.pk}/your-details/"


def first_option(name: str, **values) -> Callable[[World, dict], dict]:
    """Choose the first real option the form offers for `name`."""

    def fill(w, form):
        choice = next(value for value in form["options"][name] if value)
        return {**form["fields"], name: choice, **values}

    return fill


def open_theme():
    """The open theme the theme propose form is read and sent on."""
    from tests.themes.page_helpers import a_theme

    return Theme.objects.filter(title="열린 테마").first() or a_theme(title="열린 테마")


@dataclass(frozen=True)
class PageForm:
    id: str
    covers: tuple[tuple[str, str], ...]  # (template, url name it posts to, or "" for its own page)
    role: str  # who sees the form (a person of the world, or "anonymous")
    page: Callable[[World], str]
    action: Callable[[World], str | None]  # None: the form posts back to its page
    stored: Callable[[World, object], bool]  # (world, browser): is the effect stored?
    fill: Callable[[World, dict], dict] = lambda w, form: form["fields"]


def discussion(w: World):
    """A discussion poll (토론형) with two of citizen_b's arguments, the second
    endorsed by citizen_a. Made on the first look of a test (the world is
    shared by the module, each test rolled back), then the same in that test."""
    made = getattr(w, "_discussion", None)
    if made is None or not PollArgument.objects.filter(pk=made.endorsed.pk).exists():
        poll = discussion_poll()
        by_b = [
            discussion_services.argument_post(
                poll=poll, author=w.people.citizen_b, side=side, body=body
            )
            for side, body in (("for", "급식소가 필요해요."), ("against", "민원이 걱정돼요."))
        ]
        discussion_services.argument_endorse(argument=by_b[1], member=w.people.citizen_a)
        made = w._discussion = type("Discussion", (), {})()
        made.poll, made.open, made.endorsed = poll, by_b[0], by_b[1]
    return made


FORMS = [
    PageForm(
        "log out",
        # The consent page offers the same log-out button (one may refuse),
        # and so does the sign-in code step ("cancel and sign out"; its own
        # CSRF is checked in tests/accounts/test_sign_in_pages.py).
        (
            ("base.html", "account_logout"),
            ("legal/consent.html", "account_logout"),
            ("mfa/authenticate.html", "account_logout"),
        ),
        "citizen_a",
        page=lambda w: "/me/",
        action=lambda w: "/accounts/logout/",
        stored=lambda w, browser: "_auth_user_id" not in browser.session,
    ),
    PageForm(
        "propose",
        (("proposals/form.html", ""),),
        "citizen_b",
        page=lambda w: "/proposals/new/",
        action=lambda w: None,
        fill=first_option("category", title=NEW_TITLE, body="한강 다리를 걷고 싶게 해 주세요."),
        stored=lambda w, browser: Proposal.objects.filter(title=NEW_TITLE).exists(),
    ),
    PageForm(
        "propose to a theme",
        (("themes/propose.html", "themes:propose"),),
        "citizen_b",
        page=lambda w: f"/themes/{open_theme().pk}/propose/",
        action=lambda w: f"/themes/{open_theme().pk}/propose/",
        fill=first_option(
            "category", title="테마에 낸 제안", body="한강 공원에 그늘막을 늘려 주세요."
        ),
        stored=lambda w, browser: ThemeProposal.objects.filter(
            proposal__title="테마에 낸 제안"
        ).exists(),
    ),
    PageForm(
        "edit one's proposal",
        (("proposals/form.html", ""),),
        "citizen_a",
        page=lambda w: f"/proposals/{w.proposal_a.pk}/edit/",
        action=lambda w: None,
        fill=with_fields(title=NEW_TITLE),
        stored=lambda w, browser: refreshed(w.proposal_a).title == NEW_TITLE,
    ),
    PageForm(
        "edit one's comment",
        (("proposals/comment_form.html", ""),),
        "citizen_a",
        page=lambda w: f"/proposals/comments/{w.comment_a.pk}/edit/",
        action=lambda w: None,
        fill=with_fields(body="고친 댓글입니다."),
        stored=lambda w, browser: refreshed(w.comment_a).body == "고친 댓글입니다.",
    ),
    PageForm(
        "endorse",
        (("proposals/detail.html", "proposals:endorse"),),
        "citizen_b",
        page=detail("proposal_a"),
        action=lambda w: f"/proposals/{w.proposal_a.pk}/endorse/",
        fill=with_fields(action="endorse"),
        stored=lambda w, browser: Endorsement.objects.filter(
            proposal=w.proposal_a, user=w.people.citizen_b
        ).exists(),
    ),
    PageForm(
        "take back an endorsement",
        (("proposals/detail.html", "proposals:endorse"),),
        "citizen_a",
        page=detail("proposal_b"),
        action=lambda w: f"/proposals/{w.proposal_b.pk}/endorse/",
        fill=with_fields(action="withdraw"),
        stored=lambda w, browser: (
            not Endorsement.objects.filter(proposal=w.proposal_b, user=w.people.citizen_a).exists()
        ),
    ),
    PageForm(
        "carry an endorsement over to the proposal it was merged into",
        (("proposals/carry_form.html", "proposals:carry"),),
        "citizen_b",
        page=lambda w: _asked_carry(w).source.get_absolute_url(),
        action=lambda w: f"/proposals/carries/{_asked_carry(w).pk}/",
        fill=with_fields(action="carry"),
        stored=lambda w, browser: refreshed(_asked_carry(w)).state == "carried",
    ),
    PageForm(
        "follow",
        (("proposals/detail.html", "proposals:follow"),),
        "operator",
        page=detail("proposal_b"),
        action=lambda w: f"/proposals/{w.proposal_b.pk}/follow/",
        fill=with_fields(action="follow"),
        stored=lambda w, browser: Follow.objects.filter(
            proposal=w.proposal_b, user=w.people.operator
        ).exists(),
    ),
    PageForm(
        "withdraw one's proposal",
        (("proposals/detail.html", "proposals:withdraw"),),
        "citizen_a",
        page=detail("proposal_a"),
        action=lambda w: f"/proposals/{w.proposal_a.pk}/withdraw/",
        fill=with_fields(reason="다시 쓰겠습니다."),
        stored=lambda w, browser: refreshed(w.proposal_a).status == "withdrawn",
    ),
    PageForm(
        "delete one's proposal",
        (("proposals/detail.html", "proposals:trash"),),
        "citizen_a",
        page=detail("proposal_a"),
        action=lambda w: f"/proposals/{w.proposal_a.pk}/delete/",
        stored=lambda w, browser: refreshed(w.proposal_a).deleted_at is not None,
    ),
    PageForm(
        "hide a proposal (operator)",
        (("proposals/detail.html", "proposals:moderate"),),
        "operator",
        page=detail("proposal_a"),
        action=lambda w: f"/proposals/{w.proposal_a.pk}/moderate/",
        fill=with_fields(reason="광고", action="hide"),
        stored=lambda w, browser: refreshed(w.proposal_a).is_hidden,
    ),
    PageForm(
        "promote a proposal (operator)",
        (("proposals/detail.html", "pipeline:promote"),),
        "operator",
        page=detail("proposal_a"),
        action=lambda w: f"/proposals/{w.proposal_a.pk}/promote/",
        fill=with_fields(reason="창의적인 제안입니다."),
        stored=lambda w, browser: refreshed(w.proposal_a).status == "assigned",
    ),
    PageForm(
        "comment",
        (("proposals/detail.html", "proposals:comment_create"),),
        "citizen_a",
        page=detail("proposal_b"),
        action=lambda w: f"/proposals/{w.proposal_b.pk}/comments/",
        fill=with_fields(body="새 댓글입니다."),
        stored=lambda w, browser: Comment.objects.filter(body="새 댓글입니다.").exists(),
    ),
    PageForm(
        "delete one's comment",
        (("proposals/detail.html", "proposals:comment_delete"),),
        "citizen_a",
        page=detail("proposal_b"),
        action=lambda w: f"/proposals/comments/{w.comment_a.pk}/delete/",
        stored=lambda w, browser: refreshed(w.comment_a).deleted_at is not None,
    ),
    PageForm(
        "hide a comment (operator)",
        (("proposals/detail.html", "proposals:comment_moderate"),),
        "operator",
        page=detail("proposal_b"),
        action=lambda w: f"/proposals/comments/{w.comment_a.pk}/moderate/",
        fill=with_fields(reason="욕설", action="hide"),
        stored=lambda w, browser: refreshed(w.comment_a).is_hidden,
    ),
    PageForm(
        "report a proposal",
        (("components/report_form.html", "{{ action }}"),),
        "citizen_b",
        page=detail("proposal_a"),
        action=lambda w: f"/proposals/{w.proposal_a.pk}/report/",
        fill=first_option("reason", detail="광고 같아요"),
        stored=lambda w, browser: Report.objects.filter(
            proposal=w.proposal_a, reporter=w.people.citizen_b
        ).exists(),
    ),
    PageForm(
        "report a comment",
        (("components/report_form.html", "{{ action }}"),),
        "citizen_b",
        # Its own page, linked from the comment (one form per comment made
        # a long thread megabytes).
        page=lambda w: f"/proposals/comments/{w.comment_a.pk}/report/",
        action=lambda w: f"/proposals/comments/{w.comment_a.pk}/report/",
        fill=first_option("reason"),
        stored=lambda w, browser: Report.objects.filter(
            comment=w.comment_a, reporter=w.people.citizen_b
        ).exists(),
    ),
    PageForm(
        "rate the answer (proposer)",
        (("answers/proposal_panel.html", "answers:rate"),),
        "citizen_a",
        page=proposal_of("assignment_x"),
        action=lambda w: f"/answers/{w.answer_x.pk}/rate/",
        fill=with_fields(score="4", comment="빠른 답변 고맙습니다."),
        stored=lambda w, browser: AnswerRating.objects.filter(answer=w.answer_x).exists(),
    ),
    PageForm(
        "take a stance",
        (("debates/proposal_panel.html", "debates:stance"),),
        "citizen_a",
        page=proposal_of("debate"),
        action=lambda w: f"/debates/{w.debate.pk}/stance/",
        fill=with_fields(position="for"),
        stored=lambda w, browser: Stance.objects.filter(
            debate=w.debate, user=w.people.citizen_a
        ).exists(),
    ),
    PageForm(
        "give an argument",
        (("debates/proposal_panel.html", "debates:argument_create"),),
        "citizen_a",
        page=proposal_of("debate"),
        action=lambda w: f"/debates/{w.debate.pk}/arguments/",
        fill=with_fields(side="against", body="예산이 너무 많이 듭니다."),
        stored=lambda w, browser: Argument.objects.filter(body="예산이 너무 많이 듭니다.").exists(),
    ),
    PageForm(
        "apply to the citizen panel",
        (("panel/home.html", "panel:apply"),),
        "citizen_b",
        page=lambda w: "/panel/",
        action=lambda w: "/panel/apply/",
        fill=with_fields(motivation="함께 평가하고 싶어요."),
        stored=lambda w, browser: PanelApplication.objects.filter(
            member=w.people.citizen_b
        ).exists(),
    ),
    PageForm(
        "withdraw one's panel application",
        (("panel/home.html", "panel:withdraw"),),
        "applicant",
        page=lambda w: "/panel/",
        action=lambda w: f"/panel/applications/{w.panel_application.pk}/withdraw/",
        stored=lambda w, browser: refreshed(w.panel_application).status == "withdrawn",
    ),
    PageForm(
        "rate a proposal (panel)",
        (("panel/box.html", "panel:rate"),),
        "panel",
        page=detail("proposal_b"),
        action=lambda w: f"/panel/proposals/{w.proposal_b.pk}/rate/",
        fill=with_fields(creativity="5", public_value="4", feasibility="4"),
        stored=lambda w, browser: PanelRating.objects.filter(proposal=w.proposal_b).exists(),
    ),
    PageForm(
        "vote in a city poll",
        (("polls/vote_form.html", "polls:vote"),),
        "citizen_a",
        page=detail("poll"),
        action=lambda w: f"/polls/{w.poll.pk}/vote/",
        fill=lambda w, form: {
            **form["fields"],
            f"q_{w.poll.questions.get().pk}": str(w.poll.questions.get().choices.first().pk),
        },
        stored=lambda w, browser: Ballot.objects.filter(
            poll=w.poll, member=w.people.citizen_a
        ).exists(),
    ),
    PageForm(
        "delete one's argument",
        (("debates/argument.html", "debates:argument_delete"),),
        "citizen_a",
        page=proposal_of("debate"),
        action=lambda w: f"/debates/arguments/{w.argument_a.pk}/delete/",
        stored=lambda w, browser: refreshed(w.argument_a).deleted_at is not None,
    ),
    PageForm(
        "hide an argument (operator)",
        (("debates/argument.html", "debates:argument_moderate"),),
        "operator",
        page=proposal_of("debate"),
        action=lambda w: f"/debates/arguments/{w.argument_b.pk}/moderate/",
        fill=with_fields(reason="운영원칙 위반", action="hide"),
        stored=lambda w, browser: refreshed(w.argument_b).is_hidden,
    ),
    PageForm(
        "mark all notices read",
        (("notifications/list.html", "notifications:read_all"),),
        "citizen_a",
        page=lambda w: "/notifications/",
        action=lambda w: "/notifications/read-all/",
        stored=lambda w, browser: (
            not Notification.objects.filter(
                recipient=w.people.citizen_a, read_at__isnull=True
            ).exists()
        ),
    ),
    PageForm(
        "choose one's notices",
        (("notifications/settings.html", "notifications:settings"),),
        "citizen_a",
        page=lambda w: "/notifications/settings/",
        action=lambda w: "/notifications/settings/",
        fill=with_fields(**{"debates-email": "off"}),
        stored=lambda w, browser: NotificationPreference.objects.filter(
            user=w.people.citizen_a, topic="debates", email="off"
        ).exists(),
    ),
    PageForm(
        "edit one's profile",
        (("accounts/profile.html", ""),),
        "citizen_b",
        page=lambda w: "/accounts/profile/",
        action=lambda w: None,
        fill=with_fields(nickname="한강산책"),
        stored=lambda w, browser: refreshed(w.people.citizen_b).nickname == "한강산책",
    ),
    PageForm(
        "give the details a targeted poll needs",
        (("polls/details_needed.html", "polls:details_needed"),),
        "citizen_b",
        page=lambda w: f"{_details_of(_poll_for_mapo(w))}?next=/polls/",
        action=lambda w: _details_of(_poll_for_mapo(w)),
        fill=with_fields(district="mapo", consent_district="on"),
        stored=lambda w, browser: refreshed(w.people.citizen_b).district == "mapo",
    ),
    PageForm(
        "close one's account",
        (("accounts/delete.html", ""),),
        "citizen_b",
        page=lambda w: "/accounts/profile/delete/",
        action=lambda w: None,
        fill=with_fields(password="pass-word-123", confirm="on"),
        stored=lambda w, browser: not refreshed(w.people.citizen_b).is_active,
    ),
    PageForm(
        "log in (allauth)",
        (),
        "anonymous",
        page=lambda w: "/accounts/login/",
        action=lambda w: "/accounts/login/",
        fill=with_fields(login="a@example.com", password="pass-word-123"),
        stored=lambda w, browser: "_auth_user_id" in browser.session,
    ),
    PageForm(
        "sign up (allauth)",
        # The social sign-up page shows the same fields and consents
        # (legal/signup_fields.html) but only with a provider's login pending,
        # which this world has none of; tests/accounts/test_consent.py sends
        # its form.
        (
            ("account/signup.html", "account_signup"),
            ("socialaccount/signup.html", "socialaccount_signup"),
        ),
        "anonymous",
        page=lambda w: "/accounts/signup/",
        action=lambda w: "/accounts/signup/",
        fill=with_fields(
            email="newcomer@example.com",
            password1="long-pass-word-456",
            password2="long-pass-word-456",
            display_name="새시민",
            agree_terms="on",
            agree_privacy="on",
        ),
        stored=lambda w, browser: User.objects.filter(email="newcomer@example.com").exists(),
    ),
    PageForm(
        "give an argument in a discussion poll",
        (("polls/includes/discussion_block.html", "polls:argument_post"),),
        "citizen_a",
        page=lambda w: discussion(w).poll.get_absolute_url(),
        action=lambda w: f"/polls/{discussion(w).poll.pk}/arguments/",
        fill=with_fields(side="against", body="중성화가 먼저예요."),
        stored=lambda w, browser: PollArgument.objects.filter(
            poll=discussion(w).poll, author=w.people.citizen_a
        ).exists(),
    ),
    PageForm(
        "endorse an argument in a discussion poll",
        (("polls/includes/discussion_block.html", "polls:argument_endorse"),),
        "citizen_a",
        page=lambda w: discussion(w).poll.get_absolute_url(),
        action=lambda w: f"/polls/arguments/{discussion(w).open.pk}/endorse/",
        stored=lambda w, browser: PollArgumentEndorsement.objects.filter(
            argument=discussion(w).open, member=w.people.citizen_a
        ).exists(),
    ),
    PageForm(
        "take back an endorsement in a discussion poll",
        (("polls/includes/discussion_block.html", "polls:argument_unendorse"),),
        "citizen_a",
        page=lambda w: discussion(w).poll.get_absolute_url(),
        action=lambda w: f"/polls/arguments/{discussion(w).endorsed.pk}/unendorse/",
        stored=lambda w, browser: (
            not PollArgumentEndorsement.objects.filter(
                argument=discussion(w).endorsed, member=w.people.citizen_a
            ).exists()
        ),
    ),
    PageForm(
        "agree to the legal documents in force",
        (("legal/consent.html", "legal:consent"),),
        "citizen_a",
        page=lambda w: "/legal/consent/",
        action=lambda w: "/legal/consent/",
        fill=with_fields(agree_terms="on", agree_privacy="on"),
        stored=lambda w, browser: ConsentRecord.objects.filter(
            user=w.people.citizen_a, via=ConsentVia.RECONSENT
        ).exists(),
    ),
    PageForm(
        "ask a password reset (allauth)",
        (),
        "anonymous",
        page=lambda w: "/accounts/password/reset/",
        action=lambda w: "/accounts/password/reset/",
        fill=with_fields(email="a@example.com"),
        stored=lambda w, browser: len(mail.outbox) > 0,
    ),
]


def _browser(world: World, role: str):
    user = world.user(role)
    return english_client(csrf_checks=True) if user is None else logged_in(user, csrf_checks=True)


@pytest.mark.parametrize("row", FORMS, ids=[row.id for row in FORMS])
def test_the_form_as_rendered_works_and_a_forged_one_is_refused(world, row):
    # given the member on the page that shows the form
    browser = _browser(world, row.role)
    page = browser.get(row.page(world))
    assert page.status_code == 200
    action = row.action(world)
    fields = row.fill(world, form_posting_to(page, action))
    target = action or row.page(world)
    assert fields.get("csrfmiddlewaretoken"), "the form carries no CSRF token"
    assert not row.stored(world, browser)

    # when another site makes their browser send the same form without the token
    forged = {name: value for name, value in fields.items() if name != "csrfmiddlewaretoken"}
    refused = browser.post(target, forged)

    # then it is refused and nothing is stored
    assert refused.status_code == 403
    assert not row.stored(world, browser)

    # when they send the form themselves, as the page rendered it
    sent = browser.post(target, fields, follow=True)

    # then it is stored
    assert sent.status_code == 200
    assert row.stored(world, browser), sent.content.decode()[:3000]


# --- every URL refuses a POST without the token ---------------------------------------------


# URLs answered without the CSRF check, each with why that is safe.
CSRF_EXEMPT = {
    # The health probe is answered before any other middleware
    # (oasis.middleware.HealthCheckMiddleware) whatever the method; it only
    # reads whether the database and broker are up.
    "/healthz": "read-only probe",
    # The language switch (oasis/i18n.py): a forged one only changes the
    # visitor's display language, and a token in it would set a cookie on
    # every page, keeping them all out of the page cache.
    "/i18n/setlang/": "display language only",
    # One-click unsubscribe (notifications/unsubscribe.py): mail clients post
    # it with no cookie or token (RFC 8058); the signed link in the URL is the
    # authority, and all it can do is stop its own e-mails once.
    "notifications/unsubscribe/<str:token>/": "signed link, stops its own e-mails",
}

# Forms that post without a token, to a URL in CSRF_EXEMPT; the switch works
# as rendered (tests/oasis/test_page_cache.py).
TOKENLESS_FORMS = {
    ("base.html", "set_language"),
    # The unsubscribe page's button posts to the signed link (CSRF_EXEMPT);
    # tests/notifications/test_unsubscribe.py sends it as rendered.
    ("notifications/unsubscribe.html", "notifications:unsubscribe"),
}


def test_every_url_refuses_a_post_without_the_token(world):
    # given a logged-in operator's browser (the most powerful everyday role)
    browser = logged_in(world.people.operator, csrf_checks=True)
    browser.get("/")  # has the CSRF cookie, as after any page
    pk = world.proposal_b.pk
    accepted = []
    for route, _pattern in routes():
        url = fill_route(route, pk)
        if url in CSRF_EXEMPT or route in CSRF_EXEMPT:
            continue
        # when another site posts to it in their name
        response = browser.post(url, {"action": "hide", "reason": "x"})
        if url.startswith("/api/"):
            # The read API takes no session (api.authentication) and changes
            # nothing: every unsafe method there is refused (401/405).
            if response.status_code not in (401, 403, 405):
                accepted.append((url, response.status_code))
            continue
        # then it is refused before the view runs
        if response.status_code != 403:
            accepted.append((url, response.status_code))
    assert accepted == []


# --- every form in templates/ has a row ---------------------------------------------------

TEMPLATES = Path(settings.BASE_DIR) / "templates"
POST_FORM = re.compile(r"<form\b[^>]*\bmethod=\"post\"[^>]*>", re.I)
ACTION = re.compile(r"\baction=\"([^\"]*)\"")
URL_NAME = re.compile(r"\{%\s*url\s+'([^']+)'")


def _is_staff_screen(path: Path) -> bool:
    return "admin" in path.relative_to(TEMPLATES).parts


def _forms_in_templates() -> set[tuple[str, str]]:
    found = set()
    for path in TEMPLATES.rglob("*.html"):
        if _is_staff_screen(path):
            continue
        for tag in POST_FORM.findall(path.read_text()):
            action = ACTION.search(tag)
            target = action[1] if action else ""
            name = URL_NAME.search(target)
            found.add((str(path.relative_to(TEMPLATES)), name[1] if name else target))
    return found


def test_every_post_form_in_the_templates_has_a_row():
    covered = {cover for row in FORMS for cover in row.covers} | TOKENLESS_FORMS
    assert _forms_in_templates() - covered == set()
    assert covered - _forms_in_templates() == set(), "a row covers a form that is gone"
