from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.districts import District
from oasis.files import unguessable_name
from oasis.i18n import in_page_language

from . import event_texts
from .workdays import DayUnit, due_at

TITLE_MAX_LENGTH = 100
BODY_MAX_LENGTH = 10_000
COMMENT_MAX_LENGTH = 2_000


class Category(models.Model):
    """A policy category (정책 분야). Each has a default department that answers
    proposals filed under it."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=50, blank=True)
    default_department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("default department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="default_categories",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # Empty: a city category. Set: a partner institution's own category,
    # offered only to proposals addressed to that institution.
    institution = models.ForeignKey(
        "accounts.Institution",
        verbose_name=_("partner institution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="categories",
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    # The name in the page's language: admin filters, choices and lists
    # print a department or category through str().
    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return in_page_language(self.name, self.name_en)


PIPELINE_SETTINGS_CACHE_KEY = "proposals:pipeline-settings:v1"
PIPELINE_SETTINGS_CACHE_SECONDS = 60


# The most panel ratings a debate can be made to wait for: a volunteer panel
# rates by hundreds at most; a bar above any panel's size would hold every
# proposal back without saying why.
MAX_PANEL_RATERS = 1000


class PipelineSettings(models.Model):
    """The pipeline's thresholds and deadlines, one record that operators edit
    in the admin. Read with PipelineSettings.load()."""

    answer_threshold = models.PositiveIntegerField(
        _("endorsements for a department answer"), default=50
    )
    debate_threshold = models.PositiveIntegerField(_("endorsements for a debate"), default=500)
    debate_min_comments = models.PositiveIntegerField(_("minimum comments for a debate"), default=0)
    debate_min_views = models.PositiveIntegerField(_("minimum views for a debate"), default=0)
    # The citizen panel's mean score (Proposal.panel_score, the mean of
    # creativity, public value and feasibility, 1–5) as a debate condition:
    # 0 means not required. A mean of one or two raters says little, so the
    # score counts only once enough panel members rated.
    debate_min_panel_score = models.DecimalField(
        _("minimum panel score for a debate"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.00"),
        help_text=_("The citizen panel's mean score, from 1.00 to 5.00. 0 means not required."),
    )
    debate_min_panel_raters = models.PositiveSmallIntegerField(
        _("panel ratings the score needs"),
        default=3,
        help_text=_("Used only when a minimum panel score is set."),
    )
    endorsement_window_days = models.PositiveSmallIntegerField(
        _("endorsement window (days)"), default=30
    )
    answer_deadline_days = models.PositiveSmallIntegerField(
        _("days a department has to answer"), default=20
    )
    answer_reminder_days = models.PositiveSmallIntegerField(
        _("remind the department this many days before the deadline"), default=3
    )
    # How the department's days are counted: the answer deadline, an
    # extension and the escalation steps after a missed deadline
    # (proposals/workdays.py). Offices count working days.
    answer_days_unit = models.CharField(
        _("count the department's days in"),
        max_length=10,
        choices=DayUnit.choices,
        default=DayUnit.WORKING,
    )
    escalate_to_head_days = models.PositiveSmallIntegerField(
        _("tell the department head this many days after a missed deadline"),
        default=3,
        help_text=_("A department without a head goes straight to the operators."),
    )
    escalate_to_operators_days = models.PositiveSmallIntegerField(
        _("tell the operators this many days after the department head"),
        default=5,
    )
    debate_length_days = models.PositiveSmallIntegerField(_("debate length (days)"), default=30)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("pipeline settings")
        verbose_name_plural = _("pipeline settings")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="pipeline_settings_singleton"),
            models.CheckConstraint(
                condition=Q(answer_threshold__gte=1) & Q(debate_threshold__gte=1),
                name="pipeline_thresholds_positive",
            ),
            models.CheckConstraint(
                condition=Q(endorsement_window_days__gte=1)
                & Q(answer_deadline_days__gte=1)
                & Q(debate_length_days__gte=1),
                name="pipeline_periods_positive",
            ),
            models.CheckConstraint(
                condition=Q(escalate_to_head_days__gte=1) & Q(escalate_to_operators_days__gte=1),
                name="pipeline_escalation_steps_positive",
            ),
            models.CheckConstraint(
                condition=Q(answer_days_unit__in=["working", "calendar"]),
                name="pipeline_answer_days_unit_valid",
            ),
            models.CheckConstraint(
                condition=(
                    Q(debate_min_panel_score=0)
                    | Q(debate_min_panel_score__gte=1, debate_min_panel_score__lte=5)
                )
                & Q(debate_min_panel_raters__gte=1, debate_min_panel_raters__lte=MAX_PANEL_RATERS),
                name="pipeline_panel_bar_valid",
            ),
        ]

    def __str__(self):
        return str(self._meta.verbose_name)

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.forget_cached()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self.forget_cached()
        return result

    def clean(self):
        """Say which field is wrong, in words, before the database refuses it."""
        errors = {}
        for name in (
            "answer_threshold",
            "debate_threshold",
            "endorsement_window_days",
            "answer_deadline_days",
            "debate_length_days",
            "escalate_to_head_days",
            "escalate_to_operators_days",
        ):
            if (getattr(self, name) or 0) < 1:
                errors[name] = _("Must be at least 1.")
        errors.update(self._panel_bar_errors())
        if not errors and self.debate_threshold < self.answer_threshold:
            errors["debate_threshold"] = _("The debate bar cannot be lower than the answer bar.")
        if not errors and self.answer_reminder_days >= self.answer_deadline_days:
            errors["answer_reminder_days"] = _("The reminder must come before the deadline.")
        if errors:
            raise ValidationError(errors)

    def _panel_bar_errors(self) -> dict:
        """The panel's score is a mean of 1–5 scores: a bar outside that
        (other than 0, not required) could never or always be met."""
        errors = {}
        score = self.debate_min_panel_score
        if score is None or not Decimal(score).is_finite() or not (score == 0 or 1 <= score <= 5):
            errors["debate_min_panel_score"] = _(
                "Enter 0 (not required) or a score from 1.00 to 5.00."
            )
        raters = self.debate_min_panel_raters
        if raters is None or not 1 <= raters <= MAX_PANEL_RATERS:
            errors["debate_min_panel_raters"] = _(
                "Enter a number of panel ratings from 1 to %(max)d."
            ) % {"max": MAX_PANEL_RATERS}
        return errors

    @property
    def debate_panel_score_bar(self) -> int:
        """The panel score bar in the unit Proposal.panel_score is kept in
        (hundredths: 3.50 → 350); 0 when the score is not required."""
        return int((self.debate_min_panel_score or 0) * 100)

    def answer_due(self, start, days: int | None = None):
        """When something given to a department at `start` is due: `days`
        (by default the answer deadline) counted in this record's unit, to
        the end of that Seoul day. Assignments, extensions and escalation
        steps all ask this (proposals/workdays.py)."""
        if days is None:
            days = self.answer_deadline_days
        return due_at(start, days, unit=self.answer_days_unit)

    @classmethod
    def load(cls) -> "PipelineSettings":
        """The record as stored now (one query): what decisions are made on."""
        settings_row, _created = cls.objects.get_or_create(pk=1)
        return settings_row

    @classmethod
    def cached(cls) -> "PipelineSettings":
        """The record from the cache, for hot paths that only need a hint
        (an endorsement asking whether it may have passed a bar): no query
        per endorsement. Saving the record forgets it at once and again
        after commit, so a reader never keeps an old copy past the commit;
        the timeout bounds a copy written back by a reader that loaded it
        just before. Decisions (promote_if_due, the sweep) still use load()."""
        settings_row = cache.get(PIPELINE_SETTINGS_CACHE_KEY)
        if settings_row is None:
            settings_row = cls.load()
            cache.set(PIPELINE_SETTINGS_CACHE_KEY, settings_row, PIPELINE_SETTINGS_CACHE_SECONDS)
        return settings_row

    @staticmethod
    def forget_cached() -> None:
        cache.delete(PIPELINE_SETTINGS_CACHE_KEY)
        transaction.on_commit(lambda: cache.delete(PIPELINE_SETTINGS_CACHE_KEY))


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=30, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self):
        return self.name


class ProposalStatus(models.TextChoices):
    """Where a proposal stands in the pipeline. Only the moves in
    PROPOSAL_TRANSITIONS are allowed; services enforce it."""

    OPEN = "open", _("Gathering endorsements")
    NOT_REACHED = "not_reached", _("Not enough endorsements")
    ASSIGNED = "assigned", _("Awaiting department answer")
    ANSWERED = "answered", _("Answered by department")
    DEBATE = "debate", _("In debate")
    REVIEW = "review", _("In working review")
    ON_AGENDA = "on_agenda", _("On the realization meeting agenda")
    NOT_SELECTED = "not_selected", _("Not put to the realization meeting")
    ADOPTED = "adopted", _("Adopted")
    NOT_ADOPTED = "not_adopted", _("Not adopted")
    WITHDRAWN = "withdrawn", _("Withdrawn by the proposer")
    # Joined another proposal by an operator (issue 16): Proposal.merged_into
    # says which; its endorsers are asked to carry their endorsement over.
    MERGED = "merged", _("Merged into another proposal")


# Endorsements keep coming in while the department answers, so that a proposal
# can still reach the debate bar within its endorsement window.
ENDORSABLE_STATUSES = frozenset(
    {ProposalStatus.OPEN, ProposalStatus.ASSIGNED, ProposalStatus.ANSWERED}
)


# The pipeline as data (PRODUCT.md, "The pipeline"). A proposer may withdraw at
# any time until the realization meeting has decided.
#
# An operator may merge a duplicate into another proposal until its debate
# opens (issue 16); after that the debate and the meeting have weighed it on
# its own.
PROPOSAL_TRANSITIONS: dict[str, set[str]] = {
    ProposalStatus.OPEN: {
        ProposalStatus.ASSIGNED,
        ProposalStatus.NOT_REACHED,
        ProposalStatus.WITHDRAWN,
        ProposalStatus.MERGED,
    },
    ProposalStatus.NOT_REACHED: {
        ProposalStatus.ASSIGNED,
        ProposalStatus.WITHDRAWN,
        ProposalStatus.MERGED,
    },
    ProposalStatus.ASSIGNED: {
        ProposalStatus.ANSWERED,
        ProposalStatus.WITHDRAWN,
        ProposalStatus.MERGED,
    },
    # Only the debate leads to the working review (DEBATE → REVIEW, when its
    # results are published): no service moves an answered proposal straight
    # to REVIEW, so the table does not allow it either.
    ProposalStatus.ANSWERED: {
        ProposalStatus.DEBATE,
        ProposalStatus.WITHDRAWN,
        ProposalStatus.MERGED,
    },
    ProposalStatus.DEBATE: {ProposalStatus.REVIEW, ProposalStatus.WITHDRAWN},
    ProposalStatus.REVIEW: {
        ProposalStatus.ON_AGENDA,
        ProposalStatus.NOT_SELECTED,
        ProposalStatus.WITHDRAWN,
    },
    # Held over to the next meeting, an item stays on the agenda.
    ProposalStatus.ON_AGENDA: {
        ProposalStatus.ADOPTED,
        ProposalStatus.NOT_ADOPTED,
        ProposalStatus.WITHDRAWN,
    },
    ProposalStatus.NOT_SELECTED: set(),
    ProposalStatus.ADOPTED: set(),
    ProposalStatus.NOT_ADOPTED: set(),
    ProposalStatus.WITHDRAWN: set(),
    ProposalStatus.MERGED: set(),
}


class ProposalQuerySet(models.QuerySet):
    def not_deleted(self):
        return self.filter(deleted_at__isnull=True)

    def public(self):
        """What the public list shows: not in the trash and not hidden."""
        return self.filter(deleted_at__isnull=True, is_hidden=False)

    def in_trash(self):
        return self.filter(deleted_at__isnull=False)


# ProposalQuerySet.not_deleted() as an index condition.
NOT_DELETED = Q(deleted_at__isnull=True)


class Proposal(models.Model):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="proposals",
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    body = models.TextField(_("proposal"), max_length=BODY_MAX_LENGTH)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="proposals"
    )
    district = models.CharField(
        _("district"),
        max_length=20,
        choices=District.choices,
        blank=True,
        help_text=_("Leave empty for the whole city."),
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="proposals")
    status = models.CharField(
        _("status"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.OPEN
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        help_text=_("The department that answers it, once assigned."),
    )
    # Addressed to a partner institution (issue 16); empty: to the city.
    # Fixed when proposed: its category, department and thresholds are the
    # institution's, and a merge never crosses institutions.
    institution = models.ForeignKey(
        "accounts.Institution",
        verbose_name=_("addressed to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
    )
    # Set when an operator merges this proposal into another (status MERGED).
    # Never a chain: a proposal that others joined, merged in turn, takes
    # them along (proposals.merging), so this always names a proposal that
    # is not merged itself.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_proposals",
    )
    merged_at = models.DateTimeField(_("merged at"), null=True, blank=True)
    # Denormalised counters, always changed in the same transaction as the rows
    # they count (services.py), so the number shown is exact. The endorsement
    # count alone trails its rows by the few milliseconds between an
    # endorsement's insert and its reconcile (Endorsement.pending).
    endorsement_count = models.PositiveIntegerField(_("number of endorsements"), default=0)
    comment_count = models.PositiveIntegerField(_("number of comments"), default=0)
    view_count = models.PositiveIntegerField(_("number of views"), default=0)
    # The citizen panel's ratings (panel.PanelRating): how many rated, and the
    # mean of their three scores in hundredths (3.75 → 375), kept by panel's
    # services under this row's lock so the debate bar reads it like a count.
    panel_rating_count = models.PositiveIntegerField(_("panel ratings"), default=0, db_default=0)
    panel_score = models.PositiveSmallIntegerField(_("panel score (×100)"), default=0, db_default=0)
    # Title, body and tags lower-cased with all whitespace removed, so that
    # "한강다리" finds "한강 다리를 걷고…"; text.search_text_of writes it, and
    # proposals/text.py says how PostgreSQL indexes it.
    search_text = models.TextField(editable=False, default="")
    # The nouns and stems of title and body as Kiwi reads them (한강다리를 →
    # 한강 다리), space-separated: what "similar proposals" compares
    # (proposals/similarity.py).
    similarity_terms = models.TextField(editable=False, default="", db_default="")

    is_hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)
    deleted_at = models.DateTimeField(_("moved to trash at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    # Endorsements are taken until then (set from the pipeline settings when
    # the proposal is made); below the answer bar at that time it is not reached.
    endorsement_deadline = models.DateTimeField(
        _("endorsements close"), null=True, blank=True, db_index=True
    )
    # Editing ends for good at the first endorsement, even if it is taken back.
    first_endorsed_at = models.DateTimeField(_("first endorsed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        # One index per list sort, over the rows not in the trash (what the
        # public list, the home page and the admin read), each ending in the
        # sort's tie-breaker so PostgreSQL reads a page straight off it, and
        # carrying is_hidden so the public list (which leaves out hidden
        # rows) counts from the index alone.
        indexes = [
            models.Index(
                fields=["-created_at", "-id"],
                name="proposal_new",
                condition=NOT_DELETED,
                include=["is_hidden"],
            ),
            models.Index(
                fields=["status", "-created_at", "-id"],
                name="proposal_status_new",
                condition=NOT_DELETED,
                include=["is_hidden"],
            ),
            models.Index(
                fields=["-endorsement_count", "-id"],
                name="proposal_endorsed",
                condition=NOT_DELETED,
                include=["is_hidden"],
            ),
            models.Index(
                fields=["-comment_count", "-id"],
                name="proposal_commented",
                condition=NOT_DELETED,
                include=["is_hidden"],
            ),
            models.Index(
                fields=["-view_count", "-id"],
                name="proposal_viewed",
                condition=NOT_DELETED,
                include=["is_hidden"],
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="withdrawn", withdrawn_at__isnull=False)
                | (~Q(status="withdrawn") & Q(withdrawn_at__isnull=True)),
                name="proposal_withdrawn_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("proposals:detail", args=[self.pk])

    @property
    def is_public(self) -> bool:
        """The one-row twin of ProposalQuerySet.public(): neither hidden by
        the operators nor in the trash."""
        return self.deleted_at is None and not self.is_hidden


def photo_path(instance, filename):
    return unguessable_name(f"proposals/{instance.proposal_id}/photos", filename)


def attachment_path(instance, filename):
    return unguessable_name(f"proposals/{instance.proposal_id}/files", filename)


class ProposalPhoto(models.Model):
    """A photo as re-encoded by the portal: the original upload is never kept,
    so no EXIF or GPS data survives."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        _("photo"), upload_to=photo_path, width_field="width", height_field="height"
    )
    thumbnail = models.ImageField(_("thumbnail"), upload_to=photo_path)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    alt_text = models.CharField(_("description"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return self.alt_text or self.image.name

    def get_absolute_url(self):
        return reverse("proposals:photo", args=[self.pk, "full"])

    def get_thumbnail_url(self):
        return reverse("proposals:photo", args=[self.pk, "thumb"])


class ProposalAttachment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    kind = models.CharField(_("type"), max_length=10)

    class Meta:
        ordering = ["id"]
        verbose_name = _("attached file")
        verbose_name_plural = _("attached files")

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("proposals:attachment", args=[self.pk])


class Endorsement(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="endorsements")
    # PROTECT: deleting a member must never silently lower a public count;
    # members leave through accounts.services.account_withdraw instead.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="endorsements"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Stored but not yet in proposal.endorsement_count. The endorse request
    # inserts its row pending; the single-flight reconcile
    # (services.endorsement_count_reconcile) flips it to False in the same
    # statement that adds it to the count, exactly once. False by default in
    # the database too, so rows written by bulk loaders that set the count
    # themselves (the demo, bench_fill) are never counted again.
    pending = models.BooleanField(default=False, db_default=False, editable=False)

    class Meta:
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "user"], name="endorsement_once_per_member"
            ),
        ]
        indexes = [
            # The reconcile and its sweep look for the few rows still pending;
            # the index holds only those.
            models.Index(
                fields=["proposal"], condition=Q(pending=True), name="endorsement_pending"
            ),
        ]

    def __str__(self):
        return f"{self.user_id} → {self.proposal_id}"


