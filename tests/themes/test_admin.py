"""The theme editor and screens in the admin, used as staff use them: the
operator writes a theme through the form as rendered (reference material
inline, a period that ends before it starts refused in the operator's
language), previews the draft's public page, publishes and closes it from
the list, picks proposals for the theme debate; the department's official
writes the final response, and another department's official cannot even
see the theme. The staff homes list the work and cost the same queries
however many themes wait."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditRecord
from debates.models import Debate
from proposals.models import Proposal
from tests.answers.helpers import published
from tests.factories import DepartmentFactory, UserFactory, official, operator, txt_file
from tests.pages import form_fields, form_posting_to, logged_in, messages_sent, page_text
from tests.themes.helpers import make_theme, proposal_fields
from themes import services
from themes.models import Theme, ThemeMaterial, ThemeStatus

pytestmark = pytest.mark.django_db

ADD = "/admin/themes/theme/"


def change_url(theme) -> str:
    return reverse("admin:themes_theme_change", args=[theme.pk])


def preview_url(theme) -> str:
    return reverse("admin:themes_theme_preview", args=[theme.pk])


def respond_url(theme) -> str:
    return reverse("admin:themes_theme_respond", args=[theme.pk])


def pick_url(theme) -> str:
    return reverse("admin:themes_theme_pick", args=[theme.pk])


def editor_values(fields: dict, department, *, starts, ends, **more) -> dict:
    """The editor's fields as the operator fills them (the admin's split
    date and time inputs)."""
    return {
        **fields,
        "title": "걷고 싶은 한강 다리",
        "summary": "한강 다리를 걷고 싶게 만들 아이디어를 모읍니다.",
        "description": "보행로, 그늘, 쉼터 무엇이든 제안해 주세요.",
        "policy": "보행친화 도시 서울",
        "department": str(department.pk),
        "starts_at_0": starts.strftime("%Y-%m-%d"),
        "starts_at_1": starts.strftime("%H:%M:%S"),
        "ends_at_0": ends.strftime("%Y-%m-%d"),
        "ends_at_1": ends.strftime("%H:%M:%S"),
        **more,
    }


def test_the_operator_writes_a_theme_with_material_and_a_wrong_period_comes_back_in_korean():
    department = DepartmentFactory(name="보행정책과")
    staff = operator()
    browser = logged_in(staff, csrf_checks=True)
    browser.cookies["django_language"] = "ko"
    page = browser.get(reverse("admin:themes_theme_add"))
    assert page.status_code == 200
    fields = form_fields(page)
    now = timezone.localtime()

    wrong = browser.post(
        reverse("admin:themes_theme_add"),
        editor_values(fields, department, starts=now + timedelta(days=3), ends=now),
    )
    assert wrong.status_code == 200
    assert "테마는 시작한 뒤에 마감해야 합니다. 날짜를 확인해 주세요." in page_text(wrong)
    assert not Theme.objects.exists()

    material = "materials-0"
    response = browser.post(
        reverse("admin:themes_theme_add"),
        editor_values(
            fields,
            department,
            starts=now,
            ends=now + timedelta(days=30),
            **{
                f"{material}-title": "한강 교량 보행 실태 조사",
                f"{material}-url": "https://data.seoul.go.kr/bridges",
                f"{material}-file": txt_file("survey.txt"),
                f"{material}-position": "0",
            },
        ),
    )
    assert response.status_code == 302, page_text(response)[:2000]
    theme = Theme.objects.get()
    assert theme.status == ThemeStatus.DRAFT and theme.created_by == staff
    assert theme.department == department
    item = ThemeMaterial.objects.get()
    assert item.url == "https://data.seoul.go.kr/bridges" and item.file.name.endswith(".txt")


def test_material_without_a_file_or_a_link_is_refused():
    department = DepartmentFactory()
    browser = logged_in(operator(), csrf_checks=True)
    page = browser.get(reverse("admin:themes_theme_add"))
    now = timezone.localtime()
    response = browser.post(
        reverse("admin:themes_theme_add"),
        editor_values(
            form_fields(page),
            department,
            starts=now,
            ends=now + timedelta(days=30),
            **{"materials-0-title": "자료", "materials-0-position": "0"},
        ),
    )
    assert response.status_code == 200
    assert "Please attach a file or give a link (or both)." in page_text(response)
    assert not Theme.objects.exists()


def test_the_draft_preview_shows_the_public_page_under_a_banner():
    theme = make_theme(status=ThemeStatus.DRAFT, title="그늘 있는 서울")
    ThemeMaterial.objects.create(theme=theme, title="폭염 대책 자료", url="https://example.org/a")
    browser = logged_in(operator())

    editor = browser.get(change_url(theme))
    assert preview_url(theme) in editor.content.decode()
    page = browser.get(preview_url(theme))

    assert page.status_code == 200
    text = page_text(page)
    assert "Preview: this is how the public will see the theme's page." in text
    assert "It is a draft: nobody else can see it yet." in text
    assert "그늘 있는 서울" in text and "폭염 대책 자료" in text
    assert theme.department.label in text


def test_officials_see_only_their_departments_themes_and_cannot_edit_them():
    ours = make_theme(title="우리 부서 테마")
    theirs = make_theme(title="다른 부서 테마")
    clerk = logged_in(official(ours.department))

    listing = page_text(clerk.get(reverse("admin:themes_theme_changelist")))
    assert "우리 부서 테마" in listing and "다른 부서 테마" not in listing
    assert clerk.get(change_url(ours)).status_code == 200
    assert clerk.get(change_url(theirs)).status_code in (302, 404)
    assert clerk.get(preview_url(theirs)).status_code == 404
    assert clerk.get(reverse("admin:themes_theme_add")).status_code == 403
    # Citizens never reach the admin's theme screens.
    assert logged_in(UserFactory()).get(preview_url(ours)).status_code in (302, 403)


def test_the_list_shows_status_and_d_day_and_publishes_and_closes_with_a_reason():
    draft = make_theme(status=ThemeStatus.DRAFT, title="초안 테마")
    running = make_theme(title="진행 중 테마", days_left=2)
    official(running.department)
    browser = logged_in(operator(), csrf_checks=True)
    changelist = reverse("admin:themes_theme_changelist")

    page = browser.get(changelist)
    text = page_text(page)
    assert "초안 테마" in text and "D-2" in text
    token = form_fields(page, "changelist-form")["csrfmiddlewaretoken"]

    response = browser.post(
        changelist,
        {"csrfmiddlewaretoken": token, "action": "publish_themes", "_selected_action": [draft.pk]},
    )
    assert response.status_code == 302
    assert "1 theme was published." in messages_sent(response)
    draft.refresh_from_db()
    assert draft.status == ThemeStatus.PUBLISHED

    asked = browser.post(
        changelist,
        {"csrfmiddlewaretoken": token, "action": "close_themes", "_selected_action": [running.pk]},
    )
    assert asked.status_code == 200 and "Close themes early" in page_text(asked)
    response = browser.post(changelist, {**form_fields(asked), "reason": "예산 일정 변경"})
    assert response.status_code == 302
    running.refresh_from_db()
    assert running.status == ThemeStatus.CLOSED
    assert AuditRecord.objects.filter(action="themes.theme_closed_early").count() == 1


def closed_theme(*, proposals=2):
    theme = make_theme()
    made = [
        services.theme_propose(
            theme=theme, author=UserFactory(), **proposal_fields(title=f"테마 제안 {n}")
        )
        for n in range(proposals)
    ]
    services.theme_close(theme=theme, actor=operator(), reason="마감")
    theme.refresh_from_db()
    return theme, made


def test_the_operator_picks_proposals_for_the_theme_debate_most_endorsed_first():
    theme, (quiet, popular) = closed_theme()
    Proposal.objects.filter(pk=popular.pk).update(endorsement_count=80)
    Proposal.objects.filter(pk=quiet.pk).update(endorsement_count=3)
    from pipeline import services as conductor

    conductor.promote_if_due(proposal_id=popular.pk)
    published(popular.assignments.get())
    browser = logged_in(operator(), csrf_checks=True)

    editor = browser.get(change_url(theme))
    assert pick_url(theme) in editor.content.decode()
    page = browser.get(pick_url(theme))
    text = page_text(page)
    assert text.index("테마 제안 1") < text.index("테마 제안 0")  # most endorsed first
    form = form_posting_to(page, pick_url(theme))
    response = browser.post(pick_url(theme), {**form["fields"], "proposals": [str(popular.pk)]})

    assert response.status_code == 302
    assert Debate.objects.filter(proposal=popular).exists()
    quiet.refresh_from_db()
    assert quiet.theme_entry.picked_for_debate_at is None


def test_picking_nothing_or_before_the_close_is_refused_on_the_screen():
    theme, _ = closed_theme()
    browser = logged_in(operator(), csrf_checks=True)
    form = form_posting_to(browser.get(pick_url(theme)), pick_url(theme))
    response = browser.post(pick_url(theme), form["fields"])
    assert response.status_code == 200
    assert "Please choose at least one proposal for the theme debate." in page_text(response)

    running = make_theme()
    page = browser.get(pick_url(running))
    assert "after the theme closes" in page_text(page)


def test_the_departments_official_publishes_the_final_response_and_another_cannot():
    theme, (proposal, _) = closed_theme()
    clerk = official(theme.department)
    stranger = official(DepartmentFactory(name="문화정책과"))

    assert logged_in(stranger).get(respond_url(theme)).status_code == 404
    browser = logged_in(clerk, csrf_checks=True)
    home = browser.get("/admin/")
    assert "Themes waiting for your department's final response" in page_text(home)
    assert respond_url(theme) in home.content.decode()

    form = form_posting_to(browser.get(respond_url(theme)), respond_url(theme))
    response = browser.post(
        respond_url(theme),
        {
            **form["fields"],
            "response": "제안을 모두 검토해 보행로 확장 설계에 반영합니다.",
            "outcome": "2027년 설계 예산 편성",
            "publish": "Publish the response",
        },
    )
    assert response.status_code == 302
    assert "The final response is published on the theme's page." in messages_sent(response)
    theme.refresh_from_db()
    assert theme.response_published_at is not None
    assert theme.outcome == "2027년 설계 예산 편성"
    assert "No theme of your department is waiting for its final response." in page_text(
        browser.get("/admin/")
    )


def _home_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/admin/").status_code == 200
    return len(queries)


def test_the_operators_home_lists_themes_closing_and_unanswered_at_a_fixed_cost(
    django_assert_max_num_queries,
):
    closing = make_theme(title="곧 마감 테마", days_left=3)
    make_theme(title="먼 테마", days_left=30)
    unanswered, _ = closed_theme(proposals=0)
    client = logged_in(operator())

    home = client.get("/admin/")
    text = page_text(home)
    assert "Themes closing within a week" in text and "곧 마감 테마" in text
    assert "먼 테마" not in text
    assert "Closed themes without a final response" in text
    assert respond_url(unanswered) in home.content.decode()
    assert change_url(closing) in home.content.decode()

    _home_queries(client)
    before = _home_queries(client)
    for n in range(12):
        make_theme(title=f"또 마감 {n}", days_left=2)
        make_theme(title=f"또 닫힌 {n}", status=ThemeStatus.CLOSED, days_left=-1)
    with django_assert_max_num_queries(before):
        client.get("/admin/")


def test_the_theme_list_costs_the_same_queries_for_one_theme_or_many(
    django_assert_max_num_queries,
):
    make_theme()
    client = logged_in(operator())
    changelist = reverse("admin:themes_theme_changelist")
    client.get(changelist)
    with django_assert_max_num_queries(30) as one:
        client.get(changelist)
    for _ in range(15):
        make_theme()
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(changelist).status_code == 200


def test_a_published_themes_end_cannot_move_before_its_start():
    theme = make_theme()
    browser = logged_in(operator(), csrf_checks=True)
    page = browser.get(change_url(theme))
    fields = form_fields(page)
    assert "starts_at_0" not in fields and "department" not in fields  # fixed once published
    before = timezone.localtime(theme.starts_at) - timedelta(days=1)
    response = browser.post(
        change_url(theme),
        {
            **fields,
            "ends_at_0": before.strftime("%Y-%m-%d"),
            "ends_at_1": before.strftime("%H:%M:%S"),
        },
    )
    assert response.status_code == 200
    assert "The theme must close after it opens. Please check the dates." in page_text(response)
    theme.refresh_from_db()
    assert theme.ends_at > theme.starts_at
