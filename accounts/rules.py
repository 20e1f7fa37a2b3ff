"""Who may see members as they are, not as the public does (accounts/names.py
masks real names), and who may read the records the portal keeps about
members' personal data. Searching the admin by e-mail or real name unmasks a
member, so it is for operators only; other staff find rows by what the
public sees (titles, nicknames). Asked through `rules.has_perm` (the rule set
itself; the predicate covers a superuser, who counts as an operator)."""

import re

import rules
from django.utils.translation import gettext as _

from .predicates import is_operator
from .roles import STAFF_ROLES, Role

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


# --- partner institutions (issue 16) ---------------------------------------------------

# Registering an institution, its administrators, departments and categories:
# the city's operators (institutions/admin.py).
rules.add_perm("accounts.manage_institutions", is_operator)

# White text on the brand colour must stay readable (WCAG AA, normal text).
MIN_BRAND_CONTRAST = 4.5
BRAND_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


def _luminance(hex_color: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_with_white(hex_color: str) -> float:
    return 1.05 / (_luminance(hex_color) + 0.05)


def brand_color_refusal(value: str) -> str | None:
    """Why `value` cannot be an institution's brand colour, or None."""
    if not BRAND_COLOR.match(value or ""):
        return _("Give the colour as # and six hexadecimal digits, e.g. #1f5fa8.")
    ratio = contrast_with_white(value)
    if ratio < MIN_BRAND_CONTRAST:
        return _(
            "White text is hard to read on this colour (contrast %(ratio).1f:1, at least "
            "%(minimum).1f:1 needed). Please choose a darker colour."
        ) % {"ratio": ratio, "minimum": MIN_BRAND_CONTRAST}
    return None


def institution_admin_refusal(member, institution) -> str | None:
    """Why `member` may not become an administrator of `institution`, or None.
    A member who already works for the city or another institution would
    carry that scope along: their other role goes first."""
    if member.withdrawn_at is not None or not member.is_active:
        return _("This member cannot be given a role.")
    other_institution = member.institution_id or (
        member.department.institution_id if member.department_id else None
    )
    if other_institution is not None and other_institution != institution.pk:
        return _("%(member)s is staff of another institution.") % {
            "member": member.get_full_name() or member.email
        }
    if member.has_role(Role.INSTITUTION_ADMIN) and member.institution_id == institution.pk:
        return _("%(member)s is already an administrator of %(institution)s.") % {
            "member": member.get_full_name() or member.email,
            "institution": institution.name,
        }
    city_roles = member.role_names & {str(r) for r in STAFF_ROLES if r != Role.INSTITUTION_ADMIN}
    if member.is_superuser or (city_roles and other_institution is None):
        return _(
            "%(member)s is staff of the city. Withdraw their city role first on the staff screen."
        ) % {"member": member.get_full_name() or member.email}
    return None
