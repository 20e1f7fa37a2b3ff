"""Who may do what with the citizen panel (상상누리단), in one place.

Each state rule is a `*_refusal` function returning the reason (translated)
why the action is not possible now, or None. The services raise that reason
as a ServiceError under their lock; the django-rules permissions below are
built from the same functions, and pages ask `rules.has_perm(...)` which
forms to show.

| action                              | anonymous | citizen | panel | official | operator |
|-------------------------------------|-----------|---------|-------|----------|----------|
| read /panel/ and the panel's scores | ✓         | ✓       | ✓     | ✓        | ✓        |
| apply (one waiting application)     | login     | ✓       |       |          |          |
| withdraw one's waiting application  |           | own     |       |          |          |
| approve / refuse an application     |           |         |       |          | ✓ once   |
| end a membership                    |           |         |       |          | ✓        |
| rate an open proposal (once)        |           |         | ✓ not own |      |          |
| list proposals still to rate        |           |         | ✓     |          |          |
| read the ratings' notes             |           |         | own   |          | ✓ (admin)|

Staff (officials, operators, experts, the mayor's office) do not apply:
the panel is the citizens' voice beside the administration's. Notes are
not public: a note is a panel member's word to the operators, not a
comment (it has no report or moderation of its own); the public sees the
scores."""

import rules
from django.utils.translation import gettext as _

from accounts.predicates import is_active_member, is_operator, is_panel, must_use_second_factor
from proposals.models import ProposalStatus

from .models import APPLICATION_TRANSITIONS, ApplicationStatus, PanelApplication, PanelRating

# A proposal is rated while the citizens still weigh it: from its
# publication until its debate ends. After that (working review, the
# meeting, adopted or not, withdrawn, not reached) the panel's word no
# longer informs anything that is still open, and its score stays as it was.
RATEABLE_STATUSES = frozenset(
    {
        ProposalStatus.OPEN,
        ProposalStatus.ASSIGNED,
        ProposalStatus.ANSWERED,
        ProposalStatus.DEBATE,
    }
)

SCORE_MIN = 1
SCORE_MAX = 5


def application_refusal(user) -> str | None:
    """Why `user` may not apply to the panel now, or None."""
    if not is_active_member(user):
        return _("Please log in to apply to the citizen panel.")
    if must_use_second_factor(user):
        return _(
            "Staff members cannot join the citizen panel: it is the citizens' voice "
            "beside the administration."
        )
    if is_panel(user):
        return _("You are already a member of the citizen panel.")
    if PanelApplication.objects.filter(member=user, status=ApplicationStatus.PENDING).exists():
        return _("Your application is already waiting for a decision.")
    return None


def transition_refusal(application: PanelApplication, status: str) -> str | None:
    """Why `application` cannot move to `status`, or None (models.py's
    APPLICATION_TRANSITIONS)."""
    if status in APPLICATION_TRANSITIONS[application.status]:
        return None
    if application.status == ApplicationStatus.PENDING:
        return _("This application is still waiting for a decision.")
    return _("This application was already decided: %(status)s.") % {
        "status": application.get_status_display()
    }


def is_rateable(proposal) -> bool:
    """The proposal is public and at a stage where the panel rates."""
    return proposal.is_public and proposal.status in RATEABLE_STATUSES


def rating_refusal(user, proposal) -> str | None:
    """Why `user` may not rate `proposal` now, or None. Asks the database
    whether they rated it already (one query)."""
    if not is_active_member(user) or not is_panel(user):
        return _("Only members of the citizen panel can rate proposals.")
    if proposal.author_id == user.pk:
        return _("You cannot rate your own proposal.")
    if PanelRating.objects.filter(proposal=proposal, member=user).exists():
        return already_rated()
    if not is_rateable(proposal):
        return _("This proposal is not open for the panel's rating.")
    return None


def already_rated() -> str:
    """Also the answer to the race the unique constraint catches."""
    return _("You have already rated this proposal. A rating is final once given.")


@rules.predicate
def may_rate(user, proposal) -> bool:
    return proposal is not None and rating_refusal(user, proposal) is None


@rules.predicate
def may_apply(user) -> bool:
    return application_refusal(user) is None


@rules.predicate
def owns_application(user, application) -> bool:
    return application is not None and bool(user) and application.member_id == user.pk


rules.add_perm("panel.apply", may_apply)
rules.add_perm("panel.withdraw_application", is_active_member & owns_application)
rules.add_perm("panel.decide_application", is_operator)
rules.add_perm("panel.end_membership", is_operator)
rules.add_perm("panel.rate_proposal", is_active_member & is_panel & may_rate)
rules.add_perm("panel.list_to_rate", is_active_member & is_panel)
rules.add_perm("panel.read_notes", is_operator)
# The admin's moderation actions (oasis.admin_utils.OperatorOnlyMixin).
rules.add_perm("panel.moderate", is_operator)
