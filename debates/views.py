"""Thin views: forms check shape, services apply the rules, refusals become a
message on the proposal page. Posting goes back to the proposal page's
debate section; the debate itself is drawn there by `debate_panel`."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.once import AlreadySubmitted, create_once
from oasis.errors import ServiceError
from oasis.page_cache import cached_for_anonymous
from oasis.ratelimits import rate_limited

from . import rules as debate_rules
from . import selectors, services
from .forms import DRAFT_SESSION_KEY, ArgumentForm, ReasonForm, StanceForm
from .models import Argument, Debate

PAGE_SIZE = 20
# Enough to give back an argument that was too long, so its author can cut it.
DRAFT_MAX_LENGTH = 20_000


def _panel_url(debate: Debate, anchor: str = "debate") -> str:
    return f"{debate.proposal.get_absolute_url()}#{anchor}"


def _visible_debate_or_404(pk) -> Debate:
    debate = get_object_or_404(Debate.objects.select_related("proposal"), pk=pk)
    if not debate_rules.debate_is_visible(debate):
        raise Http404
    return debate


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def debate_list_context(request, *, institution=None) -> dict:
    """The debate list: the city-wide one, or one partner institution's
    (its space's /org/<slug>/debates/, the same list and tabs)."""
    status = request.GET.get("status", "")
    if status not in selectors.LIST_FILTERS:
        status = ""
    paginator = Paginator(selectors.debate_list(status=status, institution=institution), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return {
        "page": page,
        "status": status,
        "query": f"status={status}" if status else "",
        "list_url": request.path,
    }


@cached_for_anonymous
def debate_list(request):
    """Open and closed debates with their stance counts and dates."""
    return render(request, "debates/list.html", debate_list_context(request))


def debate_detail(request, pk):
    """A debate lives on its proposal's page."""
    return redirect(_panel_url(_visible_debate_or_404(pk)))


@login_required
@require_POST
@rate_limited("debate_stance")
def stance_set(request, pk):
    debate = _visible_debate_or_404(pk)
    form = StanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose for, against or undecided."))
        return redirect(_panel_url(debate, "debate-stance"))
    try:
        services.stance_set(
            debate=debate, user=request.user, position=form.cleaned_data["position"]
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Your stance is saved. You can change it until the debate ends.")
        )
    return redirect(_panel_url(debate, "debate-stance"))


@login_required
@require_POST
@rate_limited("debate_argument")
def argument_create(request, pk):
    debate = _visible_debate_or_404(pk)
    form = ArgumentForm(request.POST)
    draft = {
        "debate": debate.pk,
        "side": request.POST.get("side", "")[:10],
        "body": request.POST.get("body", "")[:DRAFT_MAX_LENGTH],
        # The refused form keeps its token, so sent again it still posts once.
        "submission_token": request.POST.get("submission_token", "")[:64],
    }
    if form.is_valid():
        try:
            argument = create_once(
                user=request.user,
                token=form.cleaned_data["submission_token"],
                create=lambda: services.argument_create(
                    debate=debate,
                    author=request.user,
                    side=form.cleaned_data["side"],
                    body=form.cleaned_data["body"],
                ),
                url_of=lambda made: _panel_url(debate, f"argument-{made.pk}"),
            )
        except AlreadySubmitted as done:
            request.session.pop(DRAFT_SESSION_KEY, None)
            messages.info(request, _("This form was already sent; here is what it made."))
            return redirect(done.url)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            request.session.pop(DRAFT_SESSION_KEY, None)
            messages.success(request, _("Your argument is posted."))
            return redirect(_panel_url(debate, f"argument-{argument.pk}"))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    request.session[DRAFT_SESSION_KEY] = draft
    return redirect(_panel_url(debate, "debate-argue"))


def _own_argument(request, pk) -> Argument:
    argument = get_object_or_404(
        Argument.objects.not_deleted().select_related("debate__proposal"), pk=pk
    )
    if not debate_rules.is_argument_author(request.user, argument):
        raise Http404  # someone else's argument: as if it were not there to delete
    return argument


@login_required
@require_POST
def argument_delete(request, pk):
    argument = _own_argument(request, pk)
    try:
        services.argument_delete(argument=argument, user=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your argument is deleted."))
    return redirect(_panel_url(argument.debate, "debate-arguments"))


@login_required
@require_POST
def argument_moderate(request, pk):
    """Operators (of the city, or of the proposal's institution) hide or
    restore an argument from the page, with a reason. Anyone else, an
    institution's administrator on the city's or another institution's
    debate included, finds nothing to moderate here."""
    if not rules.has_perm("debates.moderate", request.user):
        raise Http404
    argument = get_object_or_404(
        Argument.objects.not_deleted().select_related("debate__proposal"), pk=pk
    )
    if not rules.has_perm("debates.moderate", request.user, argument):
        raise Http404
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    hide = request.POST.get("action") == "hide"
    service = services.argument_hide if hide else services.argument_unhide
    try:
        service(argument=argument, user=request.user, reason=reason)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Hidden.") if hide else _("Restored."))
    return redirect(_panel_url(argument.debate, f"argument-{argument.pk}"))
