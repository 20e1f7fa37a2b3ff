"""The card's own page in the admin, used as staff use it: the stage and
the responsible official changed on the card itself, a new card opening
with a responsible official (or flagged without one), an overdue report
flagged on the card, the card list and the dashboard, and a progress
report written before the schedule asks for one. Officials only ever
reach their own department's cards: every test that matters has two."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Department
from answers.models import Answer, AnswerStatus, Assignment
from meetings import services as meeting_services
from notifications.models import Notification
from proposals.models import ProposalEvent
from tests.clock import at
from tests.factories import DepartmentFactory, official, operator
from tests.meetings.helpers import mayor_office, meeting, on_agenda
from tests.pages import form_posting_to, logged_in, messages_sent, page_text
from tracking import services
from tracking.models import CardEvent, CardStage, ManagementCard, ProgressReport, ReportStatus

from .helpers import adopted_card

pytestmark = pytest.mark.django_db

LIST = reverse("admin:tracking_managementcard_changelist")
DASHBOARD = reverse("admin:tracking_managementcard_dashboard")


def page_of(card) -> str:
    return reverse("admin:tracking_managementcard_change", args=[card.pk])


def stage_url(card) -> str:
    return reverse("admin:tracking_managementcard_stage", args=[card.pk])


def owner_url(card) -> str:
    return reverse("admin:tracking_managementcard_owner", args=[card.pk])


def report_url(card) -> str:
    return reverse("admin:tracking_managementcard_report", args=[card.pk])


def head_of(department):
    head = official(department)
    Department.objects.filter(pk=department.pk).update(head=head)
    return head


def owned_card(department=None):
    """A card whose department has a head, who is then its owner."""
    department = department or DepartmentFactory()
    head = head_of(department)
    card = adopted_card(department)
    assert card.responsible_official == head
    return card, head


# --- the stage, on the card's page ----------------------------------------------------------


def test_an_official_changes_the_stage_on_the_card_page():
    card = adopted_card()
    clerk = logged_in(official(card.department), csrf_checks=True)

    page = clerk.get(page_of(card))
    form = form_posting_to(page, stage_url(card))
    # Only where the card can go from review.
    assert set(form["options"]["stage-to_stage"]) == {"planning", "suspended"}
    response = clerk.post(
        stage_url(card),
        {**form["fields"], "stage-to_stage": "planning", "stage-note": "설계 착수"},
    )

    assert response.status_code == 302
    assert response["Location"] == page_of(card)
    card.refresh_from_db()
    assert card.stage == CardStage.PLANNING
    event = CardEvent.objects.get(card=card, kind="stage_changed")
    assert (event.from_stage, event.to_stage, event.note) == ("review", "planning", "설계 착수")
    assert ProposalEvent.objects.filter(proposal=card.proposal, kind="card_stage_changed").exists()
    assert "The item is now “Planning”." in messages_sent(response)


def test_a_stage_change_without_a_note_is_shown_again_and_changes_nothing():
    card = adopted_card()
    clerk = logged_in(official(card.department), csrf_checks=True)
    form = form_posting_to(clerk.get(page_of(card)), stage_url(card))

    response = clerk.post(stage_url(card), {**form["fields"], "stage-to_stage": "planning"})

    assert response.status_code == 200
    assert "This field is required." in page_text(response)
    card.refresh_from_db()
    assert card.stage == CardStage.REVIEW
    assert not CardEvent.objects.filter(card=card, kind="stage_changed").exists()


def test_a_stage_the_card_cannot_reach_is_refused_with_its_reason():
    card = adopted_card()
    clerk = logged_in(official(card.department), csrf_checks=True)
    form = form_posting_to(clerk.get(page_of(card)), stage_url(card))

    response = clerk.post(
        stage_url(card), {**form["fields"], "stage-to_stage": "completed", "stage-note": "끝"}
    )

    assert response.status_code == 200
    assert "Select a valid choice." in page_text(response)
    card.refresh_from_db()
    assert card.stage == CardStage.REVIEW


def test_a_completed_card_offers_no_stage_form():
    card = adopted_card()
    boss = operator()
    for stage in ("planning", "in_progress", "completed"):
        services.card_change_stage(card=card, user=boss, to_stage=stage, note=stage)
    clerk = logged_in(official(card.department))

    page = clerk.get(page_of(card))

    assert page.status_code == 200
    assert stage_url(card) not in page.content.decode()
    assert report_url(card) not in page.content.decode()


def test_an_official_of_another_department_can_neither_open_nor_change_the_card():
    card = adopted_card(DepartmentFactory(name="도로과"))
    stranger = logged_in(official(DepartmentFactory(name="공원과")))

    assert stranger.get(page_of(card)).status_code == 403
    for url in (stage_url(card), owner_url(card), report_url(card)):
        assert stranger.get(url).status_code == 403
    response = stranger.post(stage_url(card), {"stage-to_stage": "planning", "stage-note": "x"})
    assert response.status_code == 403
    card.refresh_from_db()
    assert card.stage == CardStage.REVIEW


@pytest.mark.parametrize("kind", ["stage", "owner", "report"])
def test_a_card_that_is_not_there_is_not_found(kind):
    boss = logged_in(operator())
    for object_id in ("999999", "abc", "1%00"):
        url = f"/admin/tracking/managementcard/{object_id}/{kind}/"
        assert boss.get(url).status_code in {400, 404}, url


def test_the_mayors_office_reads_the_card_without_its_forms():
    card = adopted_card()
    reader = logged_in(mayor_office())

    page = reader.get(page_of(card))

    assert page.status_code == 200
    html = page.content.decode()
    for url in (stage_url(card), owner_url(card), report_url(card)):
        assert url not in html
    assert reader.post(stage_url(card), {"stage-to_stage": "planning"}).status_code == 403


# --- the responsible official, on the card's page --------------------------------------------


def test_the_head_names_the_responsible_official_on_the_card_page():
    department = DepartmentFactory(name="도로과")
    card, head = owned_card(department)
    colleague = official(department, display_name="김담당")
    official(DepartmentFactory(name="공원과"), display_name="박타부서")
    official(department, display_name="이퇴직", is_active=False)
    client = logged_in(head, csrf_checks=True)

    form = form_posting_to(client.get(page_of(card)), owner_url(card))
    # Active officials of the card's department only, not the current owner.
    assert set(form["options"]["owner-to_official"]) == {"", str(colleague.pk)}
    response = client.post(
        owner_url(card),
        {**form["fields"], "owner-to_official": str(colleague.pk), "owner-note": "담당 지정"},
    )

    assert response.status_code == 302
    card.refresh_from_db()
    assert card.responsible_official == colleague
    event = CardEvent.objects.filter(card=card, kind="handoff").last()
    assert (event.actor, event.from_official, event.to_official, event.is_public) == (
        head,
        head,
        colleague,
        False,
    )
    assert "김담당 is now responsible for this item." in messages_sent(response)


def test_an_official_of_another_department_cannot_be_made_responsible():
    department = DepartmentFactory()
    card, _head = owned_card(department)
    stranger = official(DepartmentFactory())
    boss = logged_in(operator(), csrf_checks=True)
    form = form_posting_to(boss.get(page_of(card)), owner_url(card))

    response = boss.post(
        owner_url(card),
        {**form["fields"], "owner-to_official": str(stranger.pk), "owner-note": "지정"},
    )

    assert response.status_code == 200
    assert "Select a valid choice." in page_text(response)
    card.refresh_from_db()
    assert card.responsible_official_id != stranger.pk


def test_a_plain_official_does_not_change_the_owner():
    card, _head = owned_card()
    clerk_user = official(card.department)
    clerk = logged_in(clerk_user)

    assert owner_url(card) not in clerk.get(page_of(card)).content.decode()
    response = clerk.post(
        owner_url(card), {"owner-to_official": str(clerk_user.pk), "owner-note": "제가 할게요"}
    )
    assert response.status_code == 403
    card.refresh_from_db()
    assert card.responsible_official_id != clerk_user.pk


# --- who carries a new card ----------------------------------------------------------------


def adopted_with_answer_by(author, department):
    """A card adopted after `author` wrote the department's published answer."""
    (item,) = on_agenda(meeting(days=-0.01), department=department)
    now = timezone.now()
    assignment = Assignment.objects.create(
        proposal=item.proposal,
        department=department,
        assigned_at=now - dt.timedelta(days=30),
        deadline=now - dt.timedelta(days=1),
        closed_at=now,
    )
    Answer.objects.create(
        assignment=assignment,
        summary="추진하겠습니다.",
        decision="accept",
        status=AnswerStatus.PUBLISHED,
        written_by=author,
        submitted_at=now,
        published_at=now,
        met_deadline=True,
    )
    meeting_services.agenda_item_decide(
        item=item, decision="adopted", reason="효과", conditions="", user=operator()
    )
    return ManagementCard.objects.get(proposal=item.proposal)


