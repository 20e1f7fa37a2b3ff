"""Reads for meeting pages, the printable agenda and the proposal page panel.

The agenda shows what other rooms of the pipeline produced: the department's
published answer (answers app) and the debate (debates app), which stand
below meetings in the pipeline. Those reads are the small functions at the
bottom; they return plain summaries, so the agenda renders "no answer" or
"no debate" when there is none."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.names import public_name_for
from accounts.predicates import is_mayor_office, is_operator
from accounts.roles import EXPERT_ROLES, Role
from answers.models import Answer, AnswerStatus
from debates.models import Debate
from oasis.errors import ServiceError
from proposals.models import ProposalStatus

from .models import (
    AgendaDecision,
    AgendaItem,
    ExpertOpinion,
    ExpertOpinionRequest,
    OpinionRequestStatus,
    RealizationMeeting,
    RealizationMeetingStatus,
    ReviewDecision,
    WorkingReviewStatus,
)

# --- meetings -------------------------------------------------------------------


def with_decision_counts(meetings: QuerySet[RealizationMeeting]) -> QuerySet[RealizationMeeting]:
    """`meetings` with their items' counts: item_count, adopted_count,
    held_over_count, not_adopted_count, pending_count (pages and admin)."""
    return meetings.annotate(
        item_count=Count("items"),
        adopted_count=Count("items", filter=Q(items__decision=AgendaDecision.ADOPTED)),
        held_over_count=Count("items", filter=Q(items__decision=AgendaDecision.HELD_OVER)),
        not_adopted_count=Count("items", filter=Q(items__decision=AgendaDecision.NOT_ADOPTED)),
        pending_count=Count("items", filter=Q(items__decision=AgendaDecision.PENDING)),
    )


def meetings_with_outcomes() -> QuerySet[RealizationMeeting]:
    """Every meeting with its decision counts (adopted, held over, not
    adopted, pending) and its items with their proposals: two queries,
    however many meetings."""
    return with_decision_counts(RealizationMeeting.objects.all()).prefetch_related(
        Prefetch(
            "items",
            queryset=AgendaItem.objects.select_related(
                "proposal",
                "proposal__author",
                "held_over_to__meeting",
                "held_over_from__meeting",
            ).order_by("position", "id"),
            to_attr="item_list",
        )
    )


def upcoming_meetings(now=None) -> QuerySet[RealizationMeeting]:
    """Scheduled meetings that have not taken place, soonest first."""
    now = now or timezone.now()
    return (
        meetings_with_outcomes()
        .filter(status=RealizationMeetingStatus.SCHEDULED, scheduled_at__gt=now)
        .order_by("scheduled_at")
    )


def past_meetings(now=None) -> QuerySet[RealizationMeeting]:
    """Meetings held or whose date has passed, latest first."""
    now = now or timezone.now()
    return (
        meetings_with_outcomes()
        .filter(Q(status=RealizationMeetingStatus.HELD) | Q(scheduled_at__lte=now))
        .order_by("-scheduled_at")
    )


def meeting_for_detail(pk: int) -> RealizationMeeting:
    """One meeting with its counts and items (raises DoesNotExist)."""
    return meetings_with_outcomes().get(pk=pk)


def next_scheduled_meeting(after=None) -> RealizationMeeting | None:
    """The earliest scheduled meeting after `after` (default: now)."""
    after = after or timezone.now()
    return (
        RealizationMeeting.objects.filter(
            status=RealizationMeetingStatus.SCHEDULED, scheduled_at__gt=after
        )
        .order_by("scheduled_at")
        .first()
    )


def agenda_item_get(*, meeting: RealizationMeeting, proposal) -> AgendaItem:
    """The item for `proposal` on `meeting`'s agenda; a ServiceError if the
    proposal is not on it."""
    item = (
        AgendaItem.objects.select_related("meeting", "proposal")
        .filter(meeting=meeting, proposal=proposal)
        .first()
    )
    if item is None:
        raise ServiceError(
            _("“%(title)s” is not on the agenda of %(meeting)s.")
            % {"title": proposal.title, "meeting": meeting.title}
        )
    return item


# --- the printable agenda -----------------------------------------------------------


@dataclass
class AnswerSummary:
    """What the agenda prints of a department's published answer."""

    department: str = ""
    decision: str = ""
    summary: str = ""
    necessity: str = ""
    effectiveness: str = ""
    feasibility: str = ""
    budget: str = ""
    basis_kind: str = ""
    basis: str = ""


