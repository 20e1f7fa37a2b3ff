"""Themes for the tests: written straight to the database (the services
under test are the ones that change them)."""

from datetime import timedelta

from django.utils import timezone

from tests.factories import CategoryFactory, DepartmentFactory
from themes.models import Theme, ThemeStatus


def make_theme(*, department=None, status=ThemeStatus.PUBLISHED, days_left=10, **fields) -> Theme:
    now = timezone.now()
    fields.setdefault("starts_at", now - timedelta(days=5))
    fields.setdefault("ends_at", now + timedelta(days=days_left))
    if status != ThemeStatus.DRAFT:
        fields.setdefault("published_at", fields["starts_at"])
    if status == ThemeStatus.CLOSED:
        fields.setdefault("closed_at", fields["ends_at"])
    return Theme.objects.create(
        title=fields.pop("title", "걷고 싶은 한강 다리"),
        summary="한강 다리를 걷고 싶게 만들 아이디어를 모읍니다.",
        description="한강 다리의 보행 환경을 바꿀 제안을 받습니다.",
        policy="보행친화 도시 정책",
        department=department or DepartmentFactory(),
        status=status,
        **fields,
    )


def proposal_fields(**overrides) -> dict:
    return {
        "title": "잠수교에 그늘막을",
        "body": "여름에 잠수교를 걸으면 너무 덥습니다. 그늘막을 설치해 주세요.",
        "category": CategoryFactory(),
        **overrides,
    }
