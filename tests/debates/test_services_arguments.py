"""debates/services.py, arguments: badges, lengths, deleting and hiding."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from accounts.roles import Role
from debates import services
from debates.models import Argument
from oasis.errors import PermissionDenied, ServiceError
from proposals.models import EventKind
from tests.factories import DepartmentFactory, UserFactory, official, operator

from .helpers import closed_debate, open_debate

pytestmark = pytest.mark.django_db


# --- arguments ----------------------------------------------------------------


def test_a_citizen_argues_without_a_badge():
    debate = open_debate()
    argument = services.argument_create(
        debate=debate, author=UserFactory(), side="for", body="  보행로가 넓어지면 좋겠어요.  "
    )
    assert (argument.side, argument.body) == ("for", "보행로가 넓어지면 좋겠어요.")
    assert argument.author_department is None
    assert argument.author_role == ""


def test_officials_and_experts_argue_with_their_badges():
    debate = open_debate()
    department = DepartmentFactory(name="보행정책과")
    by_official = services.argument_create(
        debate=debate, author=official(department), side="against", body="예산이 부족합니다."
    )
    by_expert = services.argument_create(
        debate=debate,
        author=UserFactory(roles=[Role.EXPERT_EXTERNAL]),
        side="for",
        body="해외 사례가 많습니다.",
    )
    by_retired = services.argument_create(
        debate=debate,
        author=UserFactory(roles=[Role.EXPERT_INTERNAL]),
        side="for",
        body="예전에 검토한 적이 있습니다.",
    )
    by_panel = services.argument_create(
        debate=debate,
        author=UserFactory(roles=[Role.PANEL]),
        side="against",
        body="우선순위가 낮아요.",
    )
    assert (by_official.author_department, by_official.author_role) == (department, Role.OFFICIAL)
    assert (by_expert.author_department, by_expert.author_role) == (None, Role.EXPERT_EXTERNAL)
    assert by_retired.author_role == Role.EXPERT_INTERNAL
    assert by_panel.author_role == Role.PANEL


def test_the_department_badge_is_a_snapshot():
    debate = open_debate()
    first, second = DepartmentFactory(), DepartmentFactory()
    person = official(first)
    argument = services.argument_create(
        debate=debate, author=person, side="for", body="검토하겠습니다."
    )
    person.department = second
    person.save()
    argument.refresh_from_db()
    assert argument.author_department == first


@pytest.mark.parametrize(
    ("side", "body", "field"),
    [
        ("", "충분히 긴 논거입니다.", "side"),
        ("undecided", "충분히 긴 논거입니다.", "side"),
        ("for", "짧음", "body"),
        ("for", "   ", "body"),
        ("against", "가" * 2001, "body"),
    ],
)
def test_an_argument_needs_a_side_and_a_sensible_length(side, body, field):
    debate = open_debate()
    with pytest.raises(ValidationError) as caught:
        services.argument_create(debate=debate, author=UserFactory(), side=side, body=body)
    assert field in caught.value.message_dict
    assert not Argument.objects.exists()


def test_no_arguments_on_a_closed_or_ended_debate():
    closed = closed_debate()
    with pytest.raises(ServiceError):
        services.argument_create(
            debate=closed, author=UserFactory(), side="for", body="늦었지만 찬성합니다."
        )
    running = open_debate()
    with time_machine.travel(running.ends_at + timedelta(minutes=5)):
        with pytest.raises(ServiceError):
            services.argument_create(
                debate=running, author=UserFactory(), side="for", body="늦었지만 찬성합니다."
            )
    assert not Argument.objects.exists()


def test_anonymous_visitors_cannot_argue():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.argument_create(
            debate=open_debate(), author=AnonymousUser(), side="for", body="익명으로 찬성합니다."
        )


def test_the_author_deletes_an_argument_which_stays_stored():
    debate = open_debate()
    author = UserFactory()
    argument = services.argument_create(
        debate=debate, author=author, side="for", body="지웠다 썼다 합니다."
    )
    with pytest.raises(PermissionDenied):
        services.argument_delete(argument=argument, user=UserFactory())
    services.argument_delete(argument=argument, user=author)
    argument.refresh_from_db()
    assert argument.deleted_at is not None
    with pytest.raises(ServiceError):
        services.argument_delete(argument=argument, user=author)
    assert Argument.objects.filter(pk=argument.pk).exists()


def test_an_operator_hides_an_argument_with_a_reason():
    debate = open_debate()
    argument = services.argument_create(
        debate=debate, author=UserFactory(), side="against", body="광고 문구입니다 010-0000-0000"
    )
    admin = operator()
    with pytest.raises(PermissionDenied):
        services.argument_hide(argument=argument, user=UserFactory(), reason="광고")
    with pytest.raises(ServiceError):
        services.argument_hide(argument=argument, user=admin, reason="  ")

    services.argument_hide(argument=argument, user=admin, reason="광고")
    argument.refresh_from_db()
    assert (argument.is_hidden, argument.hidden_reason) == (True, "광고")
    event = debate.proposal.events.get(kind=EventKind.COMMENT_HIDDEN)
    assert not event.is_public and "광고" in event.text and str(argument.pk) in event.text

    with pytest.raises(ServiceError):
        services.argument_hide(argument=argument, user=admin, reason="또")
    services.argument_unhide(argument=argument, user=admin, reason="오해였습니다")
    argument.refresh_from_db()
    assert (argument.is_hidden, argument.hidden_reason) == (False, "")
