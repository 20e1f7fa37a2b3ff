"""The notices this app sends: their kinds, their words, and the small
functions services call to send them."""

from enum import StrEnum

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.selectors import operators
from notifications.messages import NoticeText, moments
from notifications.services import notify, notify_proposal

from .models import Debate


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
    """The proposer and followers: the debate closed, with its counts."""
    notify_proposal(
        proposal=debate.proposal,
        kind=DebateNotice.DEBATE_CLOSED,
        key=f"debate_closed:{debate.pk}",
        params=_counts(debate),
    )


def tell_debate_summary_due(*, debate: Debate) -> None:
    """The operators: the debate closed and its results are to write
    (linking to the debate's admin page)."""
    notify(
        recipients=operators(),
        kind=DebateNotice.DEBATE_SUMMARY_DUE,
        key=f"debate_summary_due:{debate.pk}",
        proposal=debate.proposal,
        params=_counts(debate),
        url=reverse("admin:debates_debate_change", args=[debate.pk]),
    )


def tell_debate_summary(*, debate: Debate, proposal) -> None:
    """The proposer and followers: the debate's results are published."""
    notify_proposal(
        proposal=proposal, kind=DebateNotice.DEBATE_SUMMARY, key=f"debate_summary:{debate.pk}"
    )
