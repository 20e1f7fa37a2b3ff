"""Proposing to a theme (theme_propose): one transaction writes the ordinary
proposal, its theme entry, a timeline row naming the theme and the theme's
count; a theme that is not open refuses with a clear message and nothing is
written. The count follows hiding, trashing, withdrawing and restoring."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import override

from oasis.errors import PermissionDenied, ServiceError
from proposals import services as proposal_services
from proposals.event_texts import words
from proposals.models import EventKind, Proposal
from tests.factories import UserFactory, operator
from tests.themes.helpers import make_theme, proposal_fields
from themes import services
from themes.models import ThemeProposal, ThemeStatus

pytestmark = pytest.mark.django_db


def test_a_member_proposes_to_an_open_theme():
    theme = make_theme(title="걷고 싶은 한강 다리")
    author = UserFactory()

    proposal = services.theme_propose(theme=theme, author=author, **proposal_fields())

    assert proposal.author == author and proposal.status == "open"
    assert proposal.theme_entry.theme == theme
    theme.refresh_from_db()
    assert theme.proposal_count == 1
    row = proposal.events.get(kind=EventKind.THEME_SUBMITTED)
    with override("ko"):
        assert words(row) == "테마 “걷고 싶은 한강 다리”에 제출했습니다."
    with override("en"):
        assert words(row) == "Submitted to the theme “걷고 싶은 한강 다리”."


@pytest.mark.parametrize(
    "status, start_days, end_days, message",
    [
        (ThemeStatus.DRAFT, -1, 10, "not published yet"),
        (ThemeStatus.CLOSED, -10, -1, "no longer takes proposals"),
        (ThemeStatus.PUBLISHED, -10, -1, "no longer takes proposals"),  # beat not run yet
        (ThemeStatus.PUBLISHED, 2, 10, "proposals are taken from then"),
    ],
)
def test_a_theme_that_is_not_open_refuses_and_nothing_is_written(
    status, start_days, end_days, message
):
    now = timezone.now()
    theme = make_theme(
        status=status,
        starts_at=now + timedelta(days=start_days),
        ends_at=now + timedelta(days=end_days),
    )

    with pytest.raises(ServiceError) as refused:
        services.theme_propose(theme=theme, author=UserFactory(), **proposal_fields())

    assert message in refused.value.message
    assert not Proposal.objects.exists() and not ThemeProposal.objects.exists()
    theme.refresh_from_db()
    assert theme.proposal_count == 0


def test_the_anonymous_and_deactivated_members_may_not_propose():
    from django.contrib.auth.models import AnonymousUser

    theme = make_theme()
    for who in (AnonymousUser(), UserFactory(is_active=False)):
        with pytest.raises(PermissionDenied):
            services.theme_propose(theme=theme, author=who, **proposal_fields())
    assert not Proposal.objects.exists()


def test_bad_text_is_refused_as_for_any_proposal_and_nothing_is_written():
    theme = make_theme()
    with pytest.raises(ValidationError):
        services.theme_propose(theme=theme, author=UserFactory(), **proposal_fields(title=""))
    assert not Proposal.objects.exists() and not ThemeProposal.objects.exists()
    theme.refresh_from_db()
    assert theme.proposal_count == 0


def test_the_count_follows_hiding_trashing_withdrawing_and_restoring():
    theme = make_theme()
    first = services.theme_propose(theme=theme, author=UserFactory(), **proposal_fields())
    second = services.theme_propose(
        theme=theme, author=UserFactory(), **proposal_fields(title="반포대교 분수 산책로")
    )
    outside = proposal_services.proposal_create(author=UserFactory(), **proposal_fields())
    staff = operator()

    def count():
        theme.refresh_from_db()
        assert theme.proposal_count == services.proposal_count_reconcile(theme=theme)
        return theme.proposal_count

    assert count() == 2
    proposal_services.proposal_hide(proposal=first, user=staff, reason="광고")
    assert count() == 1
    # Trashing a hidden proposal changes nothing it stands for.
    proposal_services.proposal_trash(proposal=first, user=staff)
    assert count() == 1
    proposal_services.proposal_unhide(proposal=first, user=staff, reason="오해")
    assert count() == 1  # still in the trash
    proposal_services.proposal_restore(proposal=first, user=staff)
    assert count() == 2
    proposal_services.proposal_withdraw(proposal=second, user=second.author)
    assert count() == 1
    proposal_services.proposal_hide(proposal=outside, user=staff, reason="광고")
    assert count() == 1
