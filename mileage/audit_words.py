"""How the mileage admin's audit rows read (accounts/audit.py): numbers and
codes are stored; these words are written when a row is read."""

from django.utils.translation import gettext_lazy

from accounts.audit import AuditAction
from accounts.participation import Action

MILEAGE_ADJUSTED = "mileage.adjusted"
THRESHOLDS_CHANGED = "mileage.thresholds_changed"
RULE_CHANGED = "mileage.rule_changed"


def _adjusted(params: dict) -> str:
    return str(gettext_lazy("Adjusted the member's mileage by %(points)+d points.") % params)


def _thresholds(params: dict) -> str:
    sprout, tree, forest, oasis = params["thresholds"]
    return str(
        gettext_lazy(
            "Set the grade thresholds: 새싹 %(sprout)d, 나무 %(tree)d, 숲 %(forest)d, "
            "오아시스 %(oasis)d points."
        )
        % {"sprout": sprout, "tree": tree, "forest": forest, "oasis": oasis}
    )


def _rule(params: dict) -> str:
    shown = {**params, "action": str(Action(params["action"]).label)}
    if params["cap"]:
        return str(
            gettext_lazy("“%(action)s” now earns %(points)d points, at most %(cap)d a day.") % shown
        )
    return str(
        gettext_lazy("“%(action)s” now earns %(points)d points, without a daily cap.") % shown
    )


ACTIONS = {
    MILEAGE_ADJUSTED: AuditAction(label=gettext_lazy("Mileage adjusted"), words=_adjusted),
    THRESHOLDS_CHANGED: AuditAction(
        label=gettext_lazy("Grade thresholds changed"), words=_thresholds
    ),
    RULE_CHANGED: AuditAction(label=gettext_lazy("Mileage rule changed"), words=_rule),
}
