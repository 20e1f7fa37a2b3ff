"""Digests (issue 16): one e-mail a day or a week listing the notices a
member chose to get that way.

Periods are Seoul days and weeks. The daily digest goes at 07:00 for the
day before (00:00 to 24:00); the weekly one on Monday at 07:00 for the week
before (Monday 00:00 to Monday 00:00). A notice written at 03:00 waits for
the next morning's digest: its day is not over at 07:00. Each run also
looks at the period before the last, so a morning the beat was down is made
good the next time it runs.

Once per period: for each member with notices still waiting in the period
a DigestRun (unique: member, period, period start) is written FIRST, with
its hand-off mark committed; only the worker that wrote it sends. Then the
e-mail goes in the member's language, notices grouped by topic, and
afterwards the notices are marked e-mailed and the run sent, in one
transaction. A second worker or a rerun finds the run and sends nothing. A
worker killed between the hand-off and the marks leaves a run sending but
not sent: like a notice's e-mail (tasks.py), it is sent once more with the
same Message-ID after OASIS_EMAIL_UNCERTAIN_AFTER seconds, and never a
third time (logged for an operator). A refused hand-off clears the mark and
the next run tries again at once."""

import datetime as dt
import logging
from collections import defaultdict
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import make_msgid
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import formats, timezone, translation

from . import messages as notice_messages
from . import unsubscribe
from .models import DigestRun, EmailMode, NoticeTopic, Notification
from .preferences import resolve_topic

logger = logging.getLogger(__name__)

SEOUL = ZoneInfo("Asia/Seoul")
MEMBER_BATCH = 200
# The most notices one digest lists by name; the rest are counted ("and 12 more").
LISTED_AT_MOST = 50
MAX_ATTEMPTS = 2


def period_bounds(period: str, start: dt.date) -> tuple[dt.datetime, dt.datetime]:
    days = 7 if period == EmailMode.WEEKLY else 1
    begin = dt.datetime.combine(start, dt.time(), tzinfo=SEOUL)
    return begin, begin + dt.timedelta(days=days)


def last_complete_start(period: str, now: dt.datetime | None = None) -> dt.date:
    """The first day of the last period that is over at `now`."""
    today = timezone.localtime(now or timezone.now(), SEOUL).date()
    if period == EmailMode.WEEKLY:
        return today - dt.timedelta(days=today.weekday() + 7)
    return today - dt.timedelta(days=1)


def waiting(period: str, start: dt.date):
    """Notices waiting for the `period` digest that starts on `start`, of
    members who can get it (active, not withdrawn, with an address)."""
    begin, end = period_bounds(period, start)
    return Notification.objects.filter(
        digest=period,
        emailed_at__isnull=True,
        created_at__gte=begin,
        created_at__lt=end,
        recipient__is_active=True,
        recipient__withdrawn_at__isnull=True,
    ).exclude(recipient__email="")


def send_digests(period: str, now: dt.datetime | None = None) -> int:
    """Send the `period` digests due at `now`: the last complete period and,
    to catch up, the one before. Returns how many e-mails were handed over."""
    if period not in (EmailMode.DAILY, EmailMode.WEEKLY):
        raise ValueError(f"No digest period {period!r}.")
    latest = last_complete_start(period, now)
    step = dt.timedelta(days=7 if period == EmailMode.WEEKLY else 1)
    sent = 0
    for start in (latest - step, latest):
        sent += send_period(period, start)
    return sent


def send_period(period: str, start: dt.date) -> int:
    """Each member's digest for one period, members read in batches by id
    (never the whole table at once)."""
    sent = 0
    after = 0
    while True:
        members = list(
            waiting(period, start)
            .filter(recipient_id__gt=after)
            .order_by("recipient_id")
            .values_list("recipient_id", flat=True)
            .distinct()[:MEMBER_BATCH]
        )
        if not members:
            return sent
        for member_id in members:
            try:
                sent += digest_send(member_id, period, start)
            except Exception:  # noqa: BLE001 - one refused message must not stop the rest
                logger.warning(
                    "Digest %s %s for member %s not sent; the next run tries again.",
                    period,
                    start,
                    member_id,
                    exc_info=True,
                )
        after = members[-1]


