"""Reads for debate pages: each selector does its own joins, so the list
runs a fixed number of queries however many debates it shows."""

from django.db.models import Case, IntegerField, QuerySet, Value, When

from proposals.models import ProposalStatus

from .models import Argument, Debate, DebateStatus, Stance

LIST_FILTERS = ("open", "closed")


def debate_list(*, status: str = "", institution=None) -> QuerySet[Debate]:
    """Visible debates (their proposal public) for /debates/: open ones
    first, ending soonest first, then closed ones, most recently closed first.
    `status` is "open", "closed" or empty for both; `institution` keeps the
    debates of the proposals addressed to that partner institution (its
    space, issue 16)."""
    queryset = (
        Debate.objects.visible()
        .select_related("proposal", "proposal__category", "proposal__institution")
        .annotate(
            is_closed=Case(
                When(status=DebateStatus.CLOSED, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
    )
    if institution is not None:
        queryset = queryset.filter(proposal__institution=institution)
    if status == "open":
        queryset = queryset.open()
    elif status == "closed":
        queryset = queryset.closed()
    # Open debates by their end (soonest first), then closed ones by when
    # they closed (latest first); each Case is NULL for the other group.
    return queryset.order_by(
        "is_closed",
        Case(When(status=DebateStatus.OPEN, then="ends_at")).asc(nulls_last=True),
        Case(When(status=DebateStatus.CLOSED, then="closed_at")).desc(nulls_last=True),
        "-id",
    )


# A proposal gets its debate in the same transaction that moves it to DEBATE,
# and no status leads back, so before that there is nothing to look up.
NEVER_DEBATED = frozenset(
    {
        ProposalStatus.OPEN,
        ProposalStatus.NOT_REACHED,
        ProposalStatus.ASSIGNED,
        ProposalStatus.ANSWERED,
    }
)


def debate_for_proposal(proposal) -> Debate | None:
    """The proposal's debate, or None if it never had one (without a query
    for a proposal that has not reached the debate stage)."""
    if proposal.status in NEVER_DEBATED:
        return None
    return Debate.objects.filter(proposal=proposal).first()


def debate_arguments(debate: Debate) -> QuerySet[Argument]:
    """The arguments the page shows (deleted ones are gone; hidden ones are
    shown as hidden), oldest first, with their badges."""
    return debate.arguments.not_deleted().select_related(
        "author", "author_department", "author_institution"
    )


def stance_of(debate: Debate, user) -> str:
    """The member's current stance ("" if none or anonymous)."""
    if not user.is_authenticated:
        return ""
    return (
        Stance.objects.filter(debate=debate, user=user).values_list("position", flat=True).first()
        or ""
    )


def member_debate_data(user) -> dict:
    """A member's own stances and arguments, for the export of their data
    (accounts/export.py, registered in apps.py): everything they took part in, deleted arguments too."""

    def _dt(value):
        return value.isoformat() if value else None

    return {
        "stances": [
            {
                "debate": s.debate_id,
                "proposal": s.debate.proposal_id,
                "position": s.position,
                "created": _dt(s.created_at),
                "changed": _dt(s.updated_at),
            }
            for s in Stance.objects.filter(user=user).select_related("debate").order_by("pk")
        ],
        "arguments": [
            {
                "id": a.pk,
                "debate": a.debate_id,
                "proposal": a.debate.proposal_id,
                "side": a.side,
                "body": a.body,
                "created": _dt(a.created_at),
                "deleted": _dt(a.deleted_at),
            }
            for a in Argument.objects.filter(author=user).select_related("debate").order_by("pk")
        ],
    }
