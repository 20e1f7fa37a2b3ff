"""The notices this app sends: their kinds, their words, and the small
functions services call to send them. Parameters are ids, codes and ISO
dates; notifications names them in each reader's language when the notice is
read or e-mailed (notifications/messages.py)."""

from enum import StrEnum

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.selectors import department_names, department_officials, operators, usable_head
from notifications.messages import NoticeText, choices, dates, falls_to, staff_left_reasons
from notifications.models import NoticeTopic
from notifications.services import notify, notify_proposal, proposal_audience

from .models import CardEvent, CardStage, ManagementCard, ProgressReport


class CardNotice(StrEnum):
    """Notification.kind of this app's notices."""

    CARD_OPENED = "card_opened"
    CARD_OPENED_CARRIED = "card_opened_carried"
    CARD_STAGE_CHANGED = "card_stage_changed"
    CARD_HANDOFF = "card_handoff"
    REPORT_REQUESTED = "report_requested"
    REPORT_REMINDER = "report_reminder"
    REPORT_OVERDUE = "report_overdue"
    CARD_REPORT = "card_report"
    CARDS_OWNER_LEFT = "cards_owner_left"
    UNOWNED_WORK = "unowned_work"
    PROMISE_OPENED = "promise_opened"
    PROMISE_OPENED_CARRIED = "promise_opened_carried"
    PROMISE_ADOPTED = "promise_adopted"


# Every parameter of these notices that is a code, and how to name it.
NAMES = {
    "department": department_names,
    "stage": choices(CardStage),
    "deadline": dates,
}


MESSAGES = {
    # To the department's usable head (else nobody there) and the operators.
    CardNotice.CARDS_OWNER_LEFT: NoticeText(
        _("Adopted items without an owner"),
        _(
            "%(name)s %(reason)s. %(count)s adopted item(s) of %(department)s they carried now have no owner and fall to %(falls_to)s until you hand them to another official."
        ),
        {**NAMES, "reason": staff_left_reasons, "falls_to": falls_to},
    ),
    CardNotice.CARD_OPENED: NoticeText(
        _("An adopted item for your department"),
        _(
            "The realization meeting adopted “%(title)s”. %(department)s keeps its management card: please name the responsible official and plan it."
        ),
        NAMES,
    ),
    # A card that opened with its responsible official already named
    # (services.cards.initial_owner): nobody is asked to name one.
    CardNotice.CARD_OPENED_CARRIED: NoticeText(
        _("An adopted item for your department"),
        _(
            "The realization meeting adopted “%(title)s”. %(department)s keeps its management card, carried by %(to)s: please plan it."
        ),
        NAMES,
    ),
    # A promise card (the department's accepting answer): kept like an
    # adopted item, so the same words ask for the same work.
    CardNotice.PROMISE_OPENED: NoticeText(
        _("Your department's promise is tracked"),
        _(
            "Your answer to “%(title)s” accepted it, so %(department)s keeps a management card for it like an adopted item: please name the responsible official and plan it."
        ),
        NAMES,
    ),
    CardNotice.PROMISE_OPENED_CARRIED: NoticeText(
        _("Your department's promise is tracked"),
        _(
            "Your answer to “%(title)s” accepted it, so %(department)s keeps a management card for it like an adopted item, carried by %(to)s: please plan it."
        ),
        NAMES,
    ),
    CardNotice.PROMISE_ADOPTED: NoticeText(
        _("Your department's promise was adopted"),
        _(
            "The realization meeting adopted “%(title)s”. Its management card carries on as an adopted item, with its history and reports: please check the meeting's conditions."
        ),
        NAMES,
    ),
    CardNotice.CARD_STAGE_CHANGED: NoticeText(
        _("An adopted item moved on"),
        _("The adopted item “%(title)s” is now “%(stage)s”. %(note)s"),
        NAMES,
    ),
    CardNotice.CARD_HANDOFF: NoticeText(
        _("An adopted item changed hands"),
        _("The management card of “%(title)s” passed from %(from)s to %(to)s. %(note)s"),
        NAMES,
    ),
    CardNotice.REPORT_REQUESTED: NoticeText(
        _("A progress report is requested"),
        _(
            "Please submit progress report %(period)s on the adopted item “%(title)s” by %(deadline)s."
        ),
        NAMES,
    ),
    CardNotice.REPORT_REMINDER: NoticeText(
        _("Reminder: a progress report is due soon"),
        _("Progress report %(period)s on the adopted item “%(title)s” is due on %(deadline)s."),
        NAMES,
    ),
    CardNotice.REPORT_OVERDUE: NoticeText(
        _("A progress report is overdue"),
        _(
            "%(department)s has not submitted progress report %(period)s on “%(title)s”, due on %(deadline)s."
        ),
        NAMES,
    ),
    CardNotice.CARD_REPORT: NoticeText(
        _("A progress report on an adopted item"),
        _("Progress report %(period)s on the adopted item “%(title)s”: %(percent)s%% complete."),
        NAMES,
    ),
}


def card_page(card: ManagementCard) -> str:
    """Staff notices about a card open its page in the admin, where its
    stage, owner and plan are changed."""
    return reverse("admin:tracking_managementcard_change", args=[card.pk])


def report_page(report: ProgressReport) -> str:
    """Staff notices about a progress report open its form in the admin."""
    return reverse("admin:tracking_progressreport_change", args=[report.pk])


def _report_params(report: ProgressReport) -> dict:
    return {"period": report.period, "deadline": report.due_date.isoformat()}


