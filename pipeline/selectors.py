"""Reads of the conductor's bars for pages: how far a proposal is from the
bar of its status, condition by condition (the proposal page says which are
met and which are still missing)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from proposals.models import PipelineSettings, Proposal, ProposalStatus

from .services import proposal_bars

# What each count of the bars is called on the page, in the order shown.
CONDITION_LABELS = {
    "endorsement_count": _("Endorsements"),
    "comment_count": _("Comments"),
    "view_count": _("Views"),
    "panel_score": pgettext_lazy("bar condition", "Citizen panel score"),
    "panel_rating_count": pgettext_lazy("bar condition", "Citizen panel ratings"),
}

# Where a proposal goes when it passes the bar of its status.
GOALS = {
    ProposalStatus.OPEN: _("Toward a department's answer"),
    ProposalStatus.ANSWERED: _("Toward a debate"),
}


@dataclass(frozen=True)
class Condition:
    """One count of a bar: what the proposal has and what the bar asks.
    A score (the panel's) is in hundredths, like Proposal.panel_score."""

    field: str
    label: str
    have: int
    need: int

    @property
    def met(self) -> bool:
        return self.have >= self.need

    @property
    def is_score(self) -> bool:
        return self.field == "panel_score"

    @property
    def have_shown(self):
        return self.have / 100 if self.is_score else self.have

    @property
    def need_shown(self):
        return self.need / 100 if self.is_score else self.need


@dataclass(frozen=True)
class BarProgress:
    goal: str
    conditions: tuple[Condition, ...]

    @property
    def met_count(self) -> int:
        return sum(condition.met for condition in self.conditions)


def bar_progress(proposal: Proposal, settings_row: PipelineSettings) -> BarProgress | None:
    """The conditions of the bar `proposal` is working toward (due_bars, so
    the page says exactly what promote_if_due decides on), or None when its
    status does not move on by counts, or it is hidden or in the trash.
    Reads only the proposal's own counters (and its institution's bars, one
    query unless select_related, for a proposal addressed to one)."""
    bar = proposal_bars(proposal, settings_row).get(proposal.status)
    if bar is None or not proposal.is_public:
        return None
    conditions = tuple(
        Condition(field=name, label=label, have=getattr(proposal, name), need=bar[name])
        for name, label in CONDITION_LABELS.items()
        if name in bar
    )
    return BarProgress(goal=GOALS[proposal.status], conditions=conditions)
