"""The open statistics (issue 15), kept as summary tables.

Nothing here is typed by anyone: every row is derived from the stage apps'
own tables by `stats.refresh` and can be rebuilt from them at any time. The
pages, the reports, the API and the bulk files read these small tables, so
no request counts the proposals table (170,000 rows at Oasis's ten-year size).

- `ProposalFact`: one row per proposal, with what it is counted under (month
  received, category, district, department, theme) and the furthest stage of
  the pipeline it reached. A figure's list (/stats/proposals/) filters these
  rows, so a figure and its list count the same thing.
- `Tally`: the facts summed per month along one dimension.
- `DepartmentTimeliness`: each department's answer timeliness per year.
- `Refresh`: when the figures were last counted (the "as of" every page shows).
- `Report`: a monthly or yearly report, its figures frozen when it was made."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Stage(models.IntegerChoices):
    """How far a proposal went. Each stage is counted as "reached at least",
    so the stages form a funnel: every adopted proposal was also put to a
    meeting, debated, answered and received."""

    RECEIVED = 0, _("Received")
    ANSWERED = 1, _("Answered by the department")
    DEBATED = 2, _("Debated")
    ON_AGENDA = 3, _("Put to a realization meeting")
    ADOPTED = 4, _("Adopted")
    COMPLETED = 5, _("Completed")


# The Tally column counting each stage, in stage order.
STAGE_FIELDS = {
    Stage.RECEIVED: "received",
    Stage.ANSWERED: "answered",
    Stage.DEBATED: "debated",
    Stage.ON_AGENDA: "on_agenda",
    Stage.ADOPTED: "adopted",
    Stage.COMPLETED: "completed",
}


class ProposalFact(models.Model):
    proposal = models.OneToOneField(
        "proposals.Proposal",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="fact",
        verbose_name=_("proposal"),
    )
    received_at = models.DateTimeField(_("received"))
    # Seoul's calendar (TIME_ZONE), fixed when the fact is written.
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    category = models.ForeignKey(
        "proposals.Category", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # "" is city-wide, as on the proposal.
    district = models.CharField(_("district"), max_length=20, blank=True)
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    theme = models.ForeignKey(
        "themes.Theme", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The partner institution it was addressed to; empty: the city.
    institution = models.ForeignKey(
        "accounts.Institution", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Not hidden and not in the trash. Only public proposals are counted:
    # a figure must be reproducible from the public list it links to.
    is_public = models.BooleanField(_("public"))
    stage = models.PositiveSmallIntegerField(_("furthest stage"), choices=Stage.choices)
    is_withdrawn = models.BooleanField(_("withdrawn"), default=False)
    # The first published answer: when, how long after the assignment, and
    # whether it met its deadline (answers.Answer.met_deadline).
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answer_hours = models.PositiveIntegerField(_("hours to answer"), null=True, blank=True)
    answered_on_time = models.BooleanField(_("answered on time"), null=True, blank=True)
    refreshed_at = models.DateTimeField(_("counted at"))

    class Meta:
        verbose_name = _("proposal fact")
        verbose_name_plural = _("proposal facts")
        # The lists a figure links to (/stats/proposals/) show public facts
        # newest first: a page is read off an index in that order instead of
        # sorting up to 170,000 rows, for no filter, a year or a month (a
        # filter that keeps many rows, a category or a district, walks the
        # first index until the page is full). Checked with EXPLAIN at full
        # scale (README, "Benchmark").
        indexes = [
            models.Index(
                fields=["-received_at", "-proposal"],
                condition=models.Q(is_public=True),
                name="stats_fact_public_new",
            ),
            models.Index(
                fields=["year", "-received_at", "-proposal"],
                condition=models.Q(is_public=True),
                name="stats_fact_year_new",
            ),
            models.Index(
                fields=["year", "month", "-received_at", "-proposal"],
                condition=models.Q(is_public=True),
                name="stats_fact_month_new",
            ),
            models.Index(fields=["stage", "year"], name="stats_fact_stage"),
            # The district filter's count (category, department and theme
            # have their keys' indexes).
            models.Index(fields=["district", "year"], name="stats_fact_district"),
        ]

    def __str__(self):
        return f"{self.proposal_id}: {self.get_stage_display()}"


class Dimension(models.TextChoices):
    ALL = "all", _("All proposals")
    CATEGORY = "category", _("Category")
    DISTRICT = "district", _("District")
    DEPARTMENT = "department", _("Department")
    THEME = "theme", _("Theme")
    INSTITUTION = "institution", _("Partner institution")


class Tally(models.Model):
    """Public proposals received in one month (Seoul time) that share one
    value of a dimension, and how many of them reached each stage. `key` is
    "" for ALL, the category's code, the district's code ("" city-wide), the
    department's code, the theme's id or the partner institution's slug
    (the city's own proposals have no institution tally)."""

    dimension = models.CharField(max_length=12, choices=Dimension.choices)
    key = models.CharField(max_length=50, blank=True)
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    received = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    debated = models.PositiveIntegerField(default=0)
    on_agenda = models.PositiveIntegerField(default=0)
    adopted = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("tally")
        verbose_name_plural = _("tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "key", "year", "month"], name="stats_tally_once"
            )
        ]

    def __str__(self):
        return f"{self.dimension}:{self.key} {self.year}-{self.month:02d}"


class DepartmentTimeliness(models.Model):
    """A department's answers published in one year (year 0: all years):
    how many, how many on time, the median time to answer; and, on the
    year-0 row, how many of its answers are overdue at the refresh."""

    department = models.ForeignKey(
        "accounts.Department", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    answered = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    median_hours = models.PositiveIntegerField(null=True, blank=True)
    overdue_now = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("department answer timeliness")
        verbose_name_plural = _("department answer timeliness")
        constraints = [
            models.UniqueConstraint(fields=["department", "year"], name="stats_timeliness_once")
        ]

    def __str__(self):
        return f"{self.department_id} {self.year or 'all'}"


class Refresh(models.Model):
    """One row per refresh of the figures; the newest finished one is the
    "as of" of every statistics page."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True, db_index=True)
    full = models.BooleanField(default=False)
    facts_written = models.PositiveIntegerField(default=0)
    took_ms = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("statistics refresh")
        verbose_name_plural = _("statistics refreshes")

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M}"


class ReportKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly report")
    YEARLY = "yearly", _("Yearly report")


class Report(models.Model):
    """A monthly or yearly report (like Tokyo's 월례 and 연보). `figures` is
    the JSON of stats.figures.period_snapshot, frozen when the report was
    made: later steps of the same proposals do not change it."""

    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices)
    # The first day of the month or year it covers, and the last.
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    # The figures are as of this moment (the refresh they were read from).
    as_of = models.DateTimeField(_("figures as of"))
    figures = models.JSONField(_("figures"), default=dict)
    generated_at = models.DateTimeField(_("made"), auto_now_add=True)

    class Meta:
        ordering = ["-period_start", "kind"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(fields=["kind", "period_start"], name="stats_report_once")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.period_start:%Y-%m}"

    def get_absolute_url(self):
        period = f"{self.period_start:%Y}" if self.kind == ReportKind.YEARLY else None
        return reverse("stats:report", args=[self.kind, period or f"{self.period_start:%Y-%m}"])
