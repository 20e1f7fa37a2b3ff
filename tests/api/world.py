"""A small world for the API's tests: public proposals (one answered, one
with a draft answer only), a hidden one and one in the trash, each made
through the services as the site makes them."""

from dataclasses import dataclass

from api.models import PartnerKey
from api.services import key_issue
from proposals import services as proposal_services
from proposals.models import Proposal
from stats.refresh import refresh
from tests.answers.helpers import assigned, drafted, published
from tests.factories import DepartmentFactory, ProposalFactory, operator


@dataclass
class World:
    answered: Proposal
    drafted: Proposal
    plain: Proposal
    hidden: Proposal
    trashed: Proposal
    answer_id: int
    draft_answer_id: int
    hidden_answer_id: int


def make_world() -> World:
    staff = operator()
    transport = DepartmentFactory(code="transport", name="교통정책과", name_en="Transport Policy")
    parks = DepartmentFactory(code="parks", name="공원조성과", name_en="Parks")
    answer = published(assigned(transport, title="한강 다리 보행로", district="mapo"))
    draft = drafted(assigned(parks, title="공원 벤치 늘리기"))
    hidden_answer = published(assigned(transport, title="숨겨진 제안"))
    plain = ProposalFactory(title="버스 정류장 그늘막")
    trashed = ProposalFactory(title="휴지통 제안")
    proposal_services.proposal_hide(
        proposal=hidden_answer.assignment.proposal, user=staff, reason="개인정보 노출"
    )
    proposal_services.proposal_trash(proposal=trashed, user=staff, reason="중복")
    refresh(full=True)
    return World(
        answered=answer.assignment.proposal,
        drafted=draft.assignment.proposal,
        plain=plain,
        hidden=hidden_answer.assignment.proposal,
        trashed=trashed,
        answer_id=answer.pk,
        draft_answer_id=draft.pk,
        hidden_answer_id=hidden_answer.pk,
    )


def partner_key(rate: str = "6000/h", institution: str = "서울연구원") -> tuple[PartnerKey, str]:
    return key_issue(
        actor=operator(), institution=institution, contact_email="data@si.re.kr", rate=rate
    )
