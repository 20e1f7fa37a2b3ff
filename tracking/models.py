"""Adopted-item tracking (관리카드). Every adopted proposal gets exactly one
management card when the realization meeting adopts it
(tracking.services.management_card_open). Its stage moves only along
STAGE_TRANSITIONS (tracking.services.card_change_stage), and every change to
a card leaves a CardEvent row: who changed what, and when."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.selectors import usable_official_exists
from oasis.files import unguessable_name
from proposals import event_texts

NOTE_MAX_LENGTH = 2000
# The largest amount in won a budget field holds (a BigIntegerField): past
# it the database refuses the row, so the services refuse the amount first.
MAX_WON = 2**63 - 1


class CardStage(models.TextChoices):
    REVIEW = "review", _("Under review")
    PLANNING = "planning", _("Planning")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    SUSPENDED = "suspended", _("Suspended")


# The allowed next stages. The work goes review → planning → in progress →
# completed; any stage before completion may be suspended (with a reason).
# A suspended item resumes at `planning`, whatever stage it was suspended
# from: whatever stopped it (budget, law, a changed site) means its plan has
# to be looked at again before work restarts. Completed is final.
STAGE_TRANSITIONS: dict[str, frozenset[str]] = {
    CardStage.REVIEW: frozenset({CardStage.PLANNING, CardStage.SUSPENDED}),
    CardStage.PLANNING: frozenset({CardStage.IN_PROGRESS, CardStage.SUSPENDED}),
    CardStage.IN_PROGRESS: frozenset({CardStage.COMPLETED, CardStage.SUSPENDED}),
    CardStage.COMPLETED: frozenset(),
    CardStage.SUSPENDED: frozenset({CardStage.PLANNING}),
}


def usable_owner_q() -> models.Q:
    """The card's responsible official can carry it: active, holding the
    official role, in the card's department (accounts.selectors'
    "usable"). The one definition behind the card page, the card list, the
    staff homes, the reports' recipients and the unowned count."""
    return usable_official_exists("responsible_official", "department_id")


def usable_head_q() -> models.Q:
    """The card's department has a usable head (its fallback)."""
    return usable_official_exists("department__head", "department_id")


