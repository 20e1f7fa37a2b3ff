"""Partner API keys in the admin, for operators only: issue a key (shown
once, on the page that follows, with how to send it), correct its
institution, contact or rate, revoke keys with a reason. Nothing is ever
deleted: a revoked key stays on the record. Every change goes through
api.services, which writes the audit rows."""

import rules
from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from oasis.admin_utils import moderation_action

from . import services
from .authentication import HEADER, SCHEME
from .models import PartnerKey


def _revoke(obj, user, reason):
    services.key_revoke(actor=user, key=obj, reason=reason)


revoke_keys = moderation_action(
    name="revoke_keys",
    description=_("Revoke the selected keys"),
    title=_("Revoke API keys"),
    intro=_(
        "Requests sending these keys will be refused from now on. The partner can still "
        "call the API without a key, at the anonymous limit. This cannot be undone."
    ),
    submit_label=_("Revoke"),
    service=_revoke,
    done=ngettext_lazy("%(count)d key revoked.", "%(count)d keys revoked.", "count"),
)


@admin.register(PartnerKey)
class PartnerKeyAdmin(admin.ModelAdmin):
    list_display = ["institution", "prefix_shown", "rate", "state", "created_at", "last_used_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["institution", "prefix", "contact_email"]
    search_help_text = _("The institution, its contact or the key's first characters.")
    fields = ["institution", "contact_email", "rate"]
    readonly_fields = ["prefix_shown", "created_at", "last_used_at", "revoked_at", "revoked_reason"]
    actions = [revoke_keys]
    list_per_page = 50

    def get_fields(self, request, obj=None):
        return self.fields if obj is None else [*self.fields, *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    @admin.display(description=_("key"))
    def prefix_shown(self, obj):
        return f"{obj.prefix}…"

    @admin.display(description=_("state"))
    def state(self, obj):
        return gettext("Active") if obj.is_active else gettext("Revoked")

    # --- who may: operators only -------------------------------------------------

    def _manages(self, request) -> bool:
        return rules.has_perm("api.manage_partner_keys", request.user)

    def has_module_permission(self, request):
        return self._manages(request)

    def has_view_permission(self, request, obj=None):
        return self._manages(request)

    def has_add_permission(self, request):
        return self._manages(request)

    def has_change_permission(self, request, obj=None):
        return self._manages(request) and (obj is None or obj.is_active)

    def has_delete_permission(self, request, obj=None):
        return False

    def has_moderate_permission(self, request):
        return self._manages(request)

    # --- changes through the services ---------------------------------------------

    def save_model(self, request, obj, form, change):
        if change:
            services.key_update(
                actor=request.user,
                key=obj,
                institution=obj.institution,
                contact_email=obj.contact_email,
                rate=obj.rate,
            )
            return
        key, raw = services.key_issue(
            actor=request.user,
            institution=obj.institution,
            contact_email=obj.contact_email,
            rate=obj.rate,
        )
        obj.pk, obj.prefix, obj.key_hash, obj.created_at = (
            key.pk,
            key.prefix,
            key.key_hash,
            key.created_at,
        )
        obj._state.adding = False
        request._issued_api_key = raw  # shown once by response_add, never stored

    def response_add(self, request, obj, post_url_continue=None):
        raw = getattr(request, "_issued_api_key", None)
        if raw is None:
            return super().response_add(request, obj, post_url_continue)
        return never_cache(self._key_issued_page)(request, obj, raw)

    def _key_issued_page(self, request, obj, raw):
        request.current_app = self.admin_site.name
        return TemplateResponse(
            request,
            "admin/api/key_issued.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": gettext("API key issued"),
                "key": obj,
                "raw_key": raw,
                "header_line": format_html("{}: {}", HEADER, raw),
                "authorization_line": format_html("Authorization: {} {}", SCHEME, raw),
            },
        )
