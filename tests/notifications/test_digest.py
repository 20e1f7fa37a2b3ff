"""Digests go once per period, with time moved forward: the daily one at
07:00 Seoul for the day before, the weekly one on Monday 07:00 for the week
before; a member with nothing gets nothing; the next period's notices wait
for the next digest; inactive and withdrawn members are skipped; a worker
killed mid-hand-off leaves a run that is sent once more, never a third time."""

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from notifications.digests import digest_send, send_digests
from notifications.models import DigestRun, EmailMode, NoticeTopic, Notification
from notifications.services import notify, preferences_update
from notifications.tasks import send_digests as send_digests_task
from proposals.notices import ProposalNotice
from tests.clock import at, seoul
from tests.factories import ProposalFactory, UserFactory

pytestmark = pytest.mark.django_db


def debate_notice(member, n, title="한강 다리 토론"):
    """A notice of a debate the member joined (daily by default)."""
    return notify(
        recipients=[member],
        kind=ProposalNotice.NEW_COMMENTS,  # its message names the title
        key=f"debate:{member.pk}:{n}",
        topic=NoticeTopic.DEBATES,
        params={"title": f"{title} {n}"},
        url=f"/debates/{n}/",
    )


def mails_to(member):
    return [m for m in mail.outbox if m.to == [member.email]]


