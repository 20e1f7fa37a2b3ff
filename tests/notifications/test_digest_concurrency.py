"""Digests and unsubscribe links raced on the real PostgreSQL server: four
workers running the same morning's digests send each member's digest once;
a link clicked twice at once stops its topic once (one version step)."""

import pytest
from django.core import mail

from notifications.digests import send_digests
from notifications.models import DigestRun, EmailMode, NoticeTopic, NotificationPreference
from notifications.services import notify
from notifications.unsubscribe import make_token, read_token, unsubscribe_apply
from proposals.notices import ProposalNotice
from tests.clock import at
from tests.factories import UserFactory
from tests.threads import run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_four_workers_send_each_digest_once(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    members = [UserFactory(email=f"reader{n}@example.com") for n in range(5)]
    with at(2026, 3, 10, 12, 0):
        for member in members:
            for n in range(3):
                notify(
                    recipients=[member],
                    kind=ProposalNotice.NEW_COMMENTS,
                    key=f"d:{member.pk}:{n}",
                    topic=NoticeTopic.DEBATES,
                    params={"title": f"토론 {n}"},
                )
    with at(2026, 3, 11, 7, 0):
        results = run_at_once([lambda: send_digests("daily")] * 4)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(results) == 5
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.email for m in members)
    assert DigestRun.objects.filter(sent_at__isnull=False, notice_count=3).count() == 5


def test_a_link_clicked_twice_at_once_stops_its_topic_once():
    member = UserFactory(email="reader@example.com")
    token = make_token(member, [NoticeTopic.FOLLOWED])
    results = run_at_once([lambda: unsubscribe_apply(read_token(token))] * 3)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(len(r) for r in results) == [0, 0, 1]
    stored = NotificationPreference.objects.get(user=member, topic=NoticeTopic.FOLLOWED)
    assert (stored.email, stored.version) == (EmailMode.OFF, 2)
