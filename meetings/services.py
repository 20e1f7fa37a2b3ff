"""Every change to working reviews, realization meetings, agenda items and
expert opinions.

Each function checks permission (rules.py), checks the state, writes with
`update_fields`, moves proposals only through proposals.services.
proposal_transition (which records the timeline event) and sends notices
through notices.py, whose e-mails are queued after the
transaction commits and whose keys make every notice a once-only event.
Admin actions, admin forms and the beat task all call these.

Meeting rhythm (PRODUCT.md: every two months; issue 3 left the day open):
a realization meeting falls on the last Thursday of every second month at
14:00 Seoul time, in Seoul City Hall's main building. meeting_schedule_next
keeps one such meeting always scheduled ahead."""

import calendar
import datetime as dt
from dataclasses import dataclass

import rules
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_record
from accounts.names import public_name_for
from accounts.participation import Action, participated
from accounts.predicates import is_expert
from accounts.roles import EXPERT_ROLES
from accounts.selectors import is_usable_official
from oasis.errors import PermissionDenied, ServiceError
from proposals.models import EventKind, Proposal, ProposalStatus
from proposals.participation import proposer_id
from proposals.timeline import event_record, proposal_transition

from . import audit_words, notices
from . import rules as meeting_rules
from .models import (
    OPINION_MAX_LENGTH,
    OPINION_REQUEST_WAITING,
    REASON_MAX_LENGTH,
    AgendaDecision,
    AgendaItem,
    ExpertOpinion,
    ExpertOpinionRequest,
    ExpertRecommendation,
    OpinionRequestStatus,
    RealizationMeeting,
    RealizationMeetingStatus,
    ReviewDecision,
    WorkingReview,
    WorkingReviewStatus,
)
from .selectors import next_scheduled_meeting
from .signals import item_adopted

# The meeting's usual day, hour and place (see the module docstring). The
# place is data, in Korean like the rest of the data.
MEETING_WEEKDAY = calendar.THURSDAY
MEETING_TIME = dt.time(14, 0)
MEETING_PLACE = "서울시청 본관"
MEETING_MAYOR = "서울특별시장"
MONTHS_BETWEEN_MEETINGS = 2

# The decisions the meeting records (PENDING is the absence of one).
DECISIONS = frozenset(
    {AgendaDecision.ADOPTED, AgendaDecision.HELD_OVER, AgendaDecision.NOT_ADOPTED}
)


def _require_reason(reason: str, *, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: _("Please give a reason.")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {field: _("Please keep it within %(n)d characters.") % {"n": REASON_MAX_LENGTH}}
        )
    return reason


# --- working review -------------------------------------------------------------


def working_review_decide(
    *,
    review: WorkingReview,
    proposal: Proposal,
    selected: bool,
    reason: str,
    user,
    position: int | None = None,
) -> ReviewDecision:
    """Record (or change, while the review is a draft) whether the working
    review puts `proposal` forward, with the reason. Requires an operator,
    official or internal expert; the proposal must be in working review and
    not being decided in another draft review. Writes the ReviewDecision only;
    nothing is public or notified until the review is finalised."""
    # Asked without the review: who sits in it. The review's state is
    # checked under the lock below and refused with its reason.
    if not rules.has_perm("meetings.decide_in_review", user):
        raise PermissionDenied
    reason = _require_reason(reason)
    with transaction.atomic():
        locked = WorkingReview.objects.select_for_update().get(pk=review.pk)
        proposal = Proposal.objects.get(pk=proposal.pk)
        if refusal := meeting_rules.review_decision_refusal(locked, proposal):
            raise ServiceError(refusal)
        elsewhere = (
            ReviewDecision.objects.filter(
                proposal=proposal, review__status=WorkingReviewStatus.DRAFT
            )
            .exclude(review=locked)
            .select_related("review")
            .first()
        )
        if elsewhere is not None:
            raise ServiceError(
                _("“%(title)s” is already being decided in %(review)s.")
                % {"title": proposal.title, "review": elsewhere.review}
            )
        decision = ReviewDecision.objects.filter(review=locked, proposal=proposal).first()
        if decision is None:
            if position is None:
                last = locked.decisions.aggregate(last=Max("position"))["last"]
                position = 0 if last is None else last + 1
            decision = ReviewDecision.objects.create(
                review=locked,
                proposal=proposal,
                selected=selected,
                reason=reason,
                position=position,
                decided_by=user,
            )
        else:
            decision.selected = selected
            decision.reason = reason
            decision.decided_by = user
            fields = ["selected", "reason", "decided_by", "updated_at"]
            if position is not None:
                decision.position = position
                fields.append("position")
            decision.save(update_fields=fields)
    return decision