def test_a_new_card_is_carried_by_the_department_head():
    department = DepartmentFactory()
    head = head_of(department)
    card = adopted_with_answer_by(official(department), department)

    assert card.responsible_official == head
    opened = CardEvent.objects.get(card=card, kind="handoff")
    assert (opened.to_official, opened.params, opened.is_public) == (
        head,
        {"text": "owner_chosen", "chosen_as": "department_head"},
        False,
    )


def test_without_a_head_the_official_who_wrote_the_answer_carries_the_card():
    department = DepartmentFactory()
    author = official(department)

    card = adopted_with_answer_by(author, department)

    assert card.responsible_official == author
    assert CardEvent.objects.get(card=card, kind="handoff").params == {
        "text": "owner_chosen",
        "chosen_as": "answer_author",
    }
    # The reason is named on the card's history, in the reader's language.
    page = logged_in(operator()).get(page_of(card))
    assert "Responsible at opening: wrote the department's answer" in page_text(page)


def test_an_answer_author_who_moved_away_does_not_carry_the_card():
    department = DepartmentFactory()
    author = official(department)
    card_kept = None
    author.department = DepartmentFactory()
    author.save(update_fields=["department"])

    card_kept = adopted_with_answer_by(author, department)

    assert card_kept.responsible_official is None
    assert not CardEvent.objects.filter(card=card_kept, kind="handoff").exists()


