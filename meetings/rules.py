"""Who may do what in working reviews and realization meetings, in one place.

As in proposals/rules.py: each state rule is a `*_refusal` function that
returns the (translated) reason an action is not possible now, or None.
Services raise it as a ServiceError; admin forms call the same functions to
show the error on the form; the django-rules permissions below are built on
the same role predicates and decide which buttons and admin rows appear.

| action                               | operator | official | internal expert | external expert | mayor's office |
|--------------------------------------|----------|----------|-----------------|-----------------|----------------|
| record working review decisions      | ✓        | ✓        | ✓               |                 |                |
| finalise a working review            | ✓        |          |                 |                 |                |
| edit a draft review's own record     | ✓        |          |                 |                 |                |
| schedule, invite, edit a meeting     | ✓        |          |                 |                 |                |
| reorder an agenda until it is held   | ✓        |          |                 |                 |                |
| delete a draft review / empty meeting| ✓        |          |                 |                 |                |
| record a meeting decision, mark held | ✓        |          |                 |                 | ✓              |
| read the internal agenda (real names)| ✓        |          |                 |                 | ✓              |
| write an expert opinion (own)        |          |          | ✓               | ✓               |                |
| ask experts for opinions (requests)  | ✓        |          |                 |                 |                |
| answer a request (by writing, own)   |          |          | ✓               | ✓               |                |
| read meetings and agendas            | everyone (public)                                                          |
"""

import rules
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.predicates import (
    is_expert,
    is_internal_expert,
    is_mayor_office,
    is_official,
    is_operator,
)
from proposals.models import ProposalStatus

from .models import AgendaDecision, RealizationMeetingStatus, WorkingReviewStatus

# An expert may review a proposal from the moment a department must answer
# it until the realization meeting decides.
OPINION_STATUSES = frozenset(
    {
        ProposalStatus.ASSIGNED,
        ProposalStatus.ANSWERED,
        ProposalStatus.DEBATE,
        ProposalStatus.REVIEW,
        ProposalStatus.ON_AGENDA,
    }
)


# --- roles --------------------------------------------------------------------

# Operators, department officials and internal experts (retired officials)
# sit in the working review.
takes_part_in_review = is_operator | is_official | is_internal_expert

# The mayor's office records the meeting's decisions; the operator, as the
# meeting's secretariat, may too.
records_decisions = is_mayor_office | is_operator


# --- state rules ----------------------------------------------------------------


def review_decision_refusal(review, proposal) -> str | None:
    """Why `proposal` cannot be decided in `review` now, or None."""
    if review is not None and review.pk and review.status != WorkingReviewStatus.DRAFT:
        return _("This working review is finalised; its decisions can no longer change.")
    if proposal.deleted_at or proposal.status != ProposalStatus.REVIEW:
        return _(
            "Only proposals in working review can be decided; “%(title)s” is “%(status)s”."
        ) % {"title": proposal.title, "status": ProposalStatus(proposal.status).label}
    return None


def review_finalise_refusal(review) -> str | None:
    if review.status != WorkingReviewStatus.DRAFT:
        return _("This working review is already finalised.")
    return None


def meeting_open_refusal(meeting) -> str | None:
    """Why items can no longer be added to or invited for `meeting`."""
    if meeting.status == RealizationMeetingStatus.HELD:
        return _("%(meeting)s has already been held.") % {"meeting": meeting.title}
    return None


def decide_refusal(item, meeting=None, now=None) -> str | None:
    """Why the meeting's decision on `item` cannot be recorded now, or None.
    `meeting` is the meeting the decision is recorded for, when the caller
    names one (a form on a meeting's page)."""
    if meeting is not None and item.meeting_id != meeting.pk:
        return _("“%(title)s” is not on the agenda of %(meeting)s.") % {
            "title": item.proposal.title,
            "meeting": meeting.title,
        }
    if item.decision != AgendaDecision.PENDING:
        return _("%(meeting)s has already decided on “%(title)s”: %(decision)s.") % {
            "meeting": item.meeting.title,
            "title": item.proposal.title,
            "decision": AgendaDecision(item.decision).label,
        }
    if item.meeting.status == RealizationMeetingStatus.HELD:
        return _("%(meeting)s has already been held.") % {"meeting": item.meeting.title}
    today = timezone.localdate(now or timezone.now())
    if timezone.localdate(item.meeting.scheduled_at) > today:
        return _("Decisions can be recorded from the day of the meeting (%(date)s).") % {
            "date": timezone.localdate(item.meeting.scheduled_at).isoformat()
        }
    if item.proposal.status != ProposalStatus.ON_AGENDA:
        return _("“%(title)s” is “%(status)s” and can no longer be decided.") % {
            "title": item.proposal.title,
            "status": ProposalStatus(item.proposal.status).label,
        }
    return None


