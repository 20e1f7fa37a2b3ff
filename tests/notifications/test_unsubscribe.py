"""Every e-mail carries a one-click unsubscribe for its own kind: the link,
taken from a real e-mail, works without logging in (the page's button, or
the mail client's RFC 8058 POST), stops only its own topic, and a forged or
replayed link writes nothing."""

import re

import pytest
from django.core import mail, signing
from django.test import Client

from notifications.digests import send_digests
from notifications.models import EmailMode, NoticeTopic, NotificationPreference
from notifications.services import notify, preferences_update
from notifications.tasks import send_notification_email
from proposals.notices import ProposalNotice
from tests.clock import at
from tests.factories import ProposalFactory, UserFactory
from tests.pages import form_posting_to

pytestmark = pytest.mark.django_db

SITE = "https://oasis.example.kr"
LINK = re.compile(re.escape(SITE) + r"(/notifications/unsubscribe/[^/\s\"]+/)")


@pytest.fixture(autouse=True)
def outbox(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.OASIS_SITE_URL = SITE
    mail.outbox = []


def choices(member) -> dict:
    return {
        p.topic: (p.email, p.version) for p in NotificationPreference.objects.filter(user=member)
    }


def emailed_notice(member, topic, key="event:1"):
    """A notice of `topic` e-mailed right away; returns the e-mail."""
    (notice,) = notify(
        recipients=[member],
        kind=ProposalNotice.ENDORSEMENTS_REACHED,
        key=key,
        topic=topic,
        proposal=ProposalFactory(),
        params={"endorsements": 10},
        email=False,
    )
    assert send_notification_email(notice.pk)
    return mail.outbox[-1]


def links_in(message) -> list[str]:
    return LINK.findall(message.body)


def header_link(message) -> str:
    (path,) = LINK.findall(message.extra_headers["List-Unsubscribe"])
    return path


def visitor() -> Client:
    """Someone opening the link in a browser, not logged in, CSRF enforced."""
    return Client(enforce_csrf_checks=True)


def test_a_notice_emails_link_stops_its_own_topic_without_logging_in():
    member = UserFactory(email="reader@example.com")
    message = emailed_notice(member, NoticeTopic.FOLLOWED)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    (path,) = links_in(message)
    assert header_link(message) == path
    assert path in message.alternatives[0][0]  # the HTML part has it too

    browser = visitor()
    page = browser.get(path)
    assert page.status_code == 200
    text = page.content.decode()
    assert "팔로우" in text or "follow" in text.lower()
    assert choices(member) == {}  # opening the page changes nothing
    form = form_posting_to(page, path)
    done = browser.post(path, form["fields"])
    assert done.status_code == 200
    assert choices(member) == {NoticeTopic.FOLLOWED: (EmailMode.OFF, 2)}

    # The next notice of that topic is not e-mailed; another topic still is.
    (quiet,) = notify(recipients=[member], kind="test", key="event:2", topic="followed")
    quiet.refresh_from_db()
    assert quiet.emailed_at is not None and len(mail.outbox) == 1
    emailed_notice(member, NoticeTopic.MY_PROPOSALS, key="event:3")
    assert len(mail.outbox) == 2


def test_the_mail_clients_one_click_post_works():
    member = UserFactory(email="reader@example.com")
    message = emailed_notice(member, NoticeTopic.MY_PROPOSALS)
    path = header_link(message)
    # RFC 8058: a POST with no cookie and no CSRF token, this body only.
    response = visitor().post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert choices(member) == {NoticeTopic.MY_PROPOSALS: (EmailMode.OFF, 2)}


def test_a_replayed_link_says_so_and_writes_nothing():
    member = UserFactory(email="reader@example.com")
    (path,) = links_in(emailed_notice(member, NoticeTopic.FOLLOWED))
    visitor().post(path)
    # The member turns it back on; the old link must not turn it off again.
    preferences_update(user=member, changes={NoticeTopic.FOLLOWED: {"email": "immediate"}})
    before = choices(member)
    assert before == {NoticeTopic.FOLLOWED: (EmailMode.IMMEDIATE, 3)}
    for response in (visitor().get(path), visitor().post(path)):
        assert response.status_code == 200
        assert "이미 처리된 링크" in response.content.decode()
        assert 'id="unsubscribe-form"' not in response.content.decode()
    assert choices(member) == before


def test_a_link_made_before_a_change_in_the_settings_is_stale():
    member = UserFactory(email="reader@example.com")
    (path,) = links_in(emailed_notice(member, NoticeTopic.FOLLOWED))
    preferences_update(
        user=member, changes={NoticeTopic.FOLLOWED: {"in_site": False, "email": "immediate"}}
    )
    visitor().post(path)
    assert choices(member) == {NoticeTopic.FOLLOWED: (EmailMode.IMMEDIATE, 2)}


@pytest.mark.parametrize(
    "forge",
    [
        lambda path: path.replace("/unsubscribe/", "/unsubscribe/x"),
        lambda path: path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:],
        # A payload for another topic, glued to this link's signature.
        lambda path: (
            "/notifications/unsubscribe/"
            + signing.dumps({"u": 1, "t": {"personal": 1}}, salt="notifications.unsubscribe").split(
                ":", 1
            )[0]
            + ":"
            + path.split(":", 1)[1]
        ),
        # Signed, but with another salt (another feature's token).
        lambda path: (
            "/notifications/unsubscribe/" + signing.dumps({"u": 1, "t": {"followed": 1}}) + "/"
        ),
    ],
    ids=["garbled", "signature", "payload", "salt"],
)
def test_a_forged_or_tampered_link_is_refused_and_writes_nothing(forge):
    member = UserFactory(email="reader@example.com")
    (path,) = links_in(emailed_notice(member, NoticeTopic.FOLLOWED))
    forged = forge(path)
    assert forged != path
    for response in (visitor().get(forged), visitor().post(forged)):
        assert response.status_code == 400
        assert "올바르지 않은 링크" in response.content.decode()
    assert choices(member) == {}