@pytest.fixture(autouse=True)
def outbox(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.OASIS_SITE_URL = "https://oasis.example.kr"
    settings.OASIS_EMAIL_UNCERTAIN_AFTER = 600
    mail.outbox = []


def test_a_daily_digest_goes_once_for_the_day_before():
    member = UserFactory(email="reader@example.com", language="ko")
    with at(2026, 3, 10, 9, 0):
        debate_notice(member, 1)
        debate_notice(member, 2)
    with at(2026, 3, 10, 23, 59):
        debate_notice(member, 3)
    # Before 07:00 on the 11th the 10th's digest has not gone (the beat runs at 07:00).
    with at(2026, 3, 11, 7, 0):
        assert send_digests_task("daily") == 1
    (digest,) = mails_to(member)
    assert "3" in digest.subject
    for n in (1, 2, 3):
        assert f"한강 다리 토론 {n}" in digest.body
        assert f"https://oasis.example.kr/debates/{n}/" in digest.body
    assert "내가 참여한 토론" in digest.body or "Debates I joined" in digest.body
    assert Notification.objects.filter(recipient=member, emailed_at=None).count() == 0
    run = DigestRun.objects.get(user=member)
    assert (run.period, str(run.period_start), run.notice_count) == ("daily", "2026-03-10", 3)
    assert run.sent_at is not None
    # The beat again, a second worker, the next hour: nothing twice.
    with at(2026, 3, 11, 7, 1):
        assert send_digests("daily") == 0
        assert digest_send(member.pk, "daily", run.period_start) is False
    with at(2026, 3, 11, 8, 0):
        assert send_digests("daily") == 0
    assert len(mails_to(member)) == 1


def test_the_next_days_notices_wait_for_the_next_digest():
    member = UserFactory(email="reader@example.com")
    with at(2026, 3, 10, 20, 0):
        debate_notice(member, 1)
    with at(2026, 3, 11, 3, 0):  # the 11th: not over at 07:00
        debate_notice(member, 2)
    with at(2026, 3, 11, 7, 0):
        send_digests("daily")
    (first,) = mails_to(member)
    assert "토론 1" in first.body and "토론 2" not in first.body
    assert Notification.objects.get(key__endswith=":2").emailed_at is None
    with at(2026, 3, 12, 7, 0):
        send_digests("daily")
    first_again, second = mails_to(member)
    assert "토론 2" in second.body and "토론 1" not in second.body
    assert first_again.extra_headers["Message-ID"] != second.extra_headers["Message-ID"]


def test_a_missed_morning_is_made_good_the_next_day():
    member = UserFactory(email="reader@example.com")
    with at(2026, 3, 10, 12, 0):
        debate_notice(member, 1)
    # The beat was down on the 11th; on the 12th both days are looked at.
    with at(2026, 3, 12, 7, 0):
        assert send_digests("daily") == 1
    assert "토론 1" in mails_to(member)[0].body


def test_nothing_for_members_with_nothing_and_none_for_inactive_or_withdrawn():
    quiet = UserFactory(email="quiet@example.com")
    inactive = UserFactory(email="inactive@example.com")
    withdrawn = UserFactory(email="withdrawn@example.com")
    immediate = UserFactory(email="now@example.com")
    preferences_update(user=immediate, changes={NoticeTopic.DEBATES: {"email": "immediate"}})
    with at(2026, 3, 10, 12, 0):
        for member in (inactive, withdrawn, immediate):
            debate_notice(member, 1)
        inactive.is_active = False
        inactive.save(update_fields=["is_active"])
        withdrawn.withdrawn_at = timezone.now()
        withdrawn.save(update_fields=["withdrawn_at"])
    with at(2026, 3, 11, 7, 0):
        assert send_digests("daily") == 0
    assert mail.outbox == []
    assert not DigestRun.objects.exists()
    assert quiet.notice_digests.count() == 0


def test_a_weekly_digest_goes_on_monday_for_the_week_before():
    member = UserFactory(email="reader@example.com", language="en")
    proposal = ProposalFactory()
    # 2026-03-09 is a Monday.
    for day in (9, 11, 15):
        with at(2026, 3, day, 12, 0):
            notify(
                recipients=[member],
                kind="test",
                key=f"poll:{day}",
                topic=NoticeTopic.DISTRICT_POLLS,
                proposal=proposal,
            )
    with at(2026, 3, 12, 7, 0):  # a Thursday: the daily beat finds no weekly rows
        assert send_digests("daily") == 0
    with at(2026, 3, 16, 7, 0):
        assert send_digests("weekly") == 1
    (digest,) = mails_to(member)
    assert "weekly digest: 3 notices" in digest.subject  # in the member's language
    assert "Polls in my district" in digest.body
    run = DigestRun.objects.get(user=member)
    assert (run.period, str(run.period_start)) == ("weekly", "2026-03-09")
    with at(2026, 3, 17, 7, 0):
        assert send_digests("weekly") == 0
    assert len(mails_to(member)) == 1


class WorkerKilled(BaseException):
    """The worker dying after the server took the message."""


class KilledAfterHandOff(EmailBackend):
    kill = True

    def send_messages(self, messages):
        sent = super().send_messages(messages)
        if KilledAfterHandOff.kill:
            raise WorkerKilled
        return sent


class Refusing(EmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is not answering")


def test_a_killed_hand_off_is_sent_once_more_with_the_same_message_id(settings):
    member = UserFactory(email="reader@example.com")
    with at(2026, 3, 10, 12, 0):
        debate_notice(member, 1)
    settings.EMAIL_BACKEND = "tests.notifications.test_digest.KilledAfterHandOff"
    KilledAfterHandOff.kill = True
    with at(2026, 3, 11, 7, 0), pytest.raises(WorkerKilled):
        digest_send(member.pk, "daily", seoul(2026, 3, 10).date())
    run = DigestRun.objects.get(user=member)
    assert run.sending_at is not None and run.sent_at is None
    # Within the grace period nobody sends it again.
    with at(2026, 3, 11, 7, 5):
        assert send_digests("daily") == 0
    # After it, once more, with the same Message-ID; it dies again.
    with at(2026, 3, 11, 7, 11), pytest.raises(WorkerKilled):
        digest_send(member.pk, "daily", seoul(2026, 3, 10).date())
    # Never a third time.
    KilledAfterHandOff.kill = False
    with at(2026, 3, 11, 8, 0):
        assert send_digests("daily") == 0
    first, second = mails_to(member)
    assert first.extra_headers["Message-ID"] == second.extra_headers["Message-ID"]


def test_a_refused_hand_off_is_tried_again_at_the_next_run(settings):
    member = UserFactory(email="reader@example.com")
    with at(2026, 3, 10, 12, 0):
        debate_notice(member, 1)
    settings.EMAIL_BACKEND = "tests.notifications.test_digest.Refusing"
    with at(2026, 3, 11, 7, 0):
        assert send_digests("daily") == 0
    assert DigestRun.objects.get(user=member).sending_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with at(2026, 3, 11, 7, 1):
        assert send_digests("daily") == 1
    assert len(mails_to(member)) == 1
    assert DigestRun.objects.get(user=member).sent_at is not None


def test_a_digest_lists_at_most_fifty_and_counts_the_rest():
    member = UserFactory(email="reader@example.com", language="en")
    with at(2026, 3, 10, 12, 0):
        for n in range(53):
            debate_notice(member, n)
    with at(2026, 3, 11, 7, 0):
        assert send_digests("daily") == 1
    (digest,) = mails_to(member)
    assert "And 3 more notices on the site" in digest.body
    assert Notification.objects.filter(recipient=member, emailed_at=None).count() == 0


def test_the_beat_schedules_both_digests(settings):
    entries = {
        e["task"]: e
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "notifications.tasks.send_digests"
    }
    assert entries
    periods = {
        e["kwargs"]["period"]
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "notifications.tasks.send_digests"
    }
    assert periods == {EmailMode.DAILY, EmailMode.WEEKLY}
