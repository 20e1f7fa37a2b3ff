"""Similar proposals where people meet them (issue 16): the fragment the
proposal forms fetch while a member types, the box on a proposal's page and
the 유사제안 column and list in the operators' admin."""

import re

import pytest
from django.core.cache import caches
from django.utils import timezone

from answers.models import Answer, AnswerDecision, AnswerStatus, Assignment
from proposals.models import Proposal
from proposals.similarity import terms_of
from tests.factories import DepartmentFactory, ProposalFactory, UserFactory
from tests.pages import logged_in

pytestmark = pytest.mark.django_db

SIMILAR = "/proposals/similar/"


def _searches(captured) -> int:
    """The similarity searches among captured queries (SQLite's LIKE over
    the terms, PostgreSQL's full-text match)."""
    return len(
        [
            q
            for q in captured.captured_queries
            if '"similarity_terms" LIKE' in q["sql"] or '"similarity_vector"' in q["sql"]
        ]
    )


def _make(title, body="", **kwargs) -> Proposal:
    return ProposalFactory(title=title, body=body, similarity_terms=terms_of(title, body), **kwargs)


@pytest.fixture
def dust():
    return _make(
        "지하철역에 미세먼지 농도 전광판을 설치해 주세요",
        "지하철역 출입구와 대합실에 실시간 미세먼지 농도를 보여 주는 전광판을 설치하면 좋겠습니다.",
    )


@pytest.fixture
def unrelated():
    return [
        _make("보라매공원에 반려견 놀이터를 만들어 주세요", "반려견과 함께 뛰놀 곳이 없습니다."),
        _make("망원동 마을버스 막차 시간을 연장해 주세요", "밤 늦게 귀가하는 주민이 많습니다."),
        _make("작은도서관을 주말에도 열어 주세요", "주말에 아이와 책을 읽고 싶어요."),
    ]


def _publish_answer(proposal, summary="역사 공기질 전광판을 올해 시범 설치합니다."):
    department = DepartmentFactory()
    assignment = Assignment.objects.create(
        proposal=proposal,
        department=department,
        deadline=timezone.now() + timezone.timedelta(days=10),
        is_current=False,
        closed_at=timezone.now(),
    )
    Answer.objects.create(
        assignment=assignment,
        summary=summary,
        decision=AnswerDecision.ACCEPT,
        status=AnswerStatus.PUBLISHED,
        submitted_at=timezone.now(),
        published_at=timezone.now(),
        met_deadline=True,
    )


# --- while typing ----------------------------------------------------------------


def test_the_form_carries_the_live_region_and_its_script():
    page = logged_in(UserFactory()).get("/proposals/new/").content.decode()
    region = re.search(r'<div class="similar-typing" id="similar-proposals"[^>]*>', page).group(0)
    assert 'aria-live="polite"' in region
    assert f'data-similar-url="{SIMILAR}"' in region
    assert 'src="/static/js/similar.js"' in page


def test_typing_a_paraphrase_shows_the_proposal_and_its_answer(client, dust, unrelated):
    _publish_answer(dust)
    response = client.get(SIMILAR, {"title": "지하철 역마다 미세먼지 알려주는 전광판", "body": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert "비슷한 제안이 있어요" in html
    assert f'href="/proposals/{dust.pk}/"' in html
    assert f'href="/proposals/{dust.pk}/#endorse"' in html  # 추천하기: endorsing is on the page
    assert "추천하기" in html
    assert "수용" in html and "역사 공기질 전광판을 올해 시범 설치합니다." in html
    for other in unrelated:
        assert f"/proposals/{other.pk}/" not in html
    assert "max-age=60" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_nothing_similar_is_an_empty_fragment(client, dust):
    response = client.get(SIMILAR, {"title": "구립 수영장 강습 신청을 온라인으로"})
    assert response.status_code == 200
    assert response.content.decode().strip() == ""


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"title": " "},
        {"title": "a"},
        {"title": "가" * 101},
        {"title": "미세먼지", "body": "가" * 10001},
        {"title": "미세\x00먼지"},
    ],
)
def test_nonsense_is_refused(client, query):
    assert client.get(SIMILAR, query).status_code == 400


def test_only_get(client):
    assert client.post(SIMILAR, {"title": "미세먼지"}).status_code == 405


def test_rate_limited(client, settings, dust):
    settings.OASIS_RATE_LIMITS = {"similar": {"user": "600/h", "ip": "3/h"}}
    codes = [client.get(SIMILAR, {"title": f"미세먼지 전광판 {n}"}).status_code for n in range(4)]
    assert codes == [200, 200, 200, 429]


def test_hidden_proposals_are_not_shown_while_typing(client, dust):
    Proposal.objects.filter(pk=dust.pk).update(is_hidden=True)
    response = client.get(SIMILAR, {"title": "지하철역 미세먼지 전광판"})
    assert f"/proposals/{dust.pk}/" not in response.content.decode()


def test_the_theme_form_carries_the_region_too():
    from tests.themes.helpers import make_theme

    theme = make_theme()
    page = logged_in(UserFactory()).get(f"/themes/{theme.pk}/propose/").content.decode()
    assert 'id="similar-proposals"' in page and 'aria-live="polite"' in page