def _claim(member_id: int, period: str, start: dt.date) -> DigestRun | None:
    """The run to send now, its hand-off mark committed; None when another
    worker has it, it was sent, or it is held after MAX_ATTEMPTS."""
    now = timezone.now()
    with transaction.atomic():
        run, created = DigestRun.objects.get_or_create(
            user_id=member_id,
            period=period,
            period_start=start,
            defaults={"sending_at": now, "attempts": 1, "message_id": _message_id()},
        )
    if created:
        return run
    uncertain_before = now - dt.timedelta(seconds=settings.OASIS_EMAIL_UNCERTAIN_AFTER)
    claimed = (
        DigestRun.objects.filter(pk=run.pk, sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
        .filter(Q(sending_at__isnull=True) | Q(sending_at__lt=uncertain_before))
        .update(sending_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        if run.sent_at is None and run.attempts >= MAX_ATTEMPTS:
            logger.error(
                "Digest %s: hand-off uncertain after %d attempts; left for an operator "
                "(Message-ID %s).",
                run.pk,
                MAX_ATTEMPTS,
                run.message_id,
            )
        return None
    if run.sending_at is not None:
        logger.warning(
            "Digest %s: its hand-off never reported back; sending it once more with the "
            "same Message-ID %s.",
            run.pk,
            run.message_id,
        )
    run.refresh_from_db()
    return run


def _message_id() -> str:
    sender = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return make_msgid(domain=sender.rpartition("@")[2] or None)


def digest_send(member_id: int, period: str, start: dt.date) -> bool:
    """One member's digest for one period, once. Returns whether an e-mail
    was handed to the mail server."""
    run = _claim(member_id, period, start)
    if run is None:
        return False
    rows = waiting(period, start).filter(recipient_id=member_id)
    ids = list(rows.order_by("pk").values_list("pk", flat=True))
    if not ids:
        # Turned off since (unsubscribed): nothing to tell.
        DigestRun.objects.filter(pk=run.pk).update(sent_at=timezone.now(), notice_count=0)
        return False
    listed = list(
        Notification.objects.filter(pk__in=ids)
        .select_related("recipient")
        .order_by("created_at", "pk")[:LISTED_AT_MOST]
    )
    try:
        _message(run, listed, len(ids)).send()
    except Exception:
        # Refused before "accepted": the next run sends it, same Message-ID.
        DigestRun.objects.filter(pk=run.pk, sent_at__isnull=True).update(sending_at=None)
        raise
    now = timezone.now()
    with transaction.atomic():
        Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).update(emailed_at=now)
        DigestRun.objects.filter(pk=run.pk).update(sent_at=now, notice_count=len(ids))
    return True


def _message(run: DigestRun, notices: list, total: int) -> EmailMultiAlternatives:
    recipient = notices[0].recipient
    site = settings.OASIS_SITE_URL.rstrip("/")
    by_topic = defaultdict(list)
    for notice in notices:
        by_topic[resolve_topic(notice.topic, notice.url)].append(notice)
    order = [t for t in NoticeTopic.values if t in by_topic]
    every = unsubscribe.make_token(recipient, order)
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        notice_messages.prepare(notices)
        groups = [
            {
                "label": NoticeTopic(topic).label,
                "unsubscribe_link": unsubscribe.link(unsubscribe.make_token(recipient, [topic])),
                "items": [
                    {"title": n.title, "message": n.message, "link": site + n.url if n.url else ""}
                    for n in by_topic[topic]
                ],
            }
            for topic in order
        ]
        begin, end = period_bounds(run.period, run.period_start)
        last_day = (end - dt.timedelta(days=1)).date()
        context = {
            "recipient": recipient,
            "period": run.period,
            "first_day": formats.date_format(run.period_start, "DATE_FORMAT"),
            "last_day": formats.date_format(last_day, "DATE_FORMAT"),
            "groups": groups,
            "total": total,
            "more": total - len(notices),
            "notices_link": site + reverse("notifications:list"),
            "settings_link": site + reverse("notifications:settings"),
            "unsubscribe_link": unsubscribe.link(every),
        }
        return unsubscribe.email_with_unsubscribe(
            "notifications/email/digest",
            context,
            to=recipient.email,
            message_id=run.message_id,
            token=every,
        )
