"""Adopted-item tracking (관리카드). Every adopted proposal gets exactly one
management card when the realization meeting adopts it
(tracking.services.management_card_open). Stage changes, handoffs and
progress reports come with the adopted-item tracking issue."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CardStage(models.TextChoices):
    REVIEW = "review", _("Under review")
    PLANNING = "planning", _("Planning")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    SUSPENDED = "suspended", _("Suspended")


class ManagementCard(models.Model):
    """The record that keeps an adopted item from being lost: which decision
    it came from, who carries it out and how far it has got."""

    proposal = models.OneToOneField(
        "proposals.Proposal",
        verbose_name=_("proposal"),
        on_delete=models.PROTECT,
        related_name="management_card",
    )
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem",
        verbose_name=_("meeting decision"),
        on_delete=models.PROTECT,
        related_name="management_cards",
    )
    # The proposal's department when the card was opened. Empty only if the
    # proposal never had one (the operator then assigns it).
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("responsible department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="management_cards",
    )
    responsible_official = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible official"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="management_cards",
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=CardStage.choices, default=CardStage.REVIEW
    )
    conditions = models.TextField(_("conditions set by the meeting"), blank=True)
    created_at = models.DateTimeField(_("opened"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("management card")
        verbose_name_plural = _("management cards")

    def __str__(self):
        return str(self.proposal) if self.proposal_id else str(self.pk)
