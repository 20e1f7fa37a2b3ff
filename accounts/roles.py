"""Roles are Django groups, so operators manage membership in the admin and
permissions attach to them. A member with no group is a citizen."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    PANEL = "panel", _("Citizen panel")
    OFFICIAL = "official", _("Department official")
    OPERATOR = "operator", _("Operator")
    EXPERT_INTERNAL = "expert_internal", _("Internal expert")
    EXPERT_EXTERNAL = "expert_external", _("External expert")
    MAYOR_OFFICE = "mayor_office", _("Mayor's office")
    # A partner institution's administrator (issue 16): always has
    # `User.institution`, and sees in the admin only that institution's work.
    INSTITUTION_ADMIN = "institution_admin", _("Institution administrator")


# Roles that work in the admin.
STAFF_ROLES = {
    Role.OFFICIAL,
    Role.OPERATOR,
    Role.MAYOR_OFFICE,
    Role.EXPERT_INTERNAL,
    Role.EXPERT_EXTERNAL,
    Role.INSTITUTION_ADMIN,
}
EXPERT_ROLES = {Role.EXPERT_INTERNAL, Role.EXPERT_EXTERNAL}
