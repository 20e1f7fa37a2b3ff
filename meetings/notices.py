"""The notices this app sends: their kinds, their words, and the small
functions services call to send them. The meeting's date and time are written
the same in both languages; its place is data (in Korean, like the rest)."""

from enum import StrEnum

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.selectors import operators
from accounts.staff_home import admin_url
from notifications.messages import NoticeText, dates, moments
from notifications.models import NoticeTopic
from notifications.services import notify, notify_proposal

from .models import AgendaDecision, AgendaItem, ExpertOpinionRequest, RealizationMeeting


class MeetingNotice(StrEnum):
    """Notification.kind of this app's notices."""

    SELECTED = "selected"
    NOT_SELECTED = "not_selected"
    MEETING_INVITATION = "meeting_invitation"
    DECISION_ADOPTED = "decision_adopted"
    DECISION_HELD = "decision_held"
    DECISION_NOT_ADOPTED = "decision_not_adopted"
    OPINION_REQUESTED = "opinion_requested"
    OPINION_REMINDER = "opinion_reminder"
    OPINION_OVERDUE = "opinion_overdue"
    OPINION_MISSING = "opinion_missing"
    OPINION_REQUEST_FLAGGED = "opinion_request_flagged"


# The meeting's date and time are stored in ISO form and written in the
# reader's language when read.
WHEN = {"meeting": moments}


def _when(meeting: RealizationMeeting) -> str:
    return timezone.localtime(meeting.scheduled_at).isoformat(timespec="minutes")


def member_names(values: set) -> dict[int, str]:
    """Member ids as staff know them: their name, else their address (one query)."""
    ids = {value for value in values if isinstance(value, int)}
    return {
        user.pk: user.display_name.strip() or user.email
        for user in User.objects.filter(pk__in=ids).only("pk", "display_name", "email")
    }


def _flag_reasons(values: set) -> dict[str, str]:
    words = {
        "deactivated": _("the account was deactivated"),
        "role_withdrawn": _("no longer holds the expert role"),
    }
    return {value: str(words[value]) for value in values if value in words}


# A request's due date, its meeting's time, the expert named to operators.
REQUEST_FORMATS = {"due": dates, "meeting": moments, "expert": member_names}

MESSAGES = {
    MeetingNotice.SELECTED: NoticeText(
        _("Going to the realization meeting"),
        _("The working review put “%(title)s” forward to the realization meeting: %(reason)s"),
        formats=WHEN,
    ),
    MeetingNotice.NOT_SELECTED: NoticeText(
        _("Not put to the realization meeting"),
        _("The working review did not put “%(title)s” forward: %(reason)s"),
    ),
    MeetingNotice.MEETING_INVITATION: NoticeText(
        _("You are invited to the realization meeting"),
        _(
            "“%(title)s” is on the agenda of the realization meeting on %(meeting)s at %(place)s. You are warmly invited."
        ),
        formats=WHEN,
    ),
    MeetingNotice.DECISION_ADOPTED: NoticeText(
        _("Adopted!"),
        _("The realization meeting adopted “%(title)s”. %(reason)s"),
        formats=WHEN,
    ),
    MeetingNotice.DECISION_HELD: NoticeText(
        _("Held over to the next meeting"),
        _("The realization meeting held “%(title)s” over to its next meeting. %(reason)s"),
        formats=WHEN,
    ),
    MeetingNotice.DECISION_NOT_ADOPTED: NoticeText(
        _("Not adopted"),
        _("The realization meeting did not adopt “%(title)s”. %(reason)s"),
        formats=WHEN,
    ),
}

MESSAGES.update(
    {
        MeetingNotice.OPINION_REQUESTED: NoticeText(
            _("Your expert opinion is requested"),
            _(
                "The secretariat asks for your opinion on “%(title)s”, on the agenda of the "
                "realization meeting on %(meeting)s. Please write it by %(due)s."
            ),
            formats=REQUEST_FORMATS,
        ),
        MeetingNotice.OPINION_REMINDER: NoticeText(
            _("Your expert opinion is due soon"),
            _("Your opinion on “%(title)s” is due on %(due)s."),
            formats=REQUEST_FORMATS,
        ),
        MeetingNotice.OPINION_OVERDUE: NoticeText(
            _("Your expert opinion is overdue"),
            _(
                "Your opinion on “%(title)s” was due on %(due)s; the meeting is on "
                "%(meeting)s. Please write it as soon as you can."
            ),
            formats=REQUEST_FORMATS,
        ),
        MeetingNotice.OPINION_MISSING: NoticeText(
            _("An expert opinion is overdue"),
            _("%(expert)s has not given the opinion on “%(title)s” that was due on %(due)s."),
            formats=REQUEST_FORMATS,
        ),
        MeetingNotice.OPINION_REQUEST_FLAGGED: NoticeText(
            _("An expert can no longer give an opinion"),
            _(
                "%(expert)s can no longer give the opinion requested on “%(title)s” "
                "(%(reason)s). Ask another expert or withdraw the request."
            ),
            formats={**REQUEST_FORMATS, "reason": _flag_reasons},
        ),
    }
)

