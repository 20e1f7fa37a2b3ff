"""City polls (서울시가 묻습니다, mVoting): the city asks citizens directly.

Four kinds, as in seed 004:
- yes/no (찬반형): one question with the three fixed choices for, against
  and other (Choice.code), an optional reason typed with the vote;
- discussion (토론형): one question; members post arguments for or against
  and endorse others' arguments (PollArgument, PollArgumentEndorsement);
- multiple choice (문답형): one question, up to `max_choices` choices;
- survey (리서치형): several questions, each single choice, multiple choice
  or short text.

A member votes once a poll: one Ballot, with one Answer per chosen choice
(or per text answer). Counts (Poll.voter_count, Question.answer_count,
Choice.vote_count, PollArgument.endorsement_count) move in the same
transaction as the rows they count, under the poll's row lock
(polls/services.py), so what is shown is exact. The ballot keeps the
voter's district and age band as they were when voting and only where the
member had consented to them, so that breakdowns never read the members'
table and a member who later withdraws consent changes no result."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.age_bands import AgeBand
from accounts.districts import District
from accounts.models import Gender

TITLE_MAX_LENGTH = 120
TEXT_ANSWER_MAX_LENGTH = 500
ARGUMENT_MAX_LENGTH = 2000


class PollKind(models.TextChoices):
    YES_NO = "yes_no", _("Yes or no")
    DISCUSSION = "discussion", _("Discussion")
    CHOICE = "choice", _("Multiple choice")
    SURVEY = "survey", _("Survey")


class PollStatus(models.TextChoices):
    # Being written; only staff see it (and its preview).
    DRAFT = "draft", _("Draft")
    # Public; voting between starts_at and ends_at.
    PUBLISHED = "published", _("Published")
    # Voting is over (closed by the beat, or early by an operator).
    CLOSED = "closed", _("Closed")


class ResultsShown(models.TextChoices):
    LIVE = "live", _("While the poll is open")
    AFTER_CLOSE = "after_close", _("After it closes")


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("One choice")
    MULTIPLE = "multiple", _("Several choices")
    TEXT = "text", _("Short text")


class YesNo(models.TextChoices):
    """The fixed choices of a yes/no poll (Choice.code)."""

    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    OTHER = "other", _("Other")


class Poll(models.Model):
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    summary = models.CharField(_("summary"), max_length=300)
    # Background material as text; images and files are PollAttachment rows.
    background = models.TextField(_("background"), blank=True)
    kind = models.CharField(_("type"), max_length=12, choices=PollKind.choices)
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="polls",
        help_text=_("The department that asks, and responds to the result."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PollStatus.choices, default=PollStatus.DRAFT
    )
    starts_at = models.DateTimeField(_("opens"))
    ends_at = models.DateTimeField(_("closes"), db_index=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    results_shown = models.CharField(
        _("results shown"),
        max_length=12,
        choices=ResultsShown.choices,
        default=ResultsShown.AFTER_CLOSE,
    )
    allow_vote_change = models.BooleanField(
        _("members may change their vote until it closes"), default=False
    )
    # A partner institution's poll (issue 16), shown in its space and in the
    # city's list, labelled; empty: the city's.
    institution = models.ForeignKey(
        "accounts.Institution",
        verbose_name=_("partner institution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="polls",
    )
    # Targeting (mVoting): empty = everyone. Values of accounts.districts.
    # District, accounts.age_bands.AgeBand and accounts.models.Gender. Read
    # from the member's profile only where they consented to the item.
    target_districts = models.JSONField(_("districts"), default=list, blank=True)
    target_age_bands = models.JSONField(_("age bands"), default=list, blank=True)
    target_genders = models.JSONField(_("genders"), default=list, blank=True)
    # Members who voted (ballots), exact (see the module's docstring).
    voter_count = models.PositiveIntegerField(_("voters"), default=0)
    # The department's response to the result, published on the results page.
    response = models.TextField(_("department's response"), blank=True)
    response_published_at = models.DateTimeField(_("response published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("city poll")
        verbose_name_plural = _("city polls")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="polls_poll_ends_after_start",
            )
        ]
        indexes = [models.Index(fields=["status", "ends_at"], name="poll_status_end")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("polls:detail", args=[self.pk])

    def is_open(self, now=None) -> bool:
        """Taking votes: published and within its period."""
        now = now or timezone.now()
        return self.status == PollStatus.PUBLISHED and self.starts_at <= now < self.ends_at

    @property
    def is_targeted(self) -> bool:
        return bool(self.target_districts or self.target_age_bands or self.target_genders)


class AttachmentKind(models.TextChoices):
    IMAGE = "image", _("Image")
    FILE = "file", _("File")


class PollAttachment(models.Model):
    """Background material: an image (shown, with its text alternative) or a
    file (linked)."""

    poll = models.ForeignKey(
        Poll, verbose_name=_("poll"), on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("kind"), max_length=6, choices=AttachmentKind.choices)
    file = models.FileField(_("file"), upload_to="polls/%Y/%m/")
    title = models.CharField(
        _("title or text alternative"),
        max_length=200,
        help_text=_("For an image, what it shows, for readers who cannot see it."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("background material")
        verbose_name_plural = _("background material")

    def __str__(self):
        return self.title


class Question(models.Model):
    poll = models.ForeignKey(
        Poll, verbose_name=_("poll"), on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(
        _("answered with"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.SINGLE
    )
    # For a multiple-choice question: at most this many choices (1 = one).
    max_choices = models.PositiveSmallIntegerField(
        _("most choices a member may pick"), default=1, validators=[MinValueValidator(1)]
    )
    required = models.BooleanField(_("an answer is required"), default=True)
    # Ballots that answered the question (a text answer left empty does not count).
    answer_count = models.PositiveIntegerField(_("answers"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_choices__gte=1), name="polls_question_max_choices_positive"
            )
        ]

    def __str__(self):
        return self.text


class Choice(models.Model):
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="choices"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    label = models.CharField(_("choice"), max_length=200)
    # A yes/no poll's fixed choices carry their YesNo code; others are empty.
    code = models.CharField(_("code"), max_length=10, choices=YesNo.choices, blank=True)
    vote_count = models.PositiveIntegerField(_("votes"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self):
        return self.label


class Ballot(models.Model):
    """One member's vote in one poll."""

    poll = models.ForeignKey(
        Poll, verbose_name=_("poll"), on_delete=models.CASCADE, related_name="ballots"
    )
    # SET_NULL: a member who leaves takes their name, not their vote, out
    # of a published result.
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="poll_ballots",
    )
    # The voter's groups when voting, only where they had consented (else "").
    district = models.CharField(_("district"), max_length=20, choices=District.choices, blank=True)
    age_band = models.CharField(_("age band"), max_length=10, choices=AgeBand.choices, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    created_at = models.DateTimeField(_("voted at"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "member"],
                condition=models.Q(member__isnull=False),
                name="polls_one_ballot_per_member",
            )
        ]

    def __str__(self):
        return f"{self.poll_id}:{self.member_id}"


