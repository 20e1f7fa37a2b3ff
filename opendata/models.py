"""The bulk files built each night (opendata/build.py): one row per file."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    JSON = "json", "JSON"


class Export(models.Model):
    """One dataset's file of one day's build. A second build the same day
    replaces the day's file and this row; older days are pruned after
    OPEN_DATA_KEEP_DAYS (the newest build is always kept)."""

    dataset = models.CharField(_("dataset"), max_length=30)
    format = models.CharField(_("format"), max_length=4, choices=ExportFormat.choices)
    # The build's day in Seoul: the file name's date.
    day = models.DateField(_("day"))
    generated_at = models.DateTimeField(_("generated"))
    # What the data is as of: the snapshot's moment, or for the statistics
    # the refresh they were counted at.
    as_of = models.DateTimeField(_("data as of"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("rows"))
    bytes = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    file_name = models.CharField(_("file name"), max_length=100, unique=True)

    class Meta:
        ordering = ["-day", "dataset", "format"]
        verbose_name = _("open data file")
        verbose_name_plural = _("open data files")
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "format", "day"], name="opendata_export_once_a_day"
            )
        ]

    def __str__(self):
        return self.file_name

    def get_absolute_url(self):
        return reverse("opendata:file", args=[self.file_name])

    @property
    def content_type(self) -> str:
        if self.format == ExportFormat.CSV:
            return "text/csv; charset=utf-8"
        return "application/json; charset=utf-8"
