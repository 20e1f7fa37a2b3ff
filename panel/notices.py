"""The notices this app sends: their kinds, their words, and the small
functions services call to send them. Each is sent once per decision (its
key names the application and the decision)."""

from enum import StrEnum

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from notifications.messages import NoticeText
from notifications.models import NoticeTopic
from notifications.services import notify

from .models import PanelApplication


class PanelNotice(StrEnum):
    """Notification.kind of this app's notices."""

    APPLICATION_APPROVED = "panel_application_approved"
    APPLICATION_REFUSED = "panel_application_refused"
    MEMBERSHIP_ENDED = "panel_membership_ended"


MESSAGES = {
    PanelNotice.APPLICATION_APPROVED: NoticeText(
        _("Welcome to the citizen panel"),
        _(
            "Your application to the citizen panel was approved. You can now rate "
            "open proposals on creativity, public value and feasibility."
        ),
    ),
    PanelNotice.APPLICATION_REFUSED: NoticeText(
        _("Your citizen panel application was not accepted"),
        _("Your application to the citizen panel was not accepted. The operators' note: %(note)s"),
    ),
    PanelNotice.MEMBERSHIP_ENDED: NoticeText(
        _("Your citizen panel membership has ended"),
        _(
            "Your membership of the citizen panel has ended. The operators' note: %(note)s "
            "The ratings you gave stay counted."
        ),
    ),
}


def _tell(application: PanelApplication, kind: PanelNotice, params: dict | None = None) -> None:
    notify(
        recipients=[application.member],
        topic=NoticeTopic.PERSONAL,
        kind=kind,
        key=f"{kind}:{application.pk}",
        params=params,
        url=reverse("panel:home"),
    )


def tell_application_approved(*, application: PanelApplication) -> None:
    """The applicant: they are on the panel now."""
    _tell(application, PanelNotice.APPLICATION_APPROVED)


def tell_application_refused(*, application: PanelApplication) -> None:
    """The applicant: not accepted, with the operator's note as typed."""
    _tell(application, PanelNotice.APPLICATION_REFUSED, {"note": application.decision_note})


def tell_membership_ended(*, application: PanelApplication) -> None:
    """The member: off the panel, with the operator's note as typed."""
    _tell(application, PanelNotice.MEMBERSHIP_ENDED, {"note": application.end_note})