@dataclass
class DebateSummary:
    """What the agenda prints of a proposal's debate."""

    for_count: int = 0
    against_count: int = 0
    undecided_count: int = 0
    summary: str = ""
    url: str = ""

    @property
    def total(self) -> int:
        return self.for_count + self.against_count + self.undecided_count


@dataclass
class ProposerContact:
    """Who to print a name card for: the proposer's real name and how to
    reach them. Personal data: only on the internal agenda, whose view
    records the access. Members have no phone number on file, so there is
    none to print."""

    member_id: int
    name: str
    email: str


def proposer_contact(user) -> ProposerContact | None:
    if user is None or user.withdrawn_at is not None:
        return None
    return ProposerContact(
        member_id=user.pk, name=user.display_name.strip() or public_name_for(user), email=user.email
    )


@dataclass
class AgendaEntry:
    """One item of the agenda with everything its page shows."""

    item: AgendaItem
    number: int
    proposer: str
    # The internal agenda only (agenda_entries(internal=True)): the
    # proposer's real name and contacts, for name cards and seating.
    contact: ProposerContact | None = None
    answer: AnswerSummary | None = None
    debate: DebateSummary | None = None
    opinions: list = field(default_factory=list)
    # Who was asked for an opinion, and whether they answered (RequestedExpert).
    requested: list = field(default_factory=list)

    @property
    def proposal(self):
        return self.item.proposal

    @property
    def held_over_from(self) -> AgendaItem | None:
        """The item of an earlier meeting that held this one over, with its
        meeting and reason, or None."""
        return self.item.held_over_from


@dataclass
class OpinionEntry:
    expert: str
    role: str
    recommendation: str
    text: str


def agenda_entries(meeting: RealizationMeeting, *, internal: bool = False) -> list[AgendaEntry]:
    """The agenda's items in order, each with its proposal, proposer (public,
    masked name), the earlier meeting's item if it was held over, published
    answer, debate and expert opinions. With `internal`, each entry also
    carries the proposer's real name and e-mail (ProposerContact): for the
    internal agenda only. A fixed number of queries: one per kind of thing,
    not per item."""
    items = list(
        meeting.items.select_related(
            "proposal",
            "proposal__author",
            "proposal__category",
            "proposal__department",
            "held_over_from__meeting",
        ).order_by("position", "id")
    )
    proposal_ids = [item.proposal_id for item in items]
    answers = published_answers_for(proposal_ids)
    debates = debates_for(proposal_ids)
    opinions = opinions_for(proposal_ids)
    requested = requested_experts_for([item.pk for item in items])
    return [
        AgendaEntry(
            item=item,
            number=number,
            proposer=public_name_for(item.proposal.author),
            contact=proposer_contact(item.proposal.author) if internal else None,
            answer=answers.get(item.proposal_id),
            debate=debates.get(item.proposal_id),
            opinions=opinions.get(item.proposal_id, []),
            requested=requested.get(item.pk, []),
        )
        for number, item in enumerate(items, start=1)
    ]


def agenda_proposers(entries: list[AgendaEntry]) -> list[str]:
    """The public names of the agenda's proposers, each once, in agenda order."""
    return list(dict.fromkeys(entry.proposer for entry in entries))


