"""The conductor's one page action: an operator promotes a proposal for its
creativity from the proposal's page (the button is drawn by
templates/proposals/detail.html when the permission proposals.promote_by_hand
allows)."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oasis.errors import ServiceError
from proposals import rules as proposal_rules
from proposals.forms import ReasonForm
from proposals.models import Proposal

from . import services


@login_required
@require_POST
def proposal_promote(request, pk):
    """An operator (or an administrator of the proposal's institution)
    promotes a proposal for its creativity, with a reason."""
    if not rules.has_perm("proposals.promote_by_hand", request.user):
        raise Http404
    proposal = get_object_or_404(Proposal.objects.not_deleted(), pk=pk)
    # Another institution's proposal (or the city's, for an institution's
    # administrator) is not theirs to promote: as if it had no button.
    if proposal_rules.institution_refusal(request.user, proposal):
        raise Http404
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.proposal_promote_by_hand(proposal=proposal, user=request.user, reason=reason)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The proposal moved one step forward."))
    return redirect(proposal)
