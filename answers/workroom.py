"""The answer workroom: an assignment's page in the admin.

Officials write, save and submit their department's answer here beside the
proposal, its counts and recent comments, and ask for a reassignment;
operators publish or return a submitted answer and decide or make a
reassignment. Every button calls a service in services.py; which buttons a
user sees is asked of rules.py. AssignmentAdmin.change_view (admin.py) opens
it with `workroom_view`."""

import rules
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from oasis.errors import ServiceError
from oasis.forms import add_service_errors

from . import selectors, services
from .forms import (
    AmendmentForm,
    AnswerForm,
    ExtensionDecideForm,
    ExtensionRequestForm,
    ReasonForm,
    ReassignForm,
    ReassignmentRequestForm,
)
from .models import (
    AMENDABLE_FIELDS,
    OPEN_AMENDMENT_STATUSES,
    AmendmentStatus,
    Answer,
    AnswerAmendment,
    AnswerStatus,
    Assignment,
)
from .notices import workroom_url
from .timeline_texts import amendment_changes_shown


def require_answer(answer: Answer | None) -> Answer:
    """`answer`, or a refusal saying none has been written yet."""
    if answer is None:
        raise ServiceError(gettext("No answer has been written yet."))
    return answer


def _answer_of(assignment: Assignment) -> Answer:
    return require_answer(getattr(assignment, "answer", None))


def days_left_text(assignment: Assignment, now=None) -> str:
    """How the queue and the workroom say where the assignment stands: handed
    on, answered, overdue by or days left until its deadline."""
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


def workroom_view(modeladmin, request, object_id) -> HttpResponse:
    """The workroom of the assignment `object_id`, within `modeladmin`'s
    queryset: another department's assignment is not found (404)."""
    assignment = modeladmin.get_object(request, unquote(object_id))
    if assignment is None:
        # Not in this user's scope (another department's) or not there.
        raise Http404
    if not modeladmin.has_view_permission(request, assignment):
        raise PermissionDenied
    page = Workroom(modeladmin, request, assignment)
    return page.post() if request.method == "POST" else page.render()


def open_in_workroom(modeladmin, request, object_id) -> HttpResponse:
    """An answer's or a reassignment request's page is its assignment's
    workroom: redirect there (404 outside `modeladmin`'s queryset)."""
    obj = modeladmin.get_object(request, unquote(object_id))
    if obj is None:
        raise Http404
    return HttpResponseRedirect(workroom_url(obj.assignment_id))


