"""The notices this app sends: their kinds, their words, and the small
functions services call to send them."""

import datetime as dt
from enum import StrEnum

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from accounts.selectors import operators
from notifications.messages import NoticeText, moments
from notifications.models import NoticeTopic, Notification
from notifications.services import notify, notify_proposal
from oasis.tasks import enqueue_on_commit

from .models import Argument, Debate, Stance


class DebateNotice(StrEnum):
    """Notification.kind of this app's notices."""

    DEBATE_OPENED = "debate_opened"
    DEBATE_CLOSED = "debate_closed"
    DEBATE_SUMMARY = "debate_summary"
    DEBATE_SUMMARY_DUE = "debate_summary_due"


MESSAGES = {
    DebateNotice.DEBATE_OPENED: NoticeText(
        _("A debate opened"),
        _(
            "“%(title)s” is now open for debate until %(ends)s. Take a stance and give your reasons."
        ),
        formats={"ends": moments},
    ),
    DebateNotice.DEBATE_CLOSED: NoticeText(
        _("The debate closed"),
        _(
            "The debate on “%(title)s” closed: %(for)s for, %(against)s against, %(undecided)s undecided."
        ),
    ),
    DebateNotice.DEBATE_SUMMARY: NoticeText(
        _("Debate results published"),
        _("The results of the debate on “%(title)s” are published."),
    ),
    DebateNotice.DEBATE_SUMMARY_DUE: NoticeText(
        _("A debate closed: please publish its results"),
        _(
            "The debate on “%(title)s” closed (%(for)s for, %(against)s against, %(undecided)s undecided). Please write and publish its results."
        ),
    ),
}


def _local(moment) -> str:
    """A date and time as a notice stores it (ISO), written in the reader's
    language when read (the `moments` formatter)."""
    return timezone.localtime(moment).isoformat(timespec="minutes")


def _counts(debate: Debate) -> dict[str, int]:
    return {
        "for": debate.for_count,
        "against": debate.against_count,
        "undecided": debate.undecided_count,
    }


def tell_debate_opened(*, debate: Debate) -> None:
    """The proposer and followers: the debate is open, until when."""
    notify_proposal(
        proposal=debate.proposal,
        kind=DebateNotice.DEBATE_OPENED,
        key=f"debate_opened:{debate.pk}",
        params={"ends": _local(debate.ends_at)},
    )


def tell_debate_closed(*, debate: Debate) -> None:
    """The proposer and followers: the debate closed, with its counts; then,
    after commit, the members who joined it (`tell_participants`)."""
    notify_proposal(
        proposal=debate.proposal,
        kind=DebateNotice.DEBATE_CLOSED,
        key=participant_key(DebateNotice.DEBATE_CLOSED, debate.pk),
        params=_counts(debate),
    )
    enqueue_on_commit(
        "debates.tasks.tell_debate_participants", debate.pk, str(DebateNotice.DEBATE_CLOSED)
    )


def _institution_admins(institution_id: int | None):
    """The active administrators of the partner institution
    `institution_id` (none for the city's proposals)."""
    if institution_id is None:
        return get_user_model().objects.none()
    return (
        get_user_model()
        .objects.filter(
            is_active=True, institution_id=institution_id, groups__name=Role.INSTITUTION_ADMIN
        )
        .distinct()
    )


def tell_debate_summary_due(*, debate: Debate) -> None:
    """The operators and, for a proposal to a partner institution, its
    administrators (who publish its results too, issue 16): the debate
    closed and its results are to write (linking to the debate's admin
    page)."""
    notify(
        recipients=[*operators(), *_institution_admins(debate.proposal.institution_id)],
        topic=NoticeTopic.WORK,
        kind=DebateNotice.DEBATE_SUMMARY_DUE,
        key=f"debate_summary_due:{debate.pk}",
        proposal=debate.proposal,
        params=_counts(debate),
        url=reverse("admin:debates_debate_change", args=[debate.pk]),
    )


