"""Proposing to a partner institution (issue 16) through the proposal form
as it is rendered: "who is this proposal for?" offers the city and the open
institutions, the categories come grouped by addressee (each option naming
its institution for the script that narrows them), a category of another
addressee is refused with a message and everything typed kept, a closed
institution is refused; what is stored, and the label the city-wide list,
the proposal page and the front page show."""

import html
import re

import pytest

from proposals.models import Proposal
from tests.factories import ProposalFactory
from tests.pages import english_client, form_fields, logged_in, page_text

from .space_world import build_world

pytestmark = pytest.mark.django_db

CREATE = "/proposals/new/"


@pytest.fixture
def world():
    return build_world()


def errors(response) -> str:
    page = response.content.decode()
    found = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', page, re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", " ".join(found)))


def options(page: str, name: str) -> list[tuple[str, str]]:
    """(value, data-institution) of each option of the select `name`."""
    select = page.split(f'name="{name}"')[1].split("</select>")[0]
    return [
        (value, (institution or [None])[0] if institution else None)
        for value, institution in (
            (m.group(1), re.findall(r'data-institution="([^"]*)"', m.group(0)))
            for m in re.finditer(r'<option value="([^"]*)"[^>]*>', select)
        )
    ]


def test_the_form_asks_who_the_proposal_is_for(world):
    member = logged_in()
    response = member.get(CREATE)
    page = response.content.decode()
    assert "Who is this proposal for?" in page_text(response)
    addressees = [value for value, _ in options(page, "institution")]
    # The city first (the default), then the open institutions; never a closed one
    assert addressees == ["", "other-org", "sisul"]
    assert form_fields(response)["institution"] == ""
    # Each category names its addressee, grouped
    categories = dict(options(page, "category"))
    assert categories[str(world.city_category.pk)] == ""
    assert categories[str(world.parking.pk)] == "sisul"
    assert categories[str(world.other_category.pk)] == "other-org"
    assert '<optgroup label="Seoul Facilities Corporation">' in page
    assert 'src="/static/js/propose_to.js"' in page


def test_a_member_proposes_to_an_institution_from_its_space(world):
    member = logged_in(csrf_checks=True)
    # They follow the space's link
    response = member.get("/org/sisul/propose/", follow=True)
    assert response.redirect_chain[-1][0] == "/proposals/new/?institution=sisul"
    fields = form_fields(response)
    assert fields["institution"] == "sisul"
    # and fill in the form as rendered
    fields.update(
        title="공영주차장 빈자리 알림", body="빈자리를 알려 주세요.", category=str(world.parking.pk)
    )
    sent = member.post("/proposals/new/?institution=sisul", fields)
    proposal = Proposal.objects.get(title="공영주차장 빈자리 알림")
    assert sent.status_code == 302 and sent["Location"] == proposal.get_absolute_url()
    assert proposal.institution == world.sisul and proposal.category == world.parking
    # It shows in the space and in the city-wide list, labelled
    assert "공영주차장 빈자리 알림" in page_text(english_client().get("/org/sisul/proposals/"))
    city_list = english_client().get("/proposals/").content.decode()
    item = city_list.split("공영주차장 빈자리 알림")[1].split("</li>\n</ul>")[0]
    assert re.search(
        r'<a class="badge badge-institution" href="/org/sisul/"[^>]*>시설공단</a>', item
    )


def test_the_city_stays_the_default(world):
    member = logged_in(csrf_checks=True)
    fields = form_fields(member.get(CREATE))
    fields.update(
        title="서울시에 제안",
        body="서울시에 드리는 제안의 본문입니다.",
        category=str(world.city_category.pk),
    )
    member.post(CREATE, fields)
    assert Proposal.objects.get(title="서울시에 제안").institution is None


def test_a_category_of_another_addressee_is_refused_keeping_what_was_typed(world):
    member = logged_in(csrf_checks=True)
    fields = form_fields(member.get(CREATE + "?institution=sisul"))
    fields.update(
        title="다리 미끄럼 방지",
        body="비 오는 날 미끄럽습니다.",
        tags="교량, 안전",
        category=str(world.other_category.pk),
    )
    response = member.post(CREATE, fields)
    assert response.status_code == 200
    assert (
        "This category is not Seoul Facilities Corporation's. Choose one of its own categories."
        in errors(response)
    )
    kept = form_fields(response)
    assert kept["title"] == "다리 미끄럼 방지" and kept["body"] == "비 오는 날 미끄럽습니다."
    assert kept["tags"] == "교량, 안전" and kept["institution"] == "sisul"
    # A city proposal under an institution's category is refused too
    fields.update(institution="", category=str(world.parking.pk))
    response = member.post(
        CREATE,
        {**fields, **form_fields(member.get(CREATE))}
        | {
            "title": "다리 미끄럼 방지",
            "body": "본문",
            "institution": "",
            "category": str(world.parking.pk),
        },
    )
    assert (
        "This category is a partner institution's. Choose one of the city's categories."
        in errors(response)
    )
    assert not Proposal.objects.filter(title="다리 미끄럼 방지").exists()


