"""This app's sections of the staff home (accounts.staff_home), registered
in apps.py: the next realization meeting (its agenda and preparation) for
the operators and the mayor's office, the decisions still to record, and
for experts the agenda items that wait for their opinion."""

import datetime as dt

from django.db.models import Subquery
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.predicates import is_expert, is_mayor_office, is_operator
from accounts.staff_home import HomeRole, HomeRow, HomeSection, admin_url, section_from
from proposals.models import ProposalStatus

from . import rules as meeting_rules
from .models import (
    OPINION_REQUEST_WAITING,
    AgendaDecision,
    AgendaItem,
    ExpertOpinion,
    ExpertOpinionRequest,
    OpinionRequestStatus,
    RealizationMeeting,
    RealizationMeetingStatus,
)
from .notices import meeting_opinions_url, opinion_form_url
from .selectors import with_decision_counts

# The name the internal agenda (real names and contacts, staff only) is
# registered under by the meetings' admin; the home links to it once it
# exists and leaves it out otherwise.


def _start_of_today(now) -> dt.datetime:
    today = timezone.localdate(now)
    return timezone.make_aware(dt.datetime.combine(today, dt.time.min))


def next_meeting(now):
    """The next scheduled meeting still to come, with its decision counts;
    None if none is scheduled. (A meeting whose hour has passed is one whose
    decisions are to record: `decisions_to_record`.)"""
    return (
        with_decision_counts(
            RealizationMeeting.objects.filter(
                status=RealizationMeetingStatus.SCHEDULED, scheduled_at__gt=now
            )
        )
        .order_by("scheduled_at", "number")
        .first()
    )


def internal_agenda_url(meeting) -> str:
    return reverse("admin:meetings_realizationmeeting_agenda_internal", args=[meeting.pk])


def _meeting_links(meeting, *, internal: bool) -> list[tuple[str, str]]:
    links = [
        (
            gettext("Meeting page"),
            reverse("admin:meetings_realizationmeeting_change", args=[meeting.pk]),
        ),
        (gettext("Public agenda"), meeting.get_agenda_url()),
    ]
    if internal:
        links.append((gettext("Internal agenda (real names)"), internal_agenda_url(meeting)))
    return links


def _meeting_summary(meeting) -> str:
    return gettext(
        "%(meeting)s · %(when)s · %(place)s — %(items)d items on the agenda, "
        "%(pending)d decisions still to record"
    ) % {
        "meeting": meeting.title,
        "when": formats.date_format(timezone.localtime(meeting.scheduled_at), "Y-m-d H:i"),
        "place": meeting.place,
        "items": meeting.item_count,
        "pending": meeting.pending_count,
    }


def decide_url(item) -> str:
    """The meeting's decision table, at the item's row: the secretary
    records all of a meeting's decisions there at once."""
    table = reverse("admin:meetings_realizationmeeting_decisions", args=[item.meeting_id])
    return f"{table}#row-{item.pk}"


def _item_row(item, now) -> HomeRow:
    # Before the meeting day there is nothing to record yet: the row opens
    # the meeting's page, where the agenda is prepared.
    if item.is_pending and meeting_rules.decide_refusal(item, now=now) is None:
        url = decide_url(item)
    else:
        url = reverse("admin:meetings_realizationmeeting_change", args=[item.meeting_id])
    return HomeRow(
        title=item.proposal.title,
        url=url,
        deadline=timezone.localdate(item.meeting.scheduled_at),
        note=item.get_decision_display(),
    )


def _next_meeting_section(user, now, *, key, role, title) -> HomeSection:
    meeting = next_meeting(now)
    if meeting is None:
        return HomeSection(
            key=key,
            role=role,
            title=title,
            empty_text=_("No realization meeting is scheduled."),
            list_url=reverse("admin:meetings_realizationmeeting_changelist"),
        )
    items = (
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("meeting", "proposal")
        .order_by("position", "id")
    )
    rows, _count = section_from(items, lambda item: _item_row(item, now))
    return HomeSection(
        key=key,
        role=role,
        title=title,
        empty_text=_("Nothing is on its agenda yet."),
        rows=rows,
        count=meeting.item_count,
        summary=_meeting_summary(meeting),
        links=_meeting_links(meeting, internal=True),
        list_url=reverse("admin:meetings_realizationmeeting_changelist"),
    )


def operator_meeting(user, now):
    if not is_operator(user):
        return None
    return _next_meeting_section(
        user,
        now,
        key="meetings.preparation",
        role=HomeRole.OPERATOR,
        title=_("The next meeting's preparation"),
    )


def mayor_meeting(user, now):
    if not is_mayor_office(user):
        return None
    return _next_meeting_section(
        user, now, key="meetings.next", role=HomeRole.MAYOR_OFFICE, title=_("The next meeting")
    )


def _decisions_to_record(user, now, *, key, role):
    """Items of meetings whose day has come (and that are not marked held)
    still without a decision: the mayor's office records them, and the
    operators may."""
    end_of_today = _start_of_today(now) + dt.timedelta(days=1)
    queryset = (
        AgendaItem.objects.filter(
            decision=AgendaDecision.PENDING,
            meeting__status=RealizationMeetingStatus.SCHEDULED,
            meeting__scheduled_at__lt=end_of_today,
            proposal__status=ProposalStatus.ON_AGENDA,
        )
        .select_related("meeting", "proposal")
        .order_by("meeting__scheduled_at", "position", "id")
    )
    rows, count = section_from(
        queryset,
        lambda item: HomeRow(
            title=item.proposal.title,
            url=decide_url(item),
            deadline=timezone.localdate(item.meeting.scheduled_at),
            note=item.meeting.title,
        ),
    )
    return HomeSection(
        key=key,
        role=role,
        title=_("Decisions to record"),
        empty_text=_("No decision waits to be recorded."),
        rows=rows,
        count=count,
        list_url=admin_url("admin:meetings_agendaitem_changelist", decision=AgendaDecision.PENDING),
    )


