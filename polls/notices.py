"""The notices polls send: their kinds, their words, and the functions
services call to send them. Parameters are codes, numbers and ISO dates;
notifications names them in each reader's language (notifications/messages.py)."""

from enum import StrEnum

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.selectors import department_officials
from notifications.messages import NoticeText, numbers
from notifications.services import notify

from .models import Poll


class PollNotice(StrEnum):
    """Notification.kind of this app's notices."""

    POLL_CLOSED = "poll_closed"


MESSAGES = {
    # To the officials of the poll's department: the result is theirs to answer.
    PollNotice.POLL_CLOSED: NoticeText(
        _("A city poll of your department has closed"),
        _(
            "The poll “%(title)s” has closed with %(voters)s voters. Please write your "
            "department's response to the result; it is published with the results."
        ),
        {"voters": numbers},
    ),
}


def response_url(poll: Poll) -> str:
    """Where the department writes its response: the poll's admin page (the
    results part links its response screen from there)."""
    return reverse("admin:polls_poll_change", args=[poll.pk])


def tell_poll_closed(*, poll: Poll) -> None:
    """The officials of the poll's department, once per poll: it closed with
    this many voters and their response is awaited."""
    notify(
        recipients=department_officials(poll.department_id),
        kind=PollNotice.POLL_CLOSED,
        key=f"poll_closed:{poll.pk}",
        params={"title": poll.title, "voters": poll.voter_count},
        url=response_url(poll),
    )
