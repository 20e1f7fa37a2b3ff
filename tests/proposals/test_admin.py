"""The operators' admin for proposals, comments and reports: lists and filters,
moderation actions that go through the services, the trash, exports."""

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.urls import NoReverseMatch, reverse

from proposals.models import (
    Comment,
    EventKind,
    Proposal,
    ProposalEvent,
    ProposalStatus,
    Report,
    ReportReason,
)
from tests.factories import (
    CategoryFactory,
    CommentFactory,
    DepartmentFactory,
    ProposalFactory,
    UserFactory,
    official,
    operator,
)
from tests.pages import logged_in, messages_sent

pytestmark = pytest.mark.django_db

SEOUL = ZoneInfo("Asia/Seoul")
CHANGELIST = "admin:proposals_proposal_changelist"
COMMENTS = "admin:proposals_comment_changelist"


@pytest.fixture
def operator_user():
    return operator(email="operator@example.com")


@pytest.fixture
def operator_client(operator_user):
    return logged_in(operator_user)


def shown(response) -> set[int]:
    """The ids of the rows the changelist shows."""
    assert response.status_code == 200
    return {obj.pk for obj in response.context["cl"].result_list}


def run_action(client, action, objects, *, url_name=CHANGELIST, query="", reason=None):
    """Choose an action on the changelist and, when `reason` is given, answer
    the intermediate page the way the operator does."""
    url = reverse(url_name) + query
    ids = [str(obj.pk) for obj in objects]
    first = client.post(url, {"action": action, "_selected_action": ids, "index": "0"})
    if reason is None:
        return first
    return client.post(
        url,
        {"action": action, "_selected_action": ids, "apply": "yes", "reason": reason},
        follow=True,
    )


# --- changelist, filters, search ----------------------------------------------


@pytest.fixture
def catalogue():
    """Proposals that differ in one respect each, by name."""
    dept = DepartmentFactory(code="dept-roads", name="도로계획과")
    roads = CategoryFactory(code="roads", name="교통", default_department=dept)
    items = {
        "plain": ProposalFactory(title="평범한 제안"),
        "assigned": ProposalFactory(
            title="배정된 제안", status=ProposalStatus.ASSIGNED, department=dept
        ),
        "roads": ProposalFactory(title="교통 제안", category=roads),
        "mapo": ProposalFactory(title="마포 제안", district="mapo"),
        "popular": ProposalFactory(title="인기 제안", endorsement_count=120),
        "famous": ProposalFactory(title="유명 제안", endorsement_count=800),
        "some": ProposalFactory(title="몇몇 추천", endorsement_count=3),
        "hidden": ProposalFactory(title="숨긴 제안", is_hidden=True, hidden_reason="광고"),
        "trashed": ProposalFactory(
            title="휴지통 제안", deleted_at=dt.datetime(2025, 2, 1, tzinfo=SEOUL)
        ),
        "march": ProposalFactory(title="삼월 제안"),
    }
    Proposal.objects.update(created_at=dt.datetime(2025, 1, 10, 12, tzinfo=SEOUL))
    Proposal.objects.filter(pk=items["march"].pk).update(
        created_at=dt.datetime(2025, 3, 5, 9, tzinfo=SEOUL)
    )
    items["dept"], items["category"] = dept, roads
    return items


NOT_TRASHED = {"plain", "assigned", "roads", "mapo", "popular", "famous", "some", "hidden", "march"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (lambda c: "", NOT_TRASHED),
        (lambda c: "?status__exact=assigned", {"assigned"}),
        (
            lambda c: "?created_at__range__gte=2025-03-01&created_at__range__lte=2025-03-31",
            {"march"},
        ),
        (lambda c: "?created_at__range__lte=2025-01-31", NOT_TRASHED - {"march"}),
        (lambda c: f"?category__id__exact={c['category'].pk}", {"roads"}),
        (lambda c: "?district__exact=mapo", {"mapo"}),
        (lambda c: f"?department__id__exact={c['dept'].pk}", {"assigned"}),
        (lambda c: "?endorsements=0", NOT_TRASHED - {"popular", "famous", "some"}),
        (lambda c: "?endorsements=1-49", {"some"}),
        (lambda c: "?endorsements=50-499", {"popular"}),
        (lambda c: "?endorsements=500%2B", {"famous"}),
        (lambda c: "?is_hidden__exact=1", {"hidden"}),
        (lambda c: "?is_hidden__exact=0", NOT_TRASHED - {"hidden"}),
        (lambda c: "?trash=yes", {"trashed"}),
        (lambda c: "?trash=all", NOT_TRASHED | {"trashed"}),
    ],
    ids=[
        "default-leaves-out-trash",
        "status",
        "created-in-march",
        "created-until-january",
        "category",
        "district",
        "department",
        "no-endorsements",
        "1-49",
        "50-499",
        "500-plus",
        "hidden",
        "not-hidden",
        "in-trash",
        "all-with-trash",
    ],
)
def test_changelist_filters_show_the_matching_proposals(
    operator_client, catalogue, query, expected
):
    # Given proposals that differ in one respect each
    # When the operator applies a filter
    response = operator_client.get(reverse(CHANGELIST) + query(catalogue))
    # Then exactly the matching proposals are listed
    assert shown(response) == {catalogue[name].pk for name in expected}