def test_a_head_who_left_the_department_is_not_chosen():
    department = DepartmentFactory()
    head = head_of(department)
    head.is_active = False
    head.save(update_fields=["is_active"])

    card = adopted_card(department)

    assert card.responsible_official is None


def test_a_card_without_owner_is_flagged_on_its_page_and_in_the_list():
    first, second = DepartmentFactory(name="도로과"), DepartmentFactory(name="공원과")
    ownerless = adopted_card(first)
    owned, _head = owned_card(second)
    boss = logged_in(operator())

    page = boss.get(page_of(ownerless))
    assert "⚠ No responsible official" in page_text(page)
    assert "No responsible official" not in page_text(boss.get(page_of(owned)))

    listing = page_text(boss.get(LIST))
    assert listing.count("⚠ No owner") == 1
    # An official sees their own department's cards only.
    clerk = logged_in(official(first))
    assert "⚠ No owner" in page_text(clerk.get(LIST))
    assert owned.proposal.title not in page_text(clerk.get(LIST))


# --- overdue reports flagged -------------------------------------------------------------------


@pytest.fixture
def late_and_on_time():
    """Cards of two departments opened 10 January 2025, reports requested
    10 March (due 24 March); on 1 April 도로과's is overdue, 공원과's was
    submitted. Returns (late card, on-time card)."""
    roads, parks = DepartmentFactory(name="도로과"), DepartmentFactory(name="공원과")
    with at(2025, 1, 10, 10, 0):
        late = adopted_card(roads)
        on_time = adopted_card(parks)
    with at(2025, 3, 10, 10, 0):
        services.report_request_due()
    with at(2025, 3, 20, 10, 0):
        services.report_submit(
            report=on_time.progress_reports.get(), user=operator(), done="착공", percent=10
        )
    return late, on_time


def test_an_overdue_report_is_flagged_on_the_card_page_the_list_and_the_dashboard(
    late_and_on_time,
):
    late, on_time = late_and_on_time
    with at(2025, 4, 1, 10, 0):
        boss = logged_in(operator())
        card_page = page_text(boss.get(page_of(late)))
        assert "⚠ Report overdue: due 2025-03-24, 8 days late" in card_page
        assert "Report overdue" not in page_text(boss.get(page_of(on_time)))

        listing = page_text(boss.get(LIST))
        assert listing.count("⚠ Report overdue") == 1
        only_overdue = boss.get(LIST, {"report": "overdue"})
        assert [card.pk for card in only_overdue.context["cl"].result_list] == [late.pk]

        dashboard = boss.get(DASHBOARD)
        text = page_text(dashboard)
        assert "⚠ 1 overdue" in text
        assert f"{late.proposal.title} · 도로과 · ⚠ Report 1 overdue since 2025-03-24" in text