class CarryState(models.TextChoices):
    ASKED = "asked", _("Asked")
    CARRIED = "carried", _("Carried over")
    # The member had endorsed the other proposal too: nothing to carry, and
    # never counted twice.
    ALREADY = "already", _("Already endorsed there")
    DECLINED = "declined", _("Declined")


class EndorsementCarry(models.Model):
    """An endorser of a merged proposal asked to carry their endorsement to
    the proposal it joined (issue 16). One row per member and merged
    proposal; carrying is one click by the member, never automatic, and the
    carried endorsement is an ordinary Endorsement of the target, so the
    unique constraint there counts it once whatever happens here."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="endorsement_carries"
    )
    source = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="carries_out")
    # The proposal to carry to: the source's merged_into, moved along when
    # the target itself is merged later.
    target = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="carries_in")
    state = models.CharField(max_length=10, choices=CarryState.choices, default=CarryState.ASKED)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("endorsement carry-over")
        verbose_name_plural = _("endorsement carry-overs")
        constraints = [
            models.UniqueConstraint(fields=["member", "source"], name="carry_once_per_member"),
        ]
        indexes = [
            models.Index(fields=["member"], condition=Q(state="asked"), name="carry_asked_member"),
        ]

    def __str__(self):
        return f"{self.member_id}: {self.source_id} → {self.target_id}"


class Follow(models.Model):
    """A member follows a proposal to hear of every step it takes."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="follow_once_per_member"),
        ]

    def __str__(self):
        return f"{self.user_id} → {self.proposal_id}"