# --- the proposal page -------------------------------------------------------------


def test_the_page_shows_similar_proposals_cached(
    client, dust, unrelated, django_assert_max_num_queries
):
    twin = _make(
        "미세먼지 농도를 지하철역에서 보여 주세요",
        "역 대합실에 초미세먼지 수치를 띄우면 좋겠습니다.",
    )
    _publish_answer(dust)
    page = client.get(f"/proposals/{twin.pk}/").content.decode()
    box = re.search(r'<section class="card similar-box".*?</section>', page, re.S).group(0)
    assert "비슷한 제안" in box
    assert f'href="/proposals/{dust.pk}/"' in box
    assert f"/proposals/{twin.pk}/" not in box  # not itself
    assert "역사 공기질 전광판을 올해 시범 설치합니다." in box
    for other in unrelated:
        assert f"/proposals/{other.pk}/" not in box
    # Kept per proposal: the next reader's page asks nothing for it.
    client.get(f"/proposals/{twin.pk}/")
    with django_assert_max_num_queries(15) as captured:
        client.get(f"/proposals/{twin.pk}/")
    assert _searches(captured) == 0


def test_no_box_without_similar_proposals(client, unrelated):
    page = client.get(f"/proposals/{unrelated[0].pk}/").content.decode()
    assert "similar-box" not in page


# --- the admin -----------------------------------------------------------------------


def test_admin_column_and_change_page(
    operator_client, dust, unrelated, django_assert_max_num_queries
):
    twin = _make(
        "미세먼지 농도를 지하철역에서 보여 주세요",
        "역 대합실에 초미세먼지 수치를 띄우면 좋겠습니다.",
    )
    caches["shared"].clear()
    url = "/admin/proposals/proposal/"
    page = operator_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Similar proposals" in html
    assert f'href="/admin/proposals/proposal/{dust.pk}/change/">#{dust.pk} ' in html
    assert f'href="/admin/proposals/proposal/{twin.pk}/change/">#{twin.pk} ' in html
    # Read again: every row's list comes from the cache, no search runs.
    with django_assert_max_num_queries(30) as captured:
        operator_client.get(url)
    assert _searches(captured) == 0
    change = operator_client.get(f"/admin/proposals/proposal/{twin.pk}/change/").content.decode()
    assert (
        f'<a href="/admin/proposals/proposal/{dust.pk}/change/">#{dust.pk} {dust.title}</a>'
        in change
    )
    lone = operator_client.get(f"/admin/proposals/proposal/{unrelated[0].pk}/change/")
    assert lone.status_code == 200


def test_admin_list_works_out_a_bounded_number_a_load(operator_client, monkeypatch):
    from proposals import similar_admin

    monkeypatch.setattr(similar_admin, "COMPUTE_PER_PAGE", 2)
    for n in range(5):
        _make(f"한강다리 보행로 {n}", "한강 다리를 걸어서 건너는 보행로를 넓혀 주세요.")
    caches["shared"].clear()
    url = "/admin/proposals/proposal/"
    searches = []
    for _ in range(3):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            html = operator_client.get(url).content.decode()
        searches.append(_searches(captured))
    assert searches == [2, 2, 1]  # two, two, the last one; then all cached
    assert "…" not in html.split("result_list", 1)[1].split("</table>", 1)[0]


def test_admin_list_says_none_when_nothing_similar(operator_client, unrelated):
    html = operator_client.get("/admin/proposals/proposal/").content.decode()
    assert html.count('<td class="field-similar_column">—</td>') == len(unrelated)


def test_typing_costs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for n in range(12):
        proposal = _make(f"미세먼지 전광판 {n}", "지하철역 대합실에 미세먼지 농도를 보여 주세요.")
        if n % 3 == 0:
            _publish_answer(proposal)
    # The search, the hits' rows, their answers: however many hits.
    with django_assert_max_num_queries(3):
        html = client.get(SIMILAR, {"title": "지하철역 미세먼지 전광판"}).content.decode()
    assert html.count('class="similar-endorse"') == 5
    # The same words again within the minute: from the cache.
    with django_assert_max_num_queries(0):
        assert client.get(SIMILAR, {"title": "지하철역 미세먼지 전광판"}).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_hidden_proposal_leaves_cached_lists_at_once(client, dust):
    from proposals import services
    from tests.factories import operator

    twin = _make(
        "미세먼지 농도를 지하철역에서 보여 주세요",
        "역 대합실에 초미세먼지 수치를 띄우면 좋겠습니다.",
    )
    query = {"title": "지하철역 미세먼지 전광판"}
    assert f"/proposals/{dust.pk}/" in client.get(f"/proposals/{twin.pk}/").content.decode()
    assert f"/proposals/{dust.pk}/" in client.get(SIMILAR, query).content.decode()
    services.proposal_hide(proposal=dust, user=operator(), reason="개인정보 노출")
    assert f"/proposals/{dust.pk}/" not in client.get(f"/proposals/{twin.pk}/").content.decode()
    assert f"/proposals/{dust.pk}/" not in client.get(SIMILAR, query).content.decode()
