"""The mileage ledger: append-only entries, the operator's amounts and caps
per action, the grade thresholds, and monthly totals for the rankings.

A member's balance is the sum of their entries; it is kept on
`accounts.User.mileage_balance` (with `mileage_grade`) by the services in the
same transaction as the entries, so names and rankings read it for free.
Nothing edits or deletes an entry: a reversal is a new entry with the
opposite points that points at the entry it undoes."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.grades import Grade
from accounts.participation import Action

# Sane bounds an operator's typing error cannot cross (an extra zero or two
# would hand out a year's worth of points for one comment).
MAX_POINTS = 10_000
MAX_DAILY_CAP = 100_000
MAX_THRESHOLD = 10_000_000


class MileageRule(models.Model):
    """What one action earns, and at most how much of it a member may earn in
    a day (Seoul time). One row per action; operators edit them in the admin."""

    action = models.CharField(_("action"), max_length=30, choices=Action.choices, unique=True)
    points = models.PositiveIntegerField(
        _("points"), default=0, validators=[MaxValueValidator(MAX_POINTS)]
    )
    daily_cap = models.PositiveIntegerField(
        _("daily cap (points)"),
        default=0,
        help_text=_("0 means no cap."),
        validators=[MaxValueValidator(MAX_DAILY_CAP)],
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("mileage rule")
        verbose_name_plural = _("mileage rules")
        ordering = ["action"]

    def __str__(self):
        return self.get_action_display()

    def clean(self):
        # A cap below one award would hand out a cut-down award every time:
        # almost certainly a typing error.
        if self.daily_cap and self.daily_cap < self.points:
            raise ValidationError(
                {
                    "daily_cap": _(
                        "The daily cap must be 0 (no cap) or at least the points of one award."
                    )
                }
            )


class MileageSettings(models.Model):
    """The points at which each grade above 씨앗 begins (strictly increasing).
    One record, pk=1."""

    sprout_from = models.PositiveIntegerField(
        _("새싹 from (points)"),
        default=100,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_THRESHOLD)],
    )
    tree_from = models.PositiveIntegerField(
        _("나무 from (points)"),
        default=500,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_THRESHOLD)],
    )
    forest_from = models.PositiveIntegerField(
        _("숲 from (points)"),
        default=2000,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_THRESHOLD)],
    )
    oasis_from = models.PositiveIntegerField(
        _("오아시스 from (points)"),
        default=10000,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_THRESHOLD)],
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("mileage settings")
        verbose_name_plural = _("mileage settings")

    def __str__(self):
        return str(self._meta.verbose_name)

    @classmethod
    def load(cls) -> "MileageSettings":
        row, _created = cls.objects.get_or_create(pk=1)
        return row

    def thresholds(self) -> list[int]:
        """The first points of grades 1..4 (새싹, 나무, 숲, 오아시스)."""
        return [self.sprout_from, self.tree_from, self.forest_from, self.oasis_from]

    def clean(self):
        fields = ["sprout_from", "tree_from", "forest_from", "oasis_from"]
        errors = {}
        for lower, higher in zip(fields, fields[1:], strict=False):
            low, high = getattr(self, lower), getattr(self, higher)
            if low is not None and high is not None and high <= low:
                errors[higher] = _("Each grade must start at more points than the grade below it.")
        if errors:
            raise ValidationError(errors)


def grade_for(balance: int, thresholds: list[int]) -> Grade:
    """The grade a balance reaches (thresholds: the first points of 새싹,
    나무, 숲, 오아시스, as MileageSettings.thresholds() gives them)."""
    grade = Grade.SEED
    for value, start in zip(
        (Grade.SPROUT, Grade.TREE, Grade.FOREST, Grade.OASIS), thresholds, strict=True
    ):
        if balance >= start:
            grade = value
    return grade


class MileageEntry(models.Model):
    """One award or reversal. Append-only."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="mileage_entries",
    )
    points = models.IntegerField(_("points"))
    action = models.CharField(_("reason"), max_length=30, choices=Action.choices)
    # What it came from: an endorsement, a comment, a proposal... (the row may
    # be gone since: an endorsement taken back leaves its entries readable).
    source_type = models.ForeignKey(
        ContentType, verbose_name=_("source type"), on_delete=models.PROTECT, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(_("source id"))
    # The proposal it concerns, if any: hiding a proposal reverses every
    # point it brought its author.
    proposal_id = models.PositiveBigIntegerField(_("proposal"), null=True, blank=True)
    # Makes a retried task or a repeated signal write nothing twice: the
    # services derive it from (action, member, source, and which award or
    # reversal of it this is).
    key = models.CharField(max_length=160, unique=True, editable=False)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
    )
    # A reversal made because the whole proposal was hidden, trashed or
    # deleted: restoring the proposal re-credits exactly these (and not the
    # reversals of, say, an endorsement taken back meanwhile).
    with_proposal = models.BooleanField(_("reversed with its proposal"), default=False)
    # Words typed by an operator for an adjustment; empty otherwise.
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("mileage entry")
        verbose_name_plural = _("mileage entries")
        # Operators add or take points by hand (an adjustment, with a note).
        permissions = [("adjust_mileageentry", _("Can adjust a member's mileage"))]
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["member", "-created_at"], name="mileage_entry_member_time"),
            models.Index(fields=["source_type", "source_id"], name="mileage_entry_source"),
            models.Index(
                fields=["proposal_id"],
                condition=models.Q(proposal_id__isnull=False),
                name="mileage_entry_proposal",
            ),
        ]

    def __str__(self):
        return f"{self.member_id} {self.points:+d} {self.action}"


class MemberMonth(models.Model):
    """A member's net points in one month (Seoul time), kept with the entries,
    so the monthly ranking reads one small table instead of the ledger."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    points = models.IntegerField(_("points"), default=0)

    class Meta:
        verbose_name = _("monthly mileage")
        verbose_name_plural = _("monthly mileage")
        constraints = [
            models.UniqueConstraint(fields=["member", "month"], name="mileage_member_month_once")
        ]
        indexes = [models.Index(fields=["month", "-points"], name="mileage_month_rank")]

    def __str__(self):
        return f"{self.member_id} {self.month:%Y-%m} {self.points}"


class MileageClaim(models.Model):
    """Something a member did (or that was undone), waiting to be folded into
    the ledger and their balance. The participation signal writes one row (a
    plain insert: no lock on the member, who may be the proposer of a viral
    proposal); `services.member_fold` turns a member's claims into entries,
    single-flight per member, and deletes them in the same transaction. A
    claim repeated (a retried task, a signal sent twice) is folded into
    nothing: what an award or undo writes depends on the ledger's state, not
    on how often it was asked."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=30, choices=Action.choices)
    source_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    source_id = models.PositiveBigIntegerField()
    proposal_id = models.PositiveBigIntegerField(null=True, blank=True)
    undo = models.BooleanField(default=False)
    # When the member acted: the entry carries this time, so a claim folded
    # after midnight still counts toward the day (and month) it was made in.
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["member", "id"], name="mileage_claim_member")]

    def __str__(self):
        return f"{self.member_id} {self.action}{' undo' if self.undo else ''}"