@pytest.mark.parametrize("model", ["proposal", "comment", "report"])
def test_changelists_load_with_facet_counts(operator_client, catalogue, model):
    comment = CommentFactory(proposal=catalogue["plain"])
    Report.objects.create(reporter=UserFactory(), comment=comment, reason=ReportReason.SPAM)
    url = reverse(f"admin:proposals_{model}_changelist")
    assert operator_client.get(url + "?_facets=True").status_code == 200


def test_changelist_shows_the_columns_an_operator_works_with(operator_client):
    proposal = ProposalFactory(
        title="한강 다리 산책로",
        district="mapo",
        endorsement_count=12,
        comment_count=3,
        view_count=40,
        author=UserFactory(display_name="김철수"),
    )
    response = operator_client.get(reverse(CHANGELIST))
    content = response.content.decode()
    assert shown(response) == {proposal.pk}
    for text in ["한강 다리 산책로", proposal.category.name, "김*수", "12", "40"]:
        assert text in content
    # The author's e-mail is not on the list.
    assert proposal.author.email not in content


@pytest.mark.parametrize(
    ("term", "expected"),
    [("산책로", "walk"), ("parkjs@example", "park"), ("박지성", "park"), ("walker", "nick")],
    ids=["title", "author-email", "author-name", "author-nickname"],
)
def test_search_finds_by_title_and_author(operator_client, term, expected):
    proposals = {
        "walk": ProposalFactory(title="한강 산책로를 넓혀 주세요"),
        "park": ProposalFactory(
            title="공원 벤치", author=UserFactory(email="parkjs@example.com", display_name="박지성")
        ),
        "nick": ProposalFactory(title="자전거 도로", author=UserFactory(nickname="walker")),
    }
    response = operator_client.get(reverse(CHANGELIST), {"q": term})
    assert shown(response) == {proposals[expected].pk}


def test_changelist_runs_a_fixed_number_of_queries(operator_client, django_assert_max_num_queries):
    # Given 30 proposals, each with its own author, category and department
    for n in range(30):
        ProposalFactory(department=DepartmentFactory(), district="jongno" if n % 2 else "")
    # When the operator opens the list, it does not query once per row
    # Ten today: session, user, groups, permissions (2), the category and
    # department filter choices, two counts and the page itself.
    with django_assert_max_num_queries(12):
        response = operator_client.get(reverse(CHANGELIST))
    assert len(shown(response)) == 30


def test_proposal_change_page_is_read_only_with_the_timeline(operator_client, operator_user):
    # Given a proposal with a hide event on its timeline
    proposal = ProposalFactory()
    run_action(operator_client, "hide_proposals", [proposal], reason="개인정보 노출")
    # When the operator opens it
    url = reverse("admin:proposals_proposal_change", args=[proposal.pk])
    response = operator_client.get(url)
    # Then the timeline is shown, and nothing can be saved from the page
    assert response.status_code == 200
    assert "개인정보 노출" in response.content.decode()
    assert response.context["has_change_permission"] is False
    assert operator_client.post(url, {"title": "바뀐 제목"}).status_code == 403
    proposal.refresh_from_db()
    assert proposal.title != "바뀐 제목"


# --- hide and restore -----------------------------------------------------------


def test_hide_asks_for_a_reason_first(operator_client):
    proposal = ProposalFactory(title="광고 글")
    response = run_action(operator_client, "hide_proposals", [proposal])
    assert response.status_code == 200
    assert response.templates[0].name == "admin/moderation_reason.html"
    assert "광고 글" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.is_hidden is False


