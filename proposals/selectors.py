"""Reads for proposal pages: each selector does its own joins so list pages
run a fixed number of queries."""

from dataclasses import dataclass
from math import ceil

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from . import event_texts
from .models import Comment, Endorsement, Proposal, ProposalEvent


def proposal_list() -> QuerySet[Proposal]:
    """Public proposals (not hidden, not in the trash) with what a list row shows."""
    return (
        Proposal.objects.public()
        .select_related("category", "author", "institution")
        .prefetch_related("tags", Prefetch("photos", to_attr="photo_list"))
    )


def proposal_for_detail(pk: int) -> Proposal:
    """Any proposal not in the trash; hidden ones are shown as hidden."""
    return (
        Proposal.objects.not_deleted()
        .select_related("category", "author", "department", "institution")
        .prefetch_related("tags", "photos", "attachments")
        .get(pk=pk)
    )


def proposal_timeline(proposal: Proposal) -> list[ProposalEvent]:
    """The public timeline, oldest first, its system words written in the
    active language for the whole list at once (event_texts.prepare)."""
    rows = list(proposal.events.filter(is_public=True).select_related("actor_department"))
    event_texts.prepare(rows)
    return rows


def proposal_comments(proposal: Proposal) -> QuerySet[Comment]:
    """A proposal's comments not deleted (hidden ones included, shown as
    hidden), oldest first."""
    return proposal.comments.not_deleted().select_related("author", "author_department")


# Comments shown per page of a proposal's thread. Oldest first, so the thread
# reads as the conversation it is and a comment stays on its page as new
# ones arrive (a link to it keeps working); the newest are one link away.
COMMENTS_PER_PAGE = 50


@dataclass(frozen=True)
class CommentPage:
    """One page of a proposal's thread: its comments and where it stands."""

    comments: list[Comment]
    number: int
    num_pages: int

    def __iter__(self):
        return iter(self.comments)

    def __len__(self):
        return len(self.comments)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def proposal_comments_page(proposal: Proposal, number) -> CommentPage:
    """One page of the thread (`number` as the visitor gave it; a wrong or
    too large one gives the nearest page), in one query whatever its length.
    The number of pages comes from the proposal's comment_count (kept by the
    services), not from counting the thread; the rows themselves are read
    with one more than a page holds, so a comment is never left out, even if
    that count were behind."""
    size = COMMENTS_PER_PAGE
    counted_pages = max(1, ceil(proposal.comment_count / size))
    try:
        # Never beyond the last counted page and one: a huge number would
        # overflow the database's offset (a 500) and means the last page.
        number = min(max(1, int(number)), counted_pages + 1)
    except (TypeError, ValueError):
        number = 1

    def read(number):
        return list(proposal_comments(proposal)[(number - 1) * size : number * size + 1])

    rows = read(number)
    if not rows and number > 1:
        # Past the end (an old link, a typed number): the last page instead.
        number = min(number - 1, counted_pages)
        rows = read(number)
    more = len(rows) > size
    return CommentPage(
        comments=rows[:size], number=number, num_pages=max(counted_pages, number + more)
    )


def comment_page_number(comment: Comment) -> int:
    """Which page of its thread a comment is on (one counting query)."""
    before = (
        Comment.objects.not_deleted()
        .filter(proposal_id=comment.proposal_id)
        .filter(
            Q(created_at__lt=comment.created_at)
            | Q(created_at=comment.created_at, id__lt=comment.pk)
        )
        .count()
    )
    return before // COMMENTS_PER_PAGE + 1


def comment_url(comment: Comment) -> str:
    """The address of a comment on its proposal's page: the right page of
    the thread, scrolled to the comment."""
    number = comment_page_number(comment)
    query = f"?comments={number}" if number > 1 else ""
    return f"{comment.proposal.get_absolute_url()}{query}#comment-{comment.pk}"


def has_endorsed(proposal: Proposal, user) -> bool:
    return (
        user.is_authenticated and Endorsement.objects.filter(proposal=proposal, user=user).exists()
    )


def is_following(proposal: Proposal, user) -> bool:
    return user.is_authenticated and proposal.follows.filter(user=user).exists()


def with_endorsed_flag(queryset: QuerySet[Proposal], user) -> QuerySet[Proposal]:
    if not user.is_authenticated:
        return queryset
    return queryset.annotate(
        endorsed=Exists(Endorsement.objects.filter(proposal=OuterRef("pk"), user=user))
    )