def review_decision_remove(*, decision: ReviewDecision, user) -> None:
    """Take a decision back out of a draft working review."""
    if not rules.has_perm("meetings.decide_in_review", user):
        raise PermissionDenied
    with transaction.atomic():
        review = WorkingReview.objects.select_for_update().get(pk=decision.review_id)
        if refusal := meeting_rules.review_finalise_refusal(review):
            raise ServiceError(refusal)
        ReviewDecision.objects.filter(pk=decision.pk).delete()


def working_review_finalise(*, review: WorkingReview, user) -> WorkingReview:
    """An operator closes the working review and its decisions take effect,
    all or none: each selected proposal goes ON_AGENDA and joins the next
    realization meeting's agenda in the review's order (after items already
    there), its proposer and followers told `selected`; each other proposal
    becomes NOT_SELECTED with the reason, told `not_selected`. The next meeting
    is the review's own, else the next scheduled one (created if there is
    none). Once only: finalising again is refused."""
    if not rules.has_perm("meetings.finalise_review", user):
        raise PermissionDenied
    with transaction.atomic():
        locked = WorkingReview.objects.select_for_update().get(pk=review.pk)
        if refusal := meeting_rules.review_finalise_refusal(locked):
            raise ServiceError(refusal)
        decisions = list(locked.decisions.select_related("proposal").order_by("position", "id"))
        if not decisions:
            raise ServiceError(_("Record at least one decision before finalising."))
        # A proposal may have left working review since (withdrawn): say which.
        for decision in decisions:
            if refusal := meeting_rules.review_decision_refusal(None, decision.proposal):
                raise ServiceError(refusal)
        meeting = locked.next_meeting or meeting_schedule_next()
        meeting = RealizationMeeting.objects.select_for_update().get(pk=meeting.pk)
        if refusal := meeting_rules.meeting_open_refusal(meeting):
            raise ServiceError(refusal)
        position = _next_position(meeting)
        for decision in decisions:
            proposal = decision.proposal
            if decision.selected:
                proposal_transition(
                    proposal=proposal,
                    to_status=ProposalStatus.ON_AGENDA,
                    actor=user,
                    reason=decision.reason,
                )
                agenda_item = AgendaItem.objects.create(
                    meeting=meeting, proposal=proposal, position=position, source_review=locked
                )
                position += 1
                _on_agenda_told(agenda_item=agenda_item, proposal=proposal)
                notices.tell_selected(proposal=proposal, meeting=meeting, reason=decision.reason)
            else:
                proposal_transition(
                    proposal=proposal,
                    to_status=ProposalStatus.NOT_SELECTED,
                    actor=user,
                    reason=decision.reason,
                )
                notices.tell_not_selected(proposal=proposal, reason=decision.reason)
        locked.status = WorkingReviewStatus.FINALISED
        locked.finalised_at = timezone.now()
        locked.finalised_by = user
        locked.next_meeting = meeting
        locked.save(update_fields=["status", "finalised_at", "finalised_by", "next_meeting"])
    return locked


def _on_agenda_told(*, agenda_item: AgendaItem, proposal: Proposal) -> None:
    """Mileage for the proposer whose proposal reached a realization meeting
    (accounts.participation): once per proposal, so only its first agenda
    item counts (an item held over to the next meeting is the same step)."""
    if AgendaItem.objects.filter(proposal=proposal).exclude(pk=agenda_item.pk).exists():
        return
    participated(
        action=Action.MEETING,
        member_id=proposer_id(proposal),
        source=agenda_item,
        proposal_id=proposal.pk,
    )


