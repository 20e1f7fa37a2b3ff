"""Assigning proposals to a department by hand: the operators' screen (and
a partner institution's administrators', for their institution's proposals
and departments only: issue 16).

The pipeline gives a proposal past the answer bar to its category's default
department; when the category has none (or an inactive one) it cannot, and
tells the operators, who assign it here. Operators may also give any open
proposal to any active department: the category's default is the suggestion,
not the only road. One proposal (the button on its admin page, the link in
the "could not be assigned" notice) or many (the proposal list's action):
all of them or none (services.assignments_open_by_hand).

`HandAssignmentAdminMixin` puts the screen's two addresses, the list action
and the change page's button on the proposals' ModelAdmin (the conductor's,
pipeline/admin.py, which is the one registered)."""

import rules
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.institutions import scoped_choices
from accounts.models import Department
from oasis.errors import ServiceError
from oasis.forms import add_service_errors

from . import rules as answer_rules
from . import services
from .forms import HandAssignmentForm

# A selection larger than this is refused: its ids travel in the address.
MAX_AT_ONCE = 100


def assign_url(proposal_id: int) -> str:
    """The screen for one proposal (linked from notices and the staff home)."""
    return reverse("admin:proposals_proposal_assign", args=[proposal_id])


def _ids(raw: str) -> list[int]:
    ids = []
    for part in (raw or "").split(","):
        part = part.strip()
        # isascii: str.isdigit() also accepts "²", which int() refuses.
        if part.isascii() and part.isdigit() and len(part) < 12:
            ids.append(int(part))
    return sorted(set(ids))


def _suggestion(proposals):
    """The default department of the proposals' categories when they share
    one that is active, else None (the list then shows each one's own)."""
    defaults = {proposal.category.default_department for proposal in proposals}
    if len(defaults) == 1:
        (department,) = defaults
        if department is not None and department.is_active:
            return department
    return None


def department_choices(user, proposals):
    """The departments `user` may give `proposals` to: active ones of the
    institutions the proposals are addressed to (the city's for a city
    proposal), within the user's own institution (an institution's
    administrator is offered theirs only; the service refuses any other)."""
    institutions = {proposal.institution_id for proposal in proposals}
    addressed = Q(institution_id__in=institutions - {None})
    if None in institutions:
        addressed |= Q(institution__isnull=True)
    departments = Department.objects.filter(addressed, is_active=True).order_by("name", "pk")
    return scoped_choices(user, Department, departments)


def hand_assignment_view(modeladmin, request, object_id=None):
    """GET: the selected proposals (each with its category, the suggested
    department and why it cannot be assigned, if it cannot) and the form.
    POST: assign them all, or none and say why."""
    if not rules.has_perm("answers.open_assignment", request.user):
        raise PermissionDenied
    if object_id is not None:
        ids = _ids(unquote(str(object_id)))
    else:
        ids = _ids(request.POST.get("ids") or request.GET.get("ids", ""))
    if not ids:
        raise Http404
    if len(ids) > MAX_AT_ONCE:
        messages.error(
            request,
            gettext("Choose at most %(count)d proposals at once.") % {"count": MAX_AT_ONCE},
        )
        return HttpResponseRedirect(reverse("admin:proposals_proposal_changelist"))
    proposals = list(
        modeladmin.get_queryset(request)
        .filter(pk__in=ids)
        .select_related("category__default_department", "department")
        .order_by("pk")
    )
    if not proposals:
        raise Http404
    suggested = _suggestion(proposals)
    form = HandAssignmentForm(
        request.POST if request.method == "POST" else None,
        suggested=suggested,
        departments=department_choices(request.user, proposals),
    )
    refusals = {}
    if form.is_bound and form.is_valid():
        try:
            assigned = services.assignments_open_by_hand(
                proposals=proposals,
                user=request.user,
                department=form.cleaned_data["department"],
                reason=form.cleaned_data["reason"],
            )
        except services.HandAssignmentRefused as exc:
            messages.error(request, exc.message)
            refusals = {proposal.pk: reason for proposal, reason in exc.refusals}
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            department = form.cleaned_data["department"]
            messages.success(
                request,
                ngettext(
                    "%(count)d proposal was assigned to %(department)s.",
                    "%(count)d proposals were assigned to %(department)s.",
                    len(assigned),
                )
                % {"count": len(assigned), "department": department.label},
            )
            if len(proposals) == 1:
                return HttpResponseRedirect(
                    reverse("admin:proposals_proposal_change", args=[proposals[0].pk])
                )
            return HttpResponseRedirect(reverse("admin:proposals_proposal_changelist"))
    rows = [
        {
            "proposal": proposal,
            "suggested": proposal.category.default_department,
            "refusal": refusals.get(proposal.pk) or answer_rules.hand_assignment_refusal(proposal),
        }
        for proposal in proposals
    ]
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(
        request,
        "admin/answers/hand_assignment.html",
        {
            **modeladmin.admin_site.each_context(request),
            "opts": modeladmin.model._meta,
            "title": gettext("Assign to a department"),
            "form": form,
            "rows": rows,
            "refused": sum(1 for row in rows if row["refusal"]),
            "ids": ",".join(str(proposal.pk) for proposal in proposals),
            "back_url": (
                reverse("admin:proposals_proposal_change", args=[proposals[0].pk])
                if len(proposals) == 1
                else reverse("admin:proposals_proposal_changelist")
            ),
        },
    )


def assign_to_department(modeladmin, request, queryset):
    """The list's action: the selected proposals on the assignment screen."""
    ids = list(queryset.order_by("pk").values_list("pk", flat=True)[: MAX_AT_ONCE + 1])
    if len(ids) > MAX_AT_ONCE:
        modeladmin.message_user(
            request,
            gettext("Choose at most %(count)d proposals at once.") % {"count": MAX_AT_ONCE},
            messages.ERROR,
        )
        return None
    address = reverse("admin:proposals_proposal_assign_many")
    return HttpResponseRedirect(f"{address}?{urlencode({'ids': ','.join(map(str, ids))})}")


assign_to_department.short_description = _("Assign to a department (asks for a reason)")
assign_to_department.allowed_permissions = ["assign"]


class HandAssignmentAdminMixin:
    """For the proposals' ModelAdmin: the screen's addresses, the permission
    of the list action (`assign_to_department`, listed in the ModelAdmin's
    actions) and, on a proposal's page, the "Assign to a department" button
    while it can be assigned."""

    def has_assign_permission(self, request) -> bool:
        return rules.has_perm("answers.open_assignment", request.user)

    def get_urls(self):
        def view(request, object_id=None):
            return hand_assignment_view(self, request, object_id)

        wrap = self.admin_site.admin_view
        return [
            path("assign/", wrap(view), name="proposals_proposal_assign_many"),
            path("<path:object_id>/assign/", wrap(view), name="proposals_proposal_assign"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        if self.has_assign_permission(request):
            proposal = self.get_object(request, unquote(object_id))
            if proposal is not None and answer_rules.hand_assignment_refusal(proposal) is None:
                extra_context["assign_url"] = assign_url(proposal.pk)
        return super().change_view(request, object_id, form_url, extra_context)
