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

from accounts.once import AlreadySubmitted, create_once
from oasis.errors import ServiceError

from . import services
from .forms import AdjustmentForm


def _ledger_of(member) -> str:
    return reverse("admin:mileage_mileageentry_changelist") + f"?member__id__exact={member.pk}"


def adjust_view(modeladmin, request):
    """GET: the form; POST: adjust, then the member's ledger."""
    if not rules.has_perm("mileage.adjust", request.user):
        raise PermissionDenied
    form = AdjustmentForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    if request.method == "POST" and form.is_valid():
        try:
            # Once per rendered form: a double click or a resent page must
            # not give (or take) the points twice.
            entry = create_once(
                user=request.user,
                token=form.cleaned_data["submission_token"],
                create=lambda: services.mileage_adjust(
                    member=form.member,
                    points=form.cleaned_data["points"],
                    note=form.cleaned_data["note"],
                    actor=request.user,
                ),
                url_of=lambda _entry: _ledger_of(form.member),
            )
        except AlreadySubmitted as already:
            return redirect(already.url)
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
            return redirect(_ledger_of(form.member))
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": gettext("Adjust a member's mileage"),
        "opts": modeladmin.model._meta,
        "form": form,
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(request, "admin/mileage/adjust.html", context)
