"""The page a targeted poll sends a member to when it needs a profile item
they have not given or not consented to (polls:details_needed): only those
items, each with its purpose and its consent box, saved through the same
accounts service as the profile page, then back to the poll."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from accounts.forms import OptionalItemsForm
from accounts.models import ConsentVia
from accounts.selectors import consented_items
from accounts.services import profile_save

from .models import Poll, PollStatus
from .rules import PUBLIC_STATUSES
from .targeting import eligibility


def _back_url(request, poll) -> str:
    """Where to go after: `next` when it is a page of this site, else the poll."""
    wanted = request.POST.get("next") or request.GET.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("polls:detail", args=[poll.pk])


# Private: the member's own details are on the page.
@never_cache
@login_required
def details_needed(request, pk):
    poll = get_object_or_404(Poll.objects.filter(status__in=PUBLIC_STATUSES), pk=pk)
    back = _back_url(request, poll)
    found = eligibility(request.user, poll)
    # Nothing to ask: the member may vote, is outside the target (the poll
    # says why), or the poll no longer takes votes.
    if not found.missing or poll.status != PollStatus.PUBLISHED or poll.ends_at <= timezone.now():
        return redirect(back)
    # The form validates a copy: a refused form must not change the member
    # the rest of the page (its header) shows.
    form = OptionalItemsForm(
        request.POST or None, instance=copy.copy(request.user), items=found.missing
    )
    if request.method == "POST" and form.is_valid():
        profile_save(
            user=request.user,
            fields=form.profile_fields(),
            optional_items=form.consent_after(consented_items(request.user)),
            via=ConsentVia.POLL,
        )
        if eligibility(request.user, poll).allowed:
            messages.success(request, _("Thank you. Your details are saved: you can vote now."))
        else:
            messages.success(request, _("Your details are saved."))
        return redirect(back)
    return render(
        request,
        "polls/details_needed.html",
        {"poll": poll, "form": form, "back": back},
    )