def test_bulk_hide_with_a_reason_hides_and_records_the_reason(operator_client, operator_user):
    # Given two visible proposals
    first, second = ProposalFactory(), ProposalFactory()
    # When the operator hides both, giving a reason
    response = run_action(
        operator_client, "hide_proposals", [first, second], reason="운영원칙 위반: 광고"
    )
    # Then both are hidden with the reason, each with an event on its timeline
    assert response.status_code == 200
    assert "2 proposals were hidden." in messages_sent(response)
    for proposal in (first, second):
        proposal.refresh_from_db()
        assert proposal.is_hidden is True
        assert proposal.hidden_reason == "운영원칙 위반: 광고"
        event = ProposalEvent.objects.get(proposal=proposal, kind=EventKind.HIDDEN)
        assert event.reason == "운영원칙 위반: 광고"
        assert event.actor == operator_user


@pytest.mark.parametrize("reason", ["", "   "], ids=["empty", "blank"])
def test_bulk_hide_without_a_reason_changes_nothing(operator_client, reason):
    proposal = ProposalFactory()
    response = run_action(operator_client, "hide_proposals", [proposal], reason=reason)
    # The page asks again and says nothing was changed
    assert response.status_code == 200
    assert response.templates[0].name == "admin/moderation_reason.html"
    assert "Please give a reason. Nothing has been changed." in messages_sent(response)
    assert response.context["form"].errors["reason"]
    proposal.refresh_from_db()
    assert proposal.is_hidden is False
    assert not ProposalEvent.objects.filter(proposal=proposal).exists()


def test_bulk_hide_skips_what_is_already_hidden_and_says_why(operator_client):
    visible = ProposalFactory()
    hidden = ProposalFactory(title="이미 숨김", is_hidden=True, hidden_reason="스팸")
    response = run_action(operator_client, "hide_proposals", [visible, hidden], reason="스팸")
    texts = messages_sent(response)
    assert "1 proposal was hidden." in texts
    assert any("이미 숨김" in t and "This proposal is already hidden." in t for t in texts)
    hidden.refresh_from_db()
    assert hidden.hidden_reason == "스팸"
    assert ProposalEvent.objects.filter(kind=EventKind.HIDDEN).count() == 1


def test_restore_shows_a_hidden_proposal_again(operator_client, operator_user):
    proposal = ProposalFactory(is_hidden=True, hidden_reason="오해")
    run_action(operator_client, "unhide_proposals", [proposal], reason="재검토 결과 문제없음")
    proposal.refresh_from_db()
    assert proposal.is_hidden is False
    assert proposal.hidden_reason == ""
    event = ProposalEvent.objects.get(proposal=proposal, kind=EventKind.UNHIDDEN)
    assert (event.reason, event.actor) == ("재검토 결과 문제없음", operator_user)


# --- trash ----------------------------------------------------------------------


def test_move_to_trash_and_restore_from_trash(operator_client, client):
    # Given a public proposal
    proposal = ProposalFactory()
    # When the operator moves it to the trash
    run_action(operator_client, "trash_proposals", [proposal], reason="중복 제안")
    # Then it is stored with the date, gone from the list and the public site,
    # and found under the trash filter
    proposal.refresh_from_db()
    assert proposal.deleted_at is not None
    assert ProposalEvent.objects.filter(proposal=proposal, kind=EventKind.TRASHED).exists()
    assert proposal.pk not in shown(operator_client.get(reverse(CHANGELIST)))
    assert shown(operator_client.get(reverse(CHANGELIST) + "?trash=yes")) == {proposal.pk}
    assert not Proposal.objects.public().filter(pk=proposal.pk).exists()

    # When the operator restores it from the trash
    run_action(
        operator_client, "restore_from_trash", [proposal], query="?trash=yes", reason="실수로 삭제"
    )
    # Then it is back
    proposal.refresh_from_db()
    assert proposal.deleted_at is None
    event = ProposalEvent.objects.get(proposal=proposal, kind=EventKind.UNTRASHED)
    assert event.reason == "실수로 삭제"
    assert proposal.pk in shown(operator_client.get(reverse(CHANGELIST)))


def test_restore_from_trash_skips_proposals_not_in_the_trash(operator_client):
    proposal = ProposalFactory()
    response = run_action(
        operator_client, "restore_from_trash", [proposal], query="?trash=all", reason="확인"
    )
    assert any("This proposal is not in the trash." in t for t in messages_sent(response))
    assert not ProposalEvent.objects.filter(proposal=proposal).exists()


# --- no hard delete, no add -----------------------------------------------------


