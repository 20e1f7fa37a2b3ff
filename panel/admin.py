"""The operators' side of the citizen panel: applications (waiting first)
decided by actions that call panel's services, and the ratings, read-only.
Nothing is edited in place, so the admin, the pages and the demo follow the
same rules and leave the same audit rows and notices."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from oasis.admin_utils import (
    OperatorOnlyMixin,
    ReadOnlyMixin,
    apply_each,
    ask_then_apply,
    waiting_first_choice_filter,
)

from . import services
from .forms import DecisionNoteForm
from .models import ApplicationStatus, PanelApplication, PanelRating

WaitingStatusFilter = waiting_first_choice_filter(
    "status",
    [ApplicationStatus.PENDING],
    title=_("status"),
    default_label=_("Waiting for a decision"),
    default_note=_("This list shows the applications waiting for a decision."),
)


def _with_note(request, queryset, modeladmin, *, action, title, intro, submit_label, call, done):
    return ask_then_apply(
        modeladmin,
        request,
        queryset,
        form=DecisionNoteForm(request.POST if "apply" in request.POST else None),
        error_message=gettext("Please write a note to the member. Nothing has been changed."),
        call=call,
        done=done,
        title=title,
        intro=intro,
        submit_label=submit_label,
        action=action,
    )


@admin.action(description=_("Approve selected applications"), permissions=["moderate"])
def approve_applications(modeladmin, request, queryset):
    apply_each(
        request,
        queryset.select_related("member"),
        service=lambda application: services.panel_application_approve(
            application=application, actor=request.user
        ),
        done=ngettext_lazy(
            "%(count)d application was approved.", "%(count)d applications were approved.", "count"
        ),
    )


@admin.action(
    description=_("Refuse selected applications (asks for a note)"), permissions=["moderate"]
)
def refuse_applications(modeladmin, request, queryset):
    return _with_note(
        request,
        queryset,
        modeladmin,
        action="refuse_applications",
        title=_("Refuse applications"),
        intro=_("Each applicant is told that their application was not accepted, with your note."),
        submit_label=_("Refuse"),
        call=lambda application, data: services.panel_application_refuse(
            application=application, actor=request.user, note=data["note"]
        ),
        done=ngettext_lazy(
            "%(count)d application was refused.", "%(count)d applications were refused.", "count"
        ),
    )


@admin.action(description=_("End selected memberships (asks for a note)"), permissions=["moderate"])
def end_memberships(modeladmin, request, queryset):
    return _with_note(
        request,
        queryset,
        modeladmin,
        action="end_memberships",
        title=_("End citizen panel memberships"),
        intro=_(
            "These members leave the citizen panel and are told so with your note. The ratings "
            "they gave stay and keep counting in the proposals' panel scores."
        ),
        submit_label=_("End membership"),
        call=lambda application, data: services.panel_membership_end(
            application=application, actor=request.user, note=data["note"]
        ),
        done=ngettext_lazy(
            "%(count)d membership was ended.", "%(count)d memberships were ended.", "count"
        ),
    )


@admin.register(PanelApplication)
class PanelApplicationAdmin(OperatorOnlyMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["id", "member", "status", "created_at", "decided_at", "decided_by"]
    list_display_links = ["id", "member"]
    list_select_related = ["member", "decided_by"]
    list_filter = [WaitingStatusFilter]
    list_per_page = 50
    # The longest waiting first: applications are decided in the order they came.
    ordering = ["created_at", "id"]
    fields = [
        "member",
        "motivation",
        "status",
        "created_at",
        "decided_by",
        "decided_at",
        "decision_note",
        "ended_by",
        "ended_at",
        "end_note",
    ]
    actions = [approve_applications, refuse_applications, end_memberships]


def _proposal_link(proposal):
    url = reverse("admin:proposals_proposal_change", args=[proposal.pk])
    return format_html('<a href="{}">#{} {}</a>', url, proposal.pk, proposal.title)


@admin.register(PanelRating)
class PanelRatingAdmin(OperatorOnlyMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "id",
        "proposal_cell",
        "member",
        "creativity",
        "public_value",
        "feasibility",
        "has_note",
        "created_at",
    ]
    list_display_links = ["id"]
    list_select_related = ["proposal", "member"]
    # Filter by proposal or member: the changelist takes ?proposal__id__exact=
    # and ?member__id__exact= (the links from a proposal or member).
    list_filter = ["created_at"]
    search_fields = ["proposal__title", "member__nickname"]
    search_help_text = _("The proposal's title, or the panel member's nickname.")
    list_per_page = 50
    ordering = ["-created_at", "-id"]
    fields = [
        "proposal",
        "member",
        "creativity",
        "public_value",
        "feasibility",
        "note",
        "created_at",
    ]

    def lookup_allowed(self, lookup, value, request=None):
        if lookup in ("proposal__id__exact", "member__id__exact"):
            return True
        return super().lookup_allowed(lookup, value, request)

    @admin.display(description=_("proposal"), ordering="proposal__title")
    def proposal_cell(self, rating):
        return _proposal_link(rating.proposal)

    @admin.display(description=_("note"), boolean=True)
    def has_note(self, rating):
        return bool(rating.note)
