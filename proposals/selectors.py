"""Reads for proposal pages: each selector does its own joins so list pages
run a fixed number of queries."""

from dataclasses import dataclass
from math import ceil

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from . import event_texts
from .models import Comment, Endorsement, Proposal, ProposalEvent, ProposalStatus


def proposal_list() -> QuerySet[Proposal]:
    """Public proposals (not hidden, not in the trash) with what a list row shows."""
    return (
        Proposal.objects.public()
        .select_related("category", "author")
        .prefetch_related("tags", Prefetch("photos", to_attr="photo_list"))
    )


def proposal_for_detail(pk: int) -> Proposal:
    """Any proposal not in the trash; hidden ones are shown as hidden."""
    return (
        Proposal.objects.not_deleted()
        .select_related("category", "author", "department")
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


# The home page's headline counts are counted again at most this often.
# Counting every public proposal is a scan that grows with the data (94 ms of
# a 139 ms home page at ten-year size), and readers gain nothing from a count
# fresher than a minute. The page says when they were counted ("22:10 기준"),
# so what it shows is exact as of the time it states.
HEADLINE_COUNTS_KEY = "proposals.headline-counts"
HEADLINE_COUNTS_LOCK = "proposals.headline-counts.recount"


def _count_headlines() -> dict:
    counts = Proposal.objects.public().aggregate(
        total=Count("id"),
        open=Count("id", filter=Q(status=ProposalStatus.OPEN)),
        adopted=Count("id", filter=Q(status=ProposalStatus.ADOPTED)),
    )
    counts["members"] = get_user_model().objects.filter(is_active=True).count()
    counts["counted_at"] = timezone.now()
    return counts


def headline_counts() -> dict:
    """Public proposals (all, gathering endorsements, adopted), active members
    and `counted_at`, the moment they were counted: at most
    settings.HEADLINE_COUNTS_SECONDS old. When they are older, one request
    (whichever takes the lock first, across every worker) counts again while
    the others keep showing the previous counts with their time, so a busy
    minute never starts many scans at once."""
    fresh_for = settings.HEADLINE_COUNTS_SECONDS
    counts = cache.get(HEADLINE_COUNTS_KEY)
    stale = counts is None or (timezone.now() - counts["counted_at"]).total_seconds() >= fresh_for
    if stale and (counts is None or cache.add(HEADLINE_COUNTS_LOCK, 1, timeout=30)):
        counts = _count_headlines()
        # Kept well past its freshness so there is always something to show
        # while one request counts again.
        cache.set(HEADLINE_COUNTS_KEY, counts, timeout=max(fresh_for * 10, 600))
        cache.delete(HEADLINE_COUNTS_LOCK)
    return counts