def cover_attendees(
    meeting: RealizationMeeting, entries: list[AgendaEntry]
) -> list[tuple[str, str]]:
    """The attendee groups of the agenda's cover, (label, text) in order; the
    proposers' group starts with the agenda's proposers (public names)."""
    return meeting.attendee_groups(agenda_proposers(entries))


def opinions_for(proposal_ids) -> dict[int, list[OpinionEntry]]:
    """Expert opinions by proposal, oldest first, with the expert's public
    name and whether they are an internal or external expert."""
    rows = (
        ExpertOpinion.objects.filter(proposal_id__in=proposal_ids)
        .select_related("expert")
        .prefetch_related("expert__groups")
        .order_by("created_at", "id")
    )
    result: dict[int, list[OpinionEntry]] = {}
    for opinion in rows:
        group_names = {g.name for g in opinion.expert.groups.all()}
        role = (
            Role.EXPERT_EXTERNAL.label
            if Role.EXPERT_EXTERNAL in group_names
            else Role.EXPERT_INTERNAL.label
        )
        result.setdefault(opinion.proposal_id, []).append(
            OpinionEntry(
                expert=public_name_for(opinion.expert),
                role=str(role),
                recommendation=opinion.get_recommendation_display(),
                text=opinion.text,
            )
        )
    return result


@dataclass
class RequestedExpert:
    """An expert asked for an opinion on an agenda item, as the agenda
    prints it: their public name (as on their opinions) and whether they
    answered."""

    expert: str
    answered: bool


def requested_experts_for(item_ids) -> dict[int, list[RequestedExpert]]:
    """Who was asked for an opinion on each agenda item (withdrawn requests
    left out), in the order asked. One query (none without items)."""
    if not item_ids:
        return {}
    rows = (
        ExpertOpinionRequest.objects.filter(agenda_item_id__in=item_ids)
        .exclude(status=OpinionRequestStatus.WITHDRAWN)
        .select_related("expert")
        .order_by("created_at", "id")
    )
    result: dict[int, list[RequestedExpert]] = {}
    for request in rows:
        result.setdefault(request.agenda_item_id, []).append(
            RequestedExpert(expert=public_name_for(request.expert), answered=request.is_answered)
        )
    return result


@dataclass
class OpinionPreparationRow:
    """One agenda item on the meeting's expert opinions page: the requests
    made (with their experts) and how many still wait."""

    item: AgendaItem
    number: int
    requests: list

    @property
    def missing(self) -> int:
        return sum(1 for request in self.requests if not request.is_answered)


def opinion_preparation(meeting: RealizationMeeting) -> list[OpinionPreparationRow]:
    """The meeting's items in agenda order, each with its requests not
    withdrawn (expert, due date, status), the earliest due first. Two
    queries, however many items and requests."""
    requests = Prefetch(
        "opinion_requests",
        queryset=ExpertOpinionRequest.objects.exclude(status=OpinionRequestStatus.WITHDRAWN)
        .select_related("expert")
        .order_by("due_date", "id"),
        to_attr="request_list",
    )
    items = (
        meeting.items.select_related("proposal")
        .prefetch_related(requests)
        .order_by("position", "id")
    )
    return [
        OpinionPreparationRow(item=item, number=number, requests=item.request_list)
        for number, item in enumerate(items, start=1)
    ]


def missing_opinions_count(meeting: RealizationMeeting) -> int:
    """Requests of `meeting` still waiting (open or flagged)."""
    return ExpertOpinionRequest.objects.filter(
        agenda_item__meeting=meeting,
        status__in=[OpinionRequestStatus.OPEN, OpinionRequestStatus.FLAGGED],
    ).count()


def available_experts():
    """Active members with an expert role, whom the operator may ask."""
    return (
        User.objects.filter(is_active=True, groups__name__in=EXPERT_ROLES)
        .distinct()
        .order_by("display_name", "email")
    )


# --- reads from the answers and debates apps ------------------------------------------