def _next_position(meeting: RealizationMeeting) -> int:
    last = meeting.items.aggregate(last=Max("position"))["last"]
    return 1 if last is None else last + 1


# --- the meeting calendar ---------------------------------------------------------


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def meeting_time_in(year: int, month: int) -> dt.datetime:
    """The usual meeting time in a month: its last Thursday, 14:00 in Seoul."""
    last_day = dt.date(year, month, calendar.monthrange(year, month)[1])
    day = last_day - dt.timedelta(days=(last_day.weekday() - MEETING_WEEKDAY) % 7)
    return timezone.make_aware(
        dt.datetime.combine(day, MEETING_TIME), timezone.get_default_timezone()
    )


def _slot_after(previous: RealizationMeeting | None, now: dt.datetime) -> dt.datetime:
    """The next meeting time: two months after the previous meeting's month,
    moved on in steps of two months until it is in the future. With no
    meeting at all, the first usual time from this month on."""
    if previous is None:
        local = timezone.localtime(now)
        year, month, step = local.year, local.month, 1
    else:
        local = timezone.localtime(previous.scheduled_at)
        year, month = _add_months(local.year, local.month, MONTHS_BETWEEN_MEETINGS)
        step = MONTHS_BETWEEN_MEETINGS
    when = meeting_time_in(year, month)
    while when <= now:
        year, month = _add_months(year, month, step)
        when = meeting_time_in(year, month)
    return when


def _meeting_create_after(
    previous: RealizationMeeting | None, now: dt.datetime
) -> RealizationMeeting:
    """Create the meeting that follows `previous`. The unique meeting number
    makes a concurrent second creation fail; the caller re-reads."""
    last_number = RealizationMeeting.objects.aggregate(last=Max("number"))["last"] or 0
    with transaction.atomic():
        return RealizationMeeting.objects.create(
            number=last_number + 1,
            scheduled_at=_slot_after(previous, now),
            place=MEETING_PLACE,
            attendees_mayor=MEETING_MAYOR,
        )


def meeting_schedule_next(*, now: dt.datetime | None = None) -> RealizationMeeting:
    """Make sure an upcoming realization meeting is scheduled and return it.
    If a scheduled meeting lies ahead, that one is returned and nothing is
    written; otherwise one is created two months after the latest meeting
    (see `_slot_after`). Idempotent, for Celery beat: however often it runs,
    there is one upcoming meeting."""
    now = now or timezone.now()
    if (upcoming := next_scheduled_meeting(after=now)) is not None:
        return upcoming
    latest = RealizationMeeting.objects.order_by("-scheduled_at", "-number").first()
    try:
        return _meeting_create_after(latest, now)
    except IntegrityError:
        # Another run created it at the same moment.
        upcoming = next_scheduled_meeting(after=now)
        if upcoming is None:
            raise
        return upcoming


def _meeting_after(meeting: RealizationMeeting) -> RealizationMeeting:
    """The meeting after `meeting` that is still to be held: the earliest
    scheduled one after it in the future, else a new one two months on."""
    now = timezone.now()
    following = next_scheduled_meeting(after=max(meeting.scheduled_at, now))
    if following is not None:
        return following
    try:
        return _meeting_create_after(meeting, now)
    except IntegrityError:
        following = next_scheduled_meeting(after=max(meeting.scheduled_at, now))
        if following is None:
            raise
        return following


# --- the realization meeting -------------------------------------------------------


def meeting_invite(*, meeting: RealizationMeeting, user) -> int:
    """An operator invites the proposers of the meeting's undecided agenda
    items by notice and e-mail (`meeting_invitation`). Each proposer is invited
    once per item: inviting again reaches only proposers of items added since.
    Returns how many invitations were sent now."""
    if not rules.has_perm("meetings.run_meeting", user):
        raise PermissionDenied
    invited = 0
    with transaction.atomic():
        meeting = RealizationMeeting.objects.select_for_update().get(pk=meeting.pk)
        if refusal := meeting_rules.meeting_open_refusal(meeting):
            raise ServiceError(refusal)
        items = meeting.items.filter(decision=AgendaDecision.PENDING).select_related(
            "proposal", "proposal__author"
        )
        for item in items:
            proposal = item.proposal
            if proposal.author is None or proposal.status != ProposalStatus.ON_AGENDA:
                continue
            invited += notices.tell_invited(meeting=meeting, proposal=proposal)
        if meeting.invitations_sent_at is None and invited:
            meeting.invitations_sent_at = timezone.now()
            meeting.save(update_fields=["invitations_sent_at"])
    return invited


