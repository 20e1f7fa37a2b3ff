"""Reads for proposal pages: each selector does its own joins so list pages
run a fixed number of queries."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from .models import Comment, Endorsement, Proposal, ProposalEvent


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


def proposal_timeline(proposal: Proposal) -> QuerySet[ProposalEvent]:
    return proposal.events.filter(is_public=True).select_related("actor_department")


def proposal_comments(proposal: Proposal) -> QuerySet[Comment]:
    return proposal.comments.not_deleted().select_related("author", "author_department")


def has_endorsed(proposal: Proposal, user) -> bool:
    return user.is_authenticated and Endorsement.objects.filter(proposal=proposal, user=user).exists()


def is_following(proposal: Proposal, user) -> bool:
    return user.is_authenticated and proposal.follows.filter(user=user).exists()


def with_endorsed_flag(queryset: QuerySet[Proposal], user) -> QuerySet[Proposal]:
    if not user.is_authenticated:
        return queryset
    return queryset.annotate(
        endorsed=Exists(Endorsement.objects.filter(proposal=OuterRef("pk"), user=user))
    )
