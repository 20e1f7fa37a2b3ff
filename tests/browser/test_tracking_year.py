"""Issue 4's acceptance: an official keeps a management card (관리카드) up to
date for a year of simulated time in the browser and the admin, and the
public tracker shows it.

The clock is moved with time_machine (tick=True: it runs on from each
moment). The live server's thread runs in this process, so it sees the same
clock; each step is a fresh browser context that logs in again, as a session
would have long expired two months later. The beat's tasks are called as the
beat would call them."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from notifications.models import Notification
from tests import clock
from tests.clock import SEOUL
from tests.factories import DepartmentFactory, image_file, official, operator
from tests.pages import TEST_TOTP_SECRET, totp_code, with_authenticator_app
from tests.tracking.helpers import adopted_card
from tracking import tasks
from tracking.models import CardEvent, CardStage, ProgressReport, ReportStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "걷고 싶은 한강다리 보행로"
PASSWORD = "pass-word-123"

# Period → (stage chosen on the report form, "" = unchanged; percent; spent won).
PLAN = {
    1: ("계획수립", 10, 1_000_000),
    2: ("실행중", 30, 8_000_000),
    3: ("", 50, 15_000_000),
    4: ("", 70, 24_000_000),
    5: ("", 90, 31_000_000),
    6: ("완료", 100, 36_500_000),
}
LATE_PERIOD = 3
PHOTO_REPORT = 4  # this report comes with a photo of the site


def at(*args):
    # The live server's clock has to run on between steps.
    return clock.at(*args, tick=True)


def run_beat():
    """What the daily beat runs (tasks run inline in tests)."""
    return tasks.request_progress_reports(), tasks.remind_progress_reports()


class Admin:
    """One visit to the admin: a fresh browser context, signed in as staff
    are: the admin's login sends to the site's, then the password, then the
    code from the authenticator app (computed from the test secret)."""

    def __init__(self, browser, live_server, user):
        self.url = live_server.url
        self.context = browser.new_context(locale="ko-KR")
        self.page = self.context.new_page()
        with_authenticator_app(user)
        self.page.goto(f"{self.url}/admin/login/?next=/admin/")
        expect(self.page).to_have_url(f"{self.url}/accounts/login/?next=%2Fadmin%2F")
        self.page.get_by_label("이메일").fill(user.email)
        self.page.get_by_label("비밀번호:", exact=True).fill(PASSWORD)
        self.page.get_by_role("button", name="로그인").click()
        expect(self.page.get_by_role("heading", name="로그인 코드를 입력해 주세요")).to_be_visible()
        self.page.get_by_placeholder("코드").fill(totp_code(TEST_TOTP_SECRET))
        self.page.get_by_role("button", name="로그인").click()
        expect(self.page).to_have_url(f"{self.url}/admin/")
        expect(self.page.get_by_role("button", name="로그아웃")).to_be_attached()

    def __enter__(self):
        return self.page

    def __exit__(self, *exc):
        self.page.wait_for_load_state("networkidle")
        self.context.close()

    @staticmethod
    def saved(page):
        expect(page.locator(".messagelist .success")).to_be_visible()


def open_card_form(page, url):
    page.goto(f"{url}/admin/tracking/managementcard/")
    page.locator("#result_list").get_by_role("link", name=TITLE).click()
    expect(page.get_by_label("계획 예산(원)")).to_be_visible()


def submit_requested_report(page, url, period, photo=None):
    """The official finds the one requested report and fills it in."""
    stage, percent, spent = PLAN[period]
    page.goto(f"{url}/admin/tracking/progressreport/")
    page.locator("#changelist-filter").get_by_role("link", name="요청됨").click()
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    rows.get_by_role("link", name=f"{period}차 보고 · {TITLE}").click()
    if photo:
        page.get_by_label("사진").set_input_files(str(photo))
    page.get_by_label("한 일").fill(f"{period}차 점검: 보행로 공사 {percent}% 진행")
    if stage:
        page.get_by_label("보고 당시 단계").select_option(label=stage)
    page.get_by_label("진행률").fill(str(percent))
    page.get_by_label("집행 예산(원)").fill(str(spent))
    page.get_by_label("다음 계획").fill(f"{period + 1}차 점검까지 다음 구간 공사")
    page.get_by_role("button", name="저장", exact=True).click()
    Admin.saved(page)


def test_an_official_keeps_a_card_up_to_date_for_a_year(
    browser, live_server, role_groups, settings, tmp_path
):
    settings.LANGUAGE_CODE = "ko"
    url = live_server.url
    photo = tmp_path / "boardwalk.jpg"
    photo.write_bytes(image_file(size=(320, 240)).read())
    site_photo = tmp_path / "site.png"
    site_photo.write_bytes(image_file("site.png", fmt="PNG", size=(200, 150)).read())

    # 10 January 2025: the meeting adopts the proposal; its card is opened in
    # a department with one official. The operator hands it to them.
    with at(2025, 1, 10, 10, 0):
        boss = operator(email="operator@example.com")
        department = DepartmentFactory(name="보행정책과")
        clerk = official(department=department, email="clerk@example.com", display_name="김담당")
        card = adopted_card(department, title=TITLE)
        assert card.responsible_official is None
        with Admin(browser, live_server, boss) as page:
            page.goto(f"{url}/admin/tracking/managementcard/")
            page.get_by_role("row").filter(has_text=TITLE).get_by_role("checkbox").check()
            page.get_by_label("액션").select_option(
                label="선택한 관리카드를 다른 담당자에게 넘기기 (메모 입력)"
            )
            page.get_by_role("button", name="실행").click()
            page.get_by_label("새 담당자").select_option(
                label="김담당 <clerk@example.com> (보행정책과)"
            )
            page.get_by_label("메모").fill("보행정책과 김담당 주무관이 맡습니다.")
            page.get_by_role("button", name="인계하기").click()
            Admin.saved(page)
        card.refresh_from_db()
        assert card.responsible_official == clerk

    # Every two months the beat requests a report and the official submits it.
    for period in PLAN:
        month_index = period * 2
        year, month = 2025 + month_index // 12, month_index % 12 + 1
        with at(year, month, 10, 11, 0):
            assert run_beat()[0] == 1
        report = card.progress_reports.get(period=period)
        assert report.status == ReportStatus.REQUESTED
        assert report.due_date == dt.date(year, month, 24)

        if period == LATE_PERIOD:
            # Not submitted in time: reminded three days before the due
            # date, escalated to the operators the day after it.
            with at(year, month, 21, 9, 0):
                assert run_beat() == (0, {"reminded": 1, "escalated": 0})
            with at(year, month, 25, 9, 0):
                assert run_beat() == (0, {"reminded": 0, "escalated": 1})
            submit_on = (year, month, 25, 14, 0)
        else:
            submit_on = (year, month, 11, 15, 0)

        with at(*submit_on), Admin(browser, live_server, clerk) as page:
            submit_requested_report(
                page, url, period, photo=site_photo if period == PHOTO_REPORT else None
            )
            if period == 1:
                # The plan is set: budget and target date on the card.
                open_card_form(page, url)
                page.get_by_label("계획 예산(원)").fill("40000000")
                page.get_by_label("목표일").fill("2025-12-31")
                page.get_by_role("button", name="저장", exact=True).click()
                Admin.saved(page)
            if period == 5:
                # Photo of the finished boardwalk, through the attachments inline.
                open_card_form(page, url)
                # The inline's empty template is hidden; only the new form shows.
                inline = page.locator("#attachments-group")
                inline.get_by_label("제목").filter(visible=True).fill("새로 놓인 보행 데크")
                inline.get_by_label("사진:", exact=True).filter(visible=True).set_input_files(
                    str(photo)
                )
                page.get_by_role("button", name="저장 및 편집 계속").click()
                Admin.saved(page)
                expect(
                    page.locator("#attachments-group img[alt='새로 놓인 보행 데크']")
                ).to_be_visible()

        report.refresh_from_db()
        assert report.status == ReportStatus.SUBMITTED
        assert report.author == clerk
        assert report.percent_complete == PLAN[period][1]

    # Completed: the schedule asks for nothing more.
    with at(2026, 3, 11, 11, 0):
        assert run_beat() == (0, {"reminded": 0, "escalated": 0})

    # What is stored.
    card.refresh_from_db()
    assert (card.stage, card.percent_complete, card.spent_budget) == (
        CardStage.COMPLETED,
        100,
        36_500_000,
    )
    assert (card.planned_budget, card.target_date) == (40_000_000, dt.date(2025, 12, 31))
    reports = list(ProgressReport.objects.filter(card=card).order_by("period"))
    assert [r.period for r in reports] == [1, 2, 3, 4, 5, 6]
    assert all(r.is_submitted and r.author == clerk for r in reports)
    assert [r.stage for r in reports] == [
        CardStage.PLANNING,
        CardStage.IN_PROGRESS,
        CardStage.IN_PROGRESS,
        CardStage.IN_PROGRESS,
        CardStage.IN_PROGRESS,
        CardStage.COMPLETED,
    ]
    assert [r.spent_budget for r in reports] == [spent for _, _, spent in PLAN.values()]
    assert [r.reminded_at is not None for r in reports] == [p == LATE_PERIOD for p in PLAN]
    assert [r.escalated_at is not None for r in reports] == [p == LATE_PERIOD for p in PLAN]
    late = reports[LATE_PERIOD - 1]
    assert late.submitted_at.astimezone(SEOUL).date() > late.due_date
    overdue = Notification.objects.get(kind="report_overdue", recipient=boss)
    assert overdue.key == f"report_overdue:{late.pk}"
    assert Notification.objects.filter(kind="report_reminder", recipient=clerk).count() == 1
    events = list(CardEvent.objects.filter(card=card).order_by("created_at", "id"))
    assert [(e.kind, e.from_stage, e.to_stage) for e in events] == [
        ("opened", "", "review"),
        ("handoff", "", ""),
        ("stage_changed", "review", "planning"),
        ("report", "", ""),
        ("edited", "", ""),
        ("stage_changed", "planning", "in_progress"),
        ("report", "", ""),
        ("report", "", ""),
        ("report", "", ""),
        ("report", "", ""),
        ("attached", "", ""),
        ("stage_changed", "in_progress", "completed"),
        ("report", "", ""),
    ]
    assert all(e.actor == clerk for e in events[2:])
    assert events[1].to_official == clerk and not events[1].is_public
    assert events[4].changes == {
        "planned_budget": ["", "40000000"],
        "target_date": ["", "2025-12-31"],
    }

    # The public tracker, as an anonymous visitor, a few days into 2026. Another
    # item adopted since is still under review.
    with at(2026, 1, 14, 10, 0):
        adopted_card(DepartmentFactory(name="기후환경정책과"), title="빗물 정원 만들기")
        visitor = browser.new_context(locale="ko-KR")
        page = visitor.new_page()
        page.goto(f"{url}/adopted/")
        expect(page.get_by_test_id("card-item")).to_have_count(2)
        page.get_by_label("단계").select_option(label="완료")
        page.get_by_role("button", name="보기").click()
        item = page.get_by_test_id("card-item")
        expect(item).to_have_count(1)
        expect(page.get_by_role("status")).to_have_text("관리카드 1건")
        expect(item.get_by_role("link")).to_have_text(TITLE)
        expect(item).to_contain_text("완료")
        expect(item).to_contain_text("보행정책과")
        expect(item.get_by_test_id("card-percent")).to_have_text("100% 진행")

        item.get_by_role("link", name=TITLE).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
        expect(page.get_by_text("완료된 채택 과제예요.")).to_be_visible()
        expect(page.get_by_test_id("card-percent")).to_have_text("100%")
        facts = page.locator("dl.facts")
        expect(facts).to_contain_text("2025-12-31")
        expect(facts).to_contain_text("40,000,000")
        expect(facts).to_contain_text("36,500,000")

        public_reports = page.get_by_test_id("card-report")
        expect(public_reports).to_have_count(6)
        texts = public_reports.all_inner_texts()
        for period, text in zip(PLAN, texts, strict=True):
            assert f"{period}차 보고" in text
            assert f"{PLAN[period][1]}% 진행" in text
            assert f"{period}차 점검: 보행로 공사" in text
        assert "완료" in texts[-1]
        site = public_reports.nth(PHOTO_REPORT - 1).get_by_test_id("report-photos")
        site_thumbnail = site.get_by_role("img", name=f"{PHOTO_REPORT}차 진행 보고 사진 1")
        expect(site_thumbnail).to_be_visible()
        assert site_thumbnail.evaluate("img => img.complete && img.naturalWidth > 0")
        expect(page.get_by_test_id("report-photos")).to_have_count(1)

        history = page.get_by_test_id("card-event")
        expect(history).to_have_count(12)  # every event but the internal handoff
        history_text = "\n".join(history.all_inner_texts())
        for seen in (
            "관리카드 생성",
            "검토 → 계획수립",
            "예산 또는 목표일 변경",
            "계획수립 → 실행중",
            "사진·문서 첨부",
            "실행중 → 완료",
        ):
            assert seen in history_text
        assert "김담당" not in history_text

        realised = page.get_by_test_id("card-photos")
        expect(realised.get_by_role("heading")).to_have_text("실현된 모습")
        thumbnail = realised.get_by_role("img", name="새로 놓인 보행 데크")
        expect(thumbnail).to_be_visible()
        assert thumbnail.evaluate("img => img.complete && img.naturalWidth > 0")

        # The proposal's own timeline carries every report too.
        page.get_by_role("link", name=TITLE).first.click()
        expect(page.get_by_text("채택 과제 진행 보고")).to_have_count(6)

        page.wait_for_load_state("networkidle")
        visitor.close()
