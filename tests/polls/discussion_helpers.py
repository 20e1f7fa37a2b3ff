"""Discussion polls (토론형) for the discussion tests: open, closed, targeted."""

from datetime import timedelta

from django.utils import timezone

from polls.models import Poll, PollKind, PollStatus, Question
from tests.factories import DepartmentFactory


def discussion_poll(*, status=PollStatus.PUBLISHED, opened_days_ago=1, days_left=7, **fields):
    """A published discussion poll open since `opened_days_ago`, closing in
    `days_left` days (negative: its period is over), with its one question."""
    now = timezone.now()
    poll = Poll.objects.create(
        title=fields.pop("title", "길고양이와의 공존을 위해 무엇을 해야 할까요?"),
        summary=fields.pop("summary", "공감에 투표해 주세요. 토론/의견은 댓글로!"),
        kind=PollKind.DISCUSSION,
        department=fields.pop("department", None) or DepartmentFactory(),
        status=status,
        starts_at=now - timedelta(days=opened_days_ago),
        ends_at=now + timedelta(days=days_left),
        published_at=now - timedelta(days=opened_days_ago) if status != PollStatus.DRAFT else None,
        **fields,
    )
    Question.objects.create(poll=poll, text="길고양이 급식소를 늘려야 할까요?")
    return poll


def closed_poll(**fields):
    poll = discussion_poll(opened_days_ago=10, days_left=-1, **fields)
    Poll.objects.filter(pk=poll.pk).update(status=PollStatus.CLOSED, closed_at=poll.ends_at)
    poll.refresh_from_db()
    return poll
