"""Staff screens for the legal records: personal-data access records and
consent records. Read-only for everyone, superusers included: a record that
could be edited or deleted by hand proves nothing. Rows leave only through
the purge tasks (accounts/tasks.py) once their retention period is over."""

import rules
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .access_records import AccessRecordedAdminMixin
from .legal import OPTIONAL_FIELDS


class ConsentGovernedFieldsMixin:
    """For the members' ModelAdmin: the optional items (district, birth year,
    gender) are the member's to give or withdraw, with their consent, on their
    profile page. Staff may see them, never set them: a value typed in by
    staff would be collected without the member's consent."""

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields + [field for field in OPTIONAL_FIELDS if field not in fields]


class ReadOnlyRecordAdmin(admin.ModelAdmin):
    """Shown to those `view_permission` allows; never added, changed or deleted."""

    view_permission = ""

    def has_module_permission(self, request):
        return rules.has_perm(self.view_permission, request.user)

    def has_view_permission(self, request, obj=None):
        return rules.has_perm(self.view_permission, request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AccessRecordAdmin(ReadOnlyRecordAdmin):
    view_permission = "accounts.view_access_records"
    list_display = ["created_at", "staff_email", "action", "members", "query", "ip"]
    list_filter = ["action", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["staff_email", "ip"]
    search_help_text = _("The staff member's e-mail or the IP address.")
    date_hierarchy = "created_at"
    fields = ["created_at", "staff", "staff_email", "action", "member_ids", "query", "path", "ip"]

    @admin.display(description=_("members"))
    def members(self, record):
        ids = record.member_ids
        shown = ", ".join(str(pk) for pk in ids[:10])
        return f"{shown} (+{len(ids) - 10})" if len(ids) > 10 else shown


class ConsentRecordAdmin(AccessRecordedAdminMixin, ReadOnlyRecordAdmin):
    access_member = "user_id"
    view_permission = "accounts.view_consent_records"
    list_display = [
        "created_at",
        "user",
        "terms_version",
        "privacy_version",
        "district",
        "birth_year",
        "gender",
        "via",
    ]
    list_filter = ["via", "terms_version", "privacy_version"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    fields = list_display