@pytest.mark.parametrize("model", ["proposal", "comment", "report"])
def test_hard_delete_is_not_offered(operator_client, model):
    proposal = ProposalFactory()
    comment = CommentFactory(proposal=proposal)
    report = Report.objects.create(
        reporter=UserFactory(), comment=comment, reason=ReportReason.SPAM
    )
    obj = {"proposal": proposal, "comment": comment, "report": report}[model]
    changelist = operator_client.get(reverse(f"admin:proposals_{model}_changelist"))
    actions = dict(changelist.context["cl"].model_admin.get_actions(changelist.wsgi_request))
    assert "delete_selected" not in actions
    delete_url = reverse(f"admin:proposals_{model}_delete", args=[obj.pk])
    assert operator_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_proposals_cannot_be_added_in_the_admin(operator_client):
    assert operator_client.get(reverse("admin:proposals_proposal_add")).status_code == 403


# --- export ---------------------------------------------------------------------


FORMULAE = ['=HYPERLINK("http://evil.example","click")', "+1", "-1", "@SUM(A1:A2)"]
EXPORT_FIELDS = [
    "id",
    "title",
    "status",
    "category",
    "district",
    "department",
    "endorsements",
    "comments",
    "views",
    "author",
    "created",
]


def export(client, file_format: str, query: str = ""):
    data = {"format": file_format, "resource": "0"}
    data.update({f"proposalresource_{name}": "on" for name in EXPORT_FIELDS})
    return client.post(
        reverse("admin:proposals_proposal_export") + query, data, HTTP_ACCEPT_LANGUAGE="en"
    )


@pytest.fixture
def exported():
    author = UserFactory(email="secret-author@example.com", display_name="홍길동")
    dept = DepartmentFactory(code="dept-park", name="공원녹지과")
    plain = ProposalFactory(
        title="한강 다리를 걷고 싶게",
        author=author,
        district="mapo",
        department=dept,
        status=ProposalStatus.ASSIGNED,
        endorsement_count=57,
    )
    formulae = [ProposalFactory(title=title, author=author) for title in FORMULAE]
    return plain, formulae


def test_export_csv_has_the_rows_and_neutralises_formulae(operator_client, exported):
    plain, formulae = exported
    response = export(operator_client, "0")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    # A byte-order mark first, so Excel on Korean Windows reads it as UTF-8
    assert response.content.startswith(b"\xef\xbb\xbf")
    content = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    header, body = rows[0], rows[1:]
    assert header == [
        "ID",
        "title",
        "status",
        "category",
        "district",
        "department",
        "endorsements",
        "comments",
        "views",
        "author",
        "created",
    ]
    by_id = {int(row[0]): row for row in body}
    assert set(by_id) == {plain.pk, *(p.pk for p in formulae)}
    row = by_id[plain.pk]
    assert row[1:7] == [
        "한강 다리를 걷고 싶게",
        "Awaiting department answer",
        plain.category.name,
        "Mapo-gu",
        "공원녹지과",
        "57",
    ]
    assert row[9] == "홍*동"
    assert {by_id[p.pk][1] for p in formulae} == {"'" + title for title in FORMULAE}
    assert "secret-author@example.com" not in content


def test_export_xlsx_has_the_rows_and_neutralises_formulae(operator_client, exported):
    plain, formulae = exported
    response = export(operator_client, "1")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    by_id = {row[0]: row for row in rows[1:]}
    assert set(by_id) == {plain.pk, *(p.pk for p in formulae)}
    assert by_id[plain.pk][1] == "한강 다리를 걷고 싶게"
    assert by_id[plain.pk][6] == 57  # counts stay numbers
    assert by_id[plain.pk][9] == "홍*동"
    assert {by_id[p.pk][1] for p in formulae} == {"'" + title for title in FORMULAE}
    # No cell is stored as a formula.
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert not any("secret-author@example.com" in str(v) for row in rows for v in row)


def test_export_page_offers_csv_and_excel_only(operator_client):
    response = operator_client.get(reverse("admin:proposals_proposal_export"))
    assert response.status_code == 200
    formats = [label for value, label in response.context["form"].fields["format"].choices if value]
    assert formats == ["csv", "xlsx"]


def test_export_action_exports_the_selected_proposals(operator_client, exported):
    # Given the operator picks one proposal and chooses "export"
    plain, _formulae = exported
    page = run_action(operator_client, "export_admin_action", [plain])
    assert page.status_code == 200
    # When the export form is sent
    data = {"format": "0", "resource": "0", "export_items": [str(plain.pk)]}
    data.update({f"proposalresource_{name}": "on" for name in EXPORT_FIELDS})
    response = operator_client.post(reverse("admin:proposals_proposal_export"), data)
    # Then only that proposal is in the file
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [int(row[0]) for row in rows[1:]] == [plain.pk]


def test_export_follows_the_changelist_filters(operator_client, exported):
    plain, _formulae = exported
    response = export(operator_client, "0", query="?status__exact=assigned")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [int(row[0]) for row in rows[1:]] == [plain.pk]


