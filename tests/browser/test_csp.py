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
from polls.models import Ballot
from polls.services import discussion as discussion_services
from proposals import services as proposal_services
from proposals.models import ProposalStatus
from tests.answers.helpers import assigned
from tests.browser.axe import axe_violations
from tests.browser.staff_pages import RECORD_VIOLATIONS
from tests.debates.helpers import open_debate
from tests.factories import ProposalFactory, UserFactory, official, operator
from tests.meetings.helpers import external_expert, meeting, on_agenda
from tests.pages import log_in_with_second_factor
from tests.panel.helpers import panel_member
from tests.polls.discussion_helpers import discussion_poll
from tests.polls.editor_helpers import a_poll, published
from tests.polls.vote_helpers import citizen, survey_poll, yes_no_poll
from tests.themes.helpers import make_theme, proposal_fields
from tests.tracking.helpers import adopted_card
from themes import services as theme_services
from themes.models import ThemeMaterial, ThemeStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
    poll = survey_poll()
    # 이달의 상상지기: a round waiting for the operator (this month's, ranked ahead).
    proposal_services.comment_create(
        proposal=ProposalFactory(), author=official(), body="검토하겠습니다."
    )
    award = award_services.monthly_award_rank(
        now=award_services.month_bounds(timezone.localdate().replace(day=1))[1]
    )
    draft_theme, closed_theme = theme_screens_world()
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
        "/polls/",  # 서울시가 묻습니다
        poll.get_absolute_url(),  # a visitor's poll page
        "/stats/",  # the open statistics: charts as tables with bars
        "/stats/departments/",
        "/stats/themes/",
        "/stats/proposals/?stage=answered",  # the list a figure links to
    ]
    private = [
        "/me/",
        "/me/mileage/",
        "/accounts/profile/",
        "/notifications/",
        poll.get_absolute_url(),  # the vote form
    ]
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
        *theme_screens(draft_theme, closed_theme),
        "/admin/polls/pollargument/",  # discussion polls' arguments, hidden from here
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


def theme_screens_world():
    """A draft theme with reference material, and a closed theme with a
    proposal (its picks and its response screens have something to show)."""
    draft = make_theme(status=ThemeStatus.DRAFT, title="초안 테마: 그늘 있는 서울")
    ThemeMaterial.objects.create(theme=draft, title="폭염 대책 자료", url="https://example.org/")
    closed = make_theme(title="마감된 테마: 걷고 싶은 한강 다리")
    theme_services.theme_propose(theme=closed, author=UserFactory(), **proposal_fields())
    theme_services.theme_close(theme=closed, actor=operator(), reason="마감")
    return draft, closed


