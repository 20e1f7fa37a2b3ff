"""Awards in the admin, for the operators: the rewards recorded for
adopted proposers, the Official of the month rounds (a round's page is its
confirmation screen) and the best creative policies. Nothing is added,
changed or deleted through Django's forms: the screens of screens.py call
the services. Who may is asked of rules.py."""

from functools import partial

import rules
from django.contrib import admin
from django.db.models import Count, Q
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from oasis.admin_utils import ReadOnlyMixin, waiting_first_choice_filter
from tracking.resources import official_name

from .models import AwardStatus, BestPolicy, MonthlyAward, ProposerReward
from .screens import best_policy_mark_view, card_url, reward_record_view, round_view


class OperatorsOnlyMixin(ReadOnlyMixin):
    """Read-only lists the award rules open to operators only."""

    perm = "awards.confirm_award"

    def has_view_permission(self, request, obj=None):
        return rules.has_perm(self.perm, request.user)

    def has_module_permission(self, request):
        return rules.has_perm(self.perm, request.user)

    def _screen(self, function):
        return self.admin_site.admin_view(partial(function, self))


def _card_link(card):
    return format_html('<a href="{}">{}</a>', card_url(card), card.proposal.title)


@admin.register(ProposerReward)
class ProposerRewardAdmin(OperatorsOnlyMixin, admin.ModelAdmin):
    perm = "awards.record_reward"
    list_display = [
        "item",
        "proposer_name",
        "kind",
        "amount",
        "given_on",
        "is_addition",
        "recorded",
    ]
    # The item column links to the card (where rewards are recorded); a
    # second link around it to a read-only page would nest one in the other.
    list_display_links = None
    list_filter = ["kind", "is_addition"]
    list_select_related = ["card__proposal", "proposer", "recorded_by"]
    search_fields = ["card__proposal__title"]
    date_hierarchy = "given_on"

    def get_urls(self):
        return [
            path(
                "record/<path:card_id>/",
                self._screen(reward_record_view),
                name="awards_proposerreward_record",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("adopted item"), ordering="card__proposal__title")
    def item(self, reward):
        return _card_link(reward.card)

    # Operators know the proposer they paid by name (the masked public one
    # would not match the voucher's receipt).
    @admin.display(description=_("proposer"))
    def proposer_name(self, reward):
        return official_name(reward.proposer)

    @admin.display(description=_("amount (won)"), ordering="amount_won")
    def amount(self, reward):
        return f"{reward.amount_won:,}"

    @admin.display(description=_("recorded by"))
    def recorded(self, reward):
        return official_name(reward.recorded_by)


WaitingRoundsFilter = waiting_first_choice_filter(
    "status",
    [AwardStatus.WAITING],
    title=_("status"),
    default_label=_("Waiting for confirmation"),
    default_note=_("This list shows the months waiting for your confirmation."),
)


@admin.register(MonthlyAward)
class MonthlyAwardAdmin(OperatorsOnlyMixin, admin.ModelAdmin):
    list_display = ["__str__", "status", "candidate_count", "winner_count", "confirmed_at"]
    list_filter = [WaitingRoundsFilter]
    ordering = ["-month"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_candidates=Count("candidates"),
                n_winners=Count("candidates", filter=Q(candidates__is_winner=True)),
            )
        )

    @admin.display(description=_("candidates"), ordering="n_candidates")
    def candidate_count(self, award):
        return award.n_candidates

    @admin.display(description=_("winners"), ordering="n_winners")
    def winner_count(self, award):
        return award.n_winners

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # A round's page is its ranking and confirmation screen.
        return round_view(self, request, object_id)


@admin.register(BestPolicy)
class BestPolicyAdmin(OperatorsOnlyMixin, admin.ModelAdmin):
    perm = "awards.mark_best_policy"
    list_display = ["year", "position", "item", "department", "marked"]
    list_filter = ["year"]
    list_select_related = ["card__proposal", "card__department", "marked_by"]
    ordering = ["-year", "position"]

    def get_urls(self):
        return [
            path(
                "mark/<path:card_id>/",
                self._screen(best_policy_mark_view),
                name="awards_bestpolicy_mark",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("adopted item"), ordering="card__proposal__title")
    def item(self, best):
        return _card_link(best.card)

    @admin.display(description=_("responsible department"))
    def department(self, best):
        return best.card.department.label if best.card.department_id else "—"

    @admin.display(description=_("marked by"))
    def marked(self, best):
        return official_name(best.marked_by)
