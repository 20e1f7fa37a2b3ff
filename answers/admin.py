"""The departments' and operators' workroom for answers.

Officials work here: the Assignment list is their department's queue (most
urgent deadline first) and an assignment's page is the workroom, with the
proposal, its counts and recent comments beside the answer form. Operators see
every department's work, publish or return submitted answers and decide
reassignment requests; a partner institution's administrators do the same
for their institution's proposals only (issue 16: rules.runs_answer_work).

The admin never writes a row itself: there are no add, change or delete
forms; every button and action calls a service in services.py, which checks
the user, the state and records the event. Which rows a user sees comes from
selectors.*_visible_to, the list twins of rules.can_see_assignment, so an
official never sees, opens or changes another department's work."""

import rules
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponseRedirect
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.institutions import InstitutionScopedAdminMixin
from oasis.admin_utils import (
    ReadOnlyMixin,
    WaitingFirstFilter,
    dday_cell,
    waiting_first_choice_filter,
)

from . import selectors
from .admin_actions import approve_suggested, publish_answers, refuse_requests, return_answers
from .models import (
    AmendmentStatus,
    Answer,
    AnswerAmendment,
    AnswerRating,
    AnswerStatus,
    Assignment,
    DeadlineExtension,
    ExtensionStatus,
    ReassignmentRequest,
    ReassignmentStatus,
)
from .notices import workroom_url
from .workroom import open_in_workroom, workroom_view

# --- shared -----------------------------------------------------------------------