def test_a_report_not_yet_due_shows_its_d_day():
    with at(2025, 1, 10, 10, 0):
        card = adopted_card()
    with at(2025, 3, 10, 10, 0):
        services.report_request_due()
    with at(2025, 3, 21, 10, 0):
        clerk = logged_in(official(card.department))
        assert "Report due 2025-03-24 D-3" in page_text(clerk.get(LIST))
        assert "Report due 2025-03-24 D-3" in page_text(clerk.get(page_of(card)))


def test_the_card_list_and_dashboard_queries_do_not_grow_with_the_cards(
    django_assert_max_num_queries,
):
    boss_user = operator()
    boss = logged_in(boss_user)
    with at(2025, 1, 10, 10, 0):
        for _ in range(2):
            adopted_card()
    with at(2025, 3, 10, 10, 0):
        services.report_request_due()
    with at(2025, 4, 1, 10, 0):
        boss.get(LIST)  # warm the session and caches
        with django_assert_max_num_queries(20) as few:
            boss.get(LIST)
        with django_assert_max_num_queries(20) as few_dashboard:
            boss.get(DASHBOARD)
    small, small_dashboard = len(few.captured_queries), len(few_dashboard.captured_queries)
    with at(2025, 1, 10, 10, 0):
        for _ in range(6):
            adopted_card()
    with at(2025, 3, 10, 10, 0):
        services.report_request_due()
    with at(2025, 4, 1, 10, 0):
        with django_assert_max_num_queries(small):
            boss.get(LIST)
        with django_assert_max_num_queries(small_dashboard):
            boss.get(DASHBOARD)


# --- a report before the schedule asks ------------------------------------------------------------


def write_report(client, card, **values):
    """Open the card, follow "write a progress report", fill the form as
    rendered and send it."""
    page = client.get(page_of(card))
    assert report_url(card) in page.content.decode()
    form = form_posting_to(client.get(report_url(card)), report_url(card))
    fields = {**form["fields"], **values}
    return client.post(report_url(card), fields), fields


def test_the_owner_writes_a_report_before_the_schedule_asks_and_the_schedule_keeps_its_rhythm():
    with at(2025, 1, 10, 10, 0):
        card, head = owned_card()
    with at(2025, 2, 20, 10, 0):
        client = logged_in(head, csrf_checks=True)
        response, fields = write_report(
            client, card, done="부지 측량 완료", percent_complete="15", stage="planning"
        )
        assert response.status_code == 302, page_text(response)
        # Sent twice (a double click): one report.
        again = client.post(report_url(card), fields)
        assert again.status_code == 302

    report = ProgressReport.objects.get(card=card)
    assert (report.period, report.status, report.author, report.percent_complete) == (
        1,
        ReportStatus.SUBMITTED,
        head,
        15,
    )
    assert report.filed_early
    card.refresh_from_db()
    assert (card.stage, card.percent_complete) == (CardStage.PLANNING, 15)
    assert CardEvent.objects.filter(card=card, kind="report").count() == 1
    assert ProposalEvent.objects.filter(proposal=card.proposal, kind="card_report").count() == 1

    # The early report counts toward the current period and moves nothing:
    # the schedule asks on 10 March, two months after the opening (issue 11
    # waited until 20 April, two months after the early report).
    with at(2025, 3, 9, 10, 0):
        assert services.report_request_due() == 0
    with at(2025, 3, 10, 10, 0):
        assert services.report_request_due() == 1
    assert list(card.progress_reports.values_list("period", "status", "filed_early")) == [
        (1, "submitted", True),
        (2, "requested", False),
    ]


