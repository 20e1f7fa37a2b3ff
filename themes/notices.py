"""The notices this app sends: their kinds, their words, and the functions
services call to send them. Parameters are codes, ids and numbers;
notifications names them in each reader's language (notifications/messages.py).
Staff notices link to the admin page where the work is done."""

from enum import StrEnum

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from accounts.selectors import department_officials
from notifications.messages import NoticeText, numbers
from notifications.models import NoticeTopic
from notifications.services import notify

from .selectors import STANDING


class ThemeNotice(StrEnum):
    """Notification.kind of this app's notices."""

    THEME_CLOSED = "theme_closed"
    THEME_DEBATE_PICKED = "theme_debate_picked"
    THEME_RESPONSE_PUBLISHED = "theme_response_published"


MESSAGES = {
    # To the owning department's officials: the theme is over, its final
    # response is theirs to write.
    ThemeNotice.THEME_CLOSED: NoticeText(
        _("A theme of your department closed"),
        _(
            "The theme “%(theme)s” closed with %(count)s proposals. Each of them reaches "
            "your department if it passes the answer bar; once you have read them, please "
            "write the department's final response."
        ),
        {"count": numbers},
    ),
    # To the proposer: their proposal goes to the theme debate.
    ThemeNotice.THEME_DEBATE_PICKED: NoticeText(
        _("Your proposal was picked for the theme debate"),
        _(
            "“%(title)s”, which you submitted to the theme “%(theme)s”, was picked for the "
            "theme debate. The debate opens once the department has answered it."
        ),
    ),
    # To the theme's proposers: the department's final response is out.
    ThemeNotice.THEME_RESPONSE_PUBLISHED: NoticeText(
        _("The final response to a theme you proposed to"),
        _(
            "The department published its final response to the theme “%(theme)s” and what "
            "came of it. You can read it on the theme's page."
        ),
    ),
}


def response_url(theme) -> str:
    """Where the department writes the theme's final response (admin)."""
    return reverse("admin:themes_theme_respond", args=[theme.pk])


def public_url(theme) -> str:
    """The theme's public page (themepages), or the list when not yet there."""
    try:
        return reverse("themes:detail", args=[theme.pk])
    except NoReverseMatch:  # the public pages land with themepages
        return "/themes/"


def tell_theme_closed(*, theme) -> None:
    """The owning department's officials, once per theme."""
    notify(
        recipients=department_officials(theme.department),
        topic=NoticeTopic.WORK,
        kind=ThemeNotice.THEME_CLOSED,
        key=f"theme_closed:{theme.pk}",
        params={"theme": theme.title, "count": theme.proposal_count},
        url=response_url(theme),
    )


def tell_picked(*, entry) -> None:
    """The proposer, once per picked proposal."""
    proposal = entry.proposal
    notify(
        recipients=[proposal.author] if proposal.author_id else [],
        topic=NoticeTopic.MY_PROPOSALS,
        kind=ThemeNotice.THEME_DEBATE_PICKED,
        key=f"theme_debate_picked:{entry.pk}",
        proposal=proposal,
        params={"theme": entry.theme.title},
    )


def tell_response_published(*, theme) -> None:
    """Every proposer of a standing proposal of the theme, once per theme."""
    authors = (
        theme.entries.filter(STANDING, proposal__author__isnull=False)
        .select_related("proposal__author")
        .order_by("proposal__author_id")
    )
    notify(
        recipients=[entry.proposal.author for entry in authors],
        topic=NoticeTopic.MY_PROPOSALS,
        kind=ThemeNotice.THEME_RESPONSE_PUBLISHED,
        key=f"theme_response_published:{theme.pk}",
        params={"theme": theme.title},
        url=public_url(theme),
    )
