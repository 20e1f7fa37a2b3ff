"""meetings/services.py, expert opinions, given / when / then."""

import pytest
from django.core.exceptions import ValidationError

from meetings import services
from meetings.models import ExpertOpinion
from oasis.errors import PermissionDenied, ServiceError
from tests.factories import ProposalFactory, UserFactory, official, operator

from .helpers import external_expert, internal_expert, mayor_office

pytestmark = pytest.mark.django_db


# --- expert opinions ---------------------------------------------------------------------


@pytest.mark.parametrize("make_expert", [internal_expert, external_expert])
def test_an_expert_writes_and_rewrites_one_opinion(make_expert):
    expert, proposal = make_expert(), ProposalFactory(status="review")

    services.expert_opinion_save(
        proposal=proposal,
        expert=expert,
        text="기술적으로 가능하며 예산도 적정합니다.",
        recommendation="adopt",
    )
    services.expert_opinion_save(
        proposal=proposal,
        expert=expert,
        text="조건을 붙여 채택하길 권합니다.",
        recommendation="adopt_with_conditions",
    )

    opinion = ExpertOpinion.objects.get()
    assert opinion.expert == expert and opinion.recommendation == "adopt_with_conditions"


@pytest.mark.parametrize("make_user", [UserFactory, official, operator, mayor_office])
def test_only_experts_write_opinions(make_user):
    with pytest.raises(PermissionDenied):
        services.expert_opinion_save(
            proposal=ProposalFactory(status="review"),
            expert=make_user(),
            text="충분히 긴 의견입니다.",
            recommendation="adopt",
        )


@pytest.mark.parametrize("status", ["open", "adopted", "not_adopted", "not_selected"])
def test_opinions_only_while_the_proposal_is_in_the_pipeline(status):
    with pytest.raises(ServiceError):
        services.expert_opinion_save(
            proposal=ProposalFactory(status=status),
            expert=internal_expert(),
            text="충분히 긴 의견입니다.",
            recommendation="adopt",
        )
    assert not ExpertOpinion.objects.exists()


def test_an_opinion_needs_text_and_a_recommendation():
    with pytest.raises(ValidationError) as caught:
        services.expert_opinion_save(
            proposal=ProposalFactory(status="review"),
            expert=internal_expert(),
            text="짧음",
            recommendation="maybe",
        )
    assert set(caught.value.message_dict) == {"text", "recommendation"}