def test_a_link_for_one_topic_never_changes_another():
    member = UserFactory(email="reader@example.com")
    preferences_update(user=member, changes={NoticeTopic.MY_PROPOSALS: {"email": "daily"}})
    (path,) = links_in(emailed_notice(member, NoticeTopic.PERSONAL))
    visitor().post(path)
    assert choices(member) == {
        NoticeTopic.MY_PROPOSALS: (EmailMode.DAILY, 2),
        NoticeTopic.PERSONAL: (EmailMode.OFF, 2),
    }


def digest_with_two_topics(member):
    preferences_update(user=member, changes={NoticeTopic.FOLLOWED: {"email": "daily"}})
    with at(2026, 3, 10, 12, 0):
        for n, topic in enumerate((NoticeTopic.FOLLOWED, NoticeTopic.DEBATES)):
            notify(
                recipients=[member],
                kind=ProposalNotice.NEW_COMMENTS,
                key=f"d:{n}",
                topic=topic,
                params={"title": f"제안 {n}"},
            )
    with at(2026, 3, 11, 7, 0):
        assert send_digests("daily") == 1
    return mail.outbox[-1]


def test_a_digests_links_stop_each_its_topic_and_the_header_stops_all_it_lists():
    member = UserFactory(email="reader@example.com")
    message = digest_with_two_topics(member)
    followed_link, debates_link, every_link = links_in(message)
    assert header_link(message) == every_link
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # The debates group's link, through its page's button: debates only.
    browser = visitor()
    page = browser.get(debates_link)
    browser.post(debates_link, form_posting_to(page, debates_link)["fields"])
    assert choices(member) == {
        NoticeTopic.FOLLOWED: (EmailMode.DAILY, 2),
        NoticeTopic.DEBATES: (EmailMode.OFF, 2),
    }
    # The header's one click stops what is left of the digest's topics.
    visitor().post(every_link, {"List-Unsubscribe": "One-Click"})
    assert choices(member) == {
        NoticeTopic.FOLLOWED: (EmailMode.OFF, 3),
        NoticeTopic.DEBATES: (EmailMode.OFF, 2),
    }
    # Both used now.
    assert "이미 처리된 링크" in visitor().post(followed_link).content.decode()


def test_an_email_still_queued_when_its_topic_is_stopped_is_not_sent():
    # Given a notice whose e-mail is queued, and a second one of the same topic
    member = UserFactory(email="reader@example.com")
    first = emailed_notice(member, NoticeTopic.FOLLOWED)
    (queued,) = notify(
        recipients=[member], kind="test", key="event:2", topic=NoticeTopic.FOLLOWED, email=False
    )

    # When the member follows the first e-mail's link before the worker sends the second
    (path,) = links_in(first)
    visitor().post(path, {"List-Unsubscribe": "One-Click"})

    # Then the worker sends nothing, and the notice counts as handled
    assert send_notification_email(queued.pk) is False
    queued.refresh_from_db()
    assert queued.emailed_at is not None and queued.email_attempts == 0
    assert len(mail.outbox) == 1