def agenda_item_decide(
    *,
    item: AgendaItem,
    decision: str,
    reason: str,
    conditions: str = "",
    user,
    meeting: RealizationMeeting | None = None,
    responsible_official=None,
) -> AgendaItem:
    """Record the realization meeting's decision on one agenda item. Requires
    the mayor's office or an operator, the day of the meeting or later, and a
    reason. When the caller records decisions for a given `meeting`, an item
    of another meeting is refused. Deciding an item twice is refused.

    - adopted: the proposal becomes ADOPTED and `signals.item_adopted` is
      sent in this transaction (the conductor opens its management card);
    - not adopted: the proposal becomes NOT_ADOPTED;
    - held over: the proposal stays ON_AGENDA, a new item joins the end of the
      next meeting's agenda (scheduled if need be) and the timeline records
      HELD_OVER.
    The proposer and followers are told with the matching `decision_*` notice.
    `responsible_official` (adopted only): who the meeting names to carry
    the item, a usable official of the item's department; the new card's
    owner when the department has no usable head."""
    if not rules.has_perm("meetings.record_decision", user):
        raise PermissionDenied
    if decision not in DECISIONS:
        raise ValidationError({"decision": _("Choose adopted, held over or not adopted.")})
    reason = _require_reason(reason)
    conditions = (conditions or "").strip()[:REASON_MAX_LENGTH]
    with transaction.atomic():
        locked = (
            AgendaItem.objects.select_for_update()
            .select_related("meeting", "proposal")
            .get(pk=item.pk)
        )
        if refusal := meeting_rules.decide_refusal(locked, meeting):
            raise ServiceError(refusal)
        proposal = locked.proposal
        if responsible_official is not None:
            department = proposal.department or proposal.category.default_department
            if decision != AgendaDecision.ADOPTED:
                raise ValidationError(
                    {"responsible_official": _("Name a responsible official only when adopting.")}
                )
            if not is_usable_official(responsible_official, department.pk if department else None):
                raise ValidationError(
                    {
                        "responsible_official": _(
                            "The responsible official must be an active official of the item's department."
                        )
                    }
                )
        locked.decision = decision
        locked.reason = reason
        locked.conditions = conditions
        locked.responsible_official = responsible_official
        locked.decided_at = timezone.now()
        locked.decided_by = user
        locked.save(
            update_fields=[
                "decision",
                "reason",
                "conditions",
                "responsible_official",
                "decided_at",
                "decided_by",
            ]
        )
        if decision == AgendaDecision.ADOPTED:
            proposal_transition(
                proposal=proposal, to_status=ProposalStatus.ADOPTED, actor=user, reason=reason
            )
            # The next stage starts in this transaction: the conductor
            # connects tracking's management card opening (pipeline/apps.py).
            item_adopted.send(sender=AgendaItem, agenda_item=locked)
            participated(
                action=Action.ADOPTED,
                member_id=proposer_id(proposal),
                source=locked,
                proposal_id=proposal.pk,
            )
        elif decision == AgendaDecision.NOT_ADOPTED:
            proposal_transition(
                proposal=proposal, to_status=ProposalStatus.NOT_ADOPTED, actor=user, reason=reason
            )
        else:
            following = _meeting_after(locked.meeting)
            AgendaItem.objects.create(
                meeting=following,
                proposal=proposal,
                position=_next_position(following),
                held_over_from=locked,
            )
            event_record(
                proposal=proposal,
                kind=EventKind.HELD_OVER,
                actor=user,
                from_status=ProposalStatus.ON_AGENDA,
                to_status=ProposalStatus.ON_AGENDA,
                reason=reason,
            )
        notices.tell_decided(item=locked, proposal=proposal, decision=decision, reason=reason)
    return locked