def mayor_decisions(user, now):
    if not is_mayor_office(user):
        return None
    return _decisions_to_record(user, now, key="meetings.decisions", role=HomeRole.MAYOR_OFFICE)


def operator_decisions(user, now):
    if not is_operator(user):
        return None
    return _decisions_to_record(
        user, now, key="meetings.operator_decisions", role=HomeRole.OPERATOR
    )


def _requests_waiting(now):
    """Requests still waiting on items of meetings to come."""
    return ExpertOpinionRequest.objects.filter(
        agenda_item__decision=AgendaDecision.PENDING,
        agenda_item__meeting__status=RealizationMeetingStatus.SCHEDULED,
        agenda_item__meeting__scheduled_at__gt=now,
    )


def opinions_asked_of_you(user, now):
    """Expert: what the secretariat asked of them by name, the earliest due
    date first, each row opening the opinion form with the proposal filled in."""
    if not is_expert(user):
        return None
    queryset = (
        _requests_waiting(now)
        .filter(expert=user, status=OpinionRequestStatus.OPEN)
        .select_related("agenda_item__meeting", "agenda_item__proposal")
        .order_by("due_date", "id")
    )
    rows, count = section_from(
        queryset,
        lambda request: HomeRow(
            title=request.agenda_item.proposal.title,
            url=opinion_form_url(request),
            deadline=request.due_date,
            note=request.agenda_item.meeting.title,
        ),
    )
    return HomeSection(
        key="meetings.opinion_requests",
        role=HomeRole.EXPERT,
        title=_("Opinions asked of you by name"),
        empty_text=_("Nobody has asked you for an opinion."),
        rows=rows,
        count=count,
        list_url=reverse("admin:meetings_expertopinion_changelist"),
    )


def operator_missing_opinions(user, now):
    """Operator: requested opinions of the next meeting not given yet
    ("의견 미제출"), the earliest due date first; flagged ones (the expert
    can no longer answer) wait for the operator. The next meeting is a
    subquery, so the section costs its two queries and no more."""
    if not is_operator(user):
        return None
    upcoming = (
        RealizationMeeting.objects.filter(
            status=RealizationMeetingStatus.SCHEDULED, scheduled_at__gt=now
        )
        .order_by("scheduled_at", "number")
        .values("pk")[:1]
    )
    queryset = (
        _requests_waiting(now)
        .filter(agenda_item__meeting=Subquery(upcoming), status__in=OPINION_REQUEST_WAITING)
        .select_related("agenda_item__proposal", "expert")
        .order_by("due_date", "id")
    )

    def row(request):
        name = request.expert.display_name.strip() or request.expert.email
        if request.status == OpinionRequestStatus.FLAGGED:
            name = f"{name} · {request.get_status_display()}"
        return HomeRow(
            title=request.agenda_item.proposal.title,
            url=meeting_opinions_url(request.agenda_item.meeting_id),
            deadline=request.due_date,
            note=name,
        )

    rows, count = section_from(queryset, row)
    list_url = rows[0].url if rows else reverse("admin:meetings_realizationmeeting_changelist")
    return HomeSection(
        key="meetings.missing_opinions",
        role=HomeRole.OPERATOR,
        title=_("Opinions not submitted"),
        empty_text=_("No requested opinion is missing for the next meeting."),
        rows=rows,
        count=count,
        list_url=list_url,
    )


def opinions_requested(user, now):
    """Expert: agenda items of meetings to come on which they have not
    given their opinion yet, the soonest meeting first. Items asked of them
    by name are in the section before (opinions_asked_of_you), not here."""
    if not is_expert(user):
        return None
    queryset = (
        AgendaItem.objects.filter(
            decision=AgendaDecision.PENDING,
            meeting__status=RealizationMeetingStatus.SCHEDULED,
            meeting__scheduled_at__gt=now,
            proposal__deleted_at__isnull=True,
            proposal__status__in=meeting_rules.OPINION_STATUSES,
        )
        .exclude(
            proposal__in=ExpertOpinion.objects.filter(expert=user).values("proposal_id"),
        )
        .exclude(
            pk__in=ExpertOpinionRequest.objects.filter(
                expert=user, status=OpinionRequestStatus.OPEN
            ).values("agenda_item_id"),
        )
        .select_related("meeting", "proposal")
        .order_by("meeting__scheduled_at", "position", "id")
    )
    rows, count = section_from(
        queryset,
        lambda item: HomeRow(
            title=item.proposal.title,
            url=admin_url("admin:meetings_expertopinion_add", proposal=item.proposal_id),
            deadline=timezone.localdate(item.meeting.scheduled_at),
            note=item.meeting.title,
        ),
    )
    return HomeSection(
        key="meetings.opinions",
        role=HomeRole.EXPERT,
        title=_("Opinions requested of you"),
        empty_text=_("No agenda item waits for your opinion."),
        rows=rows,
        count=count,
        list_url=reverse("admin:meetings_expertopinion_changelist"),
    )


# (key, builder, order) for accounts.staff_home.register_section.
SECTIONS = [
    ("meetings.preparation", operator_meeting, 60),
    ("meetings.operator_decisions", operator_decisions, 61),
    ("meetings.next", mayor_meeting, 62),
    ("meetings.decisions", mayor_decisions, 63),
    ("meetings.missing_opinions", operator_missing_opinions, 60),
    ("meetings.opinion_requests", opinions_asked_of_you, 64),
    ("meetings.opinions", opinions_requested, 65),
]