class CommentQuerySet(models.QuerySet):
    def not_deleted(self):
        return self.filter(deleted_at__isnull=True)


class Comment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="comments",
    )
    # The department badge as it was when the comment was written, so that a
    # later transfer does not rewrite history.
    author_department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    body = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH)
    is_hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    # Set only when the author changes the text, not by moderation.
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [models.Index(fields=["proposal", "created_at"], name="comment_proposal_created")]

    def __str__(self):
        return self.body[:40]

    @property
    def is_edited(self) -> bool:
        return self.edited_at is not None


class ReportReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    ABUSE = "abuse", _("Abuse or hate speech")
    PRIVACY = "privacy", _("Personal information exposed")
    FALSE = "false", _("False information")
    OTHER = "other", _("Other")


class Report(models.Model):
    """A member's report of a proposal or a comment, for the operators."""

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="reports"
    )
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ReportReason.choices)
    detail = models.CharField(_("details"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    resolution = models.CharField(_("how it was handled"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(proposal__isnull=False, comment__isnull=True)
                | Q(proposal__isnull=True, comment__isnull=False),
                name="report_has_one_target",
            ),
            models.UniqueConstraint(
                fields=["reporter", "proposal"],
                condition=Q(proposal__isnull=False),
                name="report_proposal_once",
            ),
            models.UniqueConstraint(
                fields=["reporter", "comment"],
                condition=Q(comment__isnull=False),
                name="report_comment_once",
            ),
        ]

    def __str__(self):
        return f"{self.get_reason_display()} ({self.proposal_id or self.comment_id})"


class EventKind(models.TextChoices):
    CREATED = "created", _("Proposed")
    EDITED = "edited", _("Edited by the proposer")
    STATUS_CHANGED = "status_changed", _("Status changed")
    HIDDEN = "hidden", _("Hidden by an operator")
    UNHIDDEN = "unhidden", _("Restored by an operator")
    TRASHED = "trashed", _("Moved to the trash")
    UNTRASHED = "untrashed", _("Restored from the trash")
    COMMENT_HIDDEN = "comment_hidden", _("A comment was hidden")
    COMMENT_UNHIDDEN = "comment_unhidden", _("A comment was restored")
    PROMOTED_BY_HAND = "promoted_by_hand", _("Promoted by the operators for its creativity")
    REASSIGNED = "reassigned", _("Reassigned to another department")
    ANSWER_OVERDUE = "answer_overdue", _("The answer deadline passed")
    ANSWER_RATED = "answer_rated", _("The proposer rated the answer")
    DEBATE_CLOSED = "debate_closed", _("The debate closed")
    DEBATE_SUMMARY = "debate_summary", _("Debate results published")
    HELD_OVER = "held_over", _("Held over to the next meeting")
    ANSWER_SUBMITTED = "answer_submitted", _("The department submitted its answer")
    ANSWER_RETURNED = "answer_returned", _("The answer was returned to the department")
    REASSIGNMENT_REQUESTED = "reassignment_requested", _("The department asked for reassignment")
    REASSIGNMENT_REFUSED = "reassignment_refused", _("Reassignment was refused")
    CARD_STAGE_CHANGED = "card_stage_changed", _("The adopted item changed stage")
    CARD_REPORT = "card_report", _("Progress report on the adopted item")
    # The department's accepting answer became a promise card on the tracker
    # (params {"text": "promise_opened", "decision": AnswerDecision code}).
    PROMISE_OPENED = "promise_opened", _("The department's promise is tracked")
    # A meeting adopted a proposal whose promise card was open: the same
    # card carries on as an adopted item ({"text": "promise_adopted"}).
    PROMISE_ADOPTED = "promise_adopted", _("The promise became an adopted item")
    # params: {"text": "recategorised", "from_category": id, "to_category": id};
    # the operator's reason as typed.
    RECATEGORISED = "recategorised", _("Moved to another category")
    # Deadline extensions (answers): the request is internal; the operator's
    # grant (params {"text": "deadline_extended", "days", "deadline"}, the
    # department's reason as typed) and refusal (the operator's reason) are public.
    EXTENSION_REQUESTED = "extension_requested", _("The department asked for more time")
    DEADLINE_EXTENDED = "deadline_extended", _("The answer deadline was extended")
    EXTENSION_REFUSED = "extension_refused", _("More time was refused")
    # params: {"text": "answer_amended", "fields": [changed field names],
    # "decision": code, "old_decision": code}; the department's reason as typed.
    ANSWER_AMENDED = "answer_amended", _("The department amended its answer")
    AMENDMENT_SUBMITTED = "amendment_submitted", _("The department submitted an amendment")
    AMENDMENT_RETURNED = "amendment_returned", _("An amendment was returned to the department")
    # Internal: {"text": "answer_author_left", "reason", "fallback"} (answers).
    ANSWER_AUTHOR_LEFT = "answer_author_left", _("The official writing the answer left")
    # Themed calls (themes): {"text": "theme_submitted", "theme": id} when a
    # proposal is submitted to a theme; {"text": "theme_debate_picked",
    # "theme": id} when an operator picks it for the theme debate.
    THEME_SUBMITTED = "theme_submitted", _("Submitted to a theme")
    THEME_DEBATE_PICKED = "theme_debate_picked", _("Picked for the theme debate")
    # Merges (issue 16): on the merged proposal {"text": "merged_into",
    # "into": id}; on the one it joined {"text": "merged_from", "from": id}.
    MERGED_INTO = "merged_into", _("Merged into another proposal")
    MERGED_FROM = "merged_from", _("Another proposal was merged into this one")


# Rows whose typed reason is moderation's business: the open data and the
# read API say that a proposal was hidden or restored, never why (issue 15:
# no reasons for hiding). The comment rows are internal (is_public=False)
# and never leave at all; they are named here so the rule is whole.
MODERATION_REASON_KINDS = frozenset(
    {
        EventKind.HIDDEN,
        EventKind.UNHIDDEN,
        EventKind.COMMENT_HIDDEN,
        EventKind.COMMENT_UNHIDDEN,
    }
)


class ProposalEvent(models.Model):
    """One row per thing that happened to a proposal; the public timeline is
    drawn from these (who, what, from, to, why, when)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    actor_role = models.CharField(max_length=30, blank=True)
    actor_department = models.ForeignKey(
        "accounts.Department", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(max_length=20, choices=ProposalStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ProposalStatus.choices, blank=True)
    # A reason typed by a person, as typed. What the system says about the
    # step is not stored as a sentence but as a code and its parameters
    # (`params`), written in the reader's language when read (event_texts.py).
    reason = models.TextField(blank=True)
    params = models.JSONField(default=dict, blank=True)
    is_public = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("proposal event")
        verbose_name_plural = _("proposal events")

    def __str__(self):
        return f"{self.proposal_id}: {self.kind}"

    @property
    def words(self) -> str:
        """What the system says about this step, in the active language."""
        return event_texts.words(self)

    @property
    def text(self) -> str:
        """The row's whole note: the system's words, then the person's reason."""
        return " ".join(part for part in (self.words, self.reason) if part)


class ProposalView(models.Model):
    """One row per visitor per day, so a view is counted once a day."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="+")
    visitor = models.CharField(max_length=64)
    date = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "visitor", "date"], name="proposal_view_once_a_day"
            ),
        ]

    def __str__(self):
        return f"{self.proposal_id} {self.date}"