class Workroom:
    """One request to one assignment's workroom: `post` runs the button that
    was pressed (each button is a named submit: _save_draft, _submit,
    _request_reassignment, _publish, _return, _approve_reassignment,
    _refuse_reassignment, _reassign, _request_extension, _grant_extension,
    _refuse_extension, and for a published answer's amendment
    _save_amendment, _submit_amendment, _approve_amendment, _return_amendment); `render` shows the page with the forms
    the user may use, or the invalid ones given."""

    def __init__(self, modeladmin, request, assignment: Assignment):
        self.modeladmin = modeladmin
        self.request = request
        self.assignment = assignment

    def post(self) -> HttpResponse:
        request, assignment = self.request, self.assignment
        post = request.POST
        if "_save_draft" in post or "_submit" in post:
            return self._save_answer(submit="_submit" in post)
        if "_save_amendment" in post or "_submit_amendment" in post:
            return self._save_amendment(submit="_submit_amendment" in post)
        if "_approve_amendment" in post:
            return self._run(
                lambda: services.amendment_approve(
                    amendment=self._submitted_amendment(), user=request.user
                ),
                gettext("The amendment is approved: the answer now reads as amended."),
            )
        if "_return_amendment" in post:
            form = ReasonForm(post, prefix="amendment_return")
            if form.is_valid():
                return self._run(
                    lambda: services.amendment_return(
                        amendment=self._submitted_amendment(),
                        user=request.user,
                        reason=form.cleaned_data["reason"],
                    ),
                    gettext("The amendment is returned to the department."),
                    form=form,
                    form_name="amendment_return_form",
                )
            return self.render(amendment_return_form=form, status=400)
        if "_request_reassignment" in post:
            form = ReassignmentRequestForm(
                post, prefix="reassignment", own_department=assignment.department
            )
            if form.is_valid():
                return self._run(
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
            return self.render(request_form=form, status=400)
        if "_request_extension" in post:
            form = ExtensionRequestForm(post, prefix="extension")
            if form.is_valid():
                return self._run(
                    lambda: services.extension_request(
                        assignment=assignment,
                        user=request.user,
                        reason=form.cleaned_data["reason"],
                        days=form.cleaned_data["days"],
                    ),
                    gettext("Your request for more time is sent to the operators."),
                    form=form,
                    form_name="extension_form",
                )
            return self.render(extension_form=form, status=400)
        if "_grant_extension" in post or "_refuse_extension" in post:
            return self._decide_extension(grant="_grant_extension" in post)
        if "_publish" in post:
            return self._run(
                lambda: services.answer_publish(answer=_answer_of(assignment), user=request.user),
                gettext("The answer is published."),
            )
        if "_return" in post:
            form = ReasonForm(post, prefix="return")
            if form.is_valid():
                return self._run(
                    lambda: services.answer_return(
                        answer=_answer_of(assignment),
                        user=request.user,
                        reason=form.cleaned_data["reason"],
                    ),
                    gettext("The answer is returned to the department."),
                    form=form,
                    form_name="return_form",
                )
            return self.render(return_form=form, status=400)
        if "_approve_reassignment" in post or "_refuse_reassignment" in post:
            return self._decide(approve="_approve_reassignment" in post)
        if "_reassign" in post:
            form = ReassignForm(post, prefix="reassign", current_department=assignment.department)
            if form.is_valid():
                return self._run(
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
            return self.render(reassign_form=form, status=400)
        messages.error(request, gettext("Nothing was changed."))
        return HttpResponseRedirect(request.path)

    def _save_answer(self, *, submit: bool) -> HttpResponse:
        user = self.request.user
        return self._save_then_submit(
            form=AnswerForm(self.request.POST),
            form_name="answer_form",
            save=lambda values: services.answer_save(
                assignment=self.assignment, user=user, **values
            ),
            submit=(lambda answer: services.answer_submit(answer=answer, user=user))
            if submit
            else None,
            saved=gettext("The draft is saved."),
            not_ready=gettext(
                "The draft is saved, but it cannot be submitted yet. Please complete it."
            ),
            submitted=gettext("The answer is submitted to the operators for approval."),
        )

    def _save_then_submit(
        self, *, form, form_name: str, save, submit, saved: str, not_ready: str, submitted: str
    ) -> HttpResponse:
        """The department's save (and, with `submit`, send on) of the answer
        or of an amendment: the form re-shown with what the service refused,
        and a draft that stays saved when it cannot be submitted yet."""
        request = self.request
        if not form.is_valid():
            return self.render(**{form_name: form}, status=400)
        try:
            saved_object = save(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.render(**{form_name: form}, status=400)
        except ServiceError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(request.path)
        if submit is None:
            messages.success(request, saved)
            return HttpResponseRedirect(request.path)
        try:
            submit(saved_object)
        except ValidationError as exc:
            # The draft stays saved; the form says what is missing.
            add_service_errors(form, exc)
            messages.warning(request, not_ready)
            return self.render(**{form_name: form}, status=400)
        except ServiceError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(request.path)
        messages.success(request, submitted)
        return HttpResponseRedirect(request.path)

    def _submitted_amendment(self) -> AnswerAmendment:
        amendment = selectors.open_amendment(getattr(self.assignment, "answer", None))
        if amendment is None or amendment.status != AmendmentStatus.SUBMITTED:
            raise ServiceError(gettext("No amendment waits for approval."))
        return amendment

    def _save_amendment(self, *, submit: bool) -> HttpResponse:
        """Save the department's amendment, and with `submit` send it on."""
        request, user = self.request, self.request.user
        answer = getattr(self.assignment, "answer", None)
        if answer is None:
            messages.error(request, gettext("No answer has been written yet."))
            return HttpResponseRedirect(request.path)
        return self._save_then_submit(
            form=AmendmentForm(request.POST, prefix="amend"),
            form_name="amendment_form",
            save=lambda values: services.amendment_save(answer=answer, user=user, **values),
            submit=(lambda amendment: services.amendment_submit(amendment=amendment, user=user))
            if submit
            else None,
            saved=gettext("The amendment is saved as a draft."),
            not_ready=gettext(
                "The amendment is saved as a draft, but it cannot be submitted yet. "
                "Please complete it."
            ),
            submitted=gettext("The amendment is submitted to the operators for approval."),
        )

    def _decide(self, *, approve: bool) -> HttpResponse:
        request, assignment = self.request, self.assignment
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
            return self.render(decide_form=form, status=400)
        return self._run(
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

    def _decide_extension(self, *, grant: bool) -> HttpResponse:
        request, assignment = self.request, self.assignment
        pending = selectors.pending_extension(assignment)
        if pending is None:
            messages.error(
                request, gettext("There is no request for more time waiting for a decision.")
            )
            return HttpResponseRedirect(request.path)
        form = ExtensionDecideForm(request.POST, prefix="extension_decide")
        if form.is_valid():
            days = form.cleaned_data["days"]
            if grant and days is None:
                form.add_error("days", gettext("How many days?"))
            elif grant and days > pending.days_requested:
                form.add_error(
                    "days",
                    ngettext(
                        "The department asked for %(days)d day; grant at most that.",
                        "The department asked for %(days)d days; grant at most that many.",
                        pending.days_requested,
                    )
                    % {"days": pending.days_requested},
                )
            if not grant and not form.cleaned_data["reason"]:
                form.add_error("reason", gettext("Please give a reason."))
        if not form.is_valid():
            return self.render(extension_decide_form=form, status=400)
        return self._run(
            lambda: services.extension_decide(
                extension=pending,
                user=request.user,
                grant=grant,
                days=form.cleaned_data["days"],
                reason=form.cleaned_data["reason"],
            ),
            gettext("More time is granted; the deadline has moved.")
            if grant
            else gettext("The request for more time is refused."),
            form=form,
            form_name="extension_decide_form",
        )

    def _run(self, action, success, *, form=None, form_name=None) -> HttpResponse:
        """Call a service; a refusal becomes a message (or the form's errors)."""
        request, assignment = self.request, self.assignment
        try:
            action()
        except ValidationError as exc:
            if form is None:
                messages.error(request, " ".join(exc.messages))
                return HttpResponseRedirect(request.path)
            add_service_errors(form, exc)
            return self.render(status=400, **{form_name: form})
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
        return HttpResponseRedirect(workroom_url(current.pk))

    def _amendment_context(self, answer: Answer | None, forms: dict) -> dict:
        """The amendments part of the page, for a published answer only: the
        approved ones (history), the one waiting (with what it changes and
        the operators' buttons), the returned ones and the department's form."""
        user = self.request.user
        if answer is None or answer.status != AnswerStatus.PUBLISHED:
            return {}
        amendments = selectors.answer_amendments(answer)
        open_one = next((a for a in amendments if a.status in OPEN_AMENDMENT_STATUSES), None)
        submitted = (
            open_one
            if open_one is not None and open_one.status == AmendmentStatus.SUBMITTED
            else None
        )
        can_amend = submitted is None and rules.has_perm("answers.amend_answer", user, answer)
        can_review = submitted is not None and rules.has_perm(
            "answers.review_amendment", user, submitted
        )
        latest = amendments[0] if amendments else None
        # A draft is carried on; a returned amendment is written again from
        # its own text; otherwise the form starts from the answer as it reads.
        if open_one is not None:
            start = open_one
        elif latest is not None and latest.status == AmendmentStatus.RETURNED:
            start = latest
        else:
            start = answer
        current = {field: getattr(answer, field) for field in AMENDABLE_FIELDS}
        for amendment in amendments:
            amendment.shown_changes = amendment_changes_shown(
                amendment,
                amendment.previous if amendment.status == AmendmentStatus.APPROVED else current,
            )
        return {
            "amendments": amendments,
            "open_amendment": open_one,
            "submitted_amendment": submitted,
            "returned_amendment": latest
            if latest is not None and latest.status == AmendmentStatus.RETURNED
            else None,
            "can_amend": can_amend,
            "can_review_amendment": can_review,
            "amendment_form": forms.get("amendment_form")
            or (
                AmendmentForm(prefix="amend", initial=AmendmentForm.initial_from(start))
                if can_amend
                else None
            ),
            "amendment_return_form": forms.get("amendment_return_form")
            or (ReasonForm(prefix="amendment_return") if can_review else None),
        }

    def render(self, *, status=200, **forms) -> HttpResponse:
        request, assignment = self.request, self.assignment
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
        pending_extension = selectors.pending_extension(assignment)
        can_request_extension = rules.has_perm("answers.request_extension", user, assignment)
        can_decide_extension = pending_extension is not None and rules.has_perm(
            "answers.decide_extension", user, pending_extension
        )
        now = timezone.now()
        context = {
            **self._amendment_context(answer, forms),
            **self.modeladmin.admin_site.each_context(request),
            "title": gettext("Answer: %(title)s") % {"title": proposal.title},
            "subtitle": None,
            "opts": self.modeladmin.model._meta,
            "original": assignment,
            "assignment": assignment,
            "proposal": proposal,
            "answer": answer,
            "pending": pending,
            "comments": selectors.recent_comments(proposal),
            "history": selectors.assignment_history(proposal),
            "days_left_text": days_left_text(assignment, now),
            # Who decides a request the department made: an institution's
            # proposal is its administrators' to decide (the city's
            # operators may too, but the department turns to its own).
            "institution_decides": proposal.institution_id is not None,
            "overdue": assignment.is_overdue(now),
            "can_write": can_write,
            "can_request": can_request,
            "can_review": can_review,
            "can_decide": can_decide,
            "can_reassign": can_reassign,
            "pending_extension": pending_extension,
            "extensions": selectors.extensions_of(assignment),
            "extension_form": forms.get("extension_form")
            or (ExtensionRequestForm(prefix="extension") if can_request_extension else None),
            "extension_decide_form": forms.get("extension_decide_form")
            or (
                ExtensionDecideForm(
                    prefix="extension_decide", initial={"days": pending_extension.days_requested}
                )
                if can_decide_extension
                else None
            ),
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
        request.current_app = self.modeladmin.admin_site.name
        return TemplateResponse(
            request, "admin/answers/assignment/workroom.html", context, status=status
        )