def test_early_reports_never_push_the_next_request_past_two_months_after_the_last_regular_one():
    with at(2025, 1, 10, 10, 0):
        card, head = owned_card()
    with at(2025, 3, 10, 10, 0):
        assert services.report_request_due() == 1
    # the regular request answered, then two reports filed before any was asked
    for day, done in ((12, "설계 중"), (40, "설계 마무리"), (55, "착공 준비")):
        with at(2025, 3, 10, 10, 0) as traveller:
            traveller.shift(dt.timedelta(days=day))
            client = logged_in(head, csrf_checks=True)
            response, _fields = write_report(client, card, done=done, percent_complete="30")
            assert response.status_code == 302, page_text(response)
    # the next regular request still comes on 10 May, and only once
    with at(2025, 5, 9, 23, 0):
        assert services.report_request_due() == 0
    with at(2025, 5, 10, 10, 0):
        assert services.report_request_due() == 1
        assert services.report_request_due() == 0
    assert list(card.progress_reports.values_list("period", "status", "filed_early")) == [
        (1, "submitted", False),
        (2, "submitted", True),
        (3, "submitted", True),
        (4, "requested", False),
    ]


def test_a_report_written_while_one_is_requested_answers_that_request():
    with at(2025, 1, 10, 10, 0):
        card, head = owned_card()
    with at(2025, 3, 10, 10, 0):
        services.report_request_due()
    with at(2025, 3, 12, 10, 0):
        client = logged_in(head, csrf_checks=True)
        assert "report 1, due 2025-03-24" in page_text(client.get(report_url(card)))
        response, _fields = write_report(client, card, done="설계 중", percent_complete="20")
        assert response.status_code == 302

    assert list(card.progress_reports.values_list("period", "status")) == [(1, "submitted")]


def test_a_report_with_a_bad_percent_is_shown_again_and_nothing_is_stored():
    card, head = owned_card()
    client = logged_in(head, csrf_checks=True)

    response, _fields = write_report(client, card, done="진행", percent_complete="150")

    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 100." in page_text(response)
    assert not ProgressReport.objects.filter(card=card).exists()


def test_a_report_with_an_amount_past_any_budget_is_shown_again_and_nothing_is_stored():
    # An amount past the database's integer (a typo of many zeros, or a
    # forged post) is the form's error, not a 500 from the database.
    card, head = owned_card()
    client = logged_in(head, csrf_checks=True)

    response, _fields = write_report(
        client, card, done="진행", percent_complete="10", spent_budget="9" * 25
    )

    assert response.status_code == 200
    assert "spent budget" in page_text(response).lower()
    assert not ProgressReport.objects.filter(card=card).exists()
    card.refresh_from_db()
    assert card.spent_budget is None


def test_only_the_owner_the_head_or_the_operator_writes_a_report_early():
    card, _head = owned_card()
    owner = official(card.department)
    services.card_handoff(card=card, user=operator(), to_official=owner, note="지정")
    colleague = logged_in(official(card.department))
    stranger = logged_in(official(DepartmentFactory()))

    assert report_url(card) not in colleague.get(page_of(card)).content.decode()
    for client in (colleague, stranger):
        assert client.get(report_url(card)).status_code == 403
        response = client.post(report_url(card), {"done": "x", "percent_complete": "10"})
        assert response.status_code == 403
    assert not ProgressReport.objects.filter(card=card).exists()

    response, _fields = write_report(
        logged_in(owner, csrf_checks=True), card, done="착수", percent_complete="5"
    )
    assert response.status_code == 302


def test_a_completed_card_takes_no_report():
    card, head = owned_card()
    for stage in ("planning", "in_progress", "completed"):
        services.card_change_stage(card=card, user=head, to_stage=stage, note=stage)
    client = logged_in(head, csrf_checks=True)

    page = client.get(report_url(card))
    form = form_posting_to(page, report_url(card))
    response = client.post(
        report_url(card), {**form["fields"], "done": "x", "percent_complete": "100"}
    )

    assert response.status_code == 200
    assert "This item is completed; it needs no more progress reports." in page_text(response)
    assert not ProgressReport.objects.filter(card=card).exists()


def test_the_departments_notice_names_who_carries_a_new_card():
    # Given a department whose head carries its new cards
    department = DepartmentFactory()
    head = head_of(department)
    clerk = official(department)

    card = adopted_with_answer_by(clerk, department)

    # Then its officials are told who carries it, not asked to name someone
    notice = Notification.objects.get(recipient=clerk, key=f"card_opened:{card.pk}")
    with translation.override("en"):
        assert f"carried by {head}" in notice.message
        assert "please name the responsible official" not in notice.message
