"""The departments' and operators' workroom for answers.

Officials work here: the Assignment list is their department's queue (most
urgent deadline first) and an assignment's page is the workroom, with the
proposal, its counts and recent comments beside the answer form. Operators see
every department's work, publish or return submitted answers and decide
reassignment requests.

The admin never writes a row itself: there are no add, change or delete
forms; every button and action calls a service in services.py, which checks
the user, the state and records the event. Which rows a user sees comes from
selectors.*_visible_to, the list twins of rules.can_see_assignment, so an
official never sees, opens or changes another department's work."""

import rules
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.selectors import user_is_operator
from oasis.admin_utils import apply_each
from oasis.errors import ServiceError
from oasis.forms import add_service_errors
from proposals.admin import moderate_with_reason

from . import selectors, services
from .forms import AnswerForm, ReasonForm, ReassignForm, ReassignmentRequestForm
from .models import (
    Answer,
    AnswerRating,
    AnswerStatus,
    Assignment,
    ReassignmentRequest,
    ReassignmentStatus,
)

# --- shared -----------------------------------------------------------------------


class ServiceOnlyMixin:
    """Rows are created and changed by services only: no add or delete forms.
    Operator-only actions carry `permissions=["operate"]`."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_operate_permission(self, request) -> bool:
        return user_is_operator(request.user)


def _workroom_url(assignment_id: int) -> str:
    return reverse("admin:answers_assignment_change", args=[assignment_id])


def _require(answer: Answer | None) -> Answer:
    if answer is None:
        raise ServiceError(gettext("No answer has been written yet."))
    return answer


def _row_answer(obj) -> Answer | None:
    """The answer of a selected row of the Answer or the Assignment list."""
    if isinstance(obj, Answer):
        return obj
    return getattr(obj, "answer", None)


def _answer_of(assignment: Assignment) -> Answer:
    return _require(getattr(assignment, "answer", None))


ANSWERS_PUBLISHED = ngettext_lazy(
    "%(count)d answer was published.", "%(count)d answers were published.", "count"
)
ANSWERS_RETURNED = ngettext_lazy(
    "%(count)d answer was returned to its department.",
    "%(count)d answers were returned to their departments.",
    "count",
)


# --- filters ------------------------------------------------------------------------


class QueueFilter(admin.SimpleListFilter):
    """By default the queue shows what still waits for an answer; answered
    and reassigned ones are one click away."""

    title = _("queue")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        choices = [("answered", _("Answered")), ("all", _("All"))]
        if user_is_operator(request.user):
            choices.insert(1, ("reassigned", _("Handed to another department")))
        return choices

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": _("Waiting for an answer"),
        }
        for lookup, label in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": label,
            }

    def queryset(self, request, queryset):
        if self.value() == "all":
            return queryset
        if self.value() == "answered":
            return queryset.filter(is_current=True, closed_at__isnull=False)
        if self.value() == "reassigned":
            return queryset.filter(is_current=False)
        return queryset.awaiting_answer()


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


# --- actions --------------------------------------------------------------------------


@admin.action(description=_("Publish the selected answers"), permissions=["operate"])
def publish_answers(modeladmin, request, queryset):
    """Publish each selected submitted answer (Assignment or Answer rows)."""
    answers = [_row_answer(obj) for obj in queryset]
    apply_each(
        request,
        answers,
        service=lambda answer: services.answer_publish(answer=_require(answer), user=request.user),
        done=ANSWERS_PUBLISHED,
    )


@admin.action(
    description=_("Return the selected answers for changes (asks for a reason)"),
    permissions=["operate"],
)
def return_answers(modeladmin, request, queryset):
    return moderate_with_reason(
        modeladmin,
        request,
        queryset,
        action="return_answers",
        title=gettext("Return answers for changes"),
        intro=gettext(
            "These answers go back to their departments as drafts. The department "
            "is told the reason you give."
        ),
        submit_label=gettext("Return"),
        service=lambda obj, user, reason: services.answer_return(
            answer=_require(_row_answer(obj)), user=user, reason=reason
        ),
        done=ANSWERS_RETURNED,
    )


# --- assignments: the department queue and the workroom ----------------------------


@admin.register(Assignment)
class AssignmentAdmin(ServiceOnlyMixin, admin.ModelAdmin):
    list_display = [
        "proposal_title",
        "department",
        "endorsements",
        "comments",
        "views",
        "deadline_date",
        "days_left",
        "answer_status",
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
        if user_is_operator(request.user):
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

    @admin.display(description=_("days left"), ordering="deadline")
    def days_left(self, assignment):
        return _days_left_text(assignment)

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

    # -- the workroom (the change page)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        assignment = self.get_object(request, unquote(object_id))
        if assignment is None:
            # Not in this user's scope (another department's) or not there.
            raise Http404
        if not self.has_view_permission(request, assignment):
            raise PermissionDenied
        if request.method == "POST":
            return self._post(request, assignment)
        return self._render(request, assignment)

    def _post(self, request, assignment):
        post = request.POST
        if "_save_draft" in post or "_submit" in post:
            return self._save_answer(request, assignment, submit="_submit" in post)
        if "_request_reassignment" in post:
            form = ReassignmentRequestForm(
                post, prefix="reassignment", own_department=assignment.department
            )
            if form.is_valid():
                return self._run(
                    request,
                    assignment,
                    lambda: services.reassignment_request(
                        assignment=assignment,
                        user=request.user,
                        reason=form.cleaned_data["reason"],
                        suggested_department=form.cleaned_data["suggested_department"],
                    ),
                    gettext("Your request is sent to the operators."),
                    form=form,
                    form_name="request_form",
                )
            return self._render(request, assignment, request_form=form, status=400)
        if "_publish" in post:
            return self._run(
                request,
                assignment,
                lambda: services.answer_publish(answer=_answer_of(assignment), user=request.user),
                gettext("The answer is published."),
            )
        if "_return" in post:
            form = ReasonForm(post, prefix="return")
            if form.is_valid():
                return self._run(
                    request,
                    assignment,
                    lambda: services.answer_return(
                        answer=_answer_of(assignment),
                        user=request.user,
                        reason=form.cleaned_data["reason"],
                    ),
                    gettext("The answer is returned to the department."),
                    form=form,
                    form_name="return_form",
                )
            return self._render(request, assignment, return_form=form, status=400)
        if "_approve_reassignment" in post or "_refuse_reassignment" in post:
            return self._decide(request, assignment, approve="_approve_reassignment" in post)
        if "_reassign" in post:
            form = ReassignForm(post, prefix="reassign", current_department=assignment.department)
            if form.is_valid():
                return self._run(
                    request,
                    assignment,
                    lambda: services.assignment_reassign(
                        assignment=assignment,
                        user=request.user,
                        department=form.cleaned_data["department"],
                        reason=form.cleaned_data["reason"],
                    ),
                    gettext("The proposal is reassigned."),
                    form=form,
                    form_name="reassign_form",
                )
            return self._render(request, assignment, reassign_form=form, status=400)
        messages.error(request, gettext("Nothing was changed."))
        return HttpResponseRedirect(request.path)

    def _save_answer(self, request, assignment, *, submit: bool):
        form = AnswerForm(request.POST)
        if not form.is_valid():
            return self._render(request, assignment, answer_form=form, status=400)
        try:
            answer = services.answer_save(
                assignment=assignment, user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self._render(request, assignment, answer_form=form, status=400)
        except ServiceError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(request.path)
        if not submit:
            messages.success(request, gettext("The draft is saved."))
            return HttpResponseRedirect(request.path)
        try:
            services.answer_submit(answer=answer, user=request.user)
        except ValidationError as exc:
            # The draft stays saved; the form says what is missing.
            add_service_errors(form, exc)
            messages.warning(
                request,
                gettext("The draft is saved, but it cannot be submitted yet. Please complete it."),
            )
            return self._render(request, assignment, answer_form=form, status=400)
        except ServiceError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(request.path)
        messages.success(request, gettext("The answer is submitted to the operators for approval."))
        return HttpResponseRedirect(request.path)

    def _decide(self, request, assignment, *, approve: bool):
        pending = selectors.pending_request(assignment)
        if pending is None:
            messages.error(
                request, gettext("There is no reassignment request waiting for a decision.")
            )
            return HttpResponseRedirect(request.path)
        form = ReassignForm(
            request.POST, prefix="decide", current_department=assignment.department, deciding=True
        )
        if form.is_valid():
            if approve and form.cleaned_data["department"] is None:
                form.add_error("department", gettext("Choose the department to reassign it to."))
            if not approve and not form.cleaned_data["reason"]:
                form.add_error("reason", gettext("Please give a reason."))
        if not form.is_valid():
            return self._render(request, assignment, decide_form=form, status=400)
        return self._run(
            request,
            assignment,
            lambda: services.reassignment_decide(
                request=pending,
                user=request.user,
                approve=approve,
                department=form.cleaned_data["department"],
                reason=form.cleaned_data["reason"],
            ),
            gettext("The proposal is reassigned.")
            if approve
            else gettext("The request is refused."),
            form=form,
            form_name="decide_form",
        )

    def _run(self, request, assignment, action, success, *, form=None, form_name=None):
        """Call a service; a refusal becomes a message (or the form's errors)."""
        try:
            action()
        except ValidationError as exc:
            if form is None:
                messages.error(request, " ".join(exc.messages))
                return HttpResponseRedirect(request.path)
            add_service_errors(form, exc)
            return self._render(request, assignment, status=400, **{form_name: form})
        except ServiceError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(request.path)
        messages.success(request, success)
        # After a reassignment the proposal's current assignment is a new one:
        # operators follow it; the department that handed it on goes back to
        # its queue, as it no longer sees the proposal.
        current = Assignment.objects.current().filter(proposal_id=assignment.proposal_id).first()
        if current is None or not rules.has_perm("answers.see_assignment", request.user, current):
            return HttpResponseRedirect(reverse("admin:answers_assignment_changelist"))
        return HttpResponseRedirect(_workroom_url(current.pk))

    def _render(self, request, assignment, *, status=200, **forms):
        user = request.user
        proposal = assignment.proposal
        answer = getattr(assignment, "answer", None)
        pending = selectors.pending_request(assignment)
        can_write = rules.has_perm("answers.write_answer", user, assignment)
        can_request = rules.has_perm("answers.request_reassignment", user, assignment)
        can_review = answer is not None and rules.has_perm("answers.review_answer", user, answer)
        can_decide = pending is not None and rules.has_perm(
            "answers.decide_reassignment", user, pending
        )
        can_reassign = pending is None and rules.has_perm("answers.reassign", user, assignment)
        now = timezone.now()
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Answer: %(title)s") % {"title": proposal.title},
            "subtitle": None,
            "opts": self.model._meta,
            "original": assignment,
            "assignment": assignment,
            "proposal": proposal,
            "answer": answer,
            "pending": pending,
            "comments": selectors.recent_comments(proposal),
            "history": selectors.assignment_history(proposal),
            "days_left_text": _days_left_text(assignment, now),
            "overdue": assignment.is_overdue(now),
            "is_operator": user_is_operator(user),
            "can_write": can_write,
            "can_request": can_request,
            "can_review": can_review,
            "can_decide": can_decide,
            "can_reassign": can_reassign,
            "answer_form": forms.get("answer_form")
            or (AnswerForm(initial=AnswerForm.initial_from(answer)) if can_write else None),
            "request_form": forms.get("request_form")
            or (
                ReassignmentRequestForm(prefix="reassignment", own_department=assignment.department)
                if can_request
                else None
            ),
            "return_form": forms.get("return_form")
            or (ReasonForm(prefix="return") if can_review else None),
            "decide_form": forms.get("decide_form")
            or (
                ReassignForm(
                    prefix="decide",
                    current_department=assignment.department,
                    deciding=True,
                    initial={"department": pending.suggested_department_id},
                )
                if can_decide
                else None
            ),
            "reassign_form": forms.get("reassign_form")
            or (
                ReassignForm(prefix="reassign", current_department=assignment.department)
                if can_reassign
                else None
            ),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(
            request, "admin/answers/assignment/workroom.html", context, status=status
        )


def _days_left_text(assignment: Assignment, now=None) -> str:
    if not assignment.is_current:
        return gettext("Handed to another department")
    if assignment.closed_at is not None:
        return gettext("Answered")
    days = assignment.days_left(now)
    if assignment.is_overdue(now):
        return ngettext("Overdue by %(days)d day", "Overdue by %(days)d days", -days) % {
            "days": -days
        }
    if days == 0:
        return gettext("Due today")
    return ngettext("%(days)d day left", "%(days)d days left", days) % {"days": days}



# --- answers ------------------------------------------------------------------------------


@admin.register(Answer)
class AnswerAdmin(ServiceOnlyMixin, admin.ModelAdmin):
    """Every answer by status; the operators' list of answers waiting for
    approval. Opening one goes to its assignment's workroom."""

    list_display = [
        "proposal_title",
        "department",
        "decision",
        "status",
        "submitted_at",
        "published_at",
        "met_deadline",
    ]
    list_display_links = ["proposal_title"]
    list_filter = ["status", "decision", "met_deadline"]
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

    def change_view(self, request, object_id, form_url="", extra_context=None):
        answer = self.get_object(request, unquote(object_id))
        if answer is None:
            raise Http404
        return HttpResponseRedirect(_workroom_url(answer.assignment_id))


# --- reassignment requests ---------------------------------------------------------------


@admin.action(
    description=_("Refuse the selected reassignment requests (asks for a reason)"),
    permissions=["operate"],
)
def refuse_requests(modeladmin, request, queryset):
    return moderate_with_reason(
        modeladmin,
        request,
        queryset,
        action="refuse_requests",
        title=gettext("Refuse reassignment requests"),
        intro=gettext(
            "The proposals stay with their departments. Each department is told the reason you give."
        ),
        submit_label=gettext("Refuse"),
        service=lambda obj, user, reason: services.reassignment_decide(
            request=obj, user=user, approve=False, reason=reason
        ),
        done=ngettext_lazy(
            "%(count)d request was refused.", "%(count)d requests were refused.", "count"
        ),
    )


@admin.action(
    description=_("Reassign the selected to the department each suggests"),
    permissions=["operate"],
)
def approve_suggested(modeladmin, request, queryset):
    def approve(obj):
        if obj.suggested_department is None:
            raise ServiceError(
                gettext("No department was suggested; decide it on the assignment's page.")
            )
        services.reassignment_decide(
            request=obj, user=request.user, approve=True, department=obj.suggested_department
        )

    apply_each(
        request,
        queryset,
        service=approve,
        done=ngettext_lazy(
            "%(count)d proposal was reassigned.", "%(count)d proposals were reassigned.", "count"
        ),
    )


@admin.register(ReassignmentRequest)
class ReassignmentRequestAdmin(ServiceOnlyMixin, admin.ModelAdmin):
    """Requests to have a proposal answered by another department. Opening one
    goes to its assignment's workroom, where the operator decides it."""

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
    list_filter = ["status"]
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
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        return HttpResponseRedirect(_workroom_url(obj.assignment_id))


# --- ratings ---------------------------------------------------------------------------------


@admin.register(AnswerRating)
class AnswerRatingAdmin(ServiceOnlyMixin, admin.ModelAdmin):
    """The proposers' ratings, read-only."""

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

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("proposal"))
    def proposal_title(self, obj):
        return obj.answer.assignment.proposal.title

    @admin.display(description=_("department"))
    def department(self, obj):
        return obj.answer.assignment.department