def mark_held_refusal(meeting, now=None) -> str | None:
    if meeting.status == RealizationMeetingStatus.HELD:
        return _("%(meeting)s is already marked as held.") % {"meeting": meeting.title}
    if meeting.scheduled_at > (now or timezone.now()):
        return _("%(meeting)s has not taken place yet.") % {"meeting": meeting.title}
    pending = meeting.items.filter(decision=AgendaDecision.PENDING).count()
    if pending:
        return _(
            "%(count)d agenda items of %(meeting)s have no decision yet; record them first."
        ) % {"count": pending, "meeting": meeting.title}
    return None


def opinion_request_refusal(item) -> str | None:
    """Why experts cannot be asked for opinions on `item` now: the item
    must still wait for its decision at a meeting not yet held."""
    meeting = item.meeting
    if meeting.status == RealizationMeetingStatus.HELD:
        return _("%(meeting)s has already been held.") % {"meeting": meeting.title}
    if item.decision != AgendaDecision.PENDING:
        return _("%(meeting)s has already decided on “%(title)s”: %(decision)s.") % {
            "meeting": meeting.title,
            "title": item.proposal.title,
            "decision": AgendaDecision(item.decision).label,
        }
    return None


def opinion_due_date_refusal(item, due_date, today) -> str | None:
    """Why `due_date` does not fit: it must lie between today and the day
    before the meeting (the opinions are printed on the agenda)."""
    meeting_day = timezone.localdate(item.meeting.scheduled_at)
    if due_date < today:
        return _("The due date has already passed; choose today or a later day.")
    if due_date >= meeting_day:
        return _("The due date must be before the meeting day (%(date)s).") % {
            "date": meeting_day.isoformat()
        }
    return None


def opinion_refusal(proposal) -> str | None:
    if proposal.deleted_at or proposal.status not in OPINION_STATUSES:
        return _("Expert opinions are taken from the department answer until the meeting decides.")
    return None


# --- django-rules ---------------------------------------------------------------


@rules.predicate
def is_opinion_author(user, opinion):
    return opinion is not None and user.is_authenticated and opinion.expert_id == user.pk


@rules.predicate
def review_is_draft(user, review):
    return review is None or review.status == WorkingReviewStatus.DRAFT


rules.add_perm("meetings.decide_in_review", takes_part_in_review & review_is_draft)
rules.add_perm("meetings.finalise_review", is_operator & review_is_draft)
rules.add_perm("meetings.run_meeting", is_operator)
rules.add_perm("meetings.record_decision", records_decisions)
# The internal agenda prints proposers' real names and e-mail addresses for
# name cards and seating: the meeting's secretariat (operators) and the
# mayor's office, who run the meeting, and nobody else. Officials present
# their department's answer but seat no one, so they do not need proposers'
# personal data (PIPA: the least that serves the purpose).
rules.add_perm("meetings.read_internal_agenda", records_decisions)
rules.add_perm("meetings.write_opinion", is_expert)
rules.add_perm("meetings.edit_opinion", is_expert & is_opinion_author)
# The secretariat asks experts for opinions and follows them up.
rules.add_perm("meetings.request_opinion", is_operator)


@rules.predicate
def meeting_is_ahead(user, meeting):
    return meeting is not None and not meeting.is_held


@rules.predicate
def meeting_has_no_agenda(user, meeting):
    return meeting is not None and not meeting.items.exists()


# Only a draft review, and a meeting with no agenda yet, may go: anything
# else is part of the public record.
rules.add_perm("meetings.delete_review", is_operator & review_is_draft)
# The review's own record (date, place, attendees, notes, next meeting): the
# secretariat's. Officials and internal experts only record decisions in it.
rules.add_perm("meetings.edit_review", is_operator & review_is_draft)
rules.add_perm("meetings.delete_meeting", is_operator & meeting_has_no_agenda)
# The agenda's order is the secretariat's until the meeting is held.
rules.add_perm("meetings.reorder_agenda", is_operator & meeting_is_ahead)
