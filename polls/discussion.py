"""Reading a discussion poll (토론형): its visible arguments, most endorsed
first then newest, a page at a time; the tallies of each side; which of a
page's arguments the member has endorsed. Every read here is a bounded
number of queries, whatever the number of arguments or endorsements."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum

from oasis.pagination import CappedPaginator

from .models import ArgumentSide, Poll, PollArgument, PollArgumentEndorsement

ARGUMENTS_PER_PAGE = 20


def visible_arguments(poll: Poll) -> QuerySet[PollArgument]:
    """The arguments the public reads: not hidden, the most endorsed first,
    then the newest (the index pollarg_poll_top), with their authors."""
    return (
        PollArgument.objects.filter(poll=poll, is_hidden=False)
        .select_related("author")
        .order_by("-endorsement_count", "-id")
    )


def arguments_page(poll: Poll, number):
    """One page of the visible arguments (oasis.pagination: counted up to a
    cap, fetched by ids)."""
    return CappedPaginator(visible_arguments(poll), ARGUMENTS_PER_PAGE).get_page(number)


def endorsed_ids(user, argument_ids) -> set[int]:
    """Of `argument_ids`, those `user` has endorsed: one query for a page."""
    if not getattr(user, "is_authenticated", False) or not argument_ids:
        return set()
    return set(
        PollArgumentEndorsement.objects.filter(
            member=user, argument_id__in=list(argument_ids)
        ).values_list("argument_id", flat=True)
    )


@dataclass(frozen=True)
class SideTally:
    side: str  # "for", "against" or "" (neither)
    arguments: int
    endorsements: int


def tallies(poll: Poll) -> dict[str, SideTally]:
    """For each side ("for", "against", "neither"): the visible arguments and
    the endorsements they hold, in one aggregate query."""
    sides = {"for": ArgumentSide.FOR, "against": ArgumentSide.AGAINST, "neither": ""}
    aggregates = {}
    for key, side in sides.items():
        aggregates[f"{key}_arguments"] = Count("id", filter=Q(side=side))
        aggregates[f"{key}_endorsements"] = Sum("endorsement_count", filter=Q(side=side))
    row = PollArgument.objects.filter(poll=poll, is_hidden=False).aggregate(**aggregates)
    return {
        key: SideTally(
            side=side,
            arguments=row[f"{key}_arguments"] or 0,
            endorsements=row[f"{key}_endorsements"] or 0,
        )
        for key, side in sides.items()
    }
