"""The operators' award screens, registered by admin.py (each wrapped in
admin_site.admin_view, where the second factor is asked):

- record the reward given to an adopted item's proposer, from the card's page;
- mark a completed adopted item as one of a year's best creative policies;
- a month's Official of the month round: its ranking, and for a waiting round the
  choice of winners (the top three ticked) and the confirmation.

Each form posts to its own page, which calls the service; a refusal comes
back on the form with its reason, success goes back to where the work began."""

import rules
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext

from accounts.once import AlreadySubmitted, create_once
from oasis.admin_utils import admin_page, pk_or_404
from oasis.errors import ServiceError
from tracking.models import CardKind, CardStage, ManagementCard
from tracking.resources import official_name

from . import services
from .forms import BestPolicyForm, ConfirmForm, RewardForm
from .models import AwardStatus, MonthlyAward
from .rules import confirm_refusal


def card_url(card) -> str:
    return reverse("admin:tracking_managementcard_change", args=[card.pk])


def reward_url(card) -> str:
    return reverse("admin:awards_proposerreward_record", args=[card.pk])


def best_policy_url(card) -> str:
    return reverse("admin:awards_bestpolicy_mark", args=[card.pk])


def round_url(award) -> str:
    return reverse("admin:awards_monthlyaward_change", args=[award.pk])


def card_tool(user, card) -> list[tuple[str, str]]:
    """The card page's links to this app's work (tracking.card_page's
    register_card_tool): an operator records a reward on an adopted item
    and marks a completed one as a best policy."""
    links = []
    if card.kind == CardKind.ADOPTED and rules.has_perm("awards.record_reward", user):
        count = card.rewards.count()
        label = (
            gettext("Record a reward for the proposer")
            if not count
            else gettext("Rewards recorded: %(count)d · record another") % {"count": count}
        )
        links.append((label, reward_url(card)))
    if (
        card.kind == CardKind.ADOPTED
        and card.stage == CardStage.COMPLETED
        and rules.has_perm("awards.mark_best_policy", user)
        and not is_best_policy(card)
    ):
        links.append((gettext("Mark as a best creative policy"), best_policy_url(card)))
    return links


def is_best_policy(card) -> bool:
    try:
        card.best_policy  # noqa: B018 (the reverse one-to-one raises when absent)
    except ManagementCard.best_policy.RelatedObjectDoesNotExist:
        return False
    return True


def _card(card_id) -> ManagementCard:
    card = (
        ManagementCard.objects.select_related("proposal__author", "department")
        .filter(pk=pk_or_404(ManagementCard, card_id))
        .first()
    )
    if card is None:
        raise Http404
    return card


def _card_form_view(modeladmin, request, card_id, *, perm, form_class, call, done, **page):
    """A one-form screen on a card: shown, and once valid the service
    `call(card, data)` (made once per form token); a refusal comes back on
    the form, success goes back to the card with `done` as its message."""
    if not rules.has_perm(perm, request.user):
        raise PermissionDenied
    card = _card(unquote(card_id))
    form = form_class(request.POST if request.method == "POST" else None, card=card)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            create_once(
                user=request.user,
                token=data.get("submission_token", ""),
                create=lambda: call(card, data),
                url_of=lambda _made: card_url(card),
            )
        except AlreadySubmitted as already:
            return HttpResponseRedirect(already.url)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, done)
            return HttpResponseRedirect(card_url(card))
    return admin_page(
        modeladmin,
        request,
        template="admin/awards/card_form.html",
        card=card,
        proposer=official_name(card.proposal.author) if card.proposal.author else "—",
        form=form,
        media=modeladmin.media + form.media,
        **page,
    )


def reward_record_view(modeladmin, request, card_id):
    """Record the reward given to the card's proposer (services.reward_record)."""
    return _card_form_view(
        modeladmin,
        request,
        card_id,
        perm="awards.record_reward",
        form_class=RewardForm,
        call=lambda card, data: services.reward_record(
            card=card,
            user=request.user,
            kind=data["kind"],
            amount_won=data["amount_won"],
            given_on=data["given_on"],
            note=data.get("note") or "",
            is_addition=data.get("is_addition") or False,
        ),
        done=gettext("The reward is recorded; the proposer is told."),
        title=gettext("Record a reward for the proposer"),
        intro=gettext(
            "Record what the city gave the proposer of this adopted item. The proposer "
            "sees it on their page and gets a notice; the public pages do not show it. "
            "An item has one reward; a later one is recorded as an additional reward."
        ),
        submit_label=gettext("Record the reward"),
    )


def best_policy_mark_view(modeladmin, request, card_id):
    """Mark the card as one of a year's best creative policies (services.best_policy_mark)."""
    return _card_form_view(
        modeladmin,
        request,
        card_id,
        perm="awards.mark_best_policy",
        form_class=BestPolicyForm,
        call=lambda card, data: services.best_policy_mark(
            card=card,
            user=request.user,
            year=data["year"],
            citation=data["citation"],
            position=data.get("position"),
        ),
        done=gettext("The item is now a best creative policy; it shows on the public page."),
        title=gettext("Mark as a best creative policy"),
        intro=gettext(
            "Only completed adopted items can be best policies, each once. The citation "
            "shows on the public page of the year's best creative policies."
        ),
        submit_label=gettext("Mark as a best policy"),
    )


def round_view(modeladmin, request, object_id):
    """A month's round: the ranking, and for a waiting round the winners to
    confirm (the top DEFAULT_WINNERS ticked); a confirmed round shows its winners."""
    if not rules.has_perm("awards.confirm_award", request.user):
        raise PermissionDenied
    award = MonthlyAward.objects.filter(pk=pk_or_404(MonthlyAward, unquote(object_id))).first()
    if award is None:
        raise Http404
    candidates = list(award.candidates.select_related("official", "department"))
    initial = [c.pk for c in candidates if c.is_winner] or [
        c.pk for c in candidates[: services.DEFAULT_WINNERS]
    ]
    form = ConfirmForm(
        request.POST if request.method == "POST" else None,
        award=award,
        initial={"winners": initial},
    )
    refusal = confirm_refusal(award, [None]) if award.status != AwardStatus.WAITING else None
    if form.is_bound and refusal:
        # A second sending of the confirmation (another tab, the back
        # button): refused whatever it ticked, nothing written.
        form.errors.clear()
        form.add_error(None, refusal)
    elif form.is_bound and form.is_valid():
        try:
            services.monthly_award_confirm(
                award=award,
                winner_ids=[c.pk for c in form.cleaned_data["winners"]],
                user=request.user,
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                gettext(
                    "The officials of the month for %(month)s are confirmed; the winners are told."
                )
                % {"month": award.month.strftime("%Y-%m")},
            )
            return HttpResponseRedirect(reverse("admin:awards_monthlyaward_changelist"))
    chosen = {str(pk) for pk in (form["winners"].value() or [])}
    for candidate in candidates:
        candidate.name = official_name(candidate.official)
        candidate.checked = str(candidate.pk) in chosen
    return admin_page(
        modeladmin,
        request,
        template="admin/awards/round.html",
        title=gettext("Officials of the month: %(month)s")
        % {"month": award.month.strftime("%Y-%m")},
        award=award,
        candidates=candidates,
        form=form,
        may_confirm=award.status == AwardStatus.WAITING,
        points={
            "on_time": services.POINTS_ON_TIME,
            "late": services.POINTS_LATE,
            "comment": services.POINTS_COMMENT,
        },
    )
