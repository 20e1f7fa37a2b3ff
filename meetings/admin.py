"""The workroom for working reviews, realization meetings and expert opinions.

Descriptive fields (date, place, attendees, notes) are edited in the usual
forms. Every change of state goes through services.py: working review rows
are saved with `working_review_decide`, finalising, inviting and marking held
are actions, and each agenda item's decision is recorded on its own page that
calls `agenda_item_decide` (decisions.py). Who sees which doors comes from the role groups
(accounts/permissions.py); which objects a user may change comes from rules.py."""

from functools import partial

import rules
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminSplitDateTime
from django.db import models
from django.db.models import Count, Q
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from oasis.admin_utils import ReadOnlyMixin, dday_cell, waiting_first_choice_filter
from oasis.errors import ServiceError

from . import rules as meeting_rules
from . import selectors, services
from .decision_table import decision_table_view, mark_held_view
from .decisions import decide_link, decide_view
from .forms import ExpertOpinionForm, ReviewDecisionForm
from .internal_agenda import internal_agenda_view
from .models import (
    AgendaDecision,
    AgendaItem,
    ExpertOpinion,
    RealizationMeeting,
    RealizationMeetingStatus,
    ReviewDecision,
    WorkingReview,
)
from .opinion_requests import opinion_request_withdraw_view, opinion_requests_view


def _run_each(request, queryset, service, done: str) -> None:
    """Call `service(obj)` for each selected object; a refusal is reported
    per object and leaves that object unchanged."""
    for obj in queryset:
        try:
            result = service(obj)
        except ServiceError as exc:
            messages.error(request, f"{obj}: {exc.message}")
        else:
            messages.success(request, done % {"item": obj, "result": result})


def _proposal_link(proposal):
    return format_html(
        '<a href="{}">#{} {}</a>',
        reverse("admin:proposals_proposal_change", args=[proposal.pk]),
        proposal.pk,
        proposal.title,
    )


# --- working review -------------------------------------------------------------------