def test_a_closed_or_unknown_institution_is_refused(world):
    member = logged_in(csrf_checks=True)
    fields = form_fields(member.get(CREATE))
    fields.update(
        title="닫힌 곳에", body="본문", institution="closed-org", category=str(world.parking.pk)
    )
    response = member.post(CREATE, fields)
    assert (
        "Closed Corporation is not taking proposals now. Propose it to the city instead."
        in errors(response)
    )
    fields.update(institution="nowhere")
    response = member.post(CREATE, fields)
    assert response.status_code == 200 and "Select a valid choice" in errors(response)
    assert not Proposal.objects.filter(title="닫힌 곳에").exists()


def test_the_korean_page_speaks_korean(world):
    member = logged_in()
    member.cookies["django_language"] = "ko"
    text = page_text(member.get(CREATE))
    assert "누구에게 제안하나요?" in text
    assert "서울시" in text


def test_an_edit_keeps_the_addressee_and_offers_only_its_categories(world):
    from django.core.exceptions import ValidationError

    from proposals.services import proposal_create, proposal_update
    from tests.factories import UserFactory

    author = UserFactory()
    proposal = proposal_create(
        author=author,
        title="공단 제안",
        body="공단에 드리는 제안입니다.",
        category=world.parking,
        institution=world.sisul,
    )
    page = logged_in(author).get(f"/proposals/{proposal.pk}/edit/").content.decode()
    assert 'name="institution"' not in page
    values = [value for value, _ in options(page, "category") if value]
    assert values == [str(world.parking.pk)]
    with pytest.raises(ValidationError):
        proposal_update(
            proposal=proposal,
            user=author,
            title="공단 제안",
            body="공단에 드리는 제안입니다.",
            category=world.city_category,
        )
    proposal.refresh_from_db()
    assert proposal.category == world.parking


def test_the_label_shows_on_the_proposal_page_the_city_list_and_the_front_page(
    world, django_assert_max_num_queries
):
    reader = english_client()
    proposal = world.sisul_open[0]
    detail = reader.get(proposal.get_absolute_url()).content.decode()
    assert re.search(
        r'<a class="badge badge-institution" href="/org/sisul/"[^>]*>시설공단</a>', detail
    )
    city = reader.get(world.city_proposal.get_absolute_url()).content.decode()
    assert "badge-institution" not in city
    front = reader.get("/").content.decode()
    assert 'href="/org/sisul/"' in front
    # The city list's labels cost no query per row
    for n in range(25):
        ProposalFactory(title=f"더 {n}", category=world.parking, institution=world.sisul)
    with django_assert_max_num_queries(12):
        listed = reader.get("/proposals/").content.decode()
    assert listed.count('class="badge badge-institution"') == 20


def test_the_city_list_filters_by_institution(world):
    reader = english_client()
    page = reader.get("/proposals/").content.decode()
    choices = page.split('name="institution"')[1].split("</select>")[0]
    assert 'value="city"' in choices and 'value="sisul"' in choices
    text = page_text(reader.get("/proposals/?institution=city"))
    assert "서울시 제안" in text and "공단 열린 제안 0" not in text and "다른공사 제안" not in text
    text = page_text(reader.get("/proposals/?institution=sisul"))
    assert "공단 열린 제안 0" in text and "서울시 제안" not in text
    assert "공단 숨긴 제안" not in text


def test_a_themed_call_takes_proposals_to_the_city_only(world):
    from tests.themes.helpers import make_theme

    theme = make_theme(title="걷고 싶은 서울")
    page = logged_in().get(f"/themes/{theme.pk}/propose/").content.decode()
    assert 'name="institution"' not in page
    values = [value for value, _ in options(page, "category") if value]
    assert str(world.city_category.pk) in values and str(world.parking.pk) not in values
