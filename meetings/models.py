"""Working review (실무회의) and the bimonthly realization meeting (실현회의).

A working review records, with reasons, which eligible proposals go to the
next realization meeting and which do not. The realization meeting has an
ordered agenda; each item ends adopted, held over to the next meeting or not
adopted, with reasons. Statuses change only through services.py."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

REASON_MAX_LENGTH = 2_000
OPINION_MAX_LENGTH = 5_000


class RealizationMeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")


class RealizationMeeting(models.Model):
    """One realization meeting: when and where, who attends, and (through
    AgendaItem) the ordered agenda. Beat schedules the next one
    (services.meeting_schedule_next)."""

    number = models.PositiveIntegerField(
        _("number"), unique=True, help_text=_("The N of “realization meeting no. N”.")
    )
    scheduled_at = models.DateTimeField(_("date and time"), db_index=True)
    place = models.CharField(_("place"), max_length=200)
    # Attendees by group, as the cover page of the agenda lists them. The
    # proposers of agenda items are listed from the agenda itself; this field
    # is for anything to add (companions, proposers of other items).
    attendees_mayor = models.TextField(_("mayor and city leadership"), blank=True)
    attendees_proposers = models.TextField(
        _("proposers"),
        blank=True,
        help_text=_("The proposers of agenda items are listed automatically; add others here."),
    )
    attendees_experts = models.TextField(_("experts"), blank=True)
    attendees_officials = models.TextField(_("officials"), blank=True)
    attendees_citizens = models.TextField(_("citizens"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RealizationMeetingStatus.choices,
        default=RealizationMeetingStatus.SCHEDULED,
    )
    held_at = models.DateTimeField(_("marked held at"), null=True, blank=True)
    invitations_sent_at = models.DateTimeField(_("proposers invited at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-scheduled_at", "-number"]
        verbose_name = _("realization meeting")
        verbose_name_plural = _("realization meetings")
        constraints = [
            models.CheckConstraint(condition=Q(number__gte=1), name="meeting_number_positive"),
            models.CheckConstraint(
                condition=Q(status="scheduled", held_at__isnull=True)
                | Q(status="held", held_at__isnull=False),
                name="meeting_held_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:detail", args=[self.pk])

    def get_agenda_url(self):
        return reverse("meetings:agenda", args=[self.pk])

    @property
    def title(self) -> str:
        # Korean: 제N회 실현회의 (in the catalogue).
        return gettext("Realization meeting no. %(number)d") % {"number": self.number}

    @property
    def is_held(self) -> bool:
        return self.status == RealizationMeetingStatus.HELD

    def attendee_groups(self, proposers=()) -> list[tuple[str, str]]:
        """(group label, text) for every group with someone in it, in the
        order the agenda's cover lists them. `proposers` (public names, in
        agenda order) open the proposers' group, before what the operator
        wrote there; the meeting page and the cover both pass them."""
        named = ", ".join(dict.fromkeys(proposers))
        extra = self.attendees_proposers.strip()
        groups = [
            (_("Mayor and city leadership"), self.attendees_mayor),
            (_("Proposers"), "\n".join(text for text in (named, extra) if text)),
            (_("Experts"), self.attendees_experts),
            (_("Officials"), self.attendees_officials),
            (_("Citizens"), self.attendees_citizens),
        ]
        return [(label, text.strip()) for label, text in groups if text.strip()]


class WorkingReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft: decisions being recorded")
    FINALISED = "finalised", _("Finalised")


class WorkingReview(models.Model):
    """A working review meeting of officials and experts. Its decisions take
    effect all at once when an operator finalises it."""

    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    attendees = models.TextField(_("attendees"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    next_meeting = models.ForeignKey(
        RealizationMeeting,
        verbose_name=_("next realization meeting"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="working_reviews",
        help_text=_(
            "Selected items go on this meeting's agenda. Leave empty for the next "
            "scheduled meeting."
        ),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=WorkingReviewStatus.choices,
        default=WorkingReviewStatus.DRAFT,
    )
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("finalised by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("working review")
        verbose_name_plural = _("working reviews")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft", finalised_at__isnull=True)
                | Q(status="finalised", finalised_at__isnull=False),
                name="working_review_finalised_has_date",
            ),
        ]

    def __str__(self):
        return gettext("Working review of %(date)s") % {
            "date": formats.date_format(self.held_on, "Y-m-d")
        }

    @property
    def is_draft(self) -> bool:
        return self.status == WorkingReviewStatus.DRAFT


class ReviewDecision(models.Model):
    """Whether the working review puts one proposal forward, and why."""

    review = models.ForeignKey(
        WorkingReview,
        verbose_name=_("working review"),
        on_delete=models.CASCADE,
        related_name="decisions",
    )
    proposal = models.ForeignKey(
        "proposals.Proposal",
        verbose_name=_("proposal"),
        on_delete=models.PROTECT,
        related_name="review_decisions",
    )
    selected = models.BooleanField(
        _("put to the realization meeting"),
        default=True,
        help_text=_("Unticked: not put to the meeting (the proposer is told the reason)."),
    )
    reason = models.TextField(_("reason"), max_length=REASON_MAX_LENGTH)
    # Selected items join the agenda in this order.
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("working review decision")
        verbose_name_plural = _("working review decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["review", "proposal"], name="review_decision_once_per_proposal"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="review_decision_has_reason"),
        ]

    def __str__(self):
        return f"{self.review_id}: {self.proposal_id}"


class AgendaDecision(models.TextChoices):
    PENDING = "pending", _("Not decided yet")
    ADOPTED = "adopted", _("Adopted")
    HELD_OVER = "held_over", _("Held over to the next meeting")
    NOT_ADOPTED = "not_adopted", _("Not adopted")


class AgendaItem(models.Model):
    """A proposal on a realization meeting's agenda, in order, and what the
    meeting decided about it."""

    meeting = models.ForeignKey(
        RealizationMeeting,
        verbose_name=_("realization meeting"),
        on_delete=models.PROTECT,
        related_name="items",
    )
    proposal = models.ForeignKey(
        "proposals.Proposal",
        verbose_name=_("proposal"),
        on_delete=models.PROTECT,
        related_name="agenda_items",
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    decision = models.CharField(
        _("decision"),
        max_length=20,
        choices=AgendaDecision.choices,
        default=AgendaDecision.PENDING,
    )
    reason = models.TextField(_("reason"), max_length=REASON_MAX_LENGTH, blank=True)
    conditions = models.TextField(_("conditions"), max_length=REASON_MAX_LENGTH, blank=True)
    # The official the meeting named to carry an adopted item (optional): the
    # new card's owner, before the department's head (tracking.services.
    # cards.initial_owner); a promise card the adoption takes over is handed
    # to them. A usable official of the
    # item's department when it was named (services.agenda_item_decide).
    responsible_official = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible official named by the meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Where the item came from: the working review that selected it, or the
    # item of an earlier meeting that held it over.
    source_review = models.ForeignKey(
        WorkingReview,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
    )
    held_over_from = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="held_over_to",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "proposal"], name="agenda_item_once_per_meeting"
            ),
            # A proposal waits for a decision on one agenda at a time.
            models.UniqueConstraint(
                fields=["proposal"],
                condition=Q(decision="pending"),
                name="agenda_item_one_pending_per_proposal",
            ),
            models.CheckConstraint(
                condition=Q(decision="pending", decided_at__isnull=True)
                | (~Q(decision="pending") & Q(decided_at__isnull=False) & ~Q(reason="")),
                name="agenda_item_decision_has_date_and_reason",
            ),
        ]

    def __str__(self):
        return gettext("Item %(position)s of %(meeting)s") % {
            "position": self.position,
            "meeting": self.meeting.title if self.meeting_id else "",
        }

    @property
    def is_pending(self) -> bool:
        return self.decision == AgendaDecision.PENDING


class ExpertRecommendation(models.TextChoices):
    ADOPT = "adopt", _("Adopt")
    ADOPT_WITH_CONDITIONS = "adopt_with_conditions", _("Adopt with conditions")
    FURTHER_STUDY = "further_study", _("Study further")
    NOT_ADOPT = "not_adopt", _("Do not adopt")


class ExpertOpinion(models.Model):
    """An expert's review of a proposal's feasibility, printed on the agenda.
    Public once saved, as the agenda is."""

    proposal = models.ForeignKey(
        "proposals.Proposal",
        verbose_name=_("proposal"),
        on_delete=models.PROTECT,
        related_name="expert_opinions",
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("expert"),
        on_delete=models.PROTECT,
        related_name="expert_opinions",
    )
    text = models.TextField(_("feasibility opinion"), max_length=OPINION_MAX_LENGTH)
    recommendation = models.CharField(
        _("recommendation"), max_length=30, choices=ExpertRecommendation.choices
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("expert opinion")
        verbose_name_plural = _("expert opinions")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "expert"], name="expert_opinion_once"),
            models.CheckConstraint(condition=~Q(text=""), name="expert_opinion_has_text"),
        ]

    def __str__(self):
        return f"{self.proposal_id}: {self.expert_id}"


class OpinionRequestStatus(models.TextChoices):
    OPEN = "open", _("Waiting for the opinion")
    ANSWERED = "answered", _("Answered")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    # The expert can no longer answer (deactivated, or no longer an expert):
    # the operators ask someone else or withdraw it.
    FLAGGED = "flagged", _("Expert no longer available")


# Requests still waiting for someone: the expert (open) or the operators (flagged).
OPINION_REQUEST_WAITING = (OpinionRequestStatus.OPEN, OpinionRequestStatus.FLAGGED)


class ExpertOpinionRequest(models.Model):
    """The operator asks a named expert for an opinion on an agenda item by a
    due date before the meeting. Writing the opinion answers it
    (services.expert_opinion_save); beat reminds the expert before the due
    date and tells the expert and operators once it has passed."""

    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.PROTECT,
        related_name="opinion_requests",
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("expert"),
        on_delete=models.PROTECT,
        related_name="opinion_requests",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=OpinionRequestStatus.choices,
        default=OpinionRequestStatus.OPEN,
    )
    opinion = models.ForeignKey(
        ExpertOpinion,
        verbose_name=_("opinion"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requests",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    overdue_told_at = models.DateTimeField(_("overdue notice sent at"), null=True, blank=True)
    flagged_at = models.DateTimeField(_("flagged at"), null=True, blank=True)
    # Why it was flagged: the staff_left_post reason code ("deactivated",
    # "role_withdrawn"), rendered when read.
    flag_reason = models.CharField(_("flag reason"), max_length=30, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("expert opinion request")
        verbose_name_plural = _("expert opinion requests")
        constraints = [
            # One live request per expert and item; a withdrawn one may be
            # followed by a new one.
            models.UniqueConstraint(
                fields=["agenda_item", "expert"],
                condition=~Q(status="withdrawn"),
                name="opinion_request_once_per_item",
            ),
            models.CheckConstraint(
                condition=~Q(status="answered") | Q(answered_at__isnull=False),
                name="opinion_request_answered_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="flagged") | Q(flagged_at__isnull=False),
                name="opinion_request_flagged_has_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self):
        return gettext("Opinion request %(id)s") % {"id": self.pk}

    @property
    def is_answered(self) -> bool:
        return self.status == OpinionRequestStatus.ANSWERED
