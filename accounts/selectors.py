"""Reads about members: public names and who holds a role (the role tests
themselves are the predicates in accounts/predicates.py)."""

from django.utils.translation import gettext as _

from .models import Department, User
from .roles import Role


def mask_name(name: str) -> str:
    """홍길동 → 홍*동, 홍길 → 홍*, 남궁민수 → 남**수, 홍 → *. Keeps the first and
    last character so a member recognises their own entry and nobody else
    learns the full name; a one-character name would be shown whole, so it is
    masked entirely."""
    name = name.strip()
    if not name:
        return ""
    if len(name) == 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def public_name_for(user) -> str:
    if user is None or user.withdrawn_at is not None:
        return _("Withdrawn member")
    if user.nickname.strip():
        return user.nickname.strip()
    if user.display_name.strip():
        return mask_name(user.display_name)
    return mask_name(user.email.split("@")[0])


def operators():
    """Active operators (who are told of escalations and handoffs)."""
    return User.objects.filter(is_active=True, groups__name=Role.OPERATOR).distinct()


def department_officials(department):
    """Active officials of `department` (who may head it, and are told of its work)."""
    return User.objects.filter(
        is_active=True, department=department, groups__name=Role.OFFICIAL
    ).distinct()


def department_names(ids: set) -> dict[int, str]:
    """The names of the departments `ids` in the active language, by id:
    notices store a department's id and name it when read. One query."""
    wanted = {pk for pk in ids if isinstance(pk, int) and not isinstance(pk, bool)}
    if not wanted:
        return {}
    departments = Department.objects.filter(pk__in=wanted).only("pk", "name", "name_en")
    return {department.pk: department.label for department in departments}
