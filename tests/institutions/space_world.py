"""A small world of two partner institutions and the city, shared by the
space, propose-to and API tests of issue 16 (orgspace)."""

from dataclasses import dataclass

from django.utils import timezone

from accounts.models import Institution
from polls.models import PollStatus
from proposals.models import Proposal, ProposalStatus
from tests.debates.helpers import open_debate
from tests.factories import CategoryFactory, DepartmentFactory, ProposalFactory
from tests.polls.vote_helpers import make_poll


def institution(slug="sisul", **fields) -> Institution:
    fields.setdefault("name", "서울시설공단" if slug == "sisul" else f"기관 {slug}")
    fields.setdefault("name_en", "Seoul Facilities Corporation" if slug == "sisul" else slug)
    fields.setdefault("short_name", "시설공단" if slug == "sisul" else slug[:20])
    fields.setdefault("brand_color", "#00664f")
    return Institution.objects.create(slug=slug, **fields)


def category_of(org, code, name="공영주차장", name_en="Public car parks"):
    department = DepartmentFactory(code=f"{code}-dept", name=f"{name} 담당", institution=org)
    return CategoryFactory(
        code=code, name=name, name_en=name_en, institution=org, default_department=department
    )


@dataclass
class World:
    sisul: Institution
    other: Institution
    closed: Institution
    parking: object  # sisul's category
    other_category: object
    city_category: object
    sisul_open: list
    sisul_answered: Proposal
    sisul_hidden: Proposal
    sisul_trashed: Proposal
    city_proposal: Proposal
    other_proposal: Proposal
    sisul_debate: object
    city_debate: object
    sisul_poll: object
    sisul_draft_poll: object
    city_poll: object


def build_world() -> World:
    sisul = institution(
        "sisul",
        description="공영주차장과 도로 시설을 운영합니다.",
        website="https://www.sisul.or.kr",
    )
    other = institution(
        "other-org", name="다른공사", name_en="Other Corporation", short_name="다른공사"
    )
    closed = institution(
        "closed-org",
        name="닫힌공단",
        name_en="Closed Corporation",
        short_name="닫힌공단",
        is_active=False,
    )
    parking = category_of(sisul, "sisul-parking")
    other_category = category_of(other, "other-cat", name="다른 분야", name_en="Other field")
    city_category = CategoryFactory(code="transport", name="교통", name_en="Transport")
    sisul_open = [
        ProposalFactory(
            title=f"공단 열린 제안 {n}", category=parking, institution=sisul, endorsement_count=n
        )
        for n in range(3)
    ]
    sisul_answered = ProposalFactory(
        title="공단 답변된 제안",
        category=parking,
        institution=sisul,
        status=ProposalStatus.ANSWERED,
    )
    sisul_hidden = ProposalFactory(
        title="공단 숨긴 제안", category=parking, institution=sisul, is_hidden=True
    )
    sisul_trashed = ProposalFactory(
        title="공단 휴지통 제안", category=parking, institution=sisul, deleted_at=timezone.now()
    )
    city_proposal = ProposalFactory(title="서울시 제안", category=city_category)
    other_proposal = ProposalFactory(
        title="다른공사 제안", category=other_category, institution=other
    )
    sisul_debate = open_debate(title="공단 토론 제안", category=parking, institution=sisul)
    city_debate = open_debate(title="서울시 토론 제안", category=city_category)
    sisul_poll = make_poll(title="공단이 묻습니다", institution=sisul)
    sisul_draft_poll = make_poll(title="공단 초안 설문", institution=sisul, status=PollStatus.DRAFT)
    city_poll = make_poll(title="서울시가 묻습니다 설문")
    return World(
        sisul=sisul,
        other=other,
        closed=closed,
        parking=parking,
        other_category=other_category,
        city_category=city_category,
        sisul_open=sisul_open,
        sisul_answered=sisul_answered,
        sisul_hidden=sisul_hidden,
        sisul_trashed=sisul_trashed,
        city_proposal=city_proposal,
        other_proposal=other_proposal,
        sisul_debate=sisul_debate,
        city_debate=city_debate,
        sisul_poll=sisul_poll,
        sisul_draft_poll=sisul_draft_poll,
        city_poll=city_poll,
    )