@dataclass
class DecisionRow:
    """One row of the decision table: the item and what was typed for it."""

    item: AgendaItem
    decision: str
    reason: str
    conditions: str = ""
    responsible_official: object = None


class DecisionTableRefused(Exception):
    """Some rows of a decision table were refused; nothing of it was saved.
    `errors` maps each refused item's id to its ValidationError or
    ServiceError, for the table to show next to the row."""

    def __init__(self, errors: dict[int, Exception]):
        super().__init__(errors)
        self.errors = errors


def meeting_decisions_record(
    *, meeting: RealizationMeeting, rows: list[DecisionRow], user
) -> list[AgendaItem]:
    """Record the meeting's decisions on several agenda items at once (the
    decision table), all or none: each row goes through agenda_item_decide,
    with the same checks as the one-item page, for this `meeting`. If any row
    is refused, every row is still tried so that each error can be shown
    next to its row, then the whole table is rolled back (no decision, no
    timeline event, no notice) and DecisionTableRefused is raised. Rows are
    taken in agenda order so that held-over items join the next meeting in
    that order."""
    if not rules.has_perm("meetings.record_decision", user):
        raise PermissionDenied
    rows = sorted(rows, key=lambda row: (row.item.position, row.item.pk))
    errors: dict[int, Exception] = {}
    decided = []
    with transaction.atomic():
        for row in rows:
            try:
                decided.append(
                    agenda_item_decide(
                        item=row.item,
                        decision=row.decision,
                        reason=row.reason,
                        conditions=row.conditions,
                        responsible_official=row.responsible_official,
                        user=user,
                        meeting=meeting,
                    )
                )
            except (ValidationError, ServiceError) as exc:
                # agenda_item_decide's own atomic block has undone this row.
                errors[row.item.pk] = exc
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise DecisionTableRefused(errors)
    return decided


def meeting_mark_held(*, meeting: RealizationMeeting, user) -> RealizationMeeting:
    """The operator or the mayor's office marks a meeting as held, once its
    time has come and every agenda item has its decision."""
    if not rules.has_perm("meetings.record_decision", user):
        raise PermissionDenied
    with transaction.atomic():
        locked = RealizationMeeting.objects.select_for_update().get(pk=meeting.pk)
        if refusal := meeting_rules.mark_held_refusal(locked):
            raise ServiceError(refusal)
        locked.status = RealizationMeetingStatus.HELD
        locked.held_at = timezone.now()
        locked.save(update_fields=["status", "held_at"])
    return locked


# --- expert opinions ------------------------------------------------------------------


