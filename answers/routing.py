"""Which department answers a proposal, when something other than its
category decides: an app above answers registers a rule from its
AppConfig.ready() (themes: a theme's proposal is answered by the theme's
owning department), and `assignment_department` asks the rules, in the order
registered, before the category's default. Answers never imports them."""

from collections.abc import Callable

# A rule: proposal → the Department that must answer it, or None when the
# rule has nothing to say about this proposal.
DepartmentRule = Callable[[object], object | None]

_RULES: dict[str, DepartmentRule] = {}


def register_department_rule(key: str, rule: DepartmentRule) -> None:
    """Add `rule` under `key` (registering the same key again replaces it:
    ready() may run twice in tests)."""
    _RULES[key] = rule


def routed_department(proposal):
    """The department the first rule that knows `proposal` names, or None."""
    for rule in _RULES.values():
        department = rule(proposal)
        if department is not None:
            return department
    return None