def test_proposals_have_no_import(operator_client):
    with pytest.raises(NoReverseMatch):
        reverse("admin:proposals_proposal_import")


# --- officials --------------------------------------------------------------------


def test_an_official_sees_the_list_but_cannot_change_hide_or_export():
    # Given a department official (staff, not an operator)
    user = official()
    client = logged_in(user)
    proposal = ProposalFactory()
    # The list opens, with no actions at all
    response = client.get(reverse(CHANGELIST))
    assert shown(response) == {proposal.pk}
    assert response.context["action_form"] is None
    assert "hide_proposals" not in response.content.decode()
    # The change page cannot be saved
    change_url = reverse("admin:proposals_proposal_change", args=[proposal.pk])
    assert client.post(change_url, {"title": "바뀐 제목"}).status_code == 403
    assert not user.has_perm("proposals.change_proposal")
    # Posting the hide action anyway changes nothing
    run_action(client, "hide_proposals", [proposal], reason="시도")
    proposal.refresh_from_db()
    assert proposal.is_hidden is False
    # No export
    assert client.get(reverse("admin:proposals_proposal_export")).status_code == 403
    assert export(client, "0").status_code == 403


def test_a_citizen_cannot_open_the_admin(client):
    client.force_login(UserFactory())
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


# --- comments ---------------------------------------------------------------------


def test_comment_list_shows_proposal_author_and_department_badge(operator_client):
    dept = DepartmentFactory(code="dept-water", name="물순환정책과")
    proposal = ProposalFactory(title="빗물 정원")
    CommentFactory(proposal=proposal, author=official(department=dept), author_department=dept)
    CommentFactory(proposal=proposal, author=UserFactory(display_name="이영희"))
    response = operator_client.get(reverse(COMMENTS))
    content = response.content.decode()
    assert len(shown(response)) == 2
    for text in ["빗물 정원", "물순환정책과", "이*희"]:
        assert text in content

    official_only = operator_client.get(reverse(COMMENTS) + "?official=yes")
    assert [c.author_department for c in official_only.context["cl"].result_list] == [dept]


def test_hide_and_restore_comments_with_a_reason(operator_client, operator_user):
    comment = CommentFactory(body="광고 댓글입니다")
    run_action(operator_client, "hide_comments", [comment], url_name=COMMENTS, reason="광고")
    comment.refresh_from_db()
    assert (comment.is_hidden, comment.hidden_reason) == (True, "광고")
    event = ProposalEvent.objects.get(proposal=comment.proposal, kind=EventKind.COMMENT_HIDDEN)
    assert (event.reason, event.actor) == ("광고", operator_user)

    run_action(operator_client, "unhide_comments", [comment], url_name=COMMENTS, reason="오해")
    comment.refresh_from_db()
    assert (comment.is_hidden, comment.hidden_reason) == (False, "")
    assert ProposalEvent.objects.filter(kind=EventKind.COMMENT_UNHIDDEN).count() == 1


def test_comment_hide_without_a_reason_changes_nothing(operator_client):
    comment = CommentFactory()
    run_action(operator_client, "hide_comments", [comment], url_name=COMMENTS, reason="")
    comment.refresh_from_db()
    assert comment.is_hidden is False
    assert not Comment.objects.filter(is_hidden=True).exists()


# --- reports ----------------------------------------------------------------------


def test_report_list_links_to_the_target_and_filters_by_handled(operator_client):
    proposal = ProposalFactory(title="신고된 제안")
    comment = CommentFactory(body="신고된 댓글")
    on_proposal = Report.objects.create(
        reporter=UserFactory(), proposal=proposal, reason=ReportReason.SPAM
    )
    on_comment = Report.objects.create(
        reporter=UserFactory(), comment=comment, reason=ReportReason.ABUSE
    )
    response = operator_client.get(reverse("admin:proposals_report_changelist"))
    content = response.content.decode()
    assert shown(response) == {on_proposal.pk, on_comment.pk}
    assert reverse("admin:proposals_proposal_change", args=[proposal.pk]) in content
    assert reverse("admin:proposals_comment_change", args=[comment.pk]) in content

    # Hiding the proposal handles its report
    run_action(operator_client, "hide_proposals", [proposal], reason="스팸")
    url = reverse("admin:proposals_report_changelist")
    assert shown(operator_client.get(url + "?handled=yes")) == {on_proposal.pk}
    assert shown(operator_client.get(url + "?handled=no")) == {on_comment.pk}
    assert shown(operator_client.get(url + "?reason__exact=abuse")) == {on_comment.pk}
