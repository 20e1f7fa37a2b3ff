"""The operator's adjustment screen (the ledger's "Adjust a member's
mileage"): a member, points and a note, written by
services.mileage_adjust. Registered in admin.py (MileageEntryAdmin.get_urls)."""

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext

from oasis.errors import ServiceError

from . import services
from .forms import AdjustmentForm


def adjust_view(modeladmin, request):
    """GET: the form; POST: adjust, then the member's ledger."""
    if not rules.has_perm("mileage.adjust", request.user):
        raise PermissionDenied
    form = AdjustmentForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.mileage_adjust(
                member=form.member,
                points=form.cleaned_data["points"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                gettext(
                    "%(points)+d points recorded for %(member)s; the balance is now %(balance)d."
                )
                % {
                    "points": entry.points,
                    "member": form.member.email,
                    "balance": form.member.mileage_balance,
                },
            )
            return redirect(
                reverse("admin:mileage_mileageentry_changelist")
                + f"?member__id__exact={form.member.pk}"
            )
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": gettext("Adjust a member's mileage"),
        "opts": modeladmin.model._meta,
        "form": form,
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(request, "admin/mileage/adjust.html", context)
