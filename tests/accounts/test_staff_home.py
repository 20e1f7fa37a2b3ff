"""The staff home ("오늘 할 일"): each role, in each of two departments,
finds exactly its own work there, each row one click from the page where it
is done; overdue work says so in colour and in words; empty sections say so;
the home costs the same number of queries however much work there is; and
staff land on it after signing in."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import staff_home
from accounts.roles import Role
from accounts.selectors import headless_departments
from panel import services as panel_services
from proposals.models import PipelineSettings, ProposalStatus
from tests.accounts.home_helpers import home_world, overdue
from tests.answers.helpers import assigned
from tests.factories import (
    CategoryFactory,
    DepartmentFactory,
    ProposalFactory,
    UserFactory,
    official,
)
from tests.pages import (
    TEST_TOTP_SECRET,
    english_client,
    form_fields,
    log_in_with_second_factor,
    logged_in,
    page_html,
    page_text,
    totp_code,
)
from tracking.models import ManagementCard

pytestmark = pytest.mark.django_db

SECTION = re.compile(
    r'<section class="home-section"[^>]*data-section="([^"]+)"(.*?)</section>', re.S
)
ROW = re.compile(r'<a class="home-row-title" href="([^"]+)">([^<]*)</a>')


def home_rows(response) -> dict[str, list[tuple[str, str]]]:
    """Each section on the home, by key: its rows as (title, link), in order."""
    markup = page_html(response)
    return {
        key: [(title, href) for href, title in ROW.findall(body)]
        for key, body in SECTION.findall(markup)
    }


def titles(response) -> dict[str, set[str]]:
    return {key: {title for title, _href in rows} for key, rows in home_rows(response).items()}


def workroom(assignment) -> str:
    return reverse("admin:answers_assignment_change", args=[assignment.pk])


def card_page(card) -> str:
    return reverse("admin:tracking_managementcard_change", args=[card.pk])


def report_page(report) -> str:
    return reverse("admin:tracking_progressreport_change", args=[report.pk])


def decide_page(item) -> str:
    table = reverse("admin:meetings_realizationmeeting_decisions", args=[item.meeting_id])
    return f"{table}#row-{item.pk}"


@pytest.fixture
def world():
    return home_world()


def expected_work(w, who: str) -> dict[str, dict[str, dict[str, str]]]:
    """What each member must find, by section: {title: link}."""
    promise_b = ManagementCard.objects.get(proposal=w.amended_b.proposal)
    official_a = {
        "answers.assignments": {
            w.to_answer_a.proposal.title: workroom(w.to_answer_a),
            w.returned_a.proposal.title: workroom(w.returned_a),
        },
        "answers.returned": {w.returned_a.proposal.title: workroom(w.returned_a)},
        "tracking.my_reports": {w.card_a.proposal.title: report_page(w.report_a)},
        "tracking.my_cards": {w.card_a.proposal.title: card_page(w.card_a)},
        # Issue 14: no theme of A waits for its final response
        # (tests/themes/test_admin.py has one).
        "themes.department": {},
        # Issue 14: no poll result waits for a response (tests/polls has one).
        "polls.responses.department": {},
    }
    next_items = {
        item.proposal.title: reverse(
            "admin:meetings_realizationmeeting_change", args=[w.next_meeting.pk]
        )
        for item in w.next_items
    }
    ownerless_report = w.ownerless_a.progress_reports.get()
    return {
        "official_a": official_a,
        "head_a": {
            **official_a,
            # The head carries no card of their own...
            "tracking.my_reports": {},
            "tracking.my_cards": {},
            # ...and sees the whole department's.
            "tracking.department_reports": {
                w.card_a.proposal.title: report_page(w.report_a),
                w.ownerless_a.proposal.title: report_page(ownerless_report),
            },
            "tracking.department_cards": {
                w.card_a.proposal.title: card_page(w.card_a),
                w.ownerless_a.proposal.title: card_page(w.ownerless_a),
            },
            "tracking.department_ownerless": {
                w.ownerless_a.proposal.title: card_page(w.ownerless_a)
            },
        },
        "official_b": {
            "answers.assignments": {
                a.proposal.title: workroom(a)
                for a in (w.to_answer_b, w.submitted_b, w.overdue_b, w.request_b)
            },
            "answers.returned": {},
            # B's accepted answer is also B's promise card (carried by its
            # author), asked for its report with the others.
            "tracking.my_reports": {
                w.card_b.proposal.title: report_page(w.overdue_report_b),
                w.amended_b.proposal.title: report_page(promise_b.progress_reports.get()),
            },
            "tracking.my_cards": {
                w.card_b.proposal.title: card_page(w.card_b),
                w.amended_b.proposal.title: card_page(promise_b),
            },
            "themes.department": {},
            "polls.responses.department": {},
        },
        "operator": {
            "pipeline.blocked": {
                w.blocked.title: reverse("admin:proposals_proposal_assign", args=[w.blocked.pk])
            },
            "answers.to_approve": {w.submitted_b.proposal.title: workroom(w.submitted_b)},
            "answers.overdue": {w.overdue_b.proposal.title: workroom(w.overdue_b)},
            "answers.reassignment_requests": {w.request_b.proposal.title: workroom(w.request_b)},
            "answers.extension_requests": {w.to_answer_b.proposal.title: workroom(w.to_answer_b)},
            "answers.amendments_to_approve": {w.amended_b.proposal.title: workroom(w.amended_b)},
            "debates.results": {
                w.debate.proposal.title: reverse("admin:debates_debate_change", args=[w.debate.pk])
            },
            "tracking.overdue_reports": {w.card_b.proposal.title: report_page(w.overdue_report_b)},
            "tracking.ownerless": {w.ownerless_a.proposal.title: card_page(w.ownerless_a)},
            "meetings.preparation": next_items,
            "meetings.missing_opinions": {
                w.next_items[2].proposal.title: reverse(
                    "admin:meetings_realizationmeeting_opinions", args=[w.next_meeting.pk]
                )
            },
            "meetings.operator_decisions": {w.past_item.proposal.title: decide_page(w.past_item)},
            # Issue 12: nothing is without an owner or a fallback; B has no
            # head (nor the departments the factories made for categories);
            # no department with a proposal to answer is without an official.
            "pipeline.unowned": {},
            "pipeline.headless": {
                department.label: reverse("admin:accounts_department_change", args=[department.pk])
                for department in headless_departments()
            },
            "answers.silent_departments": {},
            "panel.applications": {
                "상상누리단 신청자": reverse(
                    "admin:panel_panelapplication_change", args=[w.panel_application.pk]
                )
            },
            # Issue 13: no 이달의 상상지기 round waits (tests/awards/test_monthly.py has one).
            "awards.waiting": {},
            # Issue 14: no theme closes soon or waits for its response
            # (tests/themes/test_admin.py has them).
            "themes.closing": {},
            "themes.unanswered": {},
            # No poll is a draft, closes soon or waits for its response
            # (tests/polls/test_staff_sections.py and test_results_staff.py have them).
            "polls.drafts": {},
            "polls.closing": {},
            "polls.responses.all": {},
        },
        "mayor": {
            "meetings.next": next_items,
            "meetings.decisions": {w.past_item.proposal.title: decide_page(w.past_item)},
        },
        "expert": {
            # Asked by name: first, with its due date.
            "meetings.opinion_requests": {
                w.next_items[2].proposal.title: reverse("admin:meetings_expertopinion_add")
                + f"?proposal={w.next_items[2].proposal_id}"
            },
            # The first item has the expert's opinion already; the third is above.
            "meetings.opinions": {
                w.next_items[1].proposal.title: reverse("admin:meetings_expertopinion_add")
                + f"?proposal={w.next_items[1].proposal_id}"
            },
        },
    }


MEMBERS = ["official_a", "head_a", "official_b", "operator", "mayor", "expert"]


@pytest.mark.parametrize("who", MEMBERS)
def test_each_role_finds_exactly_its_work_one_click_from_where_it_is_done(world, who):
    # Given work for every role in two departments
    member = getattr(world, who)
    client = logged_in(member)
    # When the member opens the admin
    response = client.get("/admin/")
    assert response.status_code == 200
    # Then the home lists exactly their sections and rows, with their links
    found = {key: dict(rows) for key, rows in home_rows(response).items()}
    assert found == expected_work(world, who)[who]
    # And each row opens, for this member, the page where the work is done
    for rows in found.values():
        for link in rows.values():
            assert client.get(link).status_code == 200, link


def test_the_count_deadline_and_d_day_are_shown_and_overdue_says_so_in_words(world):
    response = logged_in(world.operator).get("/admin/")
    markup = page_html(response)
    overdue_section = SECTION.search(
        markup[markup.index('data-section="answers.overdue"') - 200 :]
    ).group(2)
    assert re.search(r'data-testid="count">1<', overdue_section)
    # The row carries the overdue class (the colour) and says it in words.
    assert 'class="home-row is-overdue"' in overdue_section
    text = page_text(overdue_section)
    deadline = world.overdue_b.deadline
    from django.utils import timezone

    assert timezone.localtime(deadline).date().isoformat() in text
    assert "Overdue 3 days late" in text
    # A row due later is not marked.
    approve = markup[markup.index('data-section="answers.to_approve"') :]
    approve = approve[: approve.index("</section>")]
    assert "is-overdue" not in approve and re.search(r"D-\d+", page_text(approve))


def test_the_home_reads_korean_by_default(world):
    client = logged_in(world.official_b)
    client.cookies.pop("django_language", None)
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    text = page_text(client.get("/admin/"))
    assert "오늘 할 일" in text
    assert "답변할 제안" in text
    assert "기한 2일 지남" in text or "2일 지남" in text


def test_empty_sections_say_so_kindly():
    newcomer = official(DepartmentFactory())
    text = page_text(logged_in(newcomer).get("/admin/"))
    assert "No proposal waits for your department's answer." in text
    assert "You carry no adopted item." in text
    # The admin's own screens stay below the home.
    assert "All admin screens" in text and "Assignments" in text


def test_a_member_with_several_roles_sees_each_roles_sections(world):
    from django.contrib.auth.models import Group

    world.official_a.groups.add(Group.objects.get_or_create(name=str(Role.MAYOR_OFFICE))[0])
    world.official_a.__dict__.pop("role_names", None)
    found = titles(logged_in(world.official_a).get("/admin/"))
    assert "answers.assignments" in found and "meetings.decisions" in found
    assert "pipeline.blocked" not in found


def test_an_official_moved_to_another_department_leaves_the_card_ownerless(world):
    # official_a moves to B: their card of A is nobody's in A now.
    world.official_a.department = world.dept_b
    world.official_a.save()
    found = titles(logged_in(world.head_a).get("/admin/"))
    assert world.card_a.proposal.title in found["tracking.department_ownerless"]
    found = titles(logged_in(world.operator).get("/admin/"))
    assert world.card_a.proposal.title in found["tracking.ownerless"]
    # And it leaves their own home: they no longer see it.
    found = titles(logged_in(world.official_a).get("/admin/"))
    assert found["tracking.my_cards"] == set() and found["tracking.my_reports"] == set()


def test_counts_stop_at_the_cap(world, monkeypatch):
    monkeypatch.setattr(staff_home, "COUNT_CAP", 2)
    bar = PipelineSettings.load().answer_threshold
    category = CategoryFactory(code="still-no-dept", default_department=None)
    for _ in range(3):
        ProposalFactory(status=ProposalStatus.OPEN, category=category, endorsement_count=bar)
    markup = page_html(logged_in(world.operator).get("/admin/"))
    blocked = markup[markup.index('data-section="pipeline.blocked"') :]
    assert 'data-testid="count">2+<' in blocked[: blocked.index("</section>")]
    assert "See all 2+" in page_text(blocked[: blocked.index("</section>")])


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/admin/").status_code == 200
    return len(queries)


def more_work(w) -> None:
    """As much work again of every kind the rows come from."""
    bar = PipelineSettings.load().answer_threshold
    category = CategoryFactory(code="more-no-dept", default_department=None)
    for n in range(12):
        assigned(w.dept_a, title=f"A의 제안 {n}")
        overdue(assigned(w.dept_b, title=f"B의 늦은 제안 {n}"))
        ProposalFactory(status=ProposalStatus.OPEN, category=category, endorsement_count=bar)
    from tests.meetings.helpers import on_agenda

    on_agenda(w.next_meeting, 12)
    on_agenda(w.past_item.meeting, 3)
    for n in range(12):
        panel_services.panel_apply(member=UserFactory(), motivation=f"신청 {n}")


@pytest.mark.parametrize("who", MEMBERS)
def test_the_home_costs_the_same_queries_however_much_work_waits(
    world, who, django_assert_max_num_queries
):
    client = logged_in(getattr(world, who))
    _queries(client)  # a first visit fills the session's caches
    before = _queries(client)
    more_work(world)
    with django_assert_max_num_queries(before):
        client.get("/admin/")
    # A bound that says what a home costs: the request's own few, then two
    # queries a section at most (its capped count and its first rows).
    # (34: issue 12 added three operator sections: the unowned count, the
    # departments without a head, those without an official; 37: the next
    # meeting's opinions not submitted, two, and the unowned count's opinion
    # requests, one; 39: the requests for more time, 연장 요청; 41: the
    # unowned count's cards and report requests now counted even with
    # operators there, a leaver nobody noticed; 43: issue 13's citizen panel
    # applications waiting, two; 45: issue 13's 이달의
    # 상상지기 rounds waiting for confirmation, a count and its rows; 47:
    # issue 14's themes closing within a week and closed without a response;
    # 51: issue 14's poll sections for operators, drafts and closing soon,
    # each a count and its rows; 53: poll results awaiting a response.)
    assert before <= 53


# --- landing on the home ------------------------------------------------------------------


def sign_in(client, email, path="/accounts/login/"):
    page = client.get(path)
    return client.post(path, {**form_fields(page), "login": email, "password": "pass-word-123"})


def test_staff_land_on_their_home_after_the_password_and_the_code():
    member = official(DepartmentFactory())
    log_in_with_second_factor(english_client(), member)  # their app is set up
    client = english_client()
    response = sign_in(client, member.email)
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    page = client.get("/accounts/2fa/authenticate/")
    response = client.post(
        "/accounts/2fa/authenticate/",
        {**form_fields(page), "code": totp_code(TEST_TOTP_SECRET)},
    )
    assert response["Location"] == "/admin/"
    assert "Today's work" in page_text(client.get("/admin/"))


def test_staff_go_where_next_says():
    member = official(DepartmentFactory())
    log_in_with_second_factor(english_client(), member)
    client = english_client()
    sign_in(client, member.email, "/accounts/login/?next=/proposals/")
    page = client.get("/accounts/2fa/authenticate/")
    response = client.post(
        "/accounts/2fa/authenticate/",
        {**form_fields(page), "code": totp_code(TEST_TOTP_SECRET)},
    )
    assert response["Location"] == "/proposals/"


def test_citizens_still_land_on_the_front_page():
    citizen = UserFactory()
    response = sign_in(english_client(), citizen.email)
    assert response["Location"] == "/"


def test_the_mayors_office_finds_both_agendas_of_the_next_meeting(world):
    markup = page_html(logged_in(world.mayor).get("/admin/"))
    section = markup[markup.index('data-section="meetings.next"') :]
    section = section[: section.index("</section>")]
    text = page_text(section)
    assert "Public agenda" in text and "Internal agenda (real names)" in text
    internal = re.search(r'href="([^"]*/agenda/internal/[^"]*)"', section)
    assert internal, section
    assert logged_in(world.mayor).get(internal.group(1)).status_code == 200
