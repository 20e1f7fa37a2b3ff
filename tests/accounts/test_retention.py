"""The purge schedule (Celery beat): each task deletes exactly what is past
its period, nothing else, and deletes nothing when run again."""

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from accounts import services
from accounts.models import AccessRecord, ConsentRecord, User
from accounts.tasks import purge_access_records, purge_withdrawn_residue
from notifications.models import Notification
from proposals.models import Endorsement, Follow, ProposalView
from proposals.tasks import purge_view_marks
from tests.clock import at
from tests.factories import CommentFactory, ProposalFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_purges_are_scheduled_by_beat():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "accounts.tasks.purge_withdrawn_residue",
        "accounts.tasks.purge_access_records",
        "proposals.tasks.purge_view_marks",
    } <= tasks


def _leaver(when, **kwargs):
    """A member who proposed, commented, endorsed, followed and got a notice,
    then left at `when`."""
    member = UserFactory(**kwargs)
    proposal = ProposalFactory(author=member)
    CommentFactory(proposal=proposal, author=member)
    Endorsement.objects.create(proposal=ProposalFactory(), user=member)
    Follow.objects.create(proposal=ProposalFactory(), user=member)
    Notification.objects.create(recipient=member, kind="answer_published", key=f"k{member.pk}")
    User.objects.filter(pk=member.pk).update(last_login=timezone.now())
    with at(*when):
        services.account_withdraw(user=member)
    return member


def test_a_withdrawn_members_residue_goes_after_the_period_and_the_public_record_stays(
    settings,
):
    settings.OASIS_WITHDRAWN_RETENTION_DAYS = 30
    with at(2026, 12, 20, 9):
        long_gone = _leaver((2026, 11, 1, 9))  # 49 days ago
        recent = _leaver((2026, 12, 1, 9))  # 19 days ago
        staying = UserFactory()
        Notification.objects.create(recipient=staying, kind="answer_published", key="s")
        assert purge_withdrawn_residue() == 1
        # Run again: nothing left to delete
        assert purge_withdrawn_residue() == 0
    # Past the period: notices, follows, consent records and last login are gone
    assert not Notification.objects.filter(recipient=long_gone).exists()
    assert not Follow.objects.filter(user=long_gone).exists()
    assert not ConsentRecord.objects.filter(user=long_gone).exists()
    long_gone.refresh_from_db()
    assert long_gone.last_login is None
    # The public record stays: the anonymous row, the proposal, comment, endorsement
    assert long_gone.email == f"withdrawn-{long_gone.pk}@invalid.oasis"
    assert long_gone.proposals.exists() and long_gone.comments.exists()
    assert Endorsement.objects.filter(user=long_gone).exists()
    # Within the period, and members who stay, keep everything
    for member in (recent, staying):
        assert Notification.objects.filter(recipient=member).exists()
        assert ConsentRecord.objects.filter(user=member).exists()
    assert Follow.objects.filter(user=recent).exists()


def test_access_records_go_after_their_period(settings):
    settings.OASIS_ACCESS_RECORD_RETENTION_DAYS = 730
    staff = UserFactory(is_staff=True)

    def record(created_at):
        return AccessRecord.objects.create(
            staff=staff, staff_email=staff.email, action="view", path="/", created_at=created_at
        )

    now = timezone.now()
    old = record(now - dt.timedelta(days=731))
    kept = record(now - dt.timedelta(days=729))
    assert purge_access_records() == 1
    assert purge_access_records() == 0
    assert list(AccessRecord.objects.all()) == [kept]
    assert not AccessRecord.objects.filter(pk=old.pk).exists()


def test_view_marks_follow_their_setting(settings):
    settings.OASIS_VIEW_MARK_RETENTION_DAYS = 7
    proposal = ProposalFactory()
    today = timezone.localdate()
    for days in (3, 8):
        ProposalView.objects.create(
            proposal=proposal, visitor="a", date=today - dt.timedelta(days=days)
        )
    assert purge_view_marks() == 1
    assert purge_view_marks() == 0
    assert list(ProposalView.objects.values_list("date", flat=True)) == [
        today - dt.timedelta(days=3)
    ]
