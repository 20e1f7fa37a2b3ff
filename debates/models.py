"""상상토론: a proposal past the debate bar is debated for a set period.

Members take a stance (for, against, undecided; changeable until the end) and
post arguments for or against; officials and experts post with their badges.
When the period ends the debate closes (beat), and an operator publishes its
results (토론결과), which sends the proposal on to working review. Every change
goes through services.py."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.roles import Role

ARGUMENT_MIN_LENGTH = 5
ARGUMENT_MAX_LENGTH = 2_000
SUMMARY_MAX_LENGTH = 10_000
REASON_MAX_LENGTH = 300


class DebateStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


# A debate closes once, and never reopens. Publishing its results is a step of
# its own (summary_published_at), allowed only on a closed debate.
DEBATE_TRANSITIONS: dict[str, set[str]] = {
    DebateStatus.OPEN: {DebateStatus.CLOSED},
    DebateStatus.CLOSED: set(),
}


class Position(models.TextChoices):
    """A member's stance on the proposal."""

    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    UNDECIDED = "undecided", _("Undecided")


class Side(models.TextChoices):
    """The side an argument is on; an argument is never undecided."""

    FOR = "for", _("For")
    AGAINST = "against", _("Against")


# The counter on Debate that each position's stances are counted in.
COUNT_FIELDS = {
    Position.FOR: "for_count",
    Position.AGAINST: "against_count",
    Position.UNDECIDED: "undecided_count",
}


class DebateQuerySet(models.QuerySet):
    def visible(self):
        """Debates whose proposal the public can see (not hidden, not in the
        trash). rules.debate_is_visible is the same test for one debate."""
        return self.filter(proposal__deleted_at__isnull=True, proposal__is_hidden=False)

    def open(self):
        return self.filter(status=DebateStatus.OPEN)

    def closed(self):
        return self.filter(status=DebateStatus.CLOSED)


class Debate(models.Model):
    proposal = models.OneToOneField(
        "proposals.Proposal",
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="debate",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=DebateStatus.choices, default=DebateStatus.OPEN
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), db_index=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Set when an operator closed the debate before its end; the schedule
    # closes it with no one named here.
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    close_reason = models.CharField(
        _("reason for closing early"), max_length=REASON_MAX_LENGTH, blank=True
    )
    # Denormalised stance counts, always changed in the same transaction as
    # the Stance rows they count and under a lock on this row (services.py),
    # so the numbers shown are exact.
    for_count = models.PositiveIntegerField(_("for"), default=0)
    against_count = models.PositiveIntegerField(_("against"), default=0)
    undecided_count = models.PositiveIntegerField(_("undecided"), default=0)
    summary = models.TextField(_("debate results"), max_length=SUMMARY_MAX_LENGTH, blank=True)
    summary_published_at = models.DateTimeField(_("results published at"), null=True, blank=True)
    summary_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("results published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = DebateQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("debate")
        verbose_name_plural = _("debates")
        indexes = [models.Index(fields=["status", "ends_at"], name="debate_status_ends")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="debate_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | Q(status="closed", closed_at__isnull=False),
                name="debate_closed_has_date",
            ),
            models.CheckConstraint(
                condition=Q(closed_by__isnull=True) | ~Q(close_reason=""),
                name="debate_early_close_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(summary_published_at__isnull=True)
                | (Q(status="closed") & ~Q(summary="")),
                name="debate_summary_after_close",
            ),
        ]

    def __str__(self):
        return str(self.proposal)

    def get_absolute_url(self):
        return reverse("debates:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == DebateStatus.OPEN

    @property
    def is_taking_part(self) -> bool:
        """Stances and arguments are taken: open and within its period."""
        return self.status == DebateStatus.OPEN and timezone.now() < self.ends_at

    @property
    def days_left(self) -> int:
        """Whole days until the end, counted in Seoul dates (0 on the last day)."""
        return max(0, (timezone.localdate(self.ends_at) - timezone.localdate()).days)

    @property
    def stance_total(self) -> int:
        return self.for_count + self.against_count + self.undecided_count

    @property
    def has_summary(self) -> bool:
        return self.summary_published_at is not None


class Stance(models.Model):
    """One member's stance in one debate; changing it updates this row."""

    debate = models.ForeignKey(Debate, on_delete=models.CASCADE, related_name="stances")
    # PROTECT: deleting a member must never silently change a public count;
    # members leave through accounts.services.account_withdraw instead.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="debate_stances"
    )
    position = models.CharField(_("stance"), max_length=10, choices=Position.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("stance")
        verbose_name_plural = _("stances")
        constraints = [
            models.UniqueConstraint(fields=["debate", "user"], name="stance_once_per_member"),
            models.CheckConstraint(
                condition=Q(position__in=Position.values), name="stance_position_valid"
            ),
        ]

    def __str__(self):
        return f"{self.user_id} {self.position} → {self.debate_id}"


class ArgumentQuerySet(models.QuerySet):
    def not_deleted(self):
        return self.filter(deleted_at__isnull=True)


class Argument(models.Model):
    debate = models.ForeignKey(
        Debate, verbose_name=_("debate"), on_delete=models.CASCADE, related_name="arguments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("debate argument", "author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="debate_arguments",
    )
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    body = models.TextField(_("argument"), max_length=ARGUMENT_MAX_LENGTH)
    # The badges as they were when the argument was written, so that a later
    # transfer or change of role does not rewrite history.
    author_department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department badge"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    author_role = models.CharField(_("role badge"), max_length=30, choices=Role.choices, blank=True)
    # An institution administrator's badge names the partner institution
    # they spoke for (issue 16), kept as it was, like the department's.
    author_institution = models.ForeignKey(
        "accounts.Institution",
        verbose_name=_("institution badge"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    is_hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.CharField(
        _("reason for hiding"), max_length=REASON_MAX_LENGTH, blank=True
    )
    # Set when the author deletes it: it leaves the page but stays stored.
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ArgumentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("argument")
        verbose_name_plural = _("arguments")
        indexes = [models.Index(fields=["debate", "created_at"], name="argument_debate_created")]
        constraints = [
            models.CheckConstraint(condition=Q(side__in=Side.values), name="argument_side_valid"),
            models.CheckConstraint(
                condition=Q(is_hidden=False) | ~Q(hidden_reason=""),
                name="argument_hidden_has_reason",
            ),
        ]

    def __str__(self):
        return self.body[:40]

    def get_absolute_url(self):
        return f"{self.debate.proposal.get_absolute_url()}#argument-{self.pk}"
