"""The mileage ledger in the admin, for operators: the ledger (read-only,
filterable, exportable), the rules (points and caps, edited in the list),
the settings (one record) and the adjustment screen (adjust_screen.py).
Nothing is written by the admin itself: rules, settings and adjustments go
through services.py (validated, audited)."""

from functools import partial

import rules
from django.contrib import admin
from django.contrib.admin import ShowFacets
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportActionMixin
from import_export.formats.base_formats import XLSX
from rangefilter.filters import DateRangeFilterBuilder

from oasis.admin_utils import ReadOnlyMixin
from oasis.exports import ExcelFriendlyCSV
from oasis.pagination import CappedPaginator

from . import services
from .adjust_screen import adjust_view
from .models import MileageEntry, MileageRule, MileageSettings
from .resources import MileageEntryResource


@admin.register(MileageEntry)
class MileageEntryAdmin(ReadOnlyMixin, ExportActionMixin, admin.ModelAdmin):
    list_display = ["created_at", "member", "action", "points", "source", "proposal_id", "note"]
    list_display_links = ["created_at"]
    list_select_related = ["member", "source_type"]
    list_filter = [
        "action",
        ("created_at", DateRangeFilterBuilder(title=_("time"))),
        ("member__mileage_grade", admin.ChoicesFieldListFilter),
    ]
    search_fields = ["member__email"]
    search_help_text = _("The member's e-mail address.")
    list_per_page = 50
    # The ledger grows with every click: count at most 10,001 rows, never
    # the whole table twice, no facet counts.
    paginator = CappedPaginator
    show_full_result_count = False
    show_facets = ShowFacets.NEVER
    fields = [
        "created_at",
        "member",
        "action",
        "points",
        "source_type",
        "source_id",
        "proposal_id",
        "reverses",
        "with_proposal",
        "note",
    ]
    import_export_change_list_template = "admin/mileage/mileageentry/change_list_export.html"
    resource_classes = [MileageEntryResource]
    export_formats = [ExcelFriendlyCSV, XLSX]
    show_change_form_export = False

    @admin.display(description=_("source"))
    def source(self, entry):
        return f"{entry.source_type.name} #{entry.source_id}"

    def has_export_permission(self, request):
        return rules.has_perm("mileage.see_ledger", request.user)

    def get_valid_export_item_pks(self, request):
        return self.get_queryset(request).values_list("pk", flat=True)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "may_adjust": rules.has_perm("mileage.adjust", request.user),
        }
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        return [
            path(
                "adjust/",
                self.admin_site.admin_view(partial(adjust_view, self)),
                name="mileage_mileageentry_adjust",
            ),
            *super().get_urls(),
        ]


@admin.register(MileageRule)
class MileageRuleAdmin(admin.ModelAdmin):
    """One row per action, made by the data migration: points and daily caps
    are edited in the list; rows are neither added nor deleted."""

    list_display = ["action", "points", "daily_cap", "updated_at"]
    list_display_links = None
    list_editable = ["points", "daily_cap"]
    fields = ["action", "points", "daily_cap"]
    readonly_fields = ["action"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.mileage_rule_update(rule=obj, actor=request.user)


@admin.register(MileageSettings)
class MileageSettingsAdmin(admin.ModelAdmin):
    """The one settings record: where each grade begins. Saving regrades
    every member (after the commit). The list goes straight to the record."""

    fields = ["sprout_from", "tree_from", "forest_from", "oasis_from"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        row = MileageSettings.load()
        return redirect(reverse("admin:mileage_mileagesettings_change", args=[row.pk]))

    def save_model(self, request, obj, form, change):
        services.mileage_settings_update(row=obj, actor=request.user)
