"""The citizen panel (상상누리단): members apply, an operator approves (which
gives them the panel role), and panel members rate open proposals on
creativity, public value and feasibility. The panel's mean score and the
number of raters are kept on the proposal (Proposal.panel_score,
Proposal.panel_rating_count) in the same transaction as the ratings, so the
debate bar (pipeline.services.due_bars) reads them like its other counts."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    # An approved member whom an operator took off the panel later.
    ENDED = "ended", _("Membership ended")


# The moves each decision may make (panel/services.py refuses any other):
# a waiting application is approved, refused or withdrawn once; an approved
# one may later be ended. Refused, withdrawn and ended are final (the member
# may apply again with a new application).
APPLICATION_TRANSITIONS: dict[str, set[str]] = {
    ApplicationStatus.PENDING: {
        ApplicationStatus.APPROVED,
        ApplicationStatus.REFUSED,
        ApplicationStatus.WITHDRAWN,
    },
    ApplicationStatus.APPROVED: {ApplicationStatus.ENDED},
    ApplicationStatus.REFUSED: set(),
    ApplicationStatus.WITHDRAWN: set(),
    ApplicationStatus.ENDED: set(),
}


class PanelApplication(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="panel_applications",
    )
    motivation = models.TextField(_("why I want to join"), max_length=2000)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # Typed by the operator; shown to the applicant.
    decision_note = models.CharField(_("note to the applicant"), max_length=500, blank=True)
    # When an operator ends an approved member's membership (their ratings stay).
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("membership ended by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    ended_at = models.DateTimeField(_("membership ended at"), null=True, blank=True)
    end_note = models.CharField(_("why the membership ended"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("applied at"), auto_now_add=True)

    class Meta:
        verbose_name = _("panel application")
        verbose_name_plural = _("panel applications")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(status="pending"),
                name="panel_one_pending_application",
            )
        ]

    def __str__(self):
        return f"{self.member} ({self.get_status_display()})"


class PanelRating(models.Model):
    proposal = models.ForeignKey(
        "proposals.Proposal",
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="panel_ratings",
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("panel member"),
        on_delete=models.PROTECT,
        related_name="panel_ratings",
    )
    creativity = models.PositiveSmallIntegerField(_("creativity"), validators=SCORE_VALIDATORS)
    public_value = models.PositiveSmallIntegerField(_("public value"), validators=SCORE_VALIDATORS)
    feasibility = models.PositiveSmallIntegerField(_("feasibility"), validators=SCORE_VALIDATORS)
    note = models.TextField(_("note"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("rated at"), auto_now_add=True)

    class Meta:
        verbose_name = _("panel rating")
        verbose_name_plural = _("panel ratings")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "member"], name="panel_rating_once"),
            *(
                models.CheckConstraint(
                    condition=models.Q(**{f"{field}__gte": 1, f"{field}__lte": 5}),
                    name=f"panel_rating_{field}_1_to_5",
                )
                for field in ("creativity", "public_value", "feasibility")
            ),
        ]

    def __str__(self):
        return f"{self.member_id} → {self.proposal_id}"

    @property
    def mean(self) -> float:
        return (self.creativity + self.public_value + self.feasibility) / 3
