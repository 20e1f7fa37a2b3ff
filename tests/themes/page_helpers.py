"""Themes as the public pages' tests need them: written straight to the
database (the themes' own services are tested in their own files), in Seoul
time, open, about to open, closed or a draft."""

import datetime as dt

from django.utils import timezone

from proposals import services as proposal_services
from tests.factories import CategoryFactory, DepartmentFactory, UserFactory
from themes.models import Theme, ThemeProposal, ThemeStatus


def a_theme(*, phase: str = "open", **fields) -> Theme:
    """A theme open now (the default), "upcoming", "closed" or "draft"."""
    now = timezone.now()
    starts, ends, status = {
        "open": (now - dt.timedelta(days=3), now + dt.timedelta(days=10), ThemeStatus.PUBLISHED),
        "upcoming": (
            now + dt.timedelta(days=2),
            now + dt.timedelta(days=20),
            ThemeStatus.PUBLISHED,
        ),
        "closed": (now - dt.timedelta(days=40), now - dt.timedelta(days=5), ThemeStatus.CLOSED),
        "draft": (now + dt.timedelta(days=1), now + dt.timedelta(days=30), ThemeStatus.DRAFT),
    }[phase]
    values = {
        "title": "한강 공원을 더 즐겁게",
        "summary": "여름밤 한강 공원에서 무엇을 하면 좋을지 아이디어를 모읍니다.",
        "description": "한강 공원을 찾는 시민이 늘고 있습니다.\n\n어떤 프로그램이 있으면 좋을까요?",
        "policy": "2027년 한강 르네상스 계획의 하나로 시민 의견을 듣습니다.",
        "department": DepartmentFactory(
            code="hangang", name="한강사업본부", name_en="Hangang Park HQ"
        ),
        "status": status,
        "starts_at": starts,
        "ends_at": ends,
        "published_at": None if status == ThemeStatus.DRAFT else starts,
        "closed_at": ends if status == ThemeStatus.CLOSED else None,
    }
    values.update(fields)
    return Theme.objects.create(**values)


def entered(theme: Theme, *, title: str = "한강에서 야외 영화를", author=None, **fields):
    """A proposal submitted to `theme`, as the theme's service leaves it."""
    proposal = proposal_services.proposal_create(
        author=author or UserFactory(),
        title=title,
        body="여름밤 한강 공원에서 야외 영화를 상영하면 좋겠습니다.",
        category=CategoryFactory(code="culture", name="문화", name_en="Culture"),
        **fields,
    )
    ThemeProposal.objects.create(theme=theme, proposal=proposal)
    Theme.objects.filter(pk=theme.pk).update(proposal_count=theme.entries.count())
    theme.refresh_from_db()
    return proposal