def _budget(value) -> str:
    if value is None:
        return ""
    return _("₩%(amount)s") % {"amount": f"{int(value):,}"}


def published_answers_for(proposal_ids) -> dict[int, AnswerSummary]:
    """The latest published department answer of each proposal, if any. One
    query (none without proposals)."""
    if not proposal_ids:
        return {}
    rows = (
        Answer.objects.filter(
            assignment__proposal_id__in=proposal_ids, status=AnswerStatus.PUBLISHED
        )
        .select_related("assignment", "assignment__department")
        .order_by("pk")
    )
    result = {}
    for answer in rows:  # later answers overwrite earlier ones
        assignment = answer.assignment
        result[assignment.proposal_id] = AnswerSummary(
            department=assignment.department.label,
            decision=answer.get_decision_display(),
            summary=answer.summary,
            necessity=answer.necessity,
            effectiveness=answer.effectiveness,
            feasibility=answer.feasibility,
            budget=_budget(answer.estimated_budget),
            basis_kind=answer.get_refusal_basis_kind_display(),
            basis=answer.refusal_basis,
        )
    return result


def debates_for(proposal_ids) -> dict[int, DebateSummary]:
    """Each proposal's debate with its stance counts (the debate's own
    counters, which stance_set keeps exact) and its summary once published.
    One query (none without proposals)."""
    if not proposal_ids:
        return {}
    result = {}
    for debate in Debate.objects.filter(proposal_id__in=proposal_ids).order_by("pk"):
        published = debate.summary_published_at is not None
        result[debate.proposal_id] = DebateSummary(
            for_count=debate.for_count,
            against_count=debate.against_count,
            undecided_count=debate.undecided_count,
            summary=debate.summary if published else "",
            url=debate.get_absolute_url(),
        )
    return result


# --- the proposal page -------------------------------------------------------------


@dataclass
class ProposalMeetingState:
    """What the meetings panel of a proposal page shows."""

    items: list = field(default_factory=list)  # AgendaItems, oldest meeting first
    not_selected: ReviewDecision | None = None

    @property
    def is_empty(self) -> bool:
        return not self.items and self.not_selected is None


# Only a proposal in one of these statuses can have been on an agenda
# (withdrawn ones may have been); the panel asks nothing of the others.
_AGENDA_STATUSES = frozenset(
    {
        ProposalStatus.ON_AGENDA,
        ProposalStatus.ADOPTED,
        ProposalStatus.NOT_ADOPTED,
        ProposalStatus.WITHDRAWN,
    }
)


def proposal_meeting_state(proposal) -> ProposalMeetingState:
    """The proposal's agenda items across meetings (held over ones included)
    or, if the working review did not put it forward, that decision. At most
    one query; none for a proposal that has not reached the meetings."""
    if proposal.status == ProposalStatus.NOT_SELECTED:
        not_selected = (
            ReviewDecision.objects.filter(
                proposal=proposal,
                selected=False,
                review__status=WorkingReviewStatus.FINALISED,
            )
            .select_related("review")
            .order_by("-review__finalised_at")
            .first()
        )
        return ProposalMeetingState(not_selected=not_selected)
    if proposal.status not in _AGENDA_STATUSES:
        return ProposalMeetingState()
    items = list(
        AgendaItem.objects.filter(proposal=proposal)
        .select_related("meeting")
        .order_by("meeting__scheduled_at", "id")
    )
    return ProposalMeetingState(items=items)


def expert_opinions_of(user) -> QuerySet[ExpertOpinion]:
    """The opinions `user` may see in the admin: an expert their own, the
    operator and the mayor's office all (the same rule as the edit check)."""
    queryset = ExpertOpinion.objects.select_related("proposal", "expert")
    if is_operator(user) or is_mayor_office(user):
        return queryset
    return queryset.filter(expert=user) if user.is_authenticated else queryset.none()
