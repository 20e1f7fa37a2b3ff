"""Debates in each state, made through the services."""

from datetime import timedelta

from debates import services
from debates.models import Debate
from notifications.models import Notification
from proposals.models import ProposalStatus
from tests.factories import ProposalFactory


def open_debate(**proposal_fields) -> Debate:
    """A debate opened on an answered proposal, as the promotion opens it."""
    proposal_fields.setdefault("status", ProposalStatus.ANSWERED)
    proposal = ProposalFactory(**proposal_fields)
    return services.debate_open(proposal=proposal, actor=None, reason="500명이 추천했습니다.")


def closed_debate(**proposal_fields) -> Debate:
    """A debate that ran its course and was closed by the schedule."""
    debate = open_debate(**proposal_fields)
    return services.debate_close(debate=debate, now=debate.ends_at + timedelta(minutes=1))


def notices(kind: str) -> list[Notification]:
    return list(Notification.objects.filter(kind=kind).order_by("recipient_id"))
