"""Who may see members as they are, not as the public does (accounts/names.py
masks real names), and who may read the records the portal keeps about
members' personal data. Searching the admin by e-mail or real name unmasks a
member, so it is for operators only; other staff find rows by what the
public sees (titles, nicknames). Asked through `rules.has_perm` (the rule set
itself; the predicate covers a superuser, who counts as an operator)."""

import rules
from django.utils.translation import gettext as _

from .predicates import is_operator
from .roles import Role

rules.add_perm("accounts.unmask_members", is_operator)

# 개인정보 접속기록 and consent records: the operators answer for them (and
# for members' requests about them); officials and experts never see them.
rules.add_perm("accounts.view_access_records", is_operator)
rules.add_perm("accounts.view_consent_records", is_operator)

# The audit trail (accounts/audit.py): what staff changed in how the portal
# works and who may do what. The operators answer for it.
rules.add_perm("accounts.view_audit_records", is_operator)


# --- staff administration -----------------------------------------------------------

# The roles an operator grants and withdraws on the staff screen. The
# operator role itself, and superuser rights, are granted by superusers only
# (an operator who could make operators could make themselves many hands,
# and one who could touch a superuser could take the site).
GRANTED_BY_OPERATORS = (
    Role.OFFICIAL,
    Role.EXPERT_INTERNAL,
    Role.EXPERT_EXTERNAL,
    Role.MAYOR_OFFICE,
)


def grantable_roles(user) -> tuple[str, ...]:
    """The roles `user` may grant and withdraw on the staff screen."""
    if user.is_superuser:
        return (*GRANTED_BY_OPERATORS, Role.OPERATOR)
    return GRANTED_BY_OPERATORS if is_operator(user) else ()


def staff_change_refusal(user, member) -> str | None:
    """Why `user` (an operator) may not change `member`'s roles, department
    or activity, or None."""
    if member.pk == user.pk:
        return _("You cannot change your own roles or account here; ask another operator.")
    if member.withdrawn_at is not None:
        return _("This member has left the portal.")
    if user.is_superuser:
        return None
    if member.is_superuser:
        return _("A superuser's account is managed by superusers only.")
    if member.has_role(Role.OPERATOR):
        return _("An operator's account is managed by superusers only.")
    return None


@rules.predicate
def may_change_staff_member(user, member) -> bool:
    return member is not None and staff_change_refusal(user, member) is None


# The staff screen (직원 관리): operators; which members each may change is
# may_change_staff_member, asked again by every service under its lock.
rules.add_perm("accounts.manage_staff", is_operator)
rules.add_perm("accounts.change_staff_member", is_operator & may_change_staff_member)