def expert_opinion_save(
    *, proposal: Proposal, expert, text: str, recommendation: str
) -> ExpertOpinion:
    """An expert writes (or rewrites) their feasibility opinion on a proposal,
    one per expert and proposal. Requires an internal or external expert and
    a proposal between its department answer and the meeting's decision. The
    opinion is public on the agenda once saved."""
    if not rules.has_perm("meetings.write_opinion", expert):
        raise PermissionDenied
    text = (text or "").strip()
    errors = {}
    if len(text) < 10:
        errors["text"] = _("Please write your opinion in at least 10 characters.")
    elif len(text) > OPINION_MAX_LENGTH:
        errors["text"] = _("Please keep it within %(n)d characters.") % {"n": OPINION_MAX_LENGTH}
    if recommendation not in ExpertRecommendation.values:
        errors["recommendation"] = _("Choose a recommendation.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if refusal := meeting_rules.opinion_refusal(proposal):
            raise ServiceError(refusal)
        opinion, _created = ExpertOpinion.objects.update_or_create(
            proposal=proposal,
            expert=expert,
            defaults={"text": text, "recommendation": recommendation},
        )
        # Writing the opinion answers whatever was asked of this expert on
        # the proposal (the agenda and the preparation page read it there).
        now = timezone.now()
        ExpertOpinionRequest.objects.filter(
            expert=expert,
            agenda_item__proposal=proposal,
            status=OpinionRequestStatus.OPEN,
        ).update(
            status=OpinionRequestStatus.ANSWERED, opinion=opinion, answered_at=now, updated_at=now
        )
    return opinion


# --- expert opinion requests -------------------------------------------------------------


def _expert_refusal(item: AgendaItem, expert) -> str | None:
    name = expert.display_name.strip() or public_name_for(expert)
    if not expert.is_active or not is_expert(expert):
        return _("%(name)s is not an expert.") % {"name": name}
    if (
        ExpertOpinionRequest.objects.filter(agenda_item=item, expert=expert)
        .exclude(status=OpinionRequestStatus.WITHDRAWN)
        .exists()
    ):
        return _("%(name)s has already been asked for an opinion on this item.") % {"name": name}
    if ExpertOpinion.objects.filter(proposal_id=item.proposal_id, expert=expert).exists():
        return _("%(name)s has already given an opinion on this proposal.") % {"name": name}
    return None


def expert_opinion_request(
    *, item: AgendaItem, experts, due_date: dt.date, user, now: dt.datetime | None = None
) -> list[ExpertOpinionRequest]:
    """The operator asks `experts` (one or more, each with an expert role)
    for their opinion on agenda `item` by `due_date`, which lies between
    today and the day before the meeting. All or nothing: a refused expert
    (not an expert, already asked on this item, already gave an opinion on
    the proposal) or due date refuses the whole request with the reasons, and
    nothing is written. Writes one ExpertOpinionRequest per expert and an
    audit row; each expert is told (notice and e-mail linking to the
    opinion form, after commit)."""
    if not rules.has_perm("meetings.request_opinion", user):
        raise PermissionDenied
    experts = list(dict.fromkeys(experts))
    today = timezone.localdate(now or timezone.now())
    with transaction.atomic():
        item = (
            AgendaItem.objects.select_for_update(of=("self",))
            .select_related("meeting", "proposal")
            .get(pk=item.pk)
        )
        if refusal := meeting_rules.opinion_request_refusal(item):
            raise ServiceError(refusal)
        errors = {}
        if due_date is None:
            errors["due_date"] = _("Please choose a due date.")
        elif refusal := meeting_rules.opinion_due_date_refusal(item, due_date, today):
            errors["due_date"] = refusal
        if not experts:
            errors["experts"] = _("Choose at least one expert.")
        elif refused := [r for e in experts if (r := _expert_refusal(item, e))]:
            errors["experts"] = refused
        if errors:
            raise ValidationError(errors)
        made = [
            ExpertOpinionRequest.objects.create(
                agenda_item=item, expert=expert, requested_by=user, due_date=due_date
            )
            for expert in experts
        ]
        audit_record(
            actor=user,
            action=audit_words.OPINION_REQUESTED,
            target=item,
            params={
                "experts": [expert.pk for expert in experts],
                "due": due_date.isoformat(),
                "title": item.proposal.title,
            },
        )
        for request in made:
            notices.tell_opinion_requested(request=request)
    return made


def expert_opinion_request_withdraw(*, request: ExpertOpinionRequest, user) -> None:
    """The operator withdraws a request still waiting (open, or flagged
    because the expert left): the expert is no longer expected to answer,
    and the expert may be asked again later. Writes the status and an audit row."""
    if not rules.has_perm("meetings.request_opinion", user):
        raise PermissionDenied
    with transaction.atomic():
        locked = (
            ExpertOpinionRequest.objects.select_for_update(of=("self",))
            .select_related("agenda_item__proposal")
            .get(pk=request.pk)
        )
        if locked.status not in OPINION_REQUEST_WAITING:
            raise ServiceError(_("This request is no longer waiting; it cannot be withdrawn."))
        locked.status = OpinionRequestStatus.WITHDRAWN
        locked.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=user,
            action=audit_words.OPINION_REQUEST_WITHDRAWN,
            target=locked,
            params={"expert": locked.expert_id, "title": locked.agenda_item.proposal.title},
        )


