"""The demo world has similarity terms (issue 16): seed_demo proposes through
proposals.services.proposal_create, which writes them, and the realised
examples are found from paraphrases on the demo itself."""

import pytest

from proposals.models import Proposal
from proposals.similarity import similar_proposals

pytestmark = pytest.mark.django_db

EXAMPLES = [
    ("한강 다리에서 걷고 싶어요", "걷고 싶은 한강다리를 만들어 주세요"),
    ("지하철 역마다 미세먼지 알려주는 전광판", "지하철역에 미세먼지 농도 전광판을 설치해 주세요"),
    ("점자로 된 도로명주소 안내", "도로명주소 안내판에 점자를 넣어 주세요"),
]


def test_every_demo_proposal_has_terms_and_the_examples_are_found(world):
    assert Proposal.objects.exists()
    assert not Proposal.objects.filter(similarity_terms="").exists()
    for typed, realised in EXAMPLES:
        hits = similar_proposals(typed, "")
        assert hits, typed
        assert hits[0].proposal.title == realised, (typed, [h.proposal.title for h in hits])