# The notice each of the meeting's decisions sends.
DECISION_NOTICES = {
    AgendaDecision.ADOPTED: MeetingNotice.DECISION_ADOPTED,
    AgendaDecision.HELD_OVER: MeetingNotice.DECISION_HELD,
    AgendaDecision.NOT_ADOPTED: MeetingNotice.DECISION_NOT_ADOPTED,
}


def tell_selected(*, proposal, meeting: RealizationMeeting, reason: str) -> None:
    """The proposer and followers: the working review put the proposal on
    `meeting`'s agenda; once per proposal."""
    notify_proposal(
        proposal=proposal,
        kind=MeetingNotice.SELECTED,
        key=f"selected:{proposal.pk}",
        params={"reason": reason, "meeting": _when(meeting), "place": meeting.place},
    )


def tell_not_selected(*, proposal, reason: str) -> None:
    """The proposer and followers: the working review did not put it forward."""
    notify_proposal(
        proposal=proposal,
        kind=MeetingNotice.NOT_SELECTED,
        key=f"not_selected:{proposal.pk}",
        params={"reason": reason},
    )


def tell_invited(*, meeting: RealizationMeeting, proposal) -> int:
    """The proposer: an invitation to `meeting`, once per meeting and
    proposal, linking to the meeting's page. Returns how many were sent now."""
    return len(
        notify(
            recipients=[proposal.author],
            topic=NoticeTopic.MY_PROPOSALS,
            kind=MeetingNotice.MEETING_INVITATION,
            key=f"meeting_invitation:{meeting.pk}:{proposal.pk}",
            proposal=proposal,
            params={"meeting": _when(meeting), "place": meeting.place},
            url=meeting.get_absolute_url(),
        )
    )


def tell_decided(*, item: AgendaItem, proposal, decision: str, reason: str) -> None:
    """The proposer and followers: the meeting's decision on the item."""
    notify_proposal(
        proposal=proposal,
        kind=DECISION_NOTICES[decision],
        key=f"meeting_decision:{item.pk}",
        params={"reason": reason, "meeting": _when(item.meeting)},
    )


# --- expert opinion requests --------------------------------------------------------


def opinion_form_url(request: ExpertOpinionRequest) -> str:
    """The expert's opinion form with the proposal filled in."""
    return admin_url("admin:meetings_expertopinion_add", proposal=request.agenda_item.proposal_id)


def meeting_opinions_url(meeting_id: int) -> str:
    """The meeting's expert opinions page, where the secretariat follows them up."""
    return reverse("admin:meetings_realizationmeeting_opinions", args=[meeting_id])


def _request_params(request: ExpertOpinionRequest) -> dict:
    return {
        "due": request.due_date.isoformat(),
        "meeting": _when(request.agenda_item.meeting),
        "expert": request.expert_id,
    }


def _tell_expert(request: ExpertOpinionRequest, kind: MeetingNotice) -> int:
    return len(
        notify(
            recipients=[request.expert],
            topic=NoticeTopic.WORK,
            kind=kind,
            key=f"{kind}:{request.pk}",
            proposal=request.agenda_item.proposal,
            params=_request_params(request),
            url=opinion_form_url(request),
        )
    )


def tell_opinion_requested(*, request: ExpertOpinionRequest) -> int:
    """The expert: asked for an opinion, with the form's address; once per request."""
    return _tell_expert(request, MeetingNotice.OPINION_REQUESTED)


def tell_opinion_reminder(*, request: ExpertOpinionRequest) -> int:
    """The expert: the due date is near; once per request."""
    return _tell_expert(request, MeetingNotice.OPINION_REMINDER)


def tell_opinion_overdue(*, request: ExpertOpinionRequest) -> None:
    """The expert and the operators: the due date passed without the
    opinion; once per request each."""
    _tell_expert(request, MeetingNotice.OPINION_OVERDUE)
    notify(
        recipients=operators(),
        topic=NoticeTopic.WORK,
        kind=MeetingNotice.OPINION_MISSING,
        key=f"{MeetingNotice.OPINION_MISSING}:{request.pk}",
        proposal=request.agenda_item.proposal,
        params=_request_params(request),
        url=meeting_opinions_url(request.agenda_item.meeting_id),
    )


def tell_opinion_request_flagged(*, request: ExpertOpinionRequest) -> None:
    """The operators: the expert can no longer answer (staff_left_post);
    once per request."""
    notify(
        recipients=operators(),
        topic=NoticeTopic.WORK,
        kind=MeetingNotice.OPINION_REQUEST_FLAGGED,
        key=f"{MeetingNotice.OPINION_REQUEST_FLAGGED}:{request.pk}",
        proposal=request.agenda_item.proposal,
        params={**_request_params(request), "reason": request.flag_reason},
        url=meeting_opinions_url(request.agenda_item.meeting_id),
    )