def _waiting_requests():
    """Open requests whose item still waits for its meeting's decision."""
    return ExpertOpinionRequest.objects.filter(
        status=OpinionRequestStatus.OPEN,
        agenda_item__decision=AgendaDecision.PENDING,
        agenda_item__meeting__status=RealizationMeetingStatus.SCHEDULED,
    )


def opinion_requests_remind(*, now: dt.datetime | None = None) -> dict:
    """For open requests of items still to be decided: a reminder to the
    expert from OPINION_REMIND_DAYS before the due date (`opinion_reminder`),
    and once the due date has passed a notice to the expert and the operators
    (`opinion_overdue`, `opinion_missing`). Each at most once per request
    (reminded_at / overdue_told_at, and the notices' keys): running it again
    sends nothing twice. Returns the counts."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    counts = {"reminded": 0, "overdue": 0}
    remind = _waiting_requests().filter(
        reminded_at__isnull=True,
        due_date__lte=today + dt.timedelta(days=settings.OPINION_REMIND_DAYS),
        due_date__gte=today,
    )
    for request_id in remind.values_list("id", flat=True):
        with transaction.atomic():
            request = _locked_request(request_id)
            if request.status != OpinionRequestStatus.OPEN or request.reminded_at is not None:
                continue
            request.reminded_at = now
            request.save(update_fields=["reminded_at", "updated_at"])
            notices.tell_opinion_reminder(request=request)
            counts["reminded"] += 1
    overdue = _waiting_requests().filter(overdue_told_at__isnull=True, due_date__lt=today)
    for request_id in overdue.values_list("id", flat=True):
        with transaction.atomic():
            request = _locked_request(request_id)
            if request.status != OpinionRequestStatus.OPEN or request.overdue_told_at is not None:
                continue
            request.overdue_told_at = now
            request.save(update_fields=["overdue_told_at", "updated_at"])
            notices.tell_opinion_overdue(request=request)
            counts["overdue"] += 1
    return counts


def _locked_request(request_id: int) -> ExpertOpinionRequest:
    return (
        ExpertOpinionRequest.objects.select_for_update(of=("self",))
        .select_related("agenda_item__meeting", "agenda_item__proposal", "expert")
        .get(pk=request_id)
    )


def opinion_requests_flag_for(*, member, actor, reason: str, role: str, now=None) -> int:
    """`member` can no longer answer opinion requests (deactivated, or the
    expert role withdrawn with no other expert role left; a department move
    does not concern experts): each of their open requests becomes flagged
    with the reason, an audit row each, and the operators are told, who ask
    someone else or withdraw it. Runs in the caller's transaction
    (accounts.signals.staff_left_post). Returns how many were flagged."""
    if reason not in ("deactivated", "role_withdrawn"):
        return 0
    if reason == "role_withdrawn":
        if role not in EXPERT_ROLES:
            return 0
        # Asked afresh: the member's cached roles may predate the change.
        if member.is_active and member.groups.filter(name__in=EXPERT_ROLES).exists():
            return 0
    # The sender's transaction, normally; atomic() makes the lock safe if not.
    with transaction.atomic():
        return _flag_open_requests(
            member=member, actor=actor, reason=reason, now=now or timezone.now()
        )


def _flag_open_requests(*, member, actor, reason: str, now) -> int:
    flagged = 0
    open_requests = (
        ExpertOpinionRequest.objects.select_for_update(of=("self",))
        .filter(expert=member, status=OpinionRequestStatus.OPEN)
        .select_related("agenda_item__meeting", "agenda_item__proposal", "expert")
    )
    for request in open_requests:
        request.status = OpinionRequestStatus.FLAGGED
        request.flagged_at = now
        request.flag_reason = reason
        request.save(update_fields=["status", "flagged_at", "flag_reason", "updated_at"])
        audit_record(
            actor=actor,
            action=audit_words.OPINION_REQUEST_FLAGGED,
            target=request,
            params={
                "expert": member.pk,
                "title": request.agenda_item.proposal.title,
                "reason": reason,
            },
        )
        notices.tell_opinion_request_flagged(request=request)
        flagged += 1
    return flagged
