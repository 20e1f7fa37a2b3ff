"""Themed calls for proposals (테마상상): the city, through an operator, asks
for ideas on one subject for a period. A proposal submitted to a theme is an
ordinary proposal that follows the whole pipeline, except that its answer
goes to the theme's owning department (answers asks the department rules
themes registers). After the period the theme closes by itself (beat). Its
best proposals may be put to a theme debate (테마토론); the department's final
response and what came of the theme are published on the theme page."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TITLE_MAX_LENGTH = 120


class ThemeStatus(models.TextChoices):
    # Being written; only staff see it (and its preview).
    DRAFT = "draft", _("Draft")
    # Public; open for proposals between starts_at and ends_at.
    PUBLISHED = "published", _("Published")
    # The period is over (closed by the beat or by an operator early).
    CLOSED = "closed", _("Closed")


class Theme(models.Model):
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    summary = models.CharField(_("summary"), max_length=300)
    description = models.TextField(_("description"))
    # The policy behind the call: why the city asks, what it will do with it.
    policy = models.TextField(_("policy behind it"), blank=True)
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("owning department"),
        on_delete=models.PROTECT,
        related_name="themes",
        help_text=_("Answers the theme's proposals and writes its final response."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ThemeStatus.choices, default=ThemeStatus.DRAFT
    )
    starts_at = models.DateTimeField(_("opens"))
    ends_at = models.DateTimeField(_("closes"), db_index=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Proposals submitted to the theme that are still public, kept in the
    # same transaction as the ThemeProposal rows (themes/services.py).
    proposal_count = models.PositiveIntegerField(_("proposals"), default=0)
    # The department's final response to the theme, and what came of it.
    response = models.TextField(_("department's final response"), blank=True)
    response_published_at = models.DateTimeField(_("response published at"), null=True, blank=True)
    outcome = models.TextField(_("what came of it"), blank=True)
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
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="themes_theme_ends_after_start",
            )
        ]
        indexes = [models.Index(fields=["status", "ends_at"], name="theme_status_end")]

    def __str__(self):
        return self.title

    def is_open(self, now=None) -> bool:
        """Taking proposals: published and within its period."""
        now = now or timezone.now()
        return self.status == ThemeStatus.PUBLISHED and self.starts_at <= now < self.ends_at


class ThemeMaterial(models.Model):
    """Reference material for a theme: a file, a link, or both."""

    theme = models.ForeignKey(
        Theme, verbose_name=_("theme"), on_delete=models.CASCADE, related_name="materials"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="themes/%Y/%m/", blank=True)
    url = models.URLField(_("link"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("reference material")
        verbose_name_plural = _("reference material")

    def __str__(self):
        return self.title


class ThemeProposal(models.Model):
    """A proposal submitted to a theme (at most one theme a proposal)."""

    theme = models.ForeignKey(
        Theme, verbose_name=_("theme"), on_delete=models.PROTECT, related_name="entries"
    )
    proposal = models.OneToOneField(
        "proposals.Proposal",
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="theme_entry",
    )
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    # Set when an operator picks the proposal for the theme debate (테마토론).
    picked_for_debate_at = models.DateTimeField(
        _("picked for the theme debate"), null=True, blank=True
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("theme proposal")
        verbose_name_plural = _("theme proposals")
        indexes = [models.Index(fields=["theme", "-created_at"], name="themeproposal_theme_new")]

    def __str__(self):
        return f"{self.theme_id}:{self.proposal_id}"
