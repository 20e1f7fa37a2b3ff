"""Who a member is, as django-rules predicates: the one place a role is tested.

Every app's rules.py builds its permissions from these (`is_operator &
debate_is_open`), and anything else that must know a role (a context
processor, a selector's scope, the label on an argument) calls them as
plain functions: a rules predicate is callable, `is_operator(user)`.
Roles are the Django groups of accounts/roles.py; a member with none is a
citizen. Every predicate is False for the anonymous user and for None."""

import rules

from .models import Department
from .roles import EXPERT_ROLES, STAFF_ROLES, Role


def _member(user) -> bool:
    return bool(user and user.is_authenticated)


@rules.predicate
def is_active_member(user) -> bool:
    """Logged in with an active account (who may propose, comment, debate)."""
    return _member(user) and user.is_active


@rules.predicate
def is_panel(user) -> bool:
    """A member of the citizen panel (marked on what they write in a debate)."""
    return _member(user) and user.has_role(Role.PANEL)


@rules.predicate
def is_operator(user) -> bool:
    """An operator; a superuser counts as one."""
    return _member(user) and (user.is_superuser or user.has_role(Role.OPERATOR))


@rules.predicate
def is_official(user) -> bool:
    """A department official who belongs to a department."""
    return _member(user) and bool(user.department_id) and user.has_role(Role.OFFICIAL)


@rules.predicate
def is_expert(user) -> bool:
    """An internal or external expert."""
    return _member(user) and bool(user.role_names & EXPERT_ROLES)


@rules.predicate
def is_internal_expert(user) -> bool:
    """An internal expert (a retired official), who also sits in the working review."""
    return _member(user) and user.has_role(Role.EXPERT_INTERNAL)


@rules.predicate
def is_mayor_office(user) -> bool:
    """A member of the mayor's office."""
    return _member(user) and user.has_role(Role.MAYOR_OFFICE)


@rules.predicate
def is_institution_admin(user) -> bool:
    """A partner institution's administrator who has their institution."""
    return (
        _member(user)
        and bool(getattr(user, "institution_id", None))
        and user.has_role(Role.INSTITUTION_ADMIN)
    )


def runs_institution(user, institution_id: int | None) -> bool:
    """Whether `user` runs the work addressed to `institution_id` (None: the
    city's) as its operator (issue 16): the city's operators run the whole
    platform, every institution's work included; a partner institution's
    administrators run their own institution's, never the city's or another
    institution's. Rules ask it with the object's institution."""
    if is_operator(user):
        return True
    return (
        institution_id is not None
        and is_institution_admin(user)
        and user.institution_id == institution_id
    )


@rules.predicate
def runs_work(user) -> bool:
    """An operator of the city or of a partner institution (its
    administrator): may run some of the pipeline's work at all. Which work
    is asked with the object (runs_institution)."""
    return is_operator(user) or is_institution_admin(user)


@rules.predicate
def heads_department(user, department_id) -> bool:
    """`user` is the head of the department `department_id` and still one
    of its active officials (a head moved elsewhere loses the power)."""
    if not (department_id and is_official(user) and user.department_id == department_id):
        return False
    return Department.objects.filter(pk=department_id, head=user).exists()


@rules.predicate
def heads_own_department(user) -> bool:
    """`user` is the head of the department they work in."""
    return _member(user) and heads_department(user, user.department_id)


@rules.predicate
def must_use_second_factor(user) -> bool:
    """Staff (any role that works in the admin, anyone with the staff flag,
    superusers) must sign in with a second factor to open the admin."""
    return _member(user) and (
        user.is_staff or user.is_superuser or bool(user.role_names & STAFF_ROLES)
    )
