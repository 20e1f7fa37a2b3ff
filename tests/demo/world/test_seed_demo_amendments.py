"""The demo shows an amended answer (issue 12): one published answer with
two approved amendments and a third waiting for the operators, each dated
after the answer and in order, on the public page and the operator's home."""

import pytest
from django.test import Client

from answers.models import AmendmentStatus, AnswerAmendment
from proposals.models import EventKind, ProposalEvent
from tests.pages import page_text

pytestmark = pytest.mark.django_db


def test_one_answer_was_amended_twice_and_a_third_amendment_waits(world):
    amendments = list(AnswerAmendment.objects.order_by("submitted_at"))
    assert [a.status for a in amendments] == [
        AmendmentStatus.APPROVED,
        AmendmentStatus.APPROVED,
        AmendmentStatus.SUBMITTED,
    ]
    answer = amendments[0].answer
    assert {a.answer_id for a in amendments} == {answer.pk}
    moments = [answer.published_at]
    for amendment in amendments[:2]:
        moments += [amendment.submitted_at, amendment.decided_at]
    moments.append(amendments[2].submitted_at)
    assert moments == sorted(moments) and moments[-1] < world.started
    assert answer.amended_at == amendments[1].decided_at

    proposal = answer.assignment.proposal
    rows = ProposalEvent.objects.filter(proposal=proposal, kind=EventKind.ANSWER_AMENDED)
    assert [row.created_at for row in rows.order_by("created_at")] == [
        a.decided_at for a in amendments[:2]
    ]
    text = page_text(Client().get(proposal.get_absolute_url()))
    assert f"수정됨 ({amendments[1].reason})" in text
    assert "수정 이력 (2건)" in text
    assert amendments[2].reason not in text  # not public until approved