class Answer(models.Model):
    """One choice picked (or one text typed) on a ballot. A single-choice
    question has one row per ballot, a multiple-choice question one per
    choice picked, a text question one with `text`. A yes/no vote's optional
    reason is the `text` of its answer."""

    ballot = models.ForeignKey(
        Ballot, verbose_name=_("ballot"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="answers"
    )
    choice = models.ForeignKey(
        Choice,
        verbose_name=_("choice"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="answers",
    )
    text = models.CharField(_("text"), max_length=TEXT_ANSWER_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["question_id", "id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "choice"],
                condition=models.Q(choice__isnull=False),
                name="polls_choice_once_per_ballot",
            ),
            models.UniqueConstraint(
                fields=["ballot", "question"],
                condition=models.Q(choice__isnull=True),
                name="polls_text_once_per_ballot",
            ),
        ]

    def __str__(self):
        return f"{self.ballot_id}:{self.question_id}"


class ArgumentSide(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")


class PollArgument(models.Model):
    """An argument in a discussion poll (토론형)."""

    poll = models.ForeignKey(
        Poll, verbose_name=_("poll"), on_delete=models.CASCADE, related_name="arguments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="poll_arguments",
    )
    # Blank: an opinion that takes neither side.
    side = models.CharField(_("side"), max_length=10, choices=ArgumentSide.choices, blank=True)
    body = models.TextField(_("argument"), max_length=ARGUMENT_MAX_LENGTH)
    endorsement_count = models.PositiveIntegerField(_("endorsements"), default=0)
    is_hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        ordering = ["-endorsement_count", "-id"]
        verbose_name = _("poll argument")
        verbose_name_plural = _("poll arguments")
        indexes = [
            models.Index(fields=["poll", "-endorsement_count", "-id"], name="pollarg_poll_top")
        ]

    def __str__(self):
        return self.body[:40]


class PollArgumentEndorsement(models.Model):
    argument = models.ForeignKey(
        PollArgument,
        verbose_name=_("argument"),
        on_delete=models.CASCADE,
        related_name="endorsements",
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="poll_argument_endorsements",
    )
    created_at = models.DateTimeField(_("endorsed at"), default=timezone.now)

    class Meta:
        verbose_name = _("argument endorsement")
        verbose_name_plural = _("argument endorsements")
        constraints = [
            models.UniqueConstraint(
                fields=["argument", "member"], name="polls_endorse_argument_once"
            )
        ]

    def __str__(self):
        return f"{self.argument_id}:{self.member_id}"


class PollResponse(Poll):
    """A poll as its staff answer its result: the results part's admin screen
    (polls/response_admin.py) lists these, with the response and the
    exports. A proxy: no table of its own."""

    class Meta:
        proxy = True
        verbose_name = _("result and response")
        verbose_name_plural = _("results and responses")