class ServiceOnlyMixin:
    """Rows are created and changed by services only: no add or delete forms.
    Operator-only actions carry `permissions=["operate"]`, asked of rules.py."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_operate_permission(self, request) -> bool:
        return rules.has_perm("answers.oversee_answers", request.user)


# --- filters ------------------------------------------------------------------------


class QueueFilter(WaitingFirstFilter):
    """By default the queue shows what still waits for an answer; answered
    and reassigned ones are one click away."""

    title = _("queue")
    parameter_name = "queue"
    default_label = _("Waiting for an answer")
    default_note = _(
        "This list shows the assignments still waiting for an answer, the closest deadline first."
    )

    def lookups(self, request, model_admin):
        choices = [("answered", _("Answered"))]
        if rules.has_perm("answers.oversee_answers", request.user):
            choices.append(("reassigned", _("Handed to another department")))
        return choices

    def waiting(self, queryset):
        return queryset.awaiting_answer()

    def narrow(self, queryset, value):
        if value == "answered":
            return queryset.filter(is_current=True, closed_at__isnull=False)
        if value == "reassigned":
            return queryset.filter(is_current=False)
        return queryset


class AnswerStatusFilter(admin.SimpleListFilter):
    title = _("answer")
    parameter_name = "answer"

    def lookups(self, request, model_admin):
        return [("none", _("Not started")), *AnswerStatus.choices]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(answer__isnull=True)
        if self.value() in AnswerStatus.values:
            return queryset.filter(answer__status=self.value())
        return queryset


# --- assignments: the department queue and the workroom ----------------------------


@admin.register(Assignment)
class AssignmentAdmin(InstitutionScopedAdminMixin, ServiceOnlyMixin, admin.ModelAdmin):
    institution_field = "proposal__institution"
    # The title and its deadline first: on a phone they are what is read.
    list_display = [
        "proposal_title",
        "dday",
        "deadline_date",
        "answer_status",
        "department",
        "endorsements",
        "comments",
        "views",
        "public_page",
    ]
    list_display_links = ["proposal_title"]
    list_filter = [QueueFilter, AnswerStatusFilter]
    search_fields = ["proposal__title"]
    search_help_text = _("Proposal title.")
    list_per_page = 50
    show_full_result_count = False
    actions = [publish_answers, return_answers]

    def get_queryset(self, request):
        # The same rule that guards one assignment filters the list.
        return selectors.assignment_queue(request.user).annotate(
            has_pending_request=Exists(
                ReassignmentRequest.objects.filter(
                    assignment=OuterRef("pk"), status=ReassignmentStatus.PENDING
                )
            )
        )

    def get_list_filter(self, request):
        if rules.has_perm("answers.oversee_answers", request.user):
            return [*self.list_filter, "department"]
        return self.list_filter

    def has_view_permission(self, request, obj=None) -> bool:
        allowed = super().has_view_permission(request, obj)
        if obj is None:
            return allowed
        return allowed and rules.has_perm("answers.see_assignment", request.user, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        allowed = super().has_change_permission(request, obj)
        if obj is None:
            return allowed
        return allowed and rules.has_perm("answers.see_assignment", request.user, obj)

    # -- columns

    @admin.display(description=_("proposal"), ordering="proposal__title")
    def proposal_title(self, assignment):
        return assignment.proposal.title

    @admin.display(description=_("endorsements"), ordering="proposal__endorsement_count")
    def endorsements(self, assignment):
        return assignment.proposal.endorsement_count

    @admin.display(description=_("comments"), ordering="proposal__comment_count")
    def comments(self, assignment):
        return assignment.proposal.comment_count

    @admin.display(description=_("views"), ordering="proposal__view_count")
    def views(self, assignment):
        return assignment.proposal.view_count

    @admin.display(description=_("answer due by"), ordering="deadline")
    def deadline_date(self, assignment):
        return timezone.localtime(assignment.deadline).date()

    @admin.display(description=_("D-day"), ordering="deadline")
    def dday(self, assignment):
        if not assignment.is_current:
            return dday_cell(None, finished=gettext("Handed to another department"))
        if assignment.closed_at is not None:
            return dday_cell(None, finished=gettext("Answered"))
        return dday_cell(assignment.deadline)

    @admin.display(description=_("answer"))
    def answer_status(self, assignment):
        answer = getattr(assignment, "answer", None)
        text = answer.get_status_display() if answer is not None else gettext("Not started")
        if getattr(assignment, "has_pending_request", False):
            text = gettext("%(status)s · reassignment requested") % {"status": text}
        return text

    @admin.display(description=_("public page"))
    def public_page(self, assignment):
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            assignment.proposal.get_absolute_url(),
            gettext("Open"),
        )

    # -- the workroom (the change page, workroom.py)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return workroom_view(self, request, object_id)


# --- answers ------------------------------------------------------------------------------


@admin.register(Answer)
class AnswerAdmin(InstitutionScopedAdminMixin, ServiceOnlyMixin, admin.ModelAdmin):
    """Every answer by status; the operators' list of answers waiting for
    approval. Opening one goes to its assignment's workroom."""

    institution_field = "assignment__proposal__institution"

    list_display = [
        "proposal_title",
        "dday",
        "status",
        "department",
        "decision",
        "submitted_at",
        "published_at",
        "met_deadline",
    ]
    list_display_links = ["proposal_title"]
    list_filter = [
        waiting_first_choice_filter(
            "status",
            [AnswerStatus.SUBMITTED],
            title=_("status"),
            default_label=_("Waiting for approval"),
            default_note=_("This list shows the answers waiting for approval."),
        ),
        "decision",
        "met_deadline",
    ]
    search_fields = ["assignment__proposal__title"]
    list_per_page = 50
    show_full_result_count = False
    actions = [publish_answers, return_answers]

    def get_queryset(self, request):
        return selectors.answers_visible_to(request.user).select_related(
            "assignment__proposal", "assignment__department"
        )

    @admin.display(description=_("proposal"), ordering="assignment__proposal__title")
    def proposal_title(self, answer):
        return answer.assignment.proposal.title

    @admin.display(description=_("department"), ordering="assignment__department__name")
    def department(self, answer):
        return answer.assignment.department

    @admin.display(description=_("D-day"), ordering="assignment__deadline")
    def dday(self, answer):
        # The answer is due by its assignment's deadline until published.
        if answer.status == AnswerStatus.PUBLISHED:
            return dday_cell(None, finished=answer.get_status_display())
        return dday_cell(answer.assignment.deadline)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return open_in_workroom(self, request, object_id)


# --- reassignment requests ---------------------------------------------------------------


@admin.register(ReassignmentRequest)
class ReassignmentRequestAdmin(InstitutionScopedAdminMixin, ServiceOnlyMixin, admin.ModelAdmin):
    """Requests to have a proposal answered by another department. Opening one
    goes to its assignment's workroom, where the operator decides it."""

    institution_field = "assignment__proposal__institution"

    list_display = [
        "proposal_title",
        "from_department",
        "suggested_department",
        "reason",
        "status",
        "created_at",
        "to_department",
    ]
    list_display_links = ["proposal_title"]
    list_filter = [
        waiting_first_choice_filter(
            "status",
            [ReassignmentStatus.PENDING],
            title=_("status"),
            default_label=_("Waiting for a decision"),
            default_note=_("This list shows the requests waiting for a decision."),
        )
    ]
    list_per_page = 50
    show_full_result_count = False
    actions = [approve_suggested, refuse_requests]

    def get_queryset(self, request):
        return selectors.reassignment_requests_visible_to(request.user).select_related(
            "assignment__proposal",
            "assignment__department",
            "suggested_department",
            "to_department",
        )

    @admin.display(description=_("proposal"), ordering="assignment__proposal__title")
    def proposal_title(self, obj):
        return obj.assignment.proposal.title

    @admin.display(description=_("from"), ordering="assignment__department__name")
    def from_department(self, obj):
        return obj.assignment.department

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return open_in_workroom(self, request, object_id)