def tell_debate_summary(*, debate: Debate, proposal) -> None:
    """The proposer and followers: the debate's results are published; then,
    after commit, the members who joined it (`tell_participants`)."""
    notify_proposal(
        proposal=proposal,
        kind=DebateNotice.DEBATE_SUMMARY,
        key=participant_key(DebateNotice.DEBATE_SUMMARY, debate.pk),
    )
    enqueue_on_commit(
        "debates.tasks.tell_debate_participants", debate.pk, str(DebateNotice.DEBATE_SUMMARY)
    )


# --- "debates I joined" (issue 16) ------------------------------------------------

# The news a debate's participants hear, and how many are told per batch.
PARTICIPANT_KINDS = (DebateNotice.DEBATE_CLOSED, DebateNotice.DEBATE_SUMMARY)
PARTICIPANT_BATCH = 500
# How far back the hourly catch-up looks for participants not told yet (a
# fan-out lost with the broker): each look is one cheap query per debate.
PARTICIPANT_CATCH_UP = dt.timedelta(days=1)


def participant_key(kind: str, debate_id: int) -> str:
    """The event's key, one for the proposer, the followers and the
    participants: whoever was told of it under one topic is not told again
    under another."""
    return f"{kind}:{debate_id}"


def _participant_ids(debate_id: int, after: int, limit: int) -> list[int]:
    """The first `limit` ids above `after` of the members who took a stance
    or wrote an argument in the debate (a deleted or hidden argument too:
    they joined it). Two index reads, merged: the first `limit` of the union
    are among the first `limit` of each."""
    stances = (
        Stance.objects.filter(debate_id=debate_id, user_id__gt=after)
        .order_by("user_id")
        .values_list("user_id", flat=True)[:limit]
    )
    authors = (
        Argument.objects.filter(debate_id=debate_id, author_id__gt=after)
        .order_by("author_id")
        .values_list("author_id", flat=True)
        .distinct()[:limit]
    )
    return sorted(set(stances) | set(authors))[:limit]


def tell_participants(*, debate_id: int, kind: str, after: int = 0) -> tuple[int, int | None]:
    """One batch of the members who joined the debate (a stance or an
    argument), under "debates I joined": those not told of this event yet
    (the proposer and followers were, under their own topics, in the
    service's transaction). Idempotent by the event's key: a rerun tells
    nobody twice. Returns (told now, the id to continue after, or None when
    this was the last batch)."""
    if kind not in PARTICIPANT_KINDS:
        raise ValueError(f"Not a participants' notice: {kind!r}")
    debate = Debate.objects.select_related("proposal").filter(pk=debate_id).first()
    if debate is None:
        return 0, None
    if kind == DebateNotice.DEBATE_SUMMARY and not debate.has_summary:
        return 0, None
    if kind == DebateNotice.DEBATE_CLOSED and debate.closed_at is None:
        return 0, None
    ids = _participant_ids(debate.pk, after, PARTICIPANT_BATCH)
    if not ids:
        return 0, None
    key = participant_key(kind, debate.pk)
    told_already = Notification.objects.filter(recipient=OuterRef("pk"), key=key)
    members = (
        get_user_model()
        .objects.filter(pk__in=ids, is_active=True)
        .exclude(Exists(told_already))
        .order_by("pk")
    )
    told = notify(
        recipients=members,
        kind=kind,
        key=key,
        proposal=debate.proposal,
        params=_counts(debate) if kind == DebateNotice.DEBATE_CLOSED else None,
        topic=NoticeTopic.DEBATES,
    )
    return len(told), (ids[-1] if len(ids) == PARTICIPANT_BATCH else None)


def debates_to_catch_up(now) -> list[tuple[int, str]]:
    """(debate, kind) of the events recent enough for the sweep to make sure
    every participant heard of them."""
    since = now - PARTICIPANT_CATCH_UP
    recent = Debate.objects.filter(Q(closed_at__gte=since) | Q(summary_published_at__gte=since))
    pairs = []
    for pk, closed_at, summary_at in recent.values_list("pk", "closed_at", "summary_published_at"):
        if closed_at and closed_at >= since:
            pairs.append((pk, str(DebateNotice.DEBATE_CLOSED)))
        if summary_at and summary_at >= since:
            pairs.append((pk, str(DebateNotice.DEBATE_SUMMARY)))
    return pairs
