"""The audit trail in the admin: read by operators, written by nobody here
(rows come only from `accounts.audit.audit_record`), never changed or deleted,
superusers included."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .audit import action_label, describe, prepare, registered_actions
from .legal_admin import ReadOnlyRecordAdmin


class ActionFilter(admin.SimpleListFilter):
    title = _("action")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        actions = registered_actions()
        return sorted(((code, str(a.label)) for code, a in actions.items()), key=lambda c: c[1])

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


class AuditRecordAdmin(ReadOnlyRecordAdmin):
    view_permission = "accounts.view_audit_records"
    list_display = ["created_at", "actor_email", "action_name", "target_repr", "description"]
    list_filter = [ActionFilter, ("created_at", admin.DateFieldListFilter)]
    search_fields = ["actor_email", "target_repr"]
    search_help_text = _("The staff member's e-mail or the name of what was changed.")
    date_hierarchy = "created_at"
    fields = [
        "created_at",
        "actor",
        "actor_email",
        "action_name",
        "target_type",
        "target_id",
        "target_repr",
        "description",
        "params",
    ]
    readonly_fields = fields

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None:
            # The page's rows named in one pass: a query per kind of name.
            prepare(changelist.result_list)
        return response

    @admin.display(description=_("action"))
    def action_name(self, record):
        return action_label(record.action)

    @admin.display(description=_("what was done"))
    def description(self, record):
        return describe(record)
