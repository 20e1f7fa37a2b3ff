"""This app's count for the ownership check (accounts.ownership, issue 12):
open work that has neither a usable owner nor a named fallback.

An open expert opinion request is owned by its expert while they are active
and hold an expert role. When they stop being either, the staff_left_post
handler (apps.py) flags the request, and a flagged request falls to the
operators (the meeting's preparation page and their home list it), so it is
not counted. What remains to count is an open request whose expert is no
longer usable but which was never flagged: a change that bypassed the
signal. In a healthy system this is 0."""

from django.db.models import Q

from accounts.roles import EXPERT_ROLES

from .models import AgendaDecision, ExpertOpinionRequest, OpinionRequestStatus


def expert_requests_unowned() -> int:
    """Open requests on undecided items whose expert is inactive or holds no
    expert role any more. One query."""
    usable = ExpertOpinionRequest.objects.filter(
        expert__is_active=True, expert__groups__name__in=EXPERT_ROLES
    ).values("pk")
    return (
        ExpertOpinionRequest.objects.filter(
            status=OpinionRequestStatus.OPEN, agenda_item__decision=AgendaDecision.PENDING
        )
        .exclude(Q(pk__in=usable))
        .count()
    )
