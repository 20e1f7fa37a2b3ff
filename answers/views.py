"""Thin views: the form checks shape, the service applies the rules, and the
outcome is a message on the proposal page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oasis.errors import ServiceError
from oasis.ratelimits import rate_limited

from . import services
from .forms import RatingForm
from .models import Answer


@login_required
@require_POST
@rate_limited("answer_rate")
def answer_rate(request, pk):
    """The proposer rates the published answer, from the proposal page."""
    answer = get_object_or_404(
        Answer.objects.select_related("assignment__proposal", "assignment__department").filter(
            assignment__proposal__deleted_at__isnull=True
        ),
        pk=pk,
    )
    proposal = answer.assignment.proposal
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose a score from 1 to 5."))
        return redirect(f"{proposal.get_absolute_url()}#answer-rating")
    try:
        services.answer_rate(
            answer=answer,
            user=request.user,
            score=form.cleaned_data["score"],
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Thank you for rating the answer."))
    return redirect(f"{proposal.get_absolute_url()}#answer-rating")
