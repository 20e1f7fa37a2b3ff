"""The operators' proposal list in the admin: filters, search, columns, query
count and the read-only change page."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from proposals.models import Proposal, ProposalStatus, Report, ReportReason
from tests.factories import (
    CategoryFactory,
    CommentFactory,
    DepartmentFactory,
    ProposalFactory,
    UserFactory,
)

from .helpers import CHANGELIST, run_action, shown

pytestmark = pytest.mark.django_db


SEOUL = ZoneInfo("Asia/Seoul")


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
