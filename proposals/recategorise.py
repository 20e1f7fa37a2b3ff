"""Moving a wrongly filed proposal to another category: the operators'
screen, a button on the proposal's admin page. The move is
services.proposal_recategorise (a timeline row with both categories and the
operator's reason); an open proposal past the answer bar that waited for a
department is then assigned to the new category's one by the conductor.

`RecategoriseAdminMixin` puts the screen's address and the button on the
proposals' ModelAdmin."""

import rules
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext

from oasis.admin_utils import pk_or_404
from oasis.errors import ServiceError
from oasis.forms import add_service_errors

from . import services
from .forms import RecategoriseForm
from .models import Proposal


def recategorise_view(modeladmin, request, object_id):
    """GET: the proposal, its category and department, and the form.
    POST: move it, or show why not."""
    if not rules.has_perm("proposals.recategorise", request.user):
        raise PermissionDenied
    proposal = (
        modeladmin.get_queryset(request)
        .select_related("category__default_department", "department")
        .filter(pk=pk_or_404(Proposal, object_id))
        .first()
    )
    if proposal is None or not rules.has_perm("proposals.recategorise", request.user, proposal):
        raise Http404
    change_url = reverse("admin:proposals_proposal_change", args=[proposal.pk])
    form = RecategoriseForm(request.POST if request.method == "POST" else None, proposal=proposal)
    if form.is_bound and form.is_valid():
        category = form.cleaned_data["category"]
        try:
            services.proposal_recategorise(
                proposal=proposal,
                user=request.user,
                category=category,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                gettext("The proposal was moved to “%(category)s”.") % {"category": category.label},
            )
            return HttpResponseRedirect(change_url)
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(
        request,
        "admin/proposals/recategorise.html",
        {
            **modeladmin.admin_site.each_context(request),
            "opts": modeladmin.model._meta,
            "title": gettext("Move to another category"),
            "proposal": proposal,
            "form": form,
            "back_url": change_url,
        },
    )


class RecategoriseAdminMixin:
    """For the proposals' ModelAdmin: the screen's address and, on a
    proposal's page, the "Move to another category" button."""

    def get_urls(self):
        def view(request, object_id):
            return recategorise_view(self, request, object_id)

        return [
            path(
                "<path:object_id>/recategorise/",
                self.admin_site.admin_view(view),
                name="proposals_proposal_recategorise",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        if rules.has_perm("proposals.recategorise", request.user):
            proposal = self.get_object(request, unquote(object_id))
            if (
                proposal is not None
                and proposal.deleted_at is None
                and rules.has_perm("proposals.recategorise", request.user, proposal)
            ):
                extra_context["recategorise_url"] = reverse(
                    "admin:proposals_proposal_recategorise", args=[proposal.pk]
                )
        return super().change_view(request, object_id, form_url, extra_context)
