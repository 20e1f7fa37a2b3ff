"""The notices the conductor sends when a proposal cannot move on: their
kinds, their words, and the small functions that send them."""

from enum import StrEnum

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from accounts.selectors import (
    department_names,
    institution_admins,
    operators,
    superusers,
    usable_head,
)
from answers.hand_assignment import assign_url
from answers.services import DEPARTMENT_INACTIVE, NO_DEFAULT_DEPARTMENT, OTHER_INSTITUTION
from notifications.messages import NoticeText
from notifications.models import NoticeTopic
from notifications.services import notify, notify_proposal


class PipelineNotice(StrEnum):
    """Notification.kind of this app's notices."""

    ASSIGNMENT_BLOCKED = "assignment_blocked"
    NOT_REACHED = "not_reached"
    UNOWNED_WORK = "unowned_work"
    DEPARTMENT_HEADLESS = "department_headless"


# Why the assignment failed, stored as answers' refusal code and written in
# the reader's language (a notice stored before codes keeps its sentence).
BLOCKED_REASONS = {
    NO_DEFAULT_DEPARTMENT: _("Its category has no default department; set one in the admin."),
    DEPARTMENT_INACTIVE: _("The department of its category is not active."),
    OTHER_INSTITUTION: _(
        "Its category's department is not one of the institution the proposal is addressed to."
    ),
    # A refusal without a code of its own.
    "": _("Please check its category and its department."),
}


def _blocked_reasons(codes: set) -> dict[str, str]:
    return {code: str(BLOCKED_REASONS[code]) for code in codes if code in BLOCKED_REASONS}


MESSAGES = {
    PipelineNotice.ASSIGNMENT_BLOCKED: NoticeText(
        _("A proposal could not be assigned"),
        _(
            "“%(title)s” passed the answer bar but could not be assigned: %(reason)s "
            "Assign it by hand on its “Assign to a department” page."
        ),
        formats={"reason": _blocked_reasons},
    ),
    PipelineNotice.DEPARTMENT_HEADLESS: NoticeText(
        _("A department has no head"),
        _(
            "%(name)s no longer heads %(department)s. Until a new head is named, the department's work without an owner falls to the operators."
        ),
        {"department": department_names},
    ),
    PipelineNotice.UNOWNED_WORK: NoticeText(
        _("Work without an owner or a fallback"),
        _(
            "%(count)s piece(s) of open work have neither an official who can carry them nor anyone they fall to. Please name an official (or an operator) today."
        ),
    ),
    PipelineNotice.NOT_REACHED: NoticeText(
        _("The endorsement period ended"),
        _("“%(title)s” did not reach the endorsements needed for a department answer."),
    ),
}


def tell_assignment_blocked(*, proposal, reason: str) -> None:
    """The operators and, for a proposal to a partner institution, its
    administrators (who assign their institution's proposals by hand, issue
    16: the blocked proposal waits on their home too): the proposal passed
    the answer bar but no department could be given it (`reason`: a code of
    BLOCKED_REASONS, "" for any other refusal); once per proposal."""
    recipients = list(operators())
    if proposal.institution_id is not None:
        recipients += list(institution_admins(proposal.institution_id))
    notify(
        recipients=recipients,
        topic=NoticeTopic.WORK,
        kind=PipelineNotice.ASSIGNMENT_BLOCKED,
        key=f"assignment_blocked:{proposal.pk}",
        proposal=proposal,
        params={"reason": reason},
        # The screen where the operators give it to a department by hand.
        url=assign_url(proposal.pk),
    )


def tell_not_reached(*, proposal) -> None:
    """The proposer and followers: the endorsement window closed below the
    answer bar; once per proposal."""
    notify_proposal(
        proposal=proposal, kind=PipelineNotice.NOT_REACHED, key=f"not_reached:{proposal.pk}"
    )


def tell_unowned_work(*, count: int, day: str) -> None:
    """The operators (the superusers when there is none, which is how the
    count can be above 0): the unowned count is not 0; once a day (`day`)."""
    notify(
        recipients=list(operators()) or list(superusers()),
        topic=NoticeTopic.WORK,
        kind=PipelineNotice.UNOWNED_WORK,
        key=f"unowned_work:{day}",
        params={"count": count},
        url=reverse("admin:index"),
    )


def tell_departments_headless(
    sender, *, member, headed_department_ids=(), now=None, **kwargs
) -> None:
    """staff_left_post's receiver (apps.py): the operators, once per
    departure, that each department `member` headed is headless now."""
    stamp = now.isoformat() if now else ""
    for department in Department.objects.filter(pk__in=list(headed_department_ids)):
        if usable_head(department) is not None:
            continue
        notify(
            recipients=operators(),
            topic=NoticeTopic.WORK,
            kind=PipelineNotice.DEPARTMENT_HEADLESS,
            key=f"department_headless:{department.pk}:{member.pk}:{stamp}",
            params={"name": member.get_full_name(), "department": department.pk},
            url=reverse("admin:accounts_department_change", args=[department.pk]),
        )