def theme_screens(draft, closed) -> list[str]:
    """The theme editor and screens (themes/admin.py, themes/screens.py)."""
    return [
        "/admin/themes/theme/",
        "/admin/themes/theme/add/",
        f"/admin/themes/theme/{draft.pk}/change/",
        f"/admin/themes/theme/{draft.pk}/preview/",
        f"/admin/themes/theme/{closed.pk}/pick/",
        f"/admin/themes/theme/{closed.pk}/respond/",
    ]


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}]
)
def test_the_theme_editor_and_screens_run_under_the_policy_and_axe_finds_nothing(
    browser, live_server, viewport
):
    draft, closed = theme_screens_world()
    visitor = Visitor(browser, live_server, operator())
    visitor.page.set_viewport_size(viewport)
    found = []
    for path in theme_screens(draft, closed):
        found += visitor.violations_on(path)
        found += [f"{path}: {line}" for line in axe_violations(visitor.page)]
        # axe's own probes of a form page (injected past the policy, as the
        # awards' and the admin look's axe tests run it) log refusals of
        # their own, which are not the page's.
        visitor.console = []
    visitor.close()
    assert found == [], "\n".join(found)


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}]
)
def test_voting_in_a_poll_runs_under_the_policy_and_axe_finds_nothing(
    browser, live_server, viewport
):
    # Given an open survey of three kinds of question, a yes/no poll that
    # allows a change of vote, and a member
    ensure_defaults()
    survey = survey_poll(title="길고양이와의 공존을 위한 리서치")
    yes_no = yes_no_poll(allow_vote_change=True)
    member = citizen()
    visitor = Visitor(browser, live_server, member)
    visitor.page.set_viewport_size(viewport)
    found = []

    def look(path):
        found.extend(visitor.violations_on(path))
        found.extend(f"{path}: {line}" for line in axe_violations(visitor.page))
        if not visitor.page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1"
        ):
            found.append(f"{path}: scrolls sideways")

    look("/polls/")
    # When they answer the survey through the page, in Korean
    look(survey.get_absolute_url())
    page = visitor.page
    page.get_by_label("관심 없다").check()
    page.get_by_label("급식소").check()
    page.get_by_label("입양").check()
    page.locator("textarea").first.fill("급식소가 더 있으면 좋겠어요")
    page.get_by_role("button", name="투표하기").click()
    page.wait_for_load_state("networkidle")
    # Then the page says it was recorded and shows their answers
    assert "투표 완료" in page.inner_text("main")
    found.extend(f"after voting: {line}" for line in axe_violations(page))
    # And a yes/no vote with a reason, then changed
    look(yes_no.get_absolute_url())
    page.get_by_label("보호조치 찬성").check()
    page.get_by_label("선택한 이유 (선택 사항)").fill("함께 살아야 하니까요")
    page.get_by_role("button", name="투표하기").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="투표 바꾸기").click()
    page.wait_for_load_state("networkidle")
    found.extend(f"changing: {line}" for line in axe_violations(page))
    page.get_by_label("기타 의견").check()
    page.get_by_role("button", name="바꾼 투표 저장하기").click()
    page.wait_for_load_state("networkidle")
    assert "투표를 바꾸었어요." in page.inner_text("main")
    visitor.close()
    assert Ballot.objects.filter(member=member).count() == 2
    assert found == [], "\n".join(found)


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}]
)
def test_a_discussion_polls_page_runs_under_the_policy_and_axe_finds_nothing(
    browser, live_server, viewport
):
    # Given a discussion poll (토론형) with arguments on each side, one of
    # them endorsed by the member, and one of the member's own
    ensure_defaults()
    poll = discussion_poll()
    member = UserFactory()
    for side, body in (
        ("for", "급식소가 있으면 길고양이가 한곳에 모여요."),
        ("against", "주민 민원이 늘어요."),
        ("", "중성화가 먼저예요."),
    ):
        argument = discussion_services.argument_post(
            poll=poll, author=UserFactory(), side=side, body=body
        )
    discussion_services.argument_endorse(argument=argument, member=member)
    discussion_services.argument_post(
        poll=poll, author=member, side="for", body="제 의견은 함께 돌보자는 거예요."
    )
    found = []
    # the member's page: endorse and take-back buttons, the argument form
    # (a radio group with its legend); a visitor's: the arguments and the log-in link
    for user in (member, None):
        visitor = Visitor(browser, live_server, user)
        visitor.page.set_viewport_size(viewport)
        found += visitor.violations_on(poll.get_absolute_url())
        found += [f"{poll.get_absolute_url()}: {line}" for line in axe_violations(visitor.page)]
        visitor.close()
    assert found == [], "\n".join(found)


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}]
)
def test_the_theme_pages_run_under_the_policy_and_axe_finds_nothing(browser, live_server, viewport):
    # Given an open theme with material and proposals, and a closed one with
    # a debate pick and its department's published response
    from tests.themes.page_helpers import a_theme, entered
    from themes.models import ThemeMaterial, ThemeProposal

    open_theme = a_theme()
    ThemeMaterial.objects.create(
        theme=open_theme, title="한강 이용 통계", url="https://data.seoul.go.kr/"
    )
    entered(open_theme, title="한강에서 야외 영화를")
    closed = a_theme(
        phase="closed",
        title="골목 쉼터를 함께 만들어요",
        response="좋은 제안 감사합니다. 내년에 시범 사업을 합니다.",
        response_published_at=timezone.now(),
        outcome="2027년 시범 사업 예산 반영",
    )
    picked = entered(closed, title="버스 정류장 옆 골목 쉼터")
    ThemeProposal.objects.filter(proposal=picked).update(picked_for_debate_at=timezone.now())
    # When a member reads the list, both pages, the propose form and a
    # proposal's page naming its theme
    visitor = Visitor(browser, live_server, UserFactory())
    visitor.page.set_viewport_size(viewport)
    found = []
    for path in [
        "/",
        "/themes/",
        f"/themes/{open_theme.pk}/",
        f"/themes/{closed.pk}/",
        picked.get_absolute_url(),
        f"/themes/{open_theme.pk}/propose/",
    ]:
        found += visitor.violations_on(path)
        found += [f"{path}: {line}" for line in axe_violations(visitor.page)]
    # and the form (the last page) sent empty comes back with its errors, still clean
    visitor.page.click("form.card button[type=submit]")
    visitor.page.wait_for_load_state("networkidle")
    found += [f"propose (errors): {line}" for line in axe_violations(visitor.page)]
    visitor.close()
    # Then nothing is refused and axe finds nothing
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


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}]
)
def test_poll_results_run_under_the_policy_axe_finds_nothing_and_they_print(
    browser, live_server, viewport
):
    # Given a closed survey with votes in groups large and small, and a response
    from polls.models import PollKind, PollStatus, QuestionKind
    from polls.services import responses
    from tests.polls.results_world import make_poll, vote, votes

    poll = make_poll(
        kind=PollKind.SURVEY,
        status=PollStatus.CLOSED,
        questions=(
            ("길고양이 급식소에 찬성하십니까?", QuestionKind.SINGLE, ("찬성", "반대")),
            ("무엇이 필요할까요?", QuestionKind.MULTIPLE, ("급식소", "중성화", "교육")),
        ),
    )
    votes(poll, "찬성", 6, district="jongno", age_band="30s")
    for _ in range(3):
        vote(poll, (0, "반대"), (1, "중성화"), (1, "교육"), district="jung", age_band="40s")
    staff = operator()
    responses.poll_respond(poll=poll, actor=staff, response="급식소를 늘리겠습니다.")
    responses.poll_response_publish(poll=poll, actor=staff)
    results_path = f"/polls/{poll.pk}/results/"
    found = []

    # When a visitor reads the results (and the poll page's summary)
    visitor = Visitor(browser, live_server)
    visitor.page.set_viewport_size(viewport)
    for path in (results_path, f"/polls/{poll.pk}/"):
        found += visitor.violations_on(path)
        found += [f"{path}: {line}" for line in axe_violations(visitor.page)]
    visitor.page.goto(live_server.url + results_path)
    # nothing wider than the screen but inside its own scrolling table box
    overflow = visitor.page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= viewport["width"], overflow

    # Then printed: no navigation, buttons or footer; whole tables; the
    # second question on a new page; the bars drawn
    visitor.page.emulate_media(media="print")
    printed = visitor.page.evaluate(
        """() => {
          const shown = (sel) => [...document.querySelectorAll(sel)]
            .some((el) => el.getClientRects().length > 0);
          const sections = document.querySelectorAll(".poll-result-question");
          const table = document.querySelector("table.poll-chart");
          return {
            header: shown(".site-header"), footer: shown(".site-footer"),
            buttons: shown("button"), tables: document.querySelectorAll("table").length,
            breakSecond: getComputedStyle(sections[1]).breakBefore,
            tableInside: getComputedStyle(table).breakInside,
            barWidth: document.querySelector(".poll-bar-fill").getBoundingClientRect().width,
          };
        }"""
    )
    assert printed["header"] is False and printed["footer"] is False
    assert printed["buttons"] is False
    assert printed["tables"] >= 6  # two charts, their district and age tables
    assert printed["breakSecond"] == "page"
    assert printed["tableInside"] == "avoid"
    assert printed["barWidth"] > 0
    assert visitor.page.pdf()[:4] == b"%PDF"
    visitor.close()

    # And the department's screen of results and responses
    staff_visitor = Visitor(browser, live_server, staff)
    staff_visitor.page.set_viewport_size(viewport)
    for path in ("/admin/polls/pollresponse/", f"/admin/polls/pollresponse/{poll.pk}/change/"):
        found += staff_visitor.violations_on(path)
        found += [f"{path}: {line}" for line in axe_violations(staff_visitor.page)]
    staff_visitor.close()
    assert found == [], "\n".join(found)


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}]
)
def test_the_poll_targeting_pages_run_under_the_policy_and_axe_finds_nothing(
    browser, live_server, viewport
):
    # Given a poll for Mapo-gu residents in their 30s, a member who gave
    # nothing and one outside the target
    from tests.polls.target_helpers import targeted_poll

    poll = targeted_poll(districts=["mapo", "eunpyeong"], ages=["30s"])
    targeted_poll(title="모두에게 묻는 투표")  # listed on the member's home
    details = f"/polls/{poll.pk}/your-details/?next=/polls/{poll.pk}/"
    found = []
    newcomer = Visitor(browser, live_server, UserFactory())
    newcomer.page.set_viewport_size(viewport)
    # the poll's box asking for the details, the page asking, the member's home
    for path in [poll.get_absolute_url(), details, "/me/"]:
        found += newcomer.violations_on(path)
        found += [f"{path}: {line}" for line in axe_violations(newcomer.page)]
    # the page again with its errors (sent with nothing given)
    newcomer.violations_on(details)
    newcomer.page.click("form.card button[type=submit]")
    newcomer.page.wait_for_load_state("networkidle")
    assert newcomer.page.locator("#error-summary").is_visible()
    found += [f"{details} (errors): {line}" for line in axe_violations(newcomer.page)]
    newcomer.close()
    outsider = Visitor(browser, live_server, UserFactory(district="gangnam"))
    outsider.page.set_viewport_size(viewport)
    found += outsider.violations_on(poll.get_absolute_url())
    found += [f"outside: {line}" for line in axe_violations(outsider.page)]
    outsider.close()
    assert found == [], "\n".join(found)


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}]
)
def test_the_open_data_pages_run_under_the_policy_and_axe_finds_nothing(
    browser, live_server, viewport
):
    from opendata.build import build_exports
    from tests.opendata.world import build_world

    visitor = Visitor(browser, live_server)
    visitor.page.set_viewport_size(viewport)
    found = []
    # Before the first build ("no files yet"), then with every file
    found += visitor.violations_on("/open-data/")
    found += [f"/open-data/ (empty): {line}" for line in axe_violations(visitor.page)]
    build_world()
    build_exports()
    for path in ["/open-data/", "/open-data/dictionary/"]:
        found += visitor.violations_on(path)
        found += [f"{path}: {line}" for line in axe_violations(visitor.page)]
    visitor.close()
    assert found == [], "\n".join(found)


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}]
)
def test_the_reports_run_under_the_policy_axe_finds_nothing_and_they_print(
    browser, live_server, viewport
):
    # Given October's report (proposals in three categories, one answered,
    # one adopted) and the yearly report of 2025
    from stats.reports import report_make
    from tests.answers.helpers import published
    from tests.clock import at, seoul
    from tests.factories import CategoryFactory

    with at(2025, 5, 7, 10):
        ProposalFactory()
    with at(2026, 10, 5, 10):
        answered = assigned()
        for name in ("교통", "환경", "복지"):
            ProposalFactory(category=CategoryFactory(name=name), district="jongno")
        adopted_card(title="한강 다리 보행로 넓히기")
    with at(2026, 10, 20, 10):
        published(answered)
    report = report_make("monthly", dt.date(2026, 10, 1), now=seoul(2026, 11, 1, 1))
    report_make("yearly", dt.date(2025, 1, 1), now=seoul(2026, 11, 1, 1))
    found = []

    # When a visitor reads the list, the monthly report and the yearly one
    visitor = Visitor(browser, live_server)
    visitor.page.set_viewport_size(viewport)
    for path in ("/stats/reports/", report.get_absolute_url(), "/stats/reports/yearly/2025/"):
        found += visitor.violations_on(path)
        found += [f"{path}: {line}" for line in axe_violations(visitor.page)]
        # nothing wider than the screen but inside its own scrolling table box
        overflow = visitor.page.evaluate("document.documentElement.scrollWidth")
        # (what sticks out, named in the failure)
        wide = visitor.page.evaluate(
            """(width) => [...document.querySelectorAll("body *")]
              .filter((el) => el.getBoundingClientRect().right > width)
              .slice(0, 8).map((el) => `${el.tagName}.${el.className}`)""",
            viewport["width"],
        )
        assert overflow <= viewport["width"], f"{path}: {overflow} {wide}"
    visitor.page.goto(live_server.url + report.get_absolute_url())

    # Then printed: no navigation, buttons or footer; whole tables; the bars drawn
    visitor.page.emulate_media(media="print")
    printed = visitor.page.evaluate(
        """() => {
          const shown = (sel) => [...document.querySelectorAll(sel)]
            .some((el) => el.getClientRects().length > 0);
          const table = document.querySelector("table.stats-table");
          return {
            header: shown(".site-header"), footer: shown(".site-footer"),
            buttons: shown("button"), tables: document.querySelectorAll("table").length,
            tableInside: getComputedStyle(table).breakInside,
            barWidth: Math.max(...[...document.querySelectorAll(".stats-bar-fill")]
              .map((bar) => bar.getBoundingClientRect().width)),
          };
        }"""
    )
    assert printed["header"] is False and printed["footer"] is False
    assert printed["buttons"] is False
    assert printed["tables"] >= 5  # comparison, four breakdowns, answers
    assert printed["tableInside"] == "avoid"
    assert printed["barWidth"] > 0
    visitor.close()
    assert found == []


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}]
)
def test_the_api_docs_run_under_the_policy_and_axe_finds_nothing(browser, live_server, viewport):
    # Given a public proposal for the docs to be about
    ProposalFactory(title="API 문서에서 보는 제안")
    # When anyone opens Swagger UI and ReDoc
    visitor = Visitor(browser, live_server)
    visitor.page.set_viewport_size(viewport)
    found = []
    for path, ready in [("/api/docs/", ".opblock"), ("/api/redoc/", "[data-section-id]")]:
        found += visitor.violations_on(path)
        # Then each drew the schema (an operation of it is on the page) …
        visitor.page.wait_for_selector(ready, timeout=15_000)
        found += [f"{path}: {v}" for v in visitor.page.evaluate("window.__cspViolations")]
        found += [f"{path}: {line}" for line in axe_violations(visitor.page)]
        visitor.console = []
    visitor.close()
    # … with nothing refused and nothing axe finds
    assert found == [], "\n".join(found)


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}]
)
@pytest.mark.parametrize("language", ["ko-KR", "en-US"])
def test_the_statistics_pages_run_under_the_policy_and_axe_finds_nothing(
    browser, live_server, viewport, language
):
    # Given the hand-counted world (every stage, two years, three districts),
    # a themed call's proposal, an adopted item and the next meeting, counted
    from stats.refresh import refresh
    from tests.stats.pages_world import counted_world

    world = counted_world(counted=False)
    theme_services.theme_propose(
        theme=make_theme(), author=UserFactory(), **proposal_fields(title="테마 제안")
    )
    adopted_card()
    meeting(days=9)
    refresh(full=True)
    visitor = Visitor(browser, live_server)
    visitor.context.set_extra_http_headers({"Accept-Language": language})
    visitor.page.set_viewport_size(viewport)
    found = []
    for path in [
        "/",
        "/stats/",
        "/stats/?year=2024&month=3",
        "/stats/departments/",
        "/stats/themes/",
        f"/stats/proposals/?stage=debated&year=2024&category={world.transport.code}",
        "/stats/proposals/?stage=nowhere",  # the form's message (status 400)
    ]:
        if "nowhere" in path:
            visitor.page.goto(live_server.url + path)
        else:
            found += visitor.violations_on(path)
        found += [f"{path}: {line}" for line in axe_violations(visitor.page)]
        if not visitor.page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1"
        ):
            found.append(f"{path}: scrolls sideways")
    # And the bars are drawn (by the stylesheet's width classes, no style attribute)
    visitor.violations_on("/stats/")
    widths = visitor.page.evaluate(
        "[...document.querySelectorAll('.stats-funnel .stats-bar-fill')]"
        ".map((bar) => bar.getBoundingClientRect().width)"
    )
    assert widths[0] > widths[4] > 0, widths
    visitor.close()
    assert found == [], "\n".join(found)
