"""Under the Content Security Policy nothing on the main public pages or the
admin's own screens is refused: Chromium reports every refusal as a
`securitypolicyviolation` event (and a console error), and this test fails on
any. It also shows the policy bites: an injected inline script is refused."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from accounts.second_factor import must_use_second_factor
from awards import services as award_services
from debates import services as debate_services
from meetings import services as meeting_services
from mileage.defaults import ensure_defaults
from panel.services import panel_rate
from proposals import services as proposal_services
from proposals.models import ProposalStatus
from tests.answers.helpers import assigned
from tests.browser.axe import axe_violations
from tests.debates.helpers import open_debate
from tests.factories import ProposalFactory, UserFactory, official, operator
from tests.meetings.helpers import external_expert, meeting, on_agenda
from tests.pages import log_in_with_second_factor
from tests.panel.helpers import panel_member
from tests.polls.editor_helpers import a_poll, published
from tests.tracking.helpers import adopted_card

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Installed before any page script runs (Playwright injects it past the
# policy): every refusal on the page is kept for the test to read.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
    `at ${event.sourceFile || document.location.pathname}:${event.lineNumber}`
  );
});
"""


class Visitor:
    """A browser context that records CSP refusals on every page it opens."""

    def __init__(self, browser, live_server, user=None):
        self.url = live_server.url
        self.context = browser.new_context(locale="ko-KR")
        self.context.add_init_script(RECORD_VIOLATIONS)
        if user is not None:
            # Logged in as the test client does, staff with their second
            # factor (without it every admin path would only show the
            # factor's set-up page), its session cookie handed to the browser.
            client = Client()
            if must_use_second_factor(user):
                log_in_with_second_factor(client, user)
            else:
                client.force_login(user)
            session = client.cookies[settings.SESSION_COOKIE_NAME].value
            self.context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": self.url}]
            )
        self.page = self.context.new_page()
        self.console = []
        self.page.on(
            "console",
            lambda message: (
                self.console.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )

    def violations_on(self, path: str) -> list[str]:
        response = self.page.goto(self.url + path)
        assert response.status < 400, f"{path}: {response.status}"
        # A page that sent the visitor elsewhere (a log-in, the second
        # factor) would be a page this test never looked at.
        assert self.page.url == self.url + path, f"{path} went to {self.page.url}"
        self.page.wait_for_load_state("networkidle")
        found = self.page.evaluate("window.__cspViolations")
        found += self.console
        self.console = []
        return [f"{path}: {violation}" for violation in found]

    def close(self):
        self.context.close()


def test_public_pages_and_admin_screens_run_under_the_policy(browser, live_server):
    # Given one of each thing the pages show
    debate = open_debate()
    debate_services.stance_set(debate=debate, user=UserFactory(), position="for")
    debate_services.stance_set(debate=debate, user=UserFactory(), position="against")
    agenda_meeting = meeting(days=7)
    (agenda_item,) = on_agenda(agenda_meeting)
    meeting_services.expert_opinion_request(
        item=agenda_item,
        experts=[external_expert()],
        due_date=timezone.localdate() + dt.timedelta(days=3),
        user=operator(),
    )
    # Decisions are recorded once the meeting's day has come.
    met = meeting(days=-1)
    item = on_agenda(met)[0]
    assignment = assigned()
    card = adopted_card()
    member = UserFactory()
    member_proposal = ProposalFactory(author=member)
    answered = ProposalFactory(status=ProposalStatus.ANSWERED, endorsement_count=10)
    staff = UserFactory(is_staff=True, is_superuser=True)
    ensure_defaults()  # the mileage rules and settings (a flush removed them)
    # 이달의 상상지기: a round waiting for the operator (this month's, ranked ahead).
    proposal_services.comment_create(
        proposal=ProposalFactory(), author=official(), body="검토하겠습니다."
    )
    award = award_services.monthly_award_rank(
        now=award_services.month_bounds(timezone.localdate().replace(day=1))[1]
    )
    # City polls: a draft in the editor and its preview, a running one to close.
    draft_poll = a_poll("survey")
    running_poll = published("yes_no")

    public = [
        "/",
        "/proposals/",
        debate.proposal.get_absolute_url(),  # the debate's stance bar
        "/debates/",
        "/meetings/",
        f"/meetings/{agenda_meeting.pk}/agenda/",  # the print button
        "/adopted/",
        card.proposal.get_absolute_url(),
        member_proposal.get_absolute_url(),  # the conditions toward an answer
        answered.get_absolute_url(),  # the conditions toward a debate
        "/accounts/login/",
        "/accounts/signup/",
        "/mileage/ranking/",
        "/panel/",  # the citizen panel (상상누리단)
        "/awards/",
        "/awards/best/",
    ]
    private = ["/me/", "/me/mileage/", "/accounts/profile/", "/notifications/"]
    admin = [
        "/admin/",
        "/admin/proposals/proposal/",  # the date-range filter's inline script
        f"/admin/proposals/proposal/{debate.proposal.pk}/change/",
        f"/admin/answers/assignment/{assignment.pk}/change/",  # the answer workroom
        "/admin/answers/deadlineextension/",  # requests for more time
        "/admin/answers/answeramendment/",  # amendments (their pages: test_amendments.py)
        "/admin/tracking/managementcard/",
        "/admin/tracking/managementcard/dashboard/",
        f"/admin/tracking/managementcard/{card.pk}/change/",
        f"/admin/tracking/managementcard/{card.pk}/stage/",  # the card page's work
        f"/admin/tracking/managementcard/{card.pk}/owner/",
        f"/admin/tracking/managementcard/{card.pk}/report/",
        "/admin/tracking/managementcard/export/",  # django-import-export
        "/admin/tracking/managementcard/import/",
        f"/admin/meetings/realizationmeeting/{agenda_meeting.pk}/change/",
        f"/admin/meetings/realizationmeeting/{met.pk}/decide/{item.pk}/",
        f"/admin/meetings/realizationmeeting/{met.pk}/decisions/",
        f"/admin/meetings/realizationmeeting/{agenda_meeting.pk}/opinions/",
        f"/admin/meetings/realizationmeeting/{agenda_meeting.pk}/agenda/internal/",
        "/admin/meetings/workingreview/add/",
        "/admin/accounts/user/add/",  # related-object popups' widgets
        "/admin/accounts/staffmember/",  # the staff screen (직원 관리)
        f"/admin/accounts/staffmember/{member.pk}/change/",
        "/admin/accounts/auditrecord/",
        f"/admin/proposals/proposal/{debate.proposal.pk}/recategorise/",
        f"/admin/proposals/proposal/{member_proposal.pk}/assign/",
        "/admin/proposals/pipelinesettings/1/change/",
        "/admin/panel/panelapplication/",
        "/admin/panel/panelrating/",
        "/admin/mileage/mileageentry/",  # the ledger (its date-range filter)
        "/admin/mileage/mileageentry/adjust/",
        "/admin/mileage/mileagerule/",
        "/admin/mileage/mileagesettings/1/change/",
        "/admin/awards/monthlyaward/",
        f"/admin/awards/monthlyaward/{award.pk}/change/",  # the confirmation screen
        "/admin/awards/proposerreward/",
        f"/admin/awards/proposerreward/record/{card.pk}/",
        "/admin/awards/bestpolicy/",
        f"/admin/awards/bestpolicy/mark/{card.pk}/",
        "/admin/polls/poll/",
        "/admin/polls/poll/add/",
        f"/admin/polls/poll/{draft_poll.pk}/change/",  # the poll editor
        f"/admin/polls/poll/{draft_poll.pk}/preview/",  # the public page's preview
        f"/admin/polls/poll/{draft_poll.pk}/publish/",
        f"/admin/polls/poll/{running_poll.pk}/close/",
    ]

    found = []
    for user, paths in ((None, public), (member, private), (staff, admin)):
        visitor = Visitor(browser, live_server, user)
        for path in paths:
            found += visitor.violations_on(path)
        visitor.close()

    assert found == []


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}]
)
def test_the_panel_members_pages_run_under_the_policy_and_axe_finds_nothing(
    browser, live_server, viewport
):
    # Given a panel member, a proposal they may rate and one already rated
    member = panel_member()
    to_rate = ProposalFactory(title="평가를 기다리는 제안: 골목 쉼터")
    rated = ProposalFactory(title="평가한 제안: 한강 그늘막")
    panel_rate(proposal=rated, member=member, creativity=4, public_value=5, feasibility=3)
    panel_rate(proposal=rated, member=panel_member(), creativity=3, public_value=4, feasibility=4)
    visitor = Visitor(browser, live_server, member)
    visitor.page.set_viewport_size(viewport)
    found = []
    # the form (three radio groups), the rated box, the list to rate, /panel/
    for path in [
        to_rate.get_absolute_url(),
        rated.get_absolute_url(),
        "/panel/to-rate/",
        "/panel/",
    ]:
        found += visitor.violations_on(path)
        found += [f"{path}: {line}" for line in axe_violations(visitor.page)]
    visitor.close()
    # and a citizen's /panel/ with the application form
    citizen = Visitor(browser, live_server, UserFactory())
    citizen.page.set_viewport_size(viewport)
    found += citizen.violations_on("/panel/")
    found += [f"/panel/ (citizen): {line}" for line in axe_violations(citizen.page)]
    citizen.close()
    assert found == [], "\n".join(found)