class ReviewDecisionInline(admin.TabularInline):
    """The review's decisions; only proposals in working review can be chosen.
    Saved through services.working_review_decide (see save_formset)."""

    model = ReviewDecision
    form = ReviewDecisionForm
    # Each cell labelled, rows cards on a phone (the template, admin_meetings.css).
    template = "admin/meetings/tabular_labelled.html"
    fields = ["position", "proposal", "selected", "reason", "decided_by"]
    readonly_fields = ["decided_by"]
    ordering = ["position", "id"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("proposal", "decided_by")

    def get_extra(self, request, obj=None, **kwargs):
        return 1 if obj is None or obj.is_draft else 0

    def _may_decide(self, request, obj) -> bool:
        return rules.has_perm("meetings.decide_in_review", request.user, obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._may_decide(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_decide(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Taking a row back out of a draft is part of deciding.
        return self._may_decide(request, obj) and request.user.has_perm(
            "meetings.change_reviewdecision"
        )


@admin.action(description=_("Finalise selected working reviews"), permissions=["finalise"])
def finalise_reviews(modeladmin, request, queryset):
    _run_each(
        request,
        queryset,
        lambda review: services.working_review_finalise(review=review, user=request.user),
        gettext("%(item)s is finalised; its proposals are on their way."),
    )


@admin.register(WorkingReview)
class WorkingReviewAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "held_on",
        "place",
        "status",
        "selected_count",
        "not_selected_count",
        "next_meeting",
    ]
    list_filter = ["status"]
    list_select_related = ["next_meeting"]
    fields = [
        "held_on",
        "place",
        "attendees",
        "notes",
        "next_meeting",
        "status",
        "finalised_at",
        "finalised_by",
    ]
    readonly_fields = ["status", "finalised_at", "finalised_by"]
    inlines = [ReviewDecisionInline]
    actions = [finalise_reviews]

    class Media:
        css = {"all": ["css/admin_meetings.css"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                selected_n=Count("decisions", filter=Q(decisions__selected=True)),
                not_selected_n=Count("decisions", filter=Q(decisions__selected=False)),
            )
        )

    @admin.display(description=_("put forward"), ordering="selected_n")
    def selected_count(self, review):
        return review.selected_n

    @admin.display(description=_("not put forward"), ordering="not_selected_n")
    def not_selected_count(self, review):
        return review.not_selected_n

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "next_meeting":
            kwargs["queryset"] = RealizationMeeting.objects.filter(
                status=RealizationMeetingStatus.SCHEDULED
            ).order_by("scheduled_at")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        # A finalised review is a record: shown, never changed.
        return super().has_change_permission(request, obj) and (
            obj is None or meeting_rules.review_is_draft(request.user, obj)
        )

    def get_readonly_fields(self, request, obj=None):
        # Officials and internal experts open a draft review to record their
        # decisions (the inline, which needs the change permission); the
        # review's own fields stay the operators' (meetings.edit_review).
        if obj is not None and not rules.has_perm("meetings.edit_review", request.user, obj):
            return self.fields
        return super().get_readonly_fields(request, obj)

    def has_delete_permission(self, request, obj=None):
        return obj is not None and rules.has_perm("meetings.delete_review", request.user, obj)

    def has_finalise_permission(self, request):
        # Offered for the list; each review's draft state is checked by the service.
        return rules.has_perm("meetings.finalise_review", request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not ReviewDecision:
            return super().save_formset(request, form, formset, change)
        review = form.instance
        for row in formset.deleted_forms:
            if row.instance.pk:
                services.review_decision_remove(decision=row.instance, user=request.user)
        for row in formset.forms:
            if row in formset.deleted_forms or not row.has_changed() or not row.cleaned_data:
                continue
            previous = row.instance if row.instance.pk else None
            proposal = row.cleaned_data["proposal"]
            if previous is not None and previous.proposal_id != proposal.pk:
                # The row now names another proposal: the old decision goes.
                services.review_decision_remove(decision=previous, user=request.user)
            services.working_review_decide(
                review=review,
                proposal=proposal,
                selected=row.cleaned_data["selected"],
                reason=row.cleaned_data["reason"],
                position=row.cleaned_data.get("position") or 0,
                user=request.user,
            )
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        return None


# --- realization meeting ---------------------------------------------------------------


class AgendaItemInline(admin.TabularInline):
    """The agenda in order. Operators reorder it while the meeting is ahead;
    items join it only from a working review or a hold-over, and each
    decision is recorded on its own page (the "record decision" link)."""

    model = AgendaItem
    fk_name = "meeting"
    template = "admin/meetings/tabular_labelled.html"
    fields = ["position", "proposal_link", "decision", "reason", "conditions", "decide_link"]
    readonly_fields = ["proposal_link", "decision", "reason", "conditions", "decide_link"]
    ordering = ["position", "id"]
    extra = 0
    max_num = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("proposal", "meeting")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and rules.has_perm("meetings.reorder_agenda", request.user, obj):
            return self.readonly_fields
        return ["position", *self.readonly_fields]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("proposal"))
    def proposal_link(self, item):
        return _proposal_link(item.proposal)

    @admin.display(description=_("record"))
    def decide_link(self, item):
        return decide_link(item, css_class="button")


@admin.action(
    description=_("Invite the proposers of the agenda items by e-mail"), permissions=["run"]
)
def invite_proposers(modeladmin, request, queryset):
    _run_each(
        request,
        queryset,
        lambda meeting: services.meeting_invite(meeting=meeting, user=request.user),
        gettext("%(item)s: %(result)s new invitations sent."),
    )


@admin.action(description=_("Mark selected meetings as held"), permissions=["record"])
def mark_held(modeladmin, request, queryset):
    _run_each(
        request,
        queryset,
        lambda meeting: services.meeting_mark_held(meeting=meeting, user=request.user),
        gettext("%(item)s is marked as held."),
    )


class LabelledSplitDateTime(AdminSplitDateTime):
    """Django's date and time inputs, each named for screen readers: the
    "Date:" and "Time:" before them are text, not labels."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        labels = (gettext("Date"), gettext("Time"))
        for subwidget, label in zip(context["widget"]["subwidgets"], labels, strict=True):
            subwidget["attrs"]["aria-label"] = label
        return context


# The lists open on what is still to come or to decide; the rest one click away.
ScheduledMeetingsFilter = waiting_first_choice_filter(
    "status",
    [RealizationMeetingStatus.SCHEDULED],
    title=_("status"),
    default_label=_("Scheduled"),
    default_note=_("This list shows the meetings not held yet."),
)
UndecidedItemsFilter = waiting_first_choice_filter(
    "decision",
    [AgendaDecision.PENDING],
    title=_("decision"),
    default_label=_("Not decided yet"),
    default_note=_("This list shows the agenda items waiting for a decision."),
)


@admin.register(RealizationMeeting)
class RealizationMeetingAdmin(admin.ModelAdmin):
    change_form_template = "admin/meetings/realizationmeeting/change_form.html"
    formfield_overrides = {models.DateTimeField: {"widget": LabelledSplitDateTime}}
    list_display = [
        "meeting_title",
        "dday",
        "scheduled_at",
        "place",
        "status",
        "item_count",
        "adopted_count",
        "held_over_count",
        "not_adopted_count",
        "agenda_link",
    ]

    @admin.display(description=_("realization meeting"), ordering="number")
    def meeting_title(self, meeting):
        return meeting.title

    list_filter = [ScheduledMeetingsFilter]
    ordering = ["-scheduled_at"]
    fieldsets = [
        (None, {"fields": ["number", "scheduled_at", "place", "notes"]}),
        (
            _("Attendees"),
            {
                "fields": [
                    "attendees_mayor",
                    "attendees_proposers",
                    "attendees_experts",
                    "attendees_officials",
                    "attendees_citizens",
                ]
            },
        ),
        (_("Status"), {"fields": ["status", "held_at", "invitations_sent_at", "agenda_link"]}),
    ]
    readonly_fields = ["status", "held_at", "invitations_sent_at", "agenda_link"]
    inlines = [AgendaItemInline]
    actions = [invite_proposers, mark_held]

    def get_queryset(self, request):
        return selectors.with_decision_counts(super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        # The mayor's office records decisions; the meeting's details are the
        # operators' (its secretariat).
        if rules.has_perm("meetings.run_meeting", request.user):
            return self.readonly_fields
        return [f for fs in self.fieldsets for f in fs[1]["fields"]]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        last = (
            RealizationMeeting.objects.order_by("-number").values_list("number", flat=True).first()
        )
        initial.setdefault("number", (last or 0) + 1)
        initial.setdefault("place", services.MEETING_PLACE)
        initial.setdefault("attendees_mayor", services.MEETING_MAYOR)
        return initial

    def has_delete_permission(self, request, obj=None):
        # A meeting with an agenda is part of the public record (rules.py).
        return obj is not None and rules.has_perm("meetings.delete_meeting", request.user, obj)

    def has_run_permission(self, request):
        return rules.has_perm("meetings.run_meeting", request.user)

    def has_record_permission(self, request):
        return rules.has_perm("meetings.record_decision", request.user)

    @admin.display(description=_("D-day"), ordering="scheduled_at")
    def dday(self, meeting):
        # Counts down to the meeting; once it has passed without being
        # marked held, the row says so (the secretariat's work is waiting).
        if meeting.status == RealizationMeetingStatus.HELD:
            return dday_cell(None, finished=meeting.get_status_display())
        return dday_cell(meeting.scheduled_at)

    @admin.display(description=_("items"), ordering="item_count")
    def item_count(self, meeting):
        return meeting.item_count

    @admin.display(description=_("adopted"), ordering="adopted_count")
    def adopted_count(self, meeting):
        return meeting.adopted_count

    @admin.display(description=_("held over"), ordering="held_over_count")
    def held_over_count(self, meeting):
        return meeting.held_over_count

    @admin.display(description=_("not adopted"), ordering="not_adopted_count")
    def not_adopted_count(self, meeting):
        return meeting.not_adopted_count

    @admin.display(description=_("printable agenda"))
    def agenda_link(self, meeting):
        if meeting is None or meeting.pk is None:
            return "—"
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            meeting.get_agenda_url(),
            gettext("Open the printable agenda"),
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The meeting's own tools above its form (the change_form template):
        # the decision table, the internal agenda and "meeting held", each
        # for those who may use it; "held" says why not while it cannot be.
        extra_context = extra_context or {}
        meeting = self.get_object(request, object_id)
        if meeting is not None:
            may_record = rules.has_perm("meetings.record_decision", request.user)
            extra_context["meeting_tools"] = {
                "may_record": may_record,
                "may_read_internal": rules.has_perm("meetings.read_internal_agenda", request.user),
                "held_refusal": (meeting_rules.mark_held_refusal(meeting) if may_record else None),
                "is_held": meeting.is_held,
                "may_request_opinions": rules.has_perm("meetings.request_opinion", request.user),
            }
            if extra_context["meeting_tools"]["may_request_opinions"]:
                extra_context["meeting_tools"]["missing_opinions"] = (
                    selectors.missing_opinions_count(meeting)
                )
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(partial(function, self))

        return [
            path(
                "<path:object_id>/decide/<int:item_id>/",
                view(decide_view),
                name="meetings_realizationmeeting_decide",
            ),
            path(
                "<path:object_id>/decisions/",
                view(decision_table_view),
                name="meetings_realizationmeeting_decisions",
            ),
            path(
                "<path:object_id>/held/",
                view(mark_held_view),
                name="meetings_realizationmeeting_held",
            ),
            path(
                "<path:object_id>/opinions/",
                view(opinion_requests_view),
                name="meetings_realizationmeeting_opinions",
            ),
            path(
                "<path:object_id>/opinions/<int:request_id>/withdraw/",
                view(opinion_request_withdraw_view),
                name="meetings_realizationmeeting_opinion_withdraw",
            ),
            path(
                "<path:object_id>/agenda/internal/",
                view(internal_agenda_view),
                name="meetings_realizationmeeting_agenda_internal",
            ),
            *super().get_urls(),
        ]


@admin.register(AgendaItem)
class AgendaItemAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Every agenda item across meetings, to find what waits for a decision."""

    list_display = ["proposal", "meeting", "position", "decision", "decided_at", "decide_link"]
    list_display_links = ["proposal"]
    list_filter = [UndecidedItemsFilter, "meeting"]
    list_select_related = ["meeting", "proposal"]
    search_fields = ["proposal__title"]
    ordering = ["-meeting__scheduled_at", "position", "id"]
    fields = [
        "meeting",
        "position",
        "proposal",
        "decision",
        "reason",
        "conditions",
        "decided_at",
        "decided_by",
        "source_review",
        "held_over_from",
    ]
    readonly_fields = fields

    @admin.display(description=_("record"))
    def decide_link(self, item):
        return decide_link(item)


# --- expert opinions ---------------------------------------------------------------------


@admin.register(ExpertOpinion)
class ExpertOpinionAdmin(admin.ModelAdmin):
    """An expert sees and edits only their own opinions (selectors.
    expert_opinions_of, the same rule as the edit check); the operator and the
    mayor's office read them all. Saved through services.expert_opinion_save."""

    form = ExpertOpinionForm
    list_display = ["proposal", "expert", "recommendation", "updated_at"]
    list_filter = ["recommendation"]
    search_fields = ["proposal__title"]

    def get_queryset(self, request):
        return selectors.expert_opinions_of(request.user)

    def get_form(self, request, obj=None, **kwargs):
        base = super().get_form(request, obj, **kwargs)
        expert = request.user

        class OpinionForm(base):
            def __init__(self, *args, **form_kwargs):
                form_kwargs.setdefault("expert", expert)
                super().__init__(*args, **form_kwargs)

        return OpinionForm

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        if self.has_change_permission(request, obj):
            return ["proposal"]
        return ["proposal", "expert", "recommendation", "text"]

    def get_fields(self, request, obj=None):
        if obj is not None and not self.has_change_permission(request, obj):
            return ["proposal", "expert", "recommendation", "text"]
        return ["proposal", "recommendation", "text"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and rules.has_perm(
            "meetings.write_opinion", request.user
        )

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None:
            return rules.has_perm("meetings.write_opinion", request.user)
        return (
            rules.has_perm("meetings.edit_opinion", request.user, obj)
            and meeting_rules.opinion_refusal(obj.proposal) is None
        )

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        saved = services.expert_opinion_save(
            proposal=obj.proposal,
            expert=request.user,
            text=form.cleaned_data["text"],
            recommendation=form.cleaned_data["recommendation"],
        )
        obj.pk = saved.pk
        obj.expert = saved.expert
        obj._state.adding = False
