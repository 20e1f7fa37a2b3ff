"""Creating notices. Every notice is a row (the member's in-site list) and,
by default, an e-mail sent by Celery after the transaction commits."""

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from oasis.tasks import enqueue_on_commit

from .models import EmailMode, NoticeTopic, Notification, NotificationPreference
from .preferences import (
    ALWAYS_IN_SITE,
    DEFAULTS,
    DIGEST_MODES,
    forget_cached,
    preferences_of,
    resolve_topic,
    topics_for,
)
from .tasks import send_notification_email

# Set by `notices_without_email` (see there).
_without_email: ContextVar[bool] = ContextVar("notices_without_email", default=False)


@contextmanager
def notices_without_email() -> Iterator[None]:
    """Inside this block `notify` writes its notices as already handled
    (`emailed_at` set) and queues no e-mail, so neither the e-mail task nor
    the pending-e-mail sweep sends them. For history written after the fact
    (the demo seed), whose notices are not news to anyone."""
    token = _without_email.set(True)
    try:
        yield
    finally:
        _without_email.reset(token)


def notify(
    *,
    recipients: Iterable,
    kind: str,
    key: str,
    proposal=None,
    params: dict | None = None,
    url: str = "",
    email: bool = True,
    in_site_only: bool = False,
    topic: str = "",
) -> list[Notification]:
    """Notify each recipient once about the event named by `key`. A recipient
    who already has a notice with this key gets nothing new, so calling this
    twice for one event (a retried task, a second sweep) sends nothing twice.
    Returns the notices created now. Each recipient's preference for the
    notice's topic (notifications.preferences) says whether it shows in the
    site, and whether its e-mail goes now, in a digest or not at all. Inside `notices_without_email`, and
    for `in_site_only` notices, no e-mail is queued and the notices count as
    handled (`email=False` only leaves the e-mail to the minute's sweep)."""
    silent = _without_email.get() or in_site_only
    params = dict(params or {})
    if proposal is not None:
        params.setdefault("title", proposal.title)
        url = url or proposal.get_absolute_url()
    topic = resolve_topic(topic, url)
    members = []
    seen = set()
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        members.append(user)
    # One query for everyone's choice, however long the list.
    chosen = preferences_of([user.pk for user in members], topic)
    created = []
    now = timezone.now()
    for user in members:
        preference = chosen[user.pk]
        # Handled at once (no e-mail due): history, in-site-only notices and
        # members who chose no e-mail for this topic. A digest row waits,
        # un-e-mailed, for send_digests; the minute's sweep leaves it alone.
        handled = silent or preference.email == EmailMode.OFF
        digest = "" if handled or preference.email not in DIGEST_MODES else preference.email
        try:
            with transaction.atomic():
                notice = Notification.objects.create(
                    recipient=user,
                    kind=kind,
                    key=key,
                    topic=topic,
                    in_site=preference.in_site,
                    digest=digest,
                    proposal=proposal,
                    params=params,
                    url=url,
                    emailed_at=now if handled else None,
                )
        except IntegrityError:
            continue  # already told about this event
        created.append(notice)
        if email and not handled and not digest:
            enqueue_on_commit(send_notification_email, notice.pk)
    return created


def notify_grouped(
    *,
    recipient,
    kind: str,
    proposal,
    window: dt.timedelta,
    params: dict | None = None,
    topic: str = "",
) -> Notification | None:
    """One in-site notice (no e-mail) of `kind` about `proposal` per `window`
    for `recipient`, standing for every event in it: an event within the
    window of the last such notice adds one to its count (F(), so
    concurrent events are each counted) or, if it had been read, makes it
    unread again counting afresh and dated now ("new since you looked",
    first in the list; its window starts again); otherwise a new notice
    counts 1. Requires the caller to serialise calls for one
    proposal (hold its row lock in the same transaction), so two events never
    both open a notice. Returns the notice, or None for an inactive member."""
    if recipient is None or not recipient.is_active:
        return None
    now = timezone.now()
    latest = (
        Notification.objects.filter(
            recipient=recipient, kind=kind, proposal=proposal, created_at__gt=now - window
        )
        .order_by("-created_at", "-id")
        .first()
    )
    if latest is not None:
        if latest.read_at is None:
            Notification.objects.filter(pk=latest.pk).update(count=F("count") + 1)
        else:
            # New again: listed first and dated by this event, not under the
            # notices that came while it sat read (the list is newest first).
            Notification.objects.filter(pk=latest.pk).update(count=1, read_at=None, created_at=now)
        latest.refresh_from_db(fields=["count", "read_at", "created_at"])
        return latest
    params = dict(params or {})
    params.setdefault("title", proposal.title)
    url = proposal.get_absolute_url()
    topic = resolve_topic(topic, url)
    preference = preferences_of([recipient.pk], topic)[recipient.pk]
    return Notification.objects.create(
        recipient=recipient,
        kind=kind,
        topic=topic,
        in_site=preference.in_site,
        # Unique per notice: the window, not the key, groups these.
        key=f"{kind}:{proposal.pk}:{now.isoformat()}",
        proposal=proposal,
        params=params,
        url=url,
        emailed_at=now,  # in-site only: no e-mail is due
    )