def test_an_injected_inline_script_is_refused_and_reported(browser, live_server):
    # The check above would be worth nothing if refusals went unseen.
    visitor = Visitor(browser, live_server)
    visitor.page.goto(live_server.url + "/proposals/")
    visitor.page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.__injected = true;";
          document.body.appendChild(script);
        }"""
    )
    visitor.page.wait_for_timeout(200)
    assert visitor.page.evaluate("window.__injected === undefined")
    violations = visitor.page.evaluate("window.__cspViolations")
    assert any(v.startswith("script-src") for v in violations), violations
    visitor.close()


@pytest.mark.page_cache
@pytest.mark.urls("tests.oasis.test_page_cache")
def test_pages_answered_from_the_page_cache_run_under_the_policy(browser, live_server):
    # Given a page with an inline script allowed by its nonce, and the public
    # list, both kept by the page cache after their first reader
    pages = ["/nonce/", "/proposals/"]
    first = Visitor(browser, live_server)
    assert [first.violations_on(path) for path in pages] == [[], []]
    first.close()

    # When other readers are answered from the cache
    for _reader in range(2):
        visitor = Visitor(browser, live_server)
        response = visitor.page.goto(live_server.url + "/nonce/")
        # Then the kept copy carries this answer's own nonce: the script runs
        assert response.headers["x-page-cache"] == "hit"
        assert visitor.page.title() == "ran"
        assert visitor.violations_on("/nonce/") == []
        assert visitor.violations_on("/proposals/") == []
        visitor.close()
