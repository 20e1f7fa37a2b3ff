"""Which partner institution a staff member works for, and the one scoping
rule every staff screen asks (issue 16): an institution's staff see only
their institution's work; the city's staff see the city's (officials, as
before, only their own department's). Operators of the city run the
platform and see every institution."""

from __future__ import annotations

from django.db.models import Q

from .predicates import is_operator


def staff_institution_id(user) -> int | None:
    """The institution `user` works for: an official's department's, else
    the member's own `institution` (the institution's administrators).
    None for the city's staff and for citizens."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    department = getattr(user, "department", None)
    if department is not None and department.institution_id is not None:
        return department.institution_id
    return getattr(user, "institution_id", None)


def institution_condition(user, field: str = "institution") -> Q:
    """The rows of `user`'s institution (`field` names the path to the
    Institution foreign key, e.g. "proposal__institution"): an institution's
    staff get theirs only; the city's staff get the city's rows and, for
    operators and superusers, every institution's (the caller still applies
    its department rule for officials)."""
    institution_id = staff_institution_id(user)
    if institution_id is not None:
        return Q(**{f"{field}_id": institution_id})
    if getattr(user, "is_superuser", False) or is_operator(user):
        return Q()
    return Q(**{f"{field}__isnull": True})
