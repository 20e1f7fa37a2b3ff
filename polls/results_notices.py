"""The notice of the results part: the voters of a poll are told once that
the department responded to its result. Parameters are ids and codes;
notifications writes the words in each reader's language."""

from enum import StrEnum

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from notifications.messages import NoticeText
from notifications.models import NoticeTopic
from notifications.services import notify

from .models import Ballot, Poll


class PollResultNotice(StrEnum):
    RESPONSE_PUBLISHED = "poll_response_published"


MESSAGES = {
    # To each voter: the department answered the result they voted in.
    PollResultNotice.RESPONSE_PUBLISHED: NoticeText(
        _("The city responded to a poll you took part in"),
        _(
            "The department that asked “%(title)s” has published its response to the result. You can read it with the results."
        ),
    ),
}

# Voters told per batch: a large poll's voters are read a slice at a time.
BATCH = 500


def tell_voters_of_response(*, poll: Poll) -> int:
    """Each member who voted in `poll` (and is still a member), once: in-site
    only, since a voter never asked to be e-mailed about it and a poll may
    have tens of thousands of them. Idempotent by key (a rerun tells nobody
    twice). Returns how many were told now."""
    told = 0
    members = (
        Ballot.objects.filter(poll=poll, member__isnull=False)
        .select_related("member")
        .order_by("pk")
    )
    last = 0
    while True:
        batch = list(members.filter(pk__gt=last)[:BATCH])
        if not batch:
            return told
        last = batch[-1].pk
        told += len(
            notify(
                recipients=[ballot.member for ballot in batch],
                kind=PollResultNotice.RESPONSE_PUBLISHED,
                key=f"poll_response_published:{poll.pk}",
                params={"title": poll.title},
                url=reverse("polls:results", args=[poll.pk]),
                in_site_only=True,
                # What the member took part in themselves (there is no topic
                # "polls I voted in"; "polls in my district" is about new polls).
                topic=NoticeTopic.PERSONAL,
            )
        )
