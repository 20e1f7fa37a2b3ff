"""The demo's realization meetings: the ones already held, one every two
months, each prepared by its working review two weeks before and decided
item by item by the mayor; then the upcoming one, two months after the
last, with its agenda and invitations. The agendas and decisions are data
(demo/data/meetings.json)."""

from datetime import datetime, time, timedelta

from django.db.models import Max
from django.utils import timezone

from accounts.models import AuditRecord
from meetings.models import (
    AgendaItem,
    ExpertOpinion,
    ExpertOpinionRequest,
    RealizationMeeting,
    WorkingReview,
)
from meetings.services import (
    MONTHS_BETWEEN_MEETINGS,
    agenda_item_decide,
    expert_opinion_request,
    expert_opinion_save,
    meeting_invite,
    meeting_mark_held,
    meeting_schedule_next,
    meeting_time_in,
    opinion_requests_remind,
    working_review_decide,
    working_review_finalise,
)
from proposals.models import Proposal

from .clock import at
from .datafiles import read
from .staff import Staff

REVIEW_DAYS_BEFORE = 14  # a working review prepares the meeting two weeks ahead


def upcoming_slot(now: datetime) -> datetime:
    """The first usual meeting time (last Thursday, 14:00) after `now`."""
    local = timezone.localtime(now)
    index = local.year * 12 + local.month - 1
    while (when := meeting_time_in(index // 12, index % 12 + 1)) <= now:
        index += 1
    return when


def held_slots(now: datetime, count: int) -> list[datetime]:
    """The usual times of `count` meetings held before the upcoming one, two
    months apart, oldest first."""
    upcoming = timezone.localtime(upcoming_slot(now))
    index = upcoming.year * 12 + upcoming.month - 1
    return [
        meeting_time_in((month := index - MONTHS_BETWEEN_MEETINGS * n) // 12, month % 12 + 1)
        for n in range(count, 0, -1)
    ]


def seed_meetings(items: list[Proposal], staff: Staff, now: datetime) -> dict[int, dict]:
    """Put `items` (proposals in working review) on the meetings of
    meetings.json, hold those meetings, then prepare the upcoming one with
    the rest. Returns, by proposal pk, when its working review sat
    (`reviewed`) and, if a meeting decided it, when (`decided`)."""
    data = read("meetings")
    by_title = {proposal.title: proposal for proposal in items}
    held = [
        [(by_title[item["title"]], item) for item in meeting["agenda"] if item["title"] in by_title]
        for meeting in data["held"]
    ]
    placed = {proposal.pk for agenda in held for proposal, _item in agenda}
    times: dict[int, dict] = {}
    number = 0
    for when, agenda in zip(held_slots(now, len(held)), held, strict=True):
        if not agenda:
            continue  # a partial run (--proposals N) has no one for this meeting
        number += 1
        _held_meeting(number, when, agenda, staff, data)
        for proposal, _item in agenda:
            times[proposal.pk] = {
                "reviewed": when - timedelta(days=REVIEW_DAYS_BEFORE),
                "decided": when,
            }

    upcoming = meeting_schedule_next(now=now)
    if number:
        # Scheduled when the meeting before it was held.
        RealizationMeeting.objects.filter(pk=upcoming.pk).update(
            created_at=RealizationMeeting.objects.get(number=number).held_at
        )
    rest = sorted((p for p in items if p.pk not in placed), key=lambda p: (p.created_at, p.pk))
    # The working review sat three days ago, in the morning (Seoul time).
    reviewed = timezone.make_aware(
        datetime.combine(timezone.localdate(now) - timedelta(days=3), time(10, 0))
    )
    if rest:
        review = WorkingReview.objects.create(
            held_on=timezone.localdate(reviewed),
            place=data["review_place"],
            attendees=data["review_attendees"],
            next_meeting=upcoming,
        )
        selected = rest[:-1]  # the last one is already a department's own project
        for proposal in rest:
            chosen = proposal in selected
            working_review_decide(
                review=review,
                proposal=proposal,
                selected=chosen,
                reason=data["upcoming_selected_reason"]
                if chosen
                else data["upcoming_not_selected_reason"],
                user=staff.operator,
            )
            if chosen:
                recommendation, text = data["upcoming_opinions"].get(
                    proposal.title, data["expert_opinion"]
                )
                expert_opinion_save(
                    proposal=proposal,
                    expert=staff.expert2,
                    text=text,
                    recommendation=recommendation,
                )
            times[proposal.pk] = {"reviewed": reviewed, "decided": None}
        working_review_finalise(review=review, user=staff.operator)
        # The services stamped "now"; the review sat three days ago.
        finalised = reviewed + timedelta(hours=4)
        WorkingReview.objects.filter(pk=review.pk).update(
            created_at=reviewed, finalised_at=finalised
        )
        review.decisions.update(created_at=reviewed, updated_at=reviewed)
        AgendaItem.objects.filter(meeting=upcoming, held_over_from=None).update(
            created_at=finalised
        )
        ExpertOpinion.objects.filter(proposal__in=selected).update(
            created_at=finalised + timedelta(days=1), updated_at=finalised + timedelta(days=1)
        )
        _request_opinions(upcoming, staff, data, finalised + timedelta(hours=1), now)
    invited = min(reviewed + timedelta(days=1), now - timedelta(hours=1))
    with at(invited):
        meeting_invite(meeting=upcoming, user=staff.operator)
    RealizationMeeting.objects.filter(pk=upcoming.pk, invitations_sent_at__isnull=False).update(
        invitations_sent_at=invited
    )
    return times


def _request_opinions(upcoming, staff: Staff, data: dict, asked: datetime, now: datetime):
    """The secretariat asked for opinions on the upcoming meeting's items
    the day its working review sat, each of an expert who had not written
    on it yet: the first answered the next day, the second is still open
    (due before the meeting), the third was due yesterday and beat has told
    the expert and the operators. The operator's home lists the missing
    ones ("의견 미제출"), the expert's home what is asked of them, and the
    agenda who was asked and who answered."""
    meeting_day = timezone.localdate(upcoming.scheduled_at)
    today = timezone.localdate(now)
    due_dates = [
        meeting_day - timedelta(days=1),  # answered
        max(min(today + timedelta(days=5), meeting_day - timedelta(days=1)), today),  # open
        today - timedelta(days=1),  # overdue
    ]
    pending = AgendaItem.objects.filter(meeting=upcoming, decision="pending").order_by("position")
    written = set(ExpertOpinion.objects.values_list("proposal_id", "expert_id"))
    audited = AuditRecord.objects.aggregate(n=Max("pk"))["n"] or 0
    made = []
    for item, due in zip(pending, due_dates, strict=False):
        expert = next(
            (e for e in (staff.expert, staff.expert2) if (item.proposal_id, e.pk) not in written),
            None,
        )
        if expert is None or not timezone.localdate(asked) <= due < meeting_day:
            continue
        with at(asked):
            (request,) = expert_opinion_request(
                item=item, experts=[expert], due_date=due, user=staff.operator, now=asked
            )
        made.append(request.pk)
        if len(made) == 1:
            answered = asked + timedelta(days=1)
            recommendation, text = data["requested_opinion"]
            with at(answered):
                opinion = expert_opinion_save(
                    proposal=item.proposal, expert=expert, text=text, recommendation=recommendation
                )
            ExpertOpinion.objects.filter(pk=opinion.pk).update(
                created_at=answered, updated_at=answered
            )
            ExpertOpinionRequest.objects.filter(pk=request.pk).update(answered_at=answered)
    ExpertOpinionRequest.objects.filter(pk__in=made).update(created_at=asked, updated_at=asked)
    # The operator's requests, in the audit trail when they were made.
    AuditRecord.objects.filter(pk__gt=audited).update(created_at=asked)
    # Beat's morning round today (or an hour ago, before nine, but never
    # yesterday: loaded just after midnight, the round an hour ago would see
    # yesterday's date and not yet find the request due yesterday overdue):
    # the reminder and the overdue notices.
    morning = max(
        timezone.make_aware(datetime.combine(today, time(0, 0))),
        min(timezone.make_aware(datetime.combine(today, time(9, 10))), now - timedelta(hours=1)),
    )
    with at(morning):
        opinion_requests_remind(now=morning)
    ExpertOpinionRequest.objects.filter(pk__in=made, updated_at__gt=asked).update(
        updated_at=morning
    )


def _held_meeting(number: int, when: datetime, agenda: list, staff: Staff, data: dict) -> None:
    """Realization meeting `number`, held at `when`: its working review two
    weeks before put `agenda` on it, and the mayor decided each item."""
    meeting = RealizationMeeting.objects.create(
        number=number,
        scheduled_at=when,
        place=data["place"],
        attendees_mayor=data["attendees_mayor"],
        attendees_experts=data["attendees_experts"],
        attendees_officials=data["attendees_officials"],
        # The citizen panel came in growing numbers.
        attendees_citizens=data["attendees_citizens"].format(count=8 + 2 * number),
    )
    review_day = when - timedelta(days=REVIEW_DAYS_BEFORE)
    review = WorkingReview.objects.create(
        held_on=timezone.localdate(review_day),
        place=data["review_place"],
        attendees=data["review_attendees"],
        next_meeting=meeting,
    )
    proposals = [proposal for proposal, _item in agenda]
    for proposal, item in agenda:
        working_review_decide(
            review=review,
            proposal=proposal,
            selected=True,
            reason=data["selected_reason"],
            user=staff.operator,
        )
        # The expert's opinion on this item, which the decision then weighed.
        recommendation, text = item.get("opinion", data["expert_opinion"])
        expert_opinion_save(
            proposal=proposal,
            expert=staff.expert,
            text=text,
            recommendation=recommendation,
        )
    working_review_finalise(review=review, user=staff.operator)
    decisions = {proposal.pk: item for proposal, item in agenda}
    for agenda_item in AgendaItem.objects.filter(meeting=meeting).order_by("position"):
        item = decisions[agenda_item.proposal_id]
        agenda_item_decide(
            item=agenda_item,
            decision=item["decision"],
            reason=item["reason"],
            conditions=item.get("conditions", ""),
            user=staff.mayor,
        )
    meeting_mark_held(meeting=meeting, user=staff.operator)
    # An item held over joined the next meeting's agenda when this one decided.
    AgendaItem.objects.filter(held_over_from__meeting=meeting).update(created_at=when)
    # The services stamped "now"; the meeting and its review lie in the past.
    RealizationMeeting.objects.filter(pk=meeting.pk).update(
        created_at=review_day, held_at=when + timedelta(hours=2)
    )
    finalised = review_day + timedelta(hours=4)
    WorkingReview.objects.filter(pk=review.pk).update(created_at=review_day, finalised_at=finalised)
    review.decisions.update(created_at=review_day, updated_at=review_day)
    AgendaItem.objects.filter(meeting=meeting).update(created_at=finalised)
    ExpertOpinion.objects.filter(proposal__in=proposals).update(
        created_at=review_day - timedelta(days=2), updated_at=review_day - timedelta(days=2)
    )
