"""Notices the proposals floor sends, and their words (registered from
apps.py): the proposer hears about their own proposal, in the site only
(no e-mail), grouped so a busy proposal sends one notice an hour."""

import datetime as dt
from enum import StrEnum
from math import ceil

from django.utils.translation import gettext_lazy as _

from notifications.messages import NoticeText
from notifications.models import NoticeTopic
from notifications.services import notify, notify_grouped

from .models import PipelineSettings, Proposal

# A busy proposal's comments make one notice per this window.
COMMENTS_WINDOW = dt.timedelta(hours=1)
# Endorsement counts worth telling the proposer about, besides half of the
# answer bar (PipelineSettings.answer_threshold).
ENDORSEMENT_MILESTONES = (10,)


class ProposalNotice(StrEnum):
    NEW_COMMENTS = "proposal_new_comments"
    ENDORSEMENTS_REACHED = "proposal_endorsements_reached"
    HALFWAY_TO_ANSWER = "proposal_halfway_to_answer"
    # Merges (proposals.merging): the merged proposal's proposer and
    # followers; each endorser asked to carry their endorsement over.
    MERGED = "proposal_merged"
    CARRY_ASKED = "proposal_carry_asked"


MESSAGES = {
    # %(count)s is the notice's own count (notifications/models.py).
    ProposalNotice.NEW_COMMENTS: NoticeText(
        title=_("New comments on your proposal"),
        message=_("“%(title)s” has %(count)s new comment(s) since you last looked."),
    ),
    ProposalNotice.ENDORSEMENTS_REACHED: NoticeText(
        title=_("Your proposal is gathering endorsements"),
        message=_("“%(title)s” has reached %(endorsements)s endorsements."),
    ),
    ProposalNotice.HALFWAY_TO_ANSWER: NoticeText(
        title=_("Your proposal is halfway to an answer"),
        message=_(
            "“%(title)s” has %(endorsements)s endorsements, half of the %(bar)s a "
            "department answer needs."
        ),
    ),
    ProposalNotice.MERGED: NoticeText(
        title=_("A proposal was merged into another"),
        message=_(
            "“%(title)s” was merged into another proposal. Its comments stay readable; "
            "its page links to the proposal where the conversation goes on."
        ),
    ),
    ProposalNotice.CARRY_ASKED: NoticeText(
        title=_("Carry your endorsement over?"),
        message=_(
            "“%(title)s”, which you endorsed, was merged into another proposal. One click "
            "on its page carries your endorsement there."
        ),
    ),
}


def tell_new_comment(*, proposal: Proposal, comment) -> None:
    """The proposer, unless they wrote the comment: one grouped notice per
    proposal an hour, its count moved by each comment. Requires the
    proposal's row lock in the caller's transaction (notify_grouped)."""
    if proposal.author_id is None or comment.author_id == proposal.author_id:
        return
    notify_grouped(
        recipient=proposal.author,
        kind=ProposalNotice.NEW_COMMENTS,
        proposal=proposal,
        window=COMMENTS_WINDOW,
        topic=NoticeTopic.MY_PROPOSALS,
    )


def tell_endorsement_milestones(*, proposal_id: int, before: int, after: int) -> None:
    """The proposer, once per milestone the count moved past (before < m <=
    after): 10 endorsements, and half of the answer bar (said as such when
    the two meet). In-site only; the notice's key makes it once, even if the
    count falls back and crosses again, or the bar moves."""
    bar = PipelineSettings.cached().answer_threshold
    halfway = ceil(bar / 2)
    crossed = {m for m in (*ENDORSEMENT_MILESTONES, halfway) if before < m <= after and m < bar}
    if not crossed:
        return
    proposal = Proposal.objects.select_related("author").filter(pk=proposal_id).first()
    if proposal is None or proposal.author is None:
        return
    for milestone in sorted(crossed):
        is_halfway = milestone == halfway
        kind = (
            ProposalNotice.HALFWAY_TO_ANSWER if is_halfway else ProposalNotice.ENDORSEMENTS_REACHED
        )
        notify(
            recipients=[proposal.author],
            kind=kind,
            # Halfway is said once per proposal: its number moves with the
            # bar, and a raised bar must not say "halfway" a second time.
            key=f"endorsements:{proposal_id}:{'halfway' if is_halfway else milestone}",
            proposal=proposal,
            params={"endorsements": milestone, "bar": bar},
            in_site_only=True,
            topic=NoticeTopic.MY_PROPOSALS,
        )
