"""The notices this app sends: their kinds, their words, and the small
functions services call to send them. The meeting's date and time are written
the same in both languages; its place is data (in Korean, like the rest)."""

from enum import StrEnum

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.messages import NoticeText, moments
from notifications.services import notify, notify_proposal

from .models import AgendaDecision, AgendaItem, RealizationMeeting


class MeetingNotice(StrEnum):
    """Notification.kind of this app's notices."""

    SELECTED = "selected"
    NOT_SELECTED = "not_selected"
    MEETING_INVITATION = "meeting_invitation"
    DECISION_ADOPTED = "decision_adopted"
    DECISION_HELD = "decision_held"
    DECISION_NOT_ADOPTED = "decision_not_adopted"


# The meeting's date and time are stored in ISO form and written in the
# reader's language when read.
WHEN = {"meeting": moments}


def _when(meeting: RealizationMeeting) -> str:
    return timezone.localtime(meeting.scheduled_at).isoformat(timespec="minutes")


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
