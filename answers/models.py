"""Department answers (PRODUCT.md, pipeline step 2).

A proposal that crosses the answer bar gets an Assignment to a department,
which must answer by a deadline. The department's Answer is written as a
draft, submitted, and published once an operator approves it (or returned to
draft with a reason). A department may ask, with a ReassignmentRequest, to
have the proposal reassigned. The proposer rates the published answer once
(AnswerRating).

Statuses change only in services.py; the allowed moves are in the tables
below, and the database backs every rule that can be stated there."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from proposals.models import ProposalStatus

SUMMARY_MAX_LENGTH = 2_000
SECTION_MAX_LENGTH = 5_000
REASON_MAX_LENGTH = 1_000
RATING_COMMENT_MAX_LENGTH = 1_000


class AssignmentQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True)

    def awaiting_answer(self):
        """Current, not closed by a published answer, on a proposal that still
        waits for it (a withdrawn proposal needs no answer)."""
        return self.filter(
            is_current=True,
            closed_at__isnull=True,
            proposal__status=ProposalStatus.ASSIGNED,
            proposal__deleted_at__isnull=True,
        )


class Assignment(models.Model):
    """A proposal given to a department to answer by a deadline. A
    reassignment closes this row (is_current=False) and opens a new one with a
    fresh deadline, so the history of who had it, and when, stays."""

    proposal = models.ForeignKey(
        "proposals.Proposal",
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    assigned_at = models.DateTimeField(_("assigned"), default=timezone.now)
    deadline = models.DateTimeField(_("answer due by"), db_index=True)
    # The steps of a deadline (answers/services/deadlines.py), each taken
    # once and marked here under the row lock: a reminder before it, the
    # officials told when it passed, the department head some days later,
    # the operators some days after that. A granted extension clears them.
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    overdue_told_at = models.DateTimeField(
        _("department told the deadline passed"), null=True, blank=True
    )
    head_told_at = models.DateTimeField(
        _("escalated to the department head"), null=True, blank=True
    )
    escalated_at = models.DateTimeField(_("escalated to the operators"), null=True, blank=True)
    # How many extensions were granted: the notices of a moved deadline's
    # steps carry it in their once-keys, so each deadline has its own steps.
    extensions_granted = models.PositiveSmallIntegerField(_("extensions granted"), default=0)
    # When the department's own address (Department.email) was written to
    # because it had no active official (answers.tasks.mail_empty_department).
    department_mailed_at = models.DateTimeField(_("department e-mail sent"), null=True, blank=True)
    # Set when the answer is published or the proposal is reassigned.
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    is_current = models.BooleanField(_("current"), default=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal"],
                condition=Q(is_current=True),
                name="assignment_one_current_per_proposal",
            ),
            models.CheckConstraint(
                condition=Q(deadline__gt=models.F("assigned_at")),
                name="assignment_deadline_after_assignment",
            ),
            # A reassigned (no longer current) assignment is always closed.
            models.CheckConstraint(
                condition=Q(is_current=True) | Q(closed_at__isnull=False),
                name="assignment_not_current_is_closed",
            ),
        ]
        indexes = [
            models.Index(fields=["department", "is_current", "deadline"], name="assignment_queue")
        ]

    def __str__(self):
        return f"{self.proposal} → {self.department}"

    @property
    def is_open(self) -> bool:
        return self.is_current and self.closed_at is None

    def is_overdue(self, now=None) -> bool:
        return self.is_open and (now or timezone.now()) > self.deadline

    def days_left(self, now=None) -> int:
        """Whole Seoul days from today to the due date: 0 on the due date,
        negative once it has passed."""
        today = timezone.localtime(now or timezone.now()).date()
        return (timezone.localtime(self.deadline).date() - today).days


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


# The most days a department may ask for at once.
EXTENSION_MAX_DAYS = 20


class DeadlineExtension(models.Model):
    """A department asks, with a reason, for more days to answer; an operator
    grants them (as many or fewer) or refuses with a reason. One request
    waits at a time per assignment. Granted, the assignment's deadline moves
    to `new_deadline`, and the proposal's page says so with the reason."""

    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.CASCADE,
        related_name="extensions",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    reason = models.TextField(_("reason"), max_length=REASON_MAX_LENGTH)
    days_requested = models.PositiveSmallIntegerField(_("days asked for"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ExtensionStatus.choices,
        default=ExtensionStatus.PENDING,
    )
    days_granted = models.PositiveSmallIntegerField(_("days granted"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(
        _("reason for the decision"), max_length=REASON_MAX_LENGTH, blank=True
    )
    old_deadline = models.DateTimeField(_("deadline before"))
    new_deadline = models.DateTimeField(_("new deadline"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("deadline extension request")
        verbose_name_plural = _("deadline extension requests")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"],
                condition=Q(status="pending"),
                name="extension_one_pending_per_assignment",
            ),
            models.CheckConstraint(
                condition=Q(days_requested__gte=1, days_requested__lte=EXTENSION_MAX_DAYS),
                name="extension_days_requested_bounded",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="extension_decided_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="granted")
                | Q(
                    days_granted__gte=1,
                    days_granted__lte=models.F("days_requested"),
                    new_deadline__gt=models.F("old_deadline"),
                ),
                name="extension_granted_moves_deadline",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(decision_reason=""),
                name="extension_refused_has_reason",
            ),
        ]

    def __str__(self):
        return str(self.assignment)


class AnswerDecision(models.TextChoices):
    ACCEPT = "accept", _("Accepted")
    PARTIALLY_ACCEPT = "partially_accept", _("Partially accepted")
    NOT_ACCEPT = "not_accept", _("Not accepted")
    FURTHER_STUDY = "further_study", _("Needs further study")


class RefusalBasisKind(models.TextChoices):
    ORDINANCE = "ordinance", _("Ordinance")
    BUDGET = "budget", _("Budget")
    LAW = "law", _("Law")
    OTHER = "other", _("Other")


class AnswerStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for approval")
    PUBLISHED = "published", _("Published")


# A returned answer goes back to draft; a published one never changes.
ANSWER_TRANSITIONS: dict[str, set[str]] = {
    AnswerStatus.DRAFT: {AnswerStatus.SUBMITTED},
    AnswerStatus.SUBMITTED: {AnswerStatus.PUBLISHED, AnswerStatus.DRAFT},
    AnswerStatus.PUBLISHED: set(),
}


class Answer(models.Model):
    """The department's structured answer to one assignment, in plain words."""

    assignment = models.OneToOneField(
        Assignment, verbose_name=_("assignment"), on_delete=models.CASCADE, related_name="answer"
    )
    summary = models.TextField(
        _("answer in short"),
        max_length=SUMMARY_MAX_LENGTH,
        blank=True,
        help_text=_("What the department will do, in plain words a citizen understands."),
    )
    necessity = models.TextField(_("necessity"), max_length=SECTION_MAX_LENGTH, blank=True)
    effectiveness = models.TextField(_("effectiveness"), max_length=SECTION_MAX_LENGTH, blank=True)
    feasibility = models.TextField(_("feasibility"), max_length=SECTION_MAX_LENGTH, blank=True)
    estimated_budget = models.PositiveBigIntegerField(
        _("estimated budget (won)"), null=True, blank=True
    )
    decision = models.CharField(
        _("decision"), max_length=20, choices=AnswerDecision.choices, blank=True
    )
    refusal_basis_kind = models.CharField(
        _("basis for not accepting"), max_length=20, choices=RefusalBasisKind.choices, blank=True
    )
    refusal_basis = models.TextField(
        _("basis in plain words"),
        max_length=SECTION_MAX_LENGTH,
        blank=True,
        help_text=_("Which ordinance, budget rule or law stands in the way, and why."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=AnswerStatus.choices, default=AnswerStatus.DRAFT
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    return_reason = models.TextField(
        _("why it was returned"), max_length=REASON_MAX_LENGTH, blank=True
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # When the last approved amendment changed the published text (None: as
    # first published). Kept on the answer so the public panel asks for the
    # history only when there is one.
    amended_at = models.DateTimeField(_("last amended"), null=True, blank=True)
    # Whether it was published by the assignment's deadline (set when published).
    met_deadline = models.BooleanField(_("answered on time"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            # Refusing means saying why: a submitted or published "not accept"
            # always carries its basis.
            models.CheckConstraint(
                condition=~Q(status__in=["submitted", "published"], decision="not_accept")
                | (~Q(refusal_basis_kind="") & ~Q(refusal_basis="")),
                name="answer_refusal_has_basis",
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | (~Q(decision="") & ~Q(summary="") & Q(submitted_at__isnull=False)),
                name="answer_submitted_is_complete",
            ),
            models.CheckConstraint(
                condition=~Q(status="published")
                | Q(published_at__isnull=False, met_deadline__isnull=False),
                name="answer_published_has_date",
            ),
        ]

    def __str__(self):
        return str(self.assignment.proposal)


class AmendmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


# A returned amendment is closed (kept, with the operators' reason); the
# department writes a new one, which starts from the returned text.
AMENDMENT_TRANSITIONS: dict[str, set[str]] = {
    AmendmentStatus.DRAFT: {AmendmentStatus.SUBMITTED},
    AmendmentStatus.SUBMITTED: {AmendmentStatus.APPROVED, AmendmentStatus.RETURNED},
    AmendmentStatus.APPROVED: set(),
    AmendmentStatus.RETURNED: set(),
}
OPEN_AMENDMENT_STATUSES = (AmendmentStatus.DRAFT, AmendmentStatus.SUBMITTED)
# The parts of a published answer an amendment may change, in the order the
# panel shows them.
AMENDABLE_FIELDS = (
    "decision",
    "summary",
    "necessity",
    "effectiveness",
    "feasibility",
    "estimated_budget",
    "refusal_basis_kind",
    "refusal_basis",
)


class AnswerAmendment(models.Model):
    """A change to a published answer: the department writes the answer as it
    should now read, with a reason ("오타 수정", "예산 변경"); an operator
    approves it (the answer then reads so, and `previous` keeps what it said
    before) or returns it with a reason. At most one open (draft or
    submitted) amendment per answer."""

    answer = models.ForeignKey(
        Answer, verbose_name=_("answer"), on_delete=models.CASCADE, related_name="amendments"
    )
    # The answer as amended, in full (the form starts from the current text).
    summary = models.TextField(_("answer in short"), max_length=SUMMARY_MAX_LENGTH, blank=True)
    necessity = models.TextField(_("necessity"), max_length=SECTION_MAX_LENGTH, blank=True)
    effectiveness = models.TextField(_("effectiveness"), max_length=SECTION_MAX_LENGTH, blank=True)
    feasibility = models.TextField(_("feasibility"), max_length=SECTION_MAX_LENGTH, blank=True)
    estimated_budget = models.PositiveBigIntegerField(
        _("estimated budget (won)"), null=True, blank=True
    )
    decision = models.CharField(
        _("decision"), max_length=20, choices=AnswerDecision.choices, blank=True
    )
    refusal_basis_kind = models.CharField(
        _("basis for not accepting"), max_length=20, choices=RefusalBasisKind.choices, blank=True
    )
    refusal_basis = models.TextField(
        _("basis in plain words"), max_length=SECTION_MAX_LENGTH, blank=True
    )
    # Typed by the department, shown publicly with the amendment.
    reason = models.TextField(_("reason for the amendment"), max_length=REASON_MAX_LENGTH)
    status = models.CharField(
        _("status"), max_length=20, choices=AmendmentStatus.choices, default=AmendmentStatus.DRAFT
    )
    # Set on approval: the answer's values before (field → value) and the
    # names of the fields that changed, so the history reads without
    # comparing rows.
    previous = models.JSONField(_("text before"), default=dict, blank=True)
    changed = models.JSONField(_("changed parts"), default=list, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    return_reason = models.TextField(
        _("why it was returned"), max_length=REASON_MAX_LENGTH, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("answer amendment")
        verbose_name_plural = _("answer amendments")
        constraints = [
            models.UniqueConstraint(
                fields=["answer"],
                condition=Q(status__in=["draft", "submitted"]),
                name="amendment_one_open_per_answer",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="amendment_has_reason"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted"], decided_at__isnull=True)
                | (Q(status__in=["approved", "returned"]) & Q(decided_at__isnull=False)),
                name="amendment_decided_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""),
                name="amendment_returned_has_reason",
            ),
        ]

    def __str__(self):
        return str(self.answer)

    @property
    def decision_changed(self) -> bool:
        return "decision" in (self.changed or [])


class ReassignmentStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    APPROVED = "approved", _("Reassigned")
    REFUSED = "refused", _("Refused")


class ReassignmentRequest(models.Model):
    """A department asks, with a reason, to have a proposal given to another
    department; an operator approves (choosing the department) or refuses."""

    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.CASCADE,
        related_name="reassignment_requests",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    reason = models.TextField(_("reason"), max_length=REASON_MAX_LENGTH)
    suggested_department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("suggested department"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ReassignmentStatus.choices,
        default=ReassignmentStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(
        _("reason for the decision"), max_length=REASON_MAX_LENGTH, blank=True
    )
    to_department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("reassigned to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("reassignment request")
        verbose_name_plural = _("reassignment requests")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"],
                condition=Q(status="pending"),
                name="reassignment_one_pending_per_assignment",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="reassignment_decided_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(to_department__isnull=False),
                name="reassignment_approved_has_department",
            ),
        ]

    def __str__(self):
        return str(self.assignment)


class AnswerRating(models.Model):
    """The proposer's rating of the published answer: 1 to 5, once."""

    answer = models.OneToOneField(
        Answer, verbose_name=_("answer"), on_delete=models.CASCADE, related_name="rating"
    )
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rated by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), max_length=RATING_COMMENT_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("rated"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("answer rating")
        verbose_name_plural = _("answer ratings")
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="answer_rating_score_1_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.score}/5"
