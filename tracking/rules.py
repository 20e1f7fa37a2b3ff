"""Who may do what with management cards, and when.

Who: the operator may change any card and hand it over; an official may
change only their own department's cards, and the department's head may
also hand them from one of its officials to another; the mayor's office
sees every card in the admin but changes none. When: each state rule is a
`*_refusal` function returning the (translated) reason a step is not
possible now, or None; services raise it as TransitionNotAllowed /
ServiceError.

The django-rules permissions at the bottom are what services, the admin
and pages ask. Asked with a card (or a report), a permission says whether
this user may act on it now; asked without one, whether they may act on
some card at all (the admin's list-level checks). `selectors.cards_visible_to`
is the list twin of `tracking.see_card`.

| action                                   | operator | card's official | its head | other official | mayor's office | others |
|------------------------------------------|----------|-----------------|----------|----------------|----------------|--------|
| see the card in the admin                | ✓        | ✓               | ✓        |                | ✓              |        |
| change stage, budget, dates, files       | ✓        | ✓               | ✓        |                |                |        |
| hand the card to another official        | ✓        |                 | ✓        |                |                |        |
| submit a requested report (card open)    | ✓        | ✓               | ✓        |                |                |        |
| write a report before it is requested    | ✓        | ✓ (its owner)   | ✓        |                |                |        |
| see every department's cards             | ✓        |                 |          |                | ✓              |        |
| the operators' dashboard                 | ✓        |                 |          |                |                |        |
| update cards from a spreadsheet (own)    | ✓        | ✓               | ✓        | ✓ (their own)  |                |        |
| read the public tracker                  | everyone, while the proposal is public                                         |
"""

import rules
from django.utils.translation import gettext as _

from accounts.predicates import (
    heads_department,
    heads_own_department,
    is_institution_admin,
    is_mayor_office,
    is_official,
    is_operator,
)

from .models import STAGE_TRANSITIONS, CardStage, ReportStatus

# --- who ----------------------------------------------------------------------


@rules.predicate
def is_card_official(user, card):
    """An official of the department that keeps the card; without a card,
    any official (who keeps some cards)."""
    if card is None:
        return is_official(user)
    return is_official(user) and user.department_id == card.department_id


@rules.predicate
def is_card_department_head(user, card):
    """The head (부서장) of the department that keeps the card; without a
    card, the head of a department (who hands over some cards)."""
    if card is None:
        return heads_own_department(user)
    return heads_department(user, card.department_id)


@rules.predicate
def is_card_owner(user, card):
    """The card's responsible official, while still an official of the
    card's department; without a card, any official (who may own some)."""
    if card is None:
        return is_official(user)
    return (
        card.responsible_official_id is not None
        and user.pk == card.responsible_official_id
        and is_card_official(user, card)
    )


can_change_card = is_operator | is_card_official


@rules.predicate
def administers_card_institution(user, card):
    """An administrator of the partner institution whose proposal the card
    keeps (issue 16): reads it, never changes it."""
    return (
        card is not None
        and is_institution_admin(user)
        and card.proposal.institution_id == user.institution_id
    )


can_see_card_in_admin = can_change_card | is_mayor_office | administers_card_institution
# Handing a card over: the operator, or the head of the card's department
# (rotation and leave are the department's own business first).
can_hand_off_card = is_operator | is_card_department_head


# Filing a report before the schedule asks: whoever answers for the card
# (its owner, the department's head) or the operator; other officials of
# the department still submit the reports the schedule requests.
can_file_report = is_operator | is_card_owner | is_card_department_head


def hands_off_some_cards(user) -> bool:
    """`user` may hand over at least some cards (the operator: all; a
    department head: their department's); can_hand_off_card decides per card."""
    return rules.has_perm("tracking.hand_off_card", user)


# --- when ---------------------------------------------------------------------


def stage_change_refusal(card, to_stage) -> str | None:
    """The card may move from its stage to `to_stage`."""
    if to_stage not in CardStage.values:
        return _("“%(stage)s” is not a stage.") % {"stage": to_stage}
    if card.stage == CardStage.COMPLETED:
        return _("This item is completed; its stage can no longer change.")
    if to_stage not in STAGE_TRANSITIONS[card.stage]:
        allowed = ", ".join(
            f"“{CardStage(stage).label}”"
            for stage in CardStage.values
            if stage in STAGE_TRANSITIONS[card.stage]
        )
        return _(
            "An item that is “%(from)s” cannot become “%(to)s”; it can become: %(allowed)s."
        ) % {
            "from": CardStage(card.stage).label,
            "to": CardStage(to_stage).label,
            "allowed": allowed,
        }
    return None


def handoff_refusal(card, to_official) -> str | None:
    """`to_official` may take the card over."""
    if to_official is None:
        return _("Please choose the official who takes the card over.")
    if card.department_id is None:
        return _("This card has no department yet; assign one first.")
    if not to_official.is_active or not is_official(to_official):
        return _("%(name)s is not an active official.") % {"name": str(to_official)}
    if to_official.department_id != card.department_id:
        return _("%(name)s does not work in %(department)s, which keeps this card.") % {
            "name": str(to_official),
            "department": card.department.label,
        }
    if to_official.pk == card.responsible_official_id:
        return _("%(name)s is already responsible for this card.") % {"name": str(to_official)}
    return None


def report_filing_refusal(card) -> str | None:
    """A report may be written for `card` now (before or after a request)."""
    if card.is_completed:
        return _("This item is completed; it needs no more progress reports.")
    return None


def report_refusal(report, card) -> str | None:
    """`report` (of `card`) may be submitted now: it is still requested and
    the card is not completed. The stage a report asks for is checked by
    stage_change_refusal."""
    if card.is_completed:
        return _("This item is completed; it needs no more progress reports.")
    if report.status != ReportStatus.REQUESTED:
        return _("This progress report has already been submitted.")
    return None


# --- permissions ----------------------------------------------------------------


@rules.predicate
def may_change_reports_card(user, report):
    """Who may change the report's card may report on it."""
    return can_change_card(user, report.card if report is not None else None)


@rules.predicate
def report_is_submittable(user, report):
    return report is None or report_refusal(report, report.card) is None


rules.add_perm("tracking.see_card", can_see_card_in_admin)
rules.add_perm("tracking.change_card", can_change_card)
rules.add_perm("tracking.hand_off_card", can_hand_off_card)
# Every card, not one department's: the twin of cards_visible_to's first branch.
rules.add_perm("tracking.see_all_cards", is_operator | is_mayor_office)
rules.add_perm("tracking.see_dashboard", is_operator)
# The mayor's office only reads; the operator and officials update cards by sheet
# (each row is checked by the services, a department's official on its own cards).
rules.add_perm("tracking.import_cards", is_operator | is_official)
rules.add_perm("tracking.submit_report", may_change_reports_card & report_is_submittable)
rules.add_perm("tracking.file_report", can_file_report)
