"""Builders for meeting tests: people in each role, meetings at a given time,
and proposals put on an agenda the way the pipeline does it (a working
review, finalised)."""

import datetime as dt

from django.utils import timezone

from accounts.roles import Role
from meetings import services
from meetings.models import AgendaItem, RealizationMeeting, WorkingReview
from notifications.models import Notification
from tests.factories import ProposalFactory, UserFactory, official, operator


def mayor_office(**kwargs):
    return UserFactory(roles=[Role.MAYOR_OFFICE], is_staff=True, **kwargs)


def internal_expert(**kwargs):
    return UserFactory(roles=[Role.EXPERT_INTERNAL], is_staff=True, **kwargs)


def external_expert(**kwargs):
    return UserFactory(roles=[Role.EXPERT_EXTERNAL], is_staff=True, **kwargs)


def citizen(**kwargs):
    return UserFactory(**kwargs)


ROLE_MAKERS = {
    "citizen": citizen,
    "official": official,
    "operator": operator,
    "mayor_office": mayor_office,
    "expert_internal": internal_expert,
    "expert_external": external_expert,
}


def make(role: str):
    return ROLE_MAKERS[role]()


def meeting(*, days: float = 30, number: int | None = None, **kwargs) -> RealizationMeeting:
    """A scheduled meeting `days` from now (negative: in the past)."""
    last = RealizationMeeting.objects.order_by("-number").values_list("number", flat=True).first()
    return RealizationMeeting.objects.create(
        number=number or (last or 0) + 1,
        scheduled_at=timezone.now() + dt.timedelta(days=days),
        place=kwargs.pop("place", "서울시청 본관 다목적홀"),
        **kwargs,
    )


def review(next_meeting=None, **kwargs) -> WorkingReview:
    return WorkingReview.objects.create(
        held_on=kwargs.pop("held_on", timezone.localdate()), next_meeting=next_meeting, **kwargs
    )


def on_agenda(
    target: RealizationMeeting, count: int = 1, *, user=None, **proposal_kwargs
) -> list[AgendaItem]:
    """`count` proposals selected by a working review onto `target`'s agenda."""
    user = user or operator()
    working_review = review(next_meeting=target)
    proposals = [ProposalFactory(status="review", **proposal_kwargs) for _ in range(count)]
    for proposal in proposals:
        services.working_review_decide(
            review=working_review,
            proposal=proposal,
            selected=True,
            reason="시민 공감이 크고 실현 가능성이 높습니다.",
            user=user,
        )
    services.working_review_finalise(review=working_review, user=user)
    return list(
        AgendaItem.objects.filter(proposal__in=proposals)
        .select_related("proposal", "meeting")
        .order_by("position")
    )


def notices(kind: str, proposal=None):
    queryset = Notification.objects.filter(kind=kind)
    return queryset.filter(proposal=proposal) if proposal is not None else queryset
