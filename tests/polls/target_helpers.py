"""Polls for the targeting tests: a published poll open now (or at the
moment the test's clock stands), with the target given."""

import datetime as dt

from django.utils import timezone

from polls.models import Poll, PollKind, PollStatus, Question
from tests.factories import DepartmentFactory


def targeted_poll(*, districts=(), ages=(), genders=(), now=None, **fields) -> Poll:
    now = now or timezone.now()
    defaults = {
        "title": "한강 수영장 야간 개장",
        "summary": "여름밤 수영장을 열까요?",
        "kind": PollKind.CHOICE,
        "department": DepartmentFactory(),
        "status": PollStatus.PUBLISHED,
        "starts_at": now - dt.timedelta(days=1),
        "ends_at": now + dt.timedelta(days=6),
        "published_at": now - dt.timedelta(days=1),
        "target_districts": list(districts),
        "target_age_bands": list(ages),
        "target_genders": list(genders),
    }
    poll = Poll.objects.create(**(defaults | fields))
    Question.objects.create(poll=poll, text="언제 열까요?")
    return poll
