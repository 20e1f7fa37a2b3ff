"""Rewards for adopted proposers, 이달의 상상지기 and the yearly best creative
policies (issue 13, the incentives part).

- `ProposerReward`: what the city gave the proposer of an adopted item (a
  culture voucher, an amount, a date), recorded by an operator on the
  item's management card. One reward per card, unless a later one is
  recorded as an addition (추가 보상).
- `MonthlyAward` and its `AwardCandidate` rows: the monthly ranking of
  officials by the answers and comments they wrote (services.
  monthly_award_rank, the 1st of each month), which an operator confirms by
  choosing the winners. Only confirmed rounds are public.
- `BestPolicy`: a completed adopted item an operator marked as one of the
  year's best creative policies (우수 창의정책)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

CITATION_MAX_LENGTH = 1000
NOTE_MAX_LENGTH = 1000
# A reward is a voucher or a small prize: an amount past this is a typing
# slip (an extra zero or three), refused before it is recorded.
MAX_REWARD_WON = 10_000_000
# The years a best policy may be marked for: Oasis began in 2006.
FIRST_YEAR = 2006


class RewardKind(models.TextChoices):
    CULTURE_VOUCHER = "culture_voucher", _("Culture voucher")
    GIFT_CARD = "gift_card", _("Gift card")
    CERTIFICATE = "certificate", _("Certificate of merit")
    OTHER = "other", _("Other")


class ProposerReward(models.Model):
    """A reward given to the proposer of an adopted item."""

    card = models.ForeignKey(
        "tracking.ManagementCard",
        verbose_name=_("adopted item"),
        on_delete=models.PROTECT,
        related_name="rewards",
    )
    # The proposer when the reward was recorded (the proposal's author).
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposer"),
        on_delete=models.PROTECT,
        related_name="proposer_rewards",
    )
    kind = models.CharField(_("reward"), max_length=20, choices=RewardKind.choices)
    amount_won = models.PositiveIntegerField(
        _("amount (won)"), validators=[MaxValueValidator(MAX_REWARD_WON)]
    )
    given_on = models.DateField(_("given on"))
    note = models.TextField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    # A second reward for the same item must say it is one (추가 보상).
    is_addition = models.BooleanField(_("additional reward"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-given_on", "-id"]
        verbose_name = _("reward for the proposer")
        verbose_name_plural = _("rewards for proposers")
        constraints = [
            # The first reward of an item is the one that is not an addition.
            models.UniqueConstraint(
                fields=["card"], condition=Q(is_addition=False), name="awards_one_first_reward"
            ),
            models.CheckConstraint(
                condition=Q(amount_won__lte=MAX_REWARD_WON), name="awards_reward_amount_sane"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.card.proposal}"


class AwardStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    # A month in which no official answered or commented: nothing to confirm.
    EMPTY = "empty", _("No candidates")


class MonthlyAward(models.Model):
    """One month's Official of the month round: its ranked candidates, and once an
    operator confirms it, its winners."""

    # The first day of the month the round is for.
    month = models.DateField(_("month"), unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=AwardStatus.choices, default=AwardStatus.WAITING
    )
    ranked_at = models.DateTimeField(_("ranked"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-month"]
        verbose_name = _("Official of the month round")
        verbose_name_plural = _("Official of the month rounds")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="confirmed")
                | Q(confirmed_at__isnull=False, confirmed_by__isnull=False),
                name="awards_confirmed_has_who_and_when",
            ),
        ]

    def __str__(self):
        return self.month.strftime("%Y-%m")

    @property
    def is_confirmed(self) -> bool:
        return self.status == AwardStatus.CONFIRMED


class AwardCandidate(models.Model):
    """An official's place in a month's ranking, with what earned it."""

    award = models.ForeignKey(
        MonthlyAward, verbose_name=_("round"), on_delete=models.CASCADE, related_name="candidates"
    )
    official = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("official"),
        on_delete=models.PROTECT,
        related_name="award_candidacies",
    )
    # The official's department when the round was ranked.
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answers_on_time = models.PositiveIntegerField(_("answers on time"), default=0)
    answers_late = models.PositiveIntegerField(_("late answers"), default=0)
    comments = models.PositiveIntegerField(_("comments"), default=0)
    score = models.PositiveIntegerField(_("score"), default=0)
    rank = models.PositiveIntegerField(_("rank"), validators=[MinValueValidator(1)])
    is_winner = models.BooleanField(_("winner"), default=False)

    class Meta:
        ordering = ["rank", "id"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        constraints = [
            models.UniqueConstraint(fields=["award", "official"], name="awards_one_candidacy"),
        ]

    def __str__(self):
        return f"{self.award} #{self.rank} {self.official}"

    @property
    def answers(self) -> int:
        return self.answers_on_time + self.answers_late


class BestPolicy(models.Model):
    """A completed adopted item marked as one of a year's best creative
    policies (우수 창의정책)."""

    card = models.OneToOneField(
        "tracking.ManagementCard",
        verbose_name=_("adopted item"),
        on_delete=models.PROTECT,
        related_name="best_policy",
    )
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    citation = models.TextField(_("citation"), max_length=CITATION_MAX_LENGTH)
    # The order within its year (1 first).
    position = models.PositiveSmallIntegerField(_("order"), validators=[MinValueValidator(1)])
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("marked"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "position", "id"]
        verbose_name = _("best creative policy")
        verbose_name_plural = _("best creative policies")
        constraints = [
            models.UniqueConstraint(fields=["year", "position"], name="awards_best_order_unique"),
            models.CheckConstraint(condition=Q(year__gte=FIRST_YEAR), name="awards_best_year_sane"),
        ]

    def __str__(self):
        return f"{self.year} · {self.card.proposal}"
