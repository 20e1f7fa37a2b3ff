"""Thin views: forms check shape, services apply the rules, refusals become
a message in the member's language. A rating is posted from the proposal's
page (its panel box, panel_tags.panel_box) and goes back there."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.roles import Role
from oasis.errors import ServiceError
from oasis.pagination import CappedPaginator
from oasis.ratelimits import rate_limited
from proposals.models import Proposal

from . import rules as panel_rules
from . import selectors, services
from .forms import ApplicationForm, RatingForm
from .models import PanelApplication

PAGE_SIZE = 20


def _home(request, form=None, status=200):
    user = request.user
    refusal = panel_rules.application_refusal(user) if user.is_authenticated else None
    return render(
        request,
        "panel/home.html",
        {
            "application": selectors.latest_application(user),
            "can_apply": user.is_authenticated and refusal is None,
            "apply_refusal": refusal,
            "is_member": panel_rules.is_panel(user),
            "form": form or ApplicationForm(),
            "member_count": User.objects.filter(is_active=True, groups__name=Role.PANEL).count(),
        },
        status=status,
    )


def panel_home(request):
    """What the panel is, who may join, and the member's own application."""
    return _home(request)


@login_required
@require_POST
@rate_limited("panel_apply")
def panel_apply(request):
    form = ApplicationForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _home(request, form, status=400)
    try:
        services.panel_apply(member=request.user, motivation=form.cleaned_data["motivation"])
    except ServiceError as exc:
        messages.error(request, exc.message)
        return _home(request, form, status=400)
    messages.success(
        request, _("Thank you! Your application was sent; the operators will decide on it soon.")
    )
    return redirect("panel:home")


@login_required
@require_POST
@rate_limited("panel_apply")
def panel_withdraw(request, pk):
    application = get_object_or_404(PanelApplication, pk=pk)
    if not rules.has_perm("panel.withdraw_application", request.user, application):
        raise Http404  # someone else's application is none of this member's business
    try:
        services.panel_application_withdraw(application=application, member=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your application was withdrawn."))
    return redirect("panel:home")


@login_required
def to_rate(request):
    """Panel members: open proposals they have not rated yet, paged."""
    if not rules.has_perm("panel.list_to_rate", request.user):
        raise PermissionDenied
    paginator = CappedPaginator(selectors.proposals_to_rate(request.user), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "panel/to_rate.html", {"page": page})


def _rating_errors(form: RatingForm) -> list[str]:
    """One plain sentence per wrong field, naming it (the radio's own error
    would say "not one of the available choices")."""
    found = []
    for name in ("creativity", "public_value", "feasibility"):
        if name in form.errors:
            found.append(
                _("Please give %(criterion)s a score from 1 to 5.")
                % {"criterion": form.fields[name].label}
            )
    if "note" in form.errors:
        found.extend(form.errors["note"])
    return found


@login_required
@require_POST
@rate_limited("panel_rate")
def rate(request, pk):
    proposal = get_object_or_404(Proposal.objects.not_deleted(), pk=pk)
    back = f"{proposal.get_absolute_url()}#panel"
    form = RatingForm(request.POST)
    if not form.is_valid():
        for error in _rating_errors(form):
            messages.error(request, error)
        return redirect(back)
    data = form.cleaned_data
    try:
        services.panel_rate(
            proposal=proposal,
            member=request.user,
            creativity=data["creativity"],
            public_value=data["public_value"],
            feasibility=data["feasibility"],
            note=data["note"],
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Thank you! Your rating was recorded."))
    return redirect(back)