def proposal_audience(proposal) -> list:
    """The proposer and the proposal's followers."""
    audience = [proposal.author] if proposal.author_id else []
    audience += [f.user for f in proposal.follows.select_related("user")]
    return audience


def notify_proposal(
    *,
    proposal,
    kind: str,
    key: str,
    params: dict | None = None,
    follower_topic: str = NoticeTopic.FOLLOWED,
) -> list[Notification]:
    """Tell the proposer and followers about a step their proposal took: the
    proposer under "my proposals", the followers under `follower_topic`
    ("followed proposals"; "adopted items I follow" for a card's news). A
    proposer who also follows is told once, as the proposer."""
    created = []
    if proposal.author_id:
        created += notify(
            recipients=[proposal.author],
            kind=kind,
            key=key,
            proposal=proposal,
            params=params,
            topic=NoticeTopic.MY_PROPOSALS,
        )
    followers = [f.user for f in proposal.follows.select_related("user")]
    created += notify(
        recipients=[u for u in followers if u.pk != proposal.author_id],
        kind=kind,
        key=key,
        proposal=proposal,
        params=params,
        topic=follower_topic,
    )
    return created


def notification_mark_read(*, notification: Notification, user) -> None:
    if notification.recipient_id != user.pk:
        return
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def preferences_update(*, user, changes: dict) -> list[str]:
    """Set `user`'s choices: `changes` maps a topic to {"in_site": bool,
    "email": EmailMode} (either may be left out). A topic the member may not
    choose for (WORK for a citizen, an unknown one) is ignored; WORK always
    shows in the site. Each row that changes moves its `version` on, so an
    unsubscribe link made before is stale. Turning a topic's e-mail off also
    drops its notices still waiting for a digest (marked handled): "no
    e-mail" holds from the moment it is chosen. Returns the topics changed."""
    allowed = set(topics_for(user))
    changed = []
    with transaction.atomic():
        rows = {
            row.topic: row
            for row in NotificationPreference.objects.select_for_update().filter(user=user)
        }
        for topic, change in changes.items():
            if topic not in allowed:
                continue
            row = rows.get(topic)
            current = row if row is not None else DEFAULTS[topic]
            in_site = bool(change.get("in_site", current.in_site)) or topic in ALWAYS_IN_SITE
            email = change.get("email", current.email)
            if email not in EmailMode.values:
                continue
            if row is not None and (row.in_site, row.email) == (in_site, email):
                continue
            if row is None and (current.in_site, current.email) == (in_site, email):
                continue
            if row is None:
                try:
                    with transaction.atomic():
                        # The default counted as version 1.
                        NotificationPreference.objects.create(
                            user=user, topic=topic, in_site=in_site, email=email, version=2
                        )
                except IntegrityError:
                    # Written meanwhile by a second request: change it.
                    _preference_write(user, topic, in_site, email)
            else:
                _preference_write(user, topic, in_site, email)
            if email == EmailMode.OFF:
                _drop_waiting_digest(user, topic)
            changed.append(topic)
    forget_cached(user)
    return changed


def _preference_write(user, topic: str, in_site: bool, email: str) -> None:
    NotificationPreference.objects.filter(user=user, topic=topic).update(
        in_site=in_site, email=email, version=F("version") + 1, updated_at=timezone.now()
    )


def _drop_waiting_digest(user, topic: str) -> None:
    Notification.objects.filter(recipient=user, topic=topic, emailed_at__isnull=True).exclude(
        digest=""
    ).update(emailed_at=timezone.now())
