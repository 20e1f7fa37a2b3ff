"""Who may run a themed call (테마상상), propose to it, pick its proposals for
the theme debate and write the department's final response, and when each
step is refused.

| action                                          | operator | official of the theme's department | other official | member | anonymous |
|-------------------------------------------------|----------|------------------------------------|----------------|--------|-----------|
| write, publish, close early a theme (admin)     | ✓        |                                    |                |        |           |
| see a draft theme and its preview (admin)       | ✓        | ✓ (own department's)               |                |        |           |
| propose to an open theme                        | ✓        | ✓                                  | ✓              | ✓      | – (login) |
| pick proposals for the theme debate (closed)    | ✓        |                                    |                |        |           |
| write and publish the final response (closed)   | ✓        | ✓                                  |                |        |           |

Proposing follows the free proposal's rule (proposals.services.proposal_create:
any active member, staff included, as docs/permissions.md says); the theme
adds only its period.

The `*_refusal` functions return the (translated) reason a step is not
possible now, or None; the services raise it as a ServiceError under the
theme's row lock and the pages show it."""

import rules
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.predicates import is_active_member, is_official, is_operator
from proposals.models import ProposalStatus

from .models import ThemeStatus

# Where a picked proposal may be: still before its department answer (the
# pick hands it to the theme's department and the debate opens when the
# answer is published), answered (the debate opens at once) or already in a
# debate the bars opened (the pick is recorded, nothing more to open).
PICKABLE_STATUSES = frozenset(
    {
        ProposalStatus.OPEN,
        ProposalStatus.NOT_REACHED,
        ProposalStatus.ASSIGNED,
        ProposalStatus.ANSWERED,
        ProposalStatus.DEBATE,
    }
)


def _moment(value) -> str:
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def propose_refusal(user, theme, now=None) -> str | None:
    """Why `user` cannot propose to `theme` now, or None. The anonymous are
    asked to log in (the page sends them to the login first); a deactivated
    account may not propose anywhere; a theme takes proposals only while it
    is published and within its period."""
    if user is None or not user.is_authenticated:
        return _("Please log in to propose to this theme.")
    if not is_active_member(user):
        return _("Your account cannot propose right now.")
    return theme_open_refusal(theme, now)


def theme_open_refusal(theme, now=None) -> str | None:
    """Why `theme` takes no proposals now, or None."""
    now = now or timezone.now()
    if theme.status == ThemeStatus.DRAFT:
        return _("This theme is not published yet, so it does not take proposals.")
    if theme.status == ThemeStatus.CLOSED or now >= theme.ends_at:
        return _(
            "This theme closed on %(moment)s and no longer takes proposals. "
            "You can still propose freely on the proposals page."
        ) % {"moment": _moment(theme.closed_at or theme.ends_at)}
    if now < theme.starts_at:
        return _("This theme opens on %(moment)s; proposals are taken from then.") % {
            "moment": _moment(theme.starts_at)
        }
    return None


def publish_refusal(theme) -> str | None:
    if theme.status != ThemeStatus.DRAFT:
        return _("This theme is already published.")
    if timezone.now() >= theme.ends_at:
        return _("This theme's period is already over. Change its dates before publishing it.")
    return None


def close_refusal(theme) -> str | None:
    if theme.status == ThemeStatus.DRAFT:
        return _("A draft theme cannot be closed; it was never published.")
    if theme.status == ThemeStatus.CLOSED:
        return _("This theme is already closed.")
    return None


def pick_refusal(theme) -> str | None:
    """Proposals are picked for the theme debate once the theme has closed:
    only then are all its proposals in, so "the best" means something."""
    if theme.status != ThemeStatus.CLOSED:
        return _(
            "Proposals are picked for the theme debate after the theme closes; "
            "this one is still open."
        )
    return None


def pick_entry_refusal(entry) -> str | None:
    """Why the theme proposal `entry` cannot be picked for the debate."""
    proposal = entry.proposal
    if entry.picked_for_debate_at is not None:
        return _("“%(title)s” is already picked for the theme debate.") % {"title": proposal.title}
    if not proposal.is_public:
        return _("“%(title)s” is hidden or in the trash and cannot be debated.") % {
            "title": proposal.title
        }
    if proposal.status not in PICKABLE_STATUSES:
        return _("“%(title)s” is “%(status)s” and can no longer go to a debate.") % {
            "title": proposal.title,
            "status": proposal.get_status_display(),
        }
    return None


def nothing_picked() -> str:
    return _("Please choose at least one proposal for the theme debate.")


def not_of_theme() -> str:
    return _("A chosen proposal was not submitted to this theme.")


def respond_refusal(theme, response: str) -> str | None:
    """The final response is written once the theme has closed (it answers
    what the theme gathered) and is never empty."""
    if theme.status != ThemeStatus.CLOSED:
        return _("The final response is written after the theme closes.")
    if not (response or "").strip():
        return _("Please write the department's response.")
    return None


@rules.predicate
def is_theme_official(user, theme):
    """An official of the theme's owning department (asked without a theme:
    an official at all, who then sees only their department's themes)."""
    return is_official(user) and (theme is None or user.department_id == theme.department_id)


@rules.predicate
def theme_takes_proposals(user, theme):
    return theme is None or theme_open_refusal(theme) is None


rules.add_perm("themes.manage_theme", is_operator)
rules.add_perm("themes.see_theme", is_operator | is_theme_official)
rules.add_perm("themes.propose_to_theme", is_active_member & theme_takes_proposals)
rules.add_perm("themes.pick_for_debate", is_operator)
rules.add_perm("themes.respond_theme", is_operator | is_theme_official)