# --- amendments of published answers -------------------------------------------------------


@admin.register(AnswerAmendment)
class AnswerAmendmentAdmin(InstitutionScopedAdminMixin, ServiceOnlyMixin, admin.ModelAdmin):
    """Amendments of published answers; the operators' list of those waiting
    for approval. Opening one goes to its answer's workroom, where it is
    written, approved or returned."""

    institution_field = "answer__assignment__proposal__institution"

    list_display = [
        "proposal_title",
        "status",
        "department",
        "reason",
        "submitted_at",
        "decided_at",
    ]
    list_display_links = ["proposal_title"]
    list_filter = [
        waiting_first_choice_filter(
            "status",
            [AmendmentStatus.SUBMITTED],
            title=_("status"),
            default_label=_("Waiting for approval"),
            default_note=_("This list shows the amendments waiting for approval."),
        )
    ]
    search_fields = ["answer__assignment__proposal__title"]
    list_per_page = 50
    show_full_result_count = False

    def get_queryset(self, request):
        return selectors.amendments_visible_to(request.user).select_related(
            "answer__assignment__proposal", "answer__assignment__department"
        )

    @admin.display(description=_("proposal"), ordering="answer__assignment__proposal__title")
    def proposal_title(self, obj):
        return obj.answer.assignment.proposal.title

    @admin.display(description=_("department"), ordering="answer__assignment__department__name")
    def department(self, obj):
        return obj.answer.assignment.department

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        return HttpResponseRedirect(workroom_url(obj.answer.assignment_id))


# --- deadline extensions ------------------------------------------------------------------


@admin.register(DeadlineExtension)
class DeadlineExtensionAdmin(InstitutionScopedAdminMixin, ServiceOnlyMixin, admin.ModelAdmin):
    """Departments' requests for more time. Opening one goes to its
    assignment's workroom, where the department asks and the operator
    grants or refuses."""

    institution_field = "assignment__proposal__institution"

    list_display = [
        "proposal_title",
        "from_department",
        "days_requested",
        "reason",
        "status",
        "days_granted",
        "created_at",
    ]
    list_display_links = ["proposal_title"]
    list_filter = [
        waiting_first_choice_filter(
            "status",
            [ExtensionStatus.PENDING],
            title=_("status"),
            default_label=_("Waiting for a decision"),
            default_note=_("This list shows the requests waiting for a decision."),
        )
    ]
    list_per_page = 50
    show_full_result_count = False

    def get_queryset(self, request):
        return selectors.extension_requests_visible_to(request.user).select_related(
            "assignment__proposal", "assignment__department"
        )

    @admin.display(description=_("proposal"), ordering="assignment__proposal__title")
    def proposal_title(self, obj):
        return obj.assignment.proposal.title

    @admin.display(description=_("from"), ordering="assignment__department__name")
    def from_department(self, obj):
        return obj.assignment.department

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return open_in_workroom(self, request, object_id)


# --- ratings ---------------------------------------------------------------------------------


@admin.register(AnswerRating)
class AnswerRatingAdmin(InstitutionScopedAdminMixin, ReadOnlyMixin, admin.ModelAdmin):
    """The proposers' ratings, read-only."""

    institution_field = "answer__assignment__proposal__institution"

    list_display = ["proposal_title", "department", "score", "comment", "created_at"]
    list_filter = ["score"]
    list_per_page = 50
    fields = readonly_fields = ["answer", "rater", "score", "comment", "created_at"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related(
                "answer__assignment__proposal", "answer__assignment__department", "rater"
            )
        )

    @admin.display(description=_("proposal"))
    def proposal_title(self, obj):
        return obj.answer.assignment.proposal.title

    @admin.display(description=_("department"))
    def department(self, obj):
        return obj.answer.assignment.department
