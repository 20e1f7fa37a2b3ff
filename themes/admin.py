"""Themes in the admin: the operators' theme editor (reference material
inline, with a file and/or a link), its list with status and D-day, the
actions that publish and close early, and the screens of screens.py (the
preview of the public page, the theme debate picks, the department's final
response). Officials see their own department's themes, read-only, and write
their final response. Who may is asked of rules.py; every change of status
goes through services.py."""

from functools import partial

import rules
from django.contrib import admin
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from oasis.admin_utils import apply_each, dday_cell, moderation_action, pk_or_404

from . import services
from .forms import ThemeForm, ThemeMaterialForm
from .models import Theme, ThemeMaterial, ThemeStatus
from .screens import pick_view, preview_view, respond_view
from .selectors import visible_to_staff

# Fields the operator writes. Once published, the department and the start
# stay as the public and the department were told (proposals already routed
# to the department); the end can still be moved.
EDITOR_FIELDS = ["title", "summary", "description", "policy", "department", "starts_at", "ends_at"]
FIXED_ONCE_PUBLISHED = ["department", "starts_at"]
STATE_FIELDS = [
    "status",
    "published_at",
    "closed_at",
    "proposal_count",
    "response_published_at",
    "created_by",
]


class ThemeMaterialInline(admin.StackedInline):
    model = ThemeMaterial
    form = ThemeMaterialForm
    extra = 1
    fields = ["title", "file", "url", "position"]

    def has_add_permission(self, request, obj=None):
        return rules.has_perm("themes.manage_theme", request.user)

    def has_change_permission(self, request, obj=None):
        return rules.has_perm("themes.manage_theme", request.user)

    def has_delete_permission(self, request, obj=None):
        return rules.has_perm("themes.manage_theme", request.user)

    def has_view_permission(self, request, obj=None):
        return rules.has_perm("themes.see_theme", request.user, obj)


def _publish(modeladmin, request, queryset):
    apply_each(
        request,
        queryset,
        service=lambda theme: services.theme_publish(theme=theme, actor=request.user),
        done=ngettext_lazy(
            "%(count)d theme was published.", "%(count)d themes were published.", "count"
        ),
    )


publish_themes = admin.action(
    description=_("Publish selected draft themes"), permissions=["manage"]
)(_publish)
publish_themes.__name__ = "publish_themes"

close_themes = moderation_action(
    name="close_themes",
    description=_("Close selected themes now (asks for a reason)"),
    title=_("Close themes early"),
    intro=_(
        "These themes will stop taking proposals now, before their end. Their department "
        "is told, and the reason you give is kept on the audit trail."
    ),
    submit_label=_("Close now"),
    service=lambda theme, user, reason: services.theme_close(
        theme=theme, actor=user, reason=reason
    ),
    done=ngettext_lazy("%(count)d theme was closed.", "%(count)d themes were closed.", "count"),
)


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    form = ThemeForm
    change_form_template = "admin/themes/theme/change_form.html"
    inlines = [ThemeMaterialInline]
    list_display = [
        "title",
        "department",
        "status",
        "dday",
        "starts_at",
        "ends_at",
        "proposal_count",
        "response_state",
    ]
    list_filter = ["status", "department"]
    list_select_related = ["department"]
    search_fields = ["title"]
    search_help_text = _("The theme's title.")
    actions = [publish_themes, close_themes]
    list_per_page = 50

    # --- who may -------------------------------------------------------------

    def _manages(self, request) -> bool:
        return rules.has_perm("themes.manage_theme", request.user)

    def has_module_permission(self, request):
        return rules.has_perm("themes.see_theme", request.user)

    def has_view_permission(self, request, obj=None):
        return rules.has_perm("themes.see_theme", request.user, obj)

    def has_add_permission(self, request):
        return self._manages(request)

    def has_change_permission(self, request, obj=None):
        return self._manages(request)

    def has_delete_permission(self, request, obj=None):
        # Only a draft nobody has seen may go; a published theme is on the record.
        return self._manages(request) and (obj is None or obj.status == ThemeStatus.DRAFT)

    def has_manage_permission(self, request):
        return self._manages(request)

    def has_moderate_permission(self, request):
        return self._manages(request)

    def get_queryset(self, request):
        return visible_to_staff(request.user, super().get_queryset(request))

    def get_list_filter(self, request):
        # An official sees their own department's themes only: a filter by
        # department would list every department, partner institutions'
        # included (issue 16), and choose nothing.
        if self._manages(request):
            return self.list_filter
        return ["status"]

    def get_actions(self, request):
        # Deleting in bulk would skip the draft-only rule above.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    # --- the editor ------------------------------------------------------------

    def get_fields(self, request, obj=None):
        return EDITOR_FIELDS + (STATE_FIELDS if obj is not None else [])

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        if obj.status == ThemeStatus.DRAFT:
            return STATE_FIELDS
        if obj.status == ThemeStatus.PUBLISHED:
            return FIXED_ONCE_PUBLISHED + STATE_FIELDS
        return EDITOR_FIELDS + STATE_FIELDS

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        def screen(function):
            return self.admin_site.admin_view(partial(function, self))

        return [
            path("<path:object_id>/preview/", screen(preview_view), name="themes_theme_preview"),
            path("<path:object_id>/pick/", screen(pick_view), name="themes_theme_pick"),
            path("<path:object_id>/respond/", screen(respond_view), name="themes_theme_respond"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "theme_links": self._links(request, object_id)}
        return super().change_view(request, object_id, form_url, extra_context)

    def _links(self, request, object_id) -> list[tuple[str, str]]:
        """The screens of this theme the user may open, above the form."""
        theme = self.get_queryset(request).filter(pk=pk_or_404(Theme, object_id)).first()
        if theme is None:
            return []
        links = [
            (
                gettext("Preview the public page"),
                reverse("admin:themes_theme_preview", args=[theme.pk]),
            )
        ]
        if theme.status == ThemeStatus.CLOSED:
            if rules.has_perm("themes.pick_for_debate", request.user):
                links.append(
                    (
                        gettext("Pick proposals for the theme debate"),
                        reverse("admin:themes_theme_pick", args=[theme.pk]),
                    )
                )
            if rules.has_perm("themes.respond_theme", request.user, theme):
                links.append(
                    (
                        gettext("Write the department's final response"),
                        reverse("admin:themes_theme_respond", args=[theme.pk]),
                    )
                )
        return links

    # --- the list ------------------------------------------------------------------

    @admin.display(description=_("closes in"), ordering="ends_at")
    def dday(self, theme):
        if theme.status == ThemeStatus.CLOSED:
            return dday_cell(None, finished=gettext("Closed"))
        if theme.status == ThemeStatus.DRAFT:
            return dday_cell(None, finished=gettext("Draft"))
        return dday_cell(theme.ends_at)

    @admin.display(description=_("final response"), ordering="response_published_at")
    def response_state(self, theme):
        if theme.response_published_at:
            return gettext("Published")
        if theme.status != ThemeStatus.CLOSED:
            return "—"
        url = reverse("admin:themes_theme_respond", args=[theme.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Waiting"))