class CardQuerySet(models.QuerySet):
    def open(self):
        """Cards not completed: the ones somebody must still carry."""
        return self.exclude(stage=CardStage.COMPLETED)

    def without_usable_owner(self):
        """Open cards nobody can carry: no responsible official, or one who
        was deactivated, lost the official role or moved to another
        department. The name stays on the card (its history says who left
        and when); the work falls to the head, else the operators
        (accounts.selectors.work_fallback), until it is handed on."""
        return self.open().filter(models.Q(responsible_official__isnull=True) | ~usable_owner_q())

    def with_owner_state(self):
        """Each card annotated with `owner_usable` and `head_usable`, for a
        list that says who carries each row (a constant number of queries)."""
        return self.annotate(
            # A completed card needs no owner: never flagged.
            owner_usable=models.Case(
                models.When(
                    models.Q(stage=CardStage.COMPLETED) | usable_owner_q(), then=models.Value(True)
                ),
                default=models.Value(False),
                output_field=models.BooleanField(),
            ),
            head_usable=models.Case(
                models.When(usable_head_q(), then=models.Value(True)),
                default=models.Value(False),
                output_field=models.BooleanField(),
            ),
        )


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
    # Budgets in won. Empty means "not known yet", which is not the same as 0.
    planned_budget = models.BigIntegerField(
        _("planned budget (won)"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    spent_budget = models.BigIntegerField(
        _("spent budget (won)"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    target_date = models.DateField(_("target date"), null=True, blank=True)
    suspended_reason = models.TextField(_("reason for suspension"), blank=True)
    stage_changed_at = models.DateTimeField(_("stage changed"), null=True, blank=True)
    # From the last submitted progress report; empty until the first one.
    percent_complete = models.PositiveSmallIntegerField(
        _("percent complete"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    created_at = models.DateTimeField(_("opened"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CardQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("management card")
        verbose_name_plural = _("management cards")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_budget__isnull=True) | models.Q(planned_budget__gte=0),
                name="tracking_card_planned_budget_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(spent_budget__isnull=True) | models.Q(spent_budget__gte=0),
                name="tracking_card_spent_budget_not_negative",
            ),
            models.CheckConstraint(
                condition=~models.Q(stage=CardStage.SUSPENDED) | ~models.Q(suspended_reason=""),
                name="tracking_card_suspended_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(percent_complete__isnull=True)
                | models.Q(percent_complete__gte=0, percent_complete__lte=100),
                name="tracking_card_percent_0_100",
            ),
        ]

    def __str__(self):
        return str(self.proposal) if self.proposal_id else str(self.pk)

    def get_absolute_url(self):
        return reverse("tracking:detail", args=[self.pk])

    @property
    def is_completed(self) -> bool:
        return self.stage == CardStage.COMPLETED


class CardEventKind(models.TextChoices):
    OPENED = "opened", _("Card opened")
    STAGE_CHANGED = "stage_changed", _("Stage changed")
    HANDOFF = "handoff", _("Handed to another official")
    EDITED = "edited", _("Budget or target date changed")
    REPORT = "report", _("Progress report")
    ATTACHED = "attached", _("Photo or document attached")
    DETACHED = "detached", _("Photo or document removed")
    # The responsible official moved, was deactivated or lost the role
    # (accounts.signals.staff_left_post): internal, names them, params
    # {"text": OWNER_LEFT, "reason": the signal's reason, "fallback":
    # "head" or "operators"}.
    OWNER_LEFT = "owner_left", _("Responsible official left")


class CardEvent(models.Model):
    """One row per change to a card (who, what, from, to, why, when). The
    public rows make the card's history on /adopted/<id>/; handoffs name
    officials and stay internal."""

    card = models.ForeignKey(
        ManagementCard, verbose_name=_("card"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("what"), max_length=20, choices=CardEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    from_stage = models.CharField(
        _("from stage"), max_length=20, choices=CardStage.choices, blank=True
    )
    to_stage = models.CharField(_("to stage"), max_length=20, choices=CardStage.choices, blank=True)
    from_official = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("from official"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    to_official = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("to official"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # For `edited` and `report`: {"field": [old, new], ...}, values as text.
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    # A note typed by a person, as typed; what the system says about the
    # change is a code and its values, written when read (timeline_texts.py).
    note = models.TextField(_("note"), blank=True)
    params = models.JSONField(default=dict, blank=True)
    is_public = models.BooleanField(_("public"), default=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("card history entry")
        verbose_name_plural = _("card history")

    def __str__(self):
        return (
            f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d})"
            if self.created_at
            else self.kind
        )

    @property
    def words(self) -> str:
        """What the system says about this change, in the active language."""
        return event_texts.words(self)

    @property
    def text(self) -> str:
        """The row's whole note: the system's words, then the person's note."""
        return " ".join(part for part in (self.words, self.note) if part)


# --- bimonthly progress (2개월 점검) -------------------------------------------

# Every open card is asked for a report REPORT_EVERY_MONTHS after it opened
# and then REPORT_EVERY_MONTHS after each request (calendar months). A request
# is due REPORT_DUE_DAYS after it was made (a date, in Seoul time: the report
# is on time if submitted any time on the due date). The official is reminded
# REPORT_REMIND_DAYS before the due date; the operators are told the day after.
REPORT_EVERY_MONTHS = 2
REPORT_DUE_DAYS = 14
REPORT_REMIND_DAYS = 3


class ReportStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    SUBMITTED = "submitted", _("Submitted")


class ProgressReport(models.Model):
    """One bimonthly progress report of a card: requested by the schedule
    (tracking.services.report_request_due), submitted by an official of the
    card's department (tracking.services.report_submit)."""

    card = models.ForeignKey(
        ManagementCard,
        verbose_name=_("card"),
        on_delete=models.CASCADE,
        related_name="progress_reports",
    )
    period = models.PositiveSmallIntegerField(_("period"))
    requested_at = models.DateTimeField(_("requested"))
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.REQUESTED
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    done = models.TextField(_("what was done"), blank=True)
    stage = models.CharField(
        _("stage at submission"), max_length=20, choices=CardStage.choices, blank=True
    )
    percent_complete = models.PositiveSmallIntegerField(
        _("percent complete"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    spent_budget = models.BigIntegerField(
        _("spent budget (won)"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    next_steps = models.TextField(_("next steps"), blank=True)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)

    class Meta:
        ordering = ["card", "period"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.UniqueConstraint(
                fields=["card", "period"], name="tracking_report_one_per_period"
            ),
            models.CheckConstraint(
                condition=models.Q(percent_complete__isnull=True)
                | models.Q(percent_complete__gte=0, percent_complete__lte=100),
                name="tracking_report_percent_0_100",
            ),
            models.CheckConstraint(
                condition=models.Q(spent_budget__isnull=True) | models.Q(spent_budget__gte=0),
                name="tracking_report_spent_budget_not_negative",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="submitted")
                | (models.Q(submitted_at__isnull=False) & models.Q(percent_complete__isnull=False)),
                name="tracking_report_submitted_complete",
            ),
        ]

    def __str__(self):
        return gettext("Report %(period)d · %(title)s") % {
            "period": self.period,
            "title": self.card.proposal.title if self.card_id else "",
        }

    @property
    def is_submitted(self) -> bool:
        return self.status == ReportStatus.SUBMITTED


# --- attached photos and documents --------------------------------------------


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    DOCUMENT = "document", _("Document")


def card_photo_path(instance, filename):
    return unguessable_name(f"adopted/{instance.card_id}/photos", filename)


def card_file_path(instance, filename):
    return unguessable_name(f"adopted/{instance.card_id}/files", filename)


class CardAttachment(models.Model):
    """A photo (re-encoded, no EXIF, with a thumbnail) or a document (checked
    by its contents) attached to a card through services.card_attach. Served
    only through tracking.views, which check the card is public."""

    card = models.ForeignKey(
        ManagementCard, verbose_name=_("card"), on_delete=models.CASCADE, related_name="attachments"
    )
    # Set for the photos sent with a progress report; they are shown with
    # that report on the public card page.
    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("progress report"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="photos",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=AttachmentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    image = models.ImageField(
        _("photo"),
        upload_to=card_photo_path,
        width_field="width",
        height_field="height",
        blank=True,
    )
    thumbnail = models.ImageField(_("thumbnail"), upload_to=card_photo_path, blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    file = models.FileField(_("file"), upload_to=card_file_path, blank=True)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    size = models.PositiveIntegerField(_("size"), default=0)
    file_kind = models.CharField(_("file type"), max_length=10, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("attached photo or document")
        verbose_name_plural = _("attached photos and documents")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind=AttachmentKind.PHOTO) & ~models.Q(image="") & models.Q(file="")
                )
                | (
                    models.Q(kind=AttachmentKind.DOCUMENT) & ~models.Q(file="") & models.Q(image="")
                ),
                name="tracking_attachment_photo_or_document",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        if self.is_photo:
            return reverse("tracking:photo", args=[self.pk, "full"])
        return reverse("tracking:file", args=[self.pk])

    def get_thumbnail_url(self):
        return reverse("tracking:photo", args=[self.pk, "thumb"])

    @property
    def is_photo(self) -> bool:
        return self.kind == AttachmentKind.PHOTO