def tell_card_opened(*, card: ManagementCard) -> None:
    """The officials of the card's department: an adopted item (or their
    own promise) is theirs to plan."""
    carried_by = card.responsible_official
    if card.is_promise:
        kind = CardNotice.PROMISE_OPENED_CARRIED if carried_by else CardNotice.PROMISE_OPENED
    else:
        kind = CardNotice.CARD_OPENED_CARRIED if carried_by else CardNotice.CARD_OPENED
    notify(
        recipients=department_officials(card.department),
        topic=NoticeTopic.WORK,
        kind=kind,
        key=f"card_opened:{card.pk}",
        proposal=card.proposal,
        params={"department": card.department_id} | ({"to": str(carried_by)} if carried_by else {}),
        url=card_page(card),
    )


def tell_promise_adopted(*, card: ManagementCard) -> None:
    """The officials of the card's department: the meeting adopted the
    proposal they had promised; its card carries on (once per card)."""
    notify(
        recipients=department_officials(card.department),
        topic=NoticeTopic.WORK,
        kind=CardNotice.PROMISE_ADOPTED,
        key=f"promise_adopted:{card.pk}",
        proposal=card.proposal,
        params={"department": card.department_id},
        url=card_page(card),
    )


def tell_stage_changed(*, card: ManagementCard, event: CardEvent) -> None:
    """The proposer and followers: the card moved to the event's stage, with its note."""
    notify_proposal(
        proposal=card.proposal,
        kind=CardNotice.CARD_STAGE_CHANGED,
        key=f"card_stage_changed:{event.pk}",
        params={"stage": event.to_stage, "note": event.note},
        follower_topic=NoticeTopic.ADOPTED,
    )


def tell_handoff(*, card: ManagementCard, event: CardEvent, previous, to_official) -> None:
    """The previous official, the new one and the operators: the card changed hands."""
    notify(
        recipients=[previous, to_official, *operators()],
        topic=NoticeTopic.WORK,
        kind=CardNotice.CARD_HANDOFF,
        key=f"card_handoff:{event.pk}",
        proposal=card.proposal,
        params={
            "from": str(previous) if previous else "-",
            "to": str(to_official),
            "note": event.note,
        },
        url=card_page(card),
    )


def tell_report_requested(*, report: ProgressReport, recipients) -> None:
    """`recipients`: progress report `report` is requested, by its due date;
    once each per report (an official who takes the card over gets it too)."""
    notify(
        recipients=recipients,
        topic=NoticeTopic.WORK,
        kind=CardNotice.REPORT_REQUESTED,
        key=f"report_requested:{report.pk}",
        proposal=report.card.proposal,
        params=_report_params(report),
        url=report_page(report),
    )


def tell_report_reminder(*, report: ProgressReport, recipients) -> None:
    """`recipients`: the report is due soon; once per report."""
    notify(
        recipients=recipients,
        topic=NoticeTopic.WORK,
        kind=CardNotice.REPORT_REMINDER,
        key=f"report_reminder:{report.pk}",
        proposal=report.card.proposal,
        params=_report_params(report),
        url=report_page(report),
    )


def tell_report_overdue(*, report: ProgressReport) -> None:
    """The operators: the card's department missed the report's due date;
    once per report."""
    card = report.card
    notify(
        recipients=operators(),
        topic=NoticeTopic.WORK,
        kind=CardNotice.REPORT_OVERDUE,
        key=f"report_overdue:{report.pk}",
        proposal=card.proposal,
        params={**_report_params(report), "department": card.department_id or "-"},
        url=report_page(report),
    )


def tell_card_report(*, card: ManagementCard, report: ProgressReport, percent: int) -> None:
    """The proposer and followers: a progress report, linking to the card's page."""
    proposal = card.proposal
    # As notify_proposal, but linking to the card's page: the proposer under
    # "my proposals", the followers under "adopted items I follow"; a
    # proposer who follows is told once (the key), as the proposer.
    proposer = [proposal.author] if proposal.author_id else []
    followers = [u for u in proposal_audience(proposal) if u.pk != proposal.author_id]
    for recipients, topic in (
        (proposer, NoticeTopic.MY_PROPOSALS),
        (followers, NoticeTopic.ADOPTED),
    ):
        notify(
            recipients=recipients,
            kind=CardNotice.CARD_REPORT,
            key=f"card_report:{report.pk}",
            proposal=proposal,
            url=card.get_absolute_url(),
            params={"period": report.period, "percent": percent},
            topic=topic,
        )


def cards_list_url(department_id) -> str:
    """The card list of a department, cards without owner first (the
    operator's and the head's order)."""
    url = reverse("admin:tracking_managementcard_changelist")
    return f"{url}?department__id__exact={department_id}" if department_id else url


def tell_cards_owner_left(*, department, member, reason: str, count: int, key: str) -> None:
    """The department's usable head and the operators: `count` cards that
    `member` carried in `department` are without owner and fall to the head
    (or the operators); once per departure (`key`)."""
    head = usable_head(department)
    notify(
        recipients=[*([head] if head else []), *operators()],
        topic=NoticeTopic.WORK,
        kind=CardNotice.CARDS_OWNER_LEFT,
        key=key,
        params={
            "name": member.get_full_name(),
            "reason": reason,
            "count": count,
            "department": department.pk if department else "-",
            "falls_to": head.get_full_name() if head else "operators",
        },
        url=cards_list_url(department.pk if department else None),
    )
