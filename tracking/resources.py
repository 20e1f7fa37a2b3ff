"""Spreadsheets of management cards and progress reports
(django-import-export).

Export: CardResource and ProgressReportResource, one row per card / report,
based on oasis.exports.EscapedResource so formula-like cells (=, +, -,
@) are neutralised; the admin exports its own (department-scoped) queryset.

Import: CardUpdateResource reads a sheet of stage and progress updates, one
row per card, with the columns

    card_id        the card's number (required)
    stage          new stage: its code (review, planning, in_progress,
                   completed, suspended) or its label in English or Korean;
                   empty = unchanged
    note           why the stage changes (required when it does; the reason
                   when suspending); ignored otherwise
    planned_budget planned budget in whole won; empty = unchanged
    spent_budget   spent budget in whole won; empty = unchanged
    target_date    YYYY-MM-DD; empty = unchanged

A header may also be written in Korean (관리카드 번호, 단계, 메모, 계획 예산,
집행 예산, 목표일; see HEADER_ALIASES) or as in the card export, so an
exported sheet can be edited and imported again; the export's other columns
(proposal, department, official, percent complete, last report) are not read.

Nothing is written by import-export itself: save_instance calls
services.card_change_stage (stage) and services.card_update (budget, target
date), so transitions, permissions and history apply. A refusal becomes a
row error; with any row error the admin writes nothing (one transaction)."""


import rules
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import resources, widgets
from import_export.fields import Field

from oasis.errors import PermissionDenied, ServiceError
from oasis.exports import EscapedResource

from . import selectors, services
from .models import CardStage, ManagementCard, ProgressReport

# --- export -------------------------------------------------------------------


def official_name(user) -> str:
    """An official's name as colleagues know it (not the public masked one)."""
    if user is None:
        return ""
    return user.display_name or user.get_username()


class CardResource(EscapedResource):
    id = Field(attribute="id", column_name=_("ID"), widget=widgets.IntegerWidget())
    proposal = Field(attribute="proposal__title", column_name=_("proposal"))
    department = Field(attribute="department__name", column_name=_("responsible department"))
    official = Field(column_name=_("responsible official"))
    stage = Field(attribute="get_stage_display", column_name=_("stage"))
    percent_complete = Field(
        attribute="percent_complete",
        column_name=_("percent complete"),
        widget=widgets.IntegerWidget(),
    )
    planned_budget = Field(
        attribute="planned_budget",
        column_name=_("planned budget (won)"),
        widget=widgets.IntegerWidget(),
    )
    spent_budget = Field(
        attribute="spent_budget",
        column_name=_("spent budget (won)"),
        widget=widgets.IntegerWidget(),
    )
    target_date = Field(
        attribute="target_date", column_name=_("target date"), widget=widgets.DateWidget()
    )
    last_report = Field(column_name=_("last report"))

    class Meta:
        model = ManagementCard
        fields = (
            "id",
            "proposal",
            "department",
            "official",
            "stage",
            "percent_complete",
            "planned_budget",
            "spent_budget",
            "target_date",
            "last_report",
        )
        export_order = fields

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("proposal", "department", "responsible_official").annotate(
            last_report_at=selectors.LAST_REPORT_AT
        )

    def dehydrate_official(self, card):
        return official_name(card.responsible_official)

    def dehydrate_last_report(self, card):
        moment = getattr(card, "last_report_at", None)
        if moment is None:
            return ""
        return timezone.localdate(moment).isoformat()


class ProgressReportResource(EscapedResource):
    id = Field(attribute="id", column_name=_("ID"), widget=widgets.IntegerWidget())
    card = Field(attribute="card_id", column_name=_("card"), widget=widgets.IntegerWidget())
    proposal = Field(attribute="card__proposal__title", column_name=_("proposal"))
    department = Field(attribute="card__department__name", column_name=_("responsible department"))
    period = Field(attribute="period", column_name=_("period"), widget=widgets.IntegerWidget())
    status = Field(attribute="get_status_display", column_name=_("status"))
    due_date = Field(attribute="due_date", column_name=_("due date"), widget=widgets.DateWidget())
    submitted = Field(column_name=_("submitted"))
    author = Field(column_name=_("submitted by"))
    stage = Field(attribute="get_stage_display", column_name=_("stage at submission"))
    percent_complete = Field(
        attribute="percent_complete",
        column_name=_("percent complete"),
        widget=widgets.IntegerWidget(),
    )
    spent_budget = Field(
        attribute="spent_budget",
        column_name=_("spent budget (won)"),
        widget=widgets.IntegerWidget(),
    )
    done = Field(attribute="done", column_name=_("what was done"))
    next_steps = Field(attribute="next_steps", column_name=_("next steps"))

    class Meta:
        model = ProgressReport
        fields = (
            "id",
            "card",
            "proposal",
            "department",
            "period",
            "status",
            "due_date",
            "submitted",
            "author",
            "stage",
            "percent_complete",
            "spent_budget",
            "done",
            "next_steps",
        )
        export_order = fields

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("card__proposal", "card__department", "author")

    def dehydrate_submitted(self, report):
        if report.submitted_at is None:
            return ""
        return timezone.localtime(report.submitted_at).strftime("%Y-%m-%d %H:%M")

    def dehydrate_author(self, report):
        return official_name(report.author)


# --- import -------------------------------------------------------------------

IMPORT_COLUMNS = ("card_id", "stage", "note", "planned_budget", "spent_budget", "target_date")
REQUIRED_COLUMNS = ("card_id",)
# The columns as the import pages name them, in the page's language.
IMPORT_LABELS = {
    "card_id": _("card number"),
    "stage": _("stage"),
    "note": _("note"),
    "planned_budget": _("planned budget"),
    "spent_budget": _("spent budget"),
    "target_date": _("target date"),
}

# Other names a header may have: plain Korean ones for sheets made by hand,
# and those of the card export (CardResource, in either language), so an
# exported sheet can be edited and imported again.
HEADER_ALIASES = {
    "card_id": ("관리카드 번호", "카드 번호", "번호"),
    "stage": ("단계", "진행 단계"),
    "note": ("메모", "사유", "변경 사유"),
    "planned_budget": ("계획 예산", "예산"),
    "spent_budget": ("집행 예산", "집행액"),
    "target_date": ("목표일", "목표 날짜"),
}
EXPORT_NAMES = {
    "id": "card_id",
    "stage": "stage",
    "planned_budget": "planned_budget",
    "spent_budget": "spent_budget",
    "target_date": "target_date",
}
# Columns of the export that are facts, not updates; an imported sheet may
# keep them and they are not read (percent complete comes from reports).
EXPORT_ONLY = ("proposal", "department", "official", "percent_complete", "last_report")


def import_header_names() -> tuple[dict[str, str], set[str]]:
    """(header as written → import column, headers that are ignored)."""
    names = {column: column for column in IMPORT_COLUMNS}
    for column, aliases in HEADER_ALIASES.items():
        names.update(dict.fromkeys(aliases, column))
    ignored = set()
    fields = CardResource().fields
    for language in ("ko", "en"):
        with translation.override(language):
            for column, label in IMPORT_LABELS.items():
                names.setdefault(str(label), column)
            for field, column in EXPORT_NAMES.items():
                names.setdefault(str(fields[field].column_name), column)
            ignored.update(str(fields[field].column_name) for field in EXPORT_ONLY)
    return names, ignored - set(names)


class StageWidget(widgets.Widget):
    """A stage by its code or its label in English or Korean."""

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            return None
        for stage in CardStage:
            if text.lower() == stage.value:
                return stage.value
            for language in ("en", "ko"):
                with translation.override(language):
                    if text.lower() == str(stage.label).lower():
                        return stage.value
        raise ValueError(
            gettext("“%(value)s” is not a stage. Use one of: %(stages)s.")
            % {"value": text, "stages": ", ".join(str(label) for label in CardStage.labels)}
        )

    def render(self, value, obj=None, **kwargs):
        # Shown in the import preview: the stage's name, not its code.
        return str(CardStage(value).label) if value in CardStage.values else (value or "")


class WonWidget(widgets.Widget):
    """Whole won; "1,200,000" is read as 1200000. Negative amounts are left
    for services.card_update to refuse."""

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return None
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, int):
            return value
        text = str(value).strip().replace(",", "")
        try:
            return int(text)
        except ValueError:
            raise ValueError(gettext("Please enter an amount in won, as a whole number.")) from None

    def render(self, value, obj=None, **kwargs):
        # Shown in the import preview: 40,000,000 reads better than 40000000.
        return "" if value is None else f"{value:,}"


class IsoDateWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return None
        try:
            return services.parse_date(value, "target_date")
        except ValidationError as exc:
            raise ValueError(" ".join(exc.messages)) from None

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class UnchangedIfEmpty(Field):
    """An empty cell leaves the card's value as it is."""

    def save(self, instance, row, is_m2m=False, **kwargs):
        cleaned = self.clean(row, **kwargs)
        if cleaned is None:
            return
        setattr(instance, self.attribute, cleaned)


class CardUpdateResource(resources.ModelResource):
    """Stage and progress updates of existing cards; see the module
    docstring for the columns. Construct with `user=` (the importing user)."""

    card_id = Field(attribute="id", column_name="card_id", widget=widgets.IntegerWidget())
    stage = UnchangedIfEmpty(attribute="stage", column_name="stage", widget=StageWidget())
    note = Field(attribute="import_note", column_name="note", widget=widgets.CharWidget())
    planned_budget = UnchangedIfEmpty(
        attribute="planned_budget", column_name="planned_budget", widget=WonWidget()
    )
    spent_budget = UnchangedIfEmpty(
        attribute="spent_budget", column_name="spent_budget", widget=WonWidget()
    )
    target_date = UnchangedIfEmpty(
        attribute="target_date", column_name="target_date", widget=IsoDateWidget()
    )

    class Meta:
        model = ManagementCard
        fields = IMPORT_COLUMNS
        import_order = IMPORT_COLUMNS
        import_id_fields = ("card_id",)
        use_transactions = True
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = False

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        # Pages and previews name the columns in the user's language;
        # before_import maps whatever the file's headers are onto these.
        for name, field in self.fields.items():
            field.column_name = str(IMPORT_LABELS[name])

    @classmethod
    def get_display_name(cls):
        return gettext("Stage and progress updates")

    def get_queryset(self):
        return ManagementCard.objects.select_related("proposal")

    def before_import(self, dataset, **kwargs):
        written = [str(header or "").strip() for header in dataset.headers or []]
        names, ignored = import_header_names()
        for header in written:
            if header in ignored:
                del dataset[header]
        headers = [names.get(header, header) for header in written if header not in ignored]
        missing = [column for column in REQUIRED_COLUMNS if column not in headers]
        unknown = [header for header in headers if header not in IMPORT_COLUMNS]
        twice = len(set(headers)) != len(headers)
        if missing or unknown or twice or len(headers) < 2:
            found = ", ".join(written)
            dataset.wipe()  # no row is tried
            raise ValueError(
                gettext(
                    "The file's columns are not right. Expected a header row with "
                    "%(expected)s (the card number and at least one more); found %(found)s."
                )
                % {
                    "expected": ", ".join(
                        f"{IMPORT_LABELS[column]} ({column})" for column in IMPORT_COLUMNS
                    ),
                    "found": found or gettext("no header row"),
                }
            )
        dataset.headers = [self.fields[column].column_name for column in headers]

    def init_instance(self, row=None):
        raise ValueError(
            gettext("There is no management card #%(id)s.")
            % {"id": (row or {}).get(self.fields["card_id"].column_name)}
        )

    def after_init_instance(self, instance, new, row, **kwargs):
        instance.import_note = ""
        if not rules.has_perm("tracking.change_card", self.user, instance):
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: gettext(
                        "You may update only your own department's cards (card #%(id)s)."
                    )
                    % {"id": instance.pk}
                }
            )

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors:
            return False
        return all(
            getattr(instance, field) == getattr(original, field)
            for field in ("stage", "planned_budget", "spent_budget", "target_date")
        )

    def save_instance(self, instance, is_create, row, **kwargs):
        """Write through the services, never instance.save()."""
        current = ManagementCard.objects.get(pk=instance.pk)
        stage_changed = instance.stage != current.stage
        try:
            if stage_changed:
                current = services.card_change_stage(
                    card=current,
                    user=self.user,
                    to_stage=instance.stage,
                    note=instance.import_note or "",
                )
            if (instance.planned_budget, instance.spent_budget, instance.target_date) != (
                current.planned_budget,
                current.spent_budget,
                current.target_date,
            ):
                services.card_update(
                    card=current,
                    user=self.user,
                    planned_budget=instance.planned_budget,
                    spent_budget=instance.spent_budget,
                    target_date=instance.target_date,
                    # The row's note explains the edit unless it went with a
                    # stage change (where it is already on the history).
                    note="" if stage_changed else instance.import_note or "",
                )
        except PermissionDenied:
            raise ValidationError(
                {NON_FIELD_ERRORS: gettext("You may not change this card.")}
            ) from None
        except ServiceError as exc:
            raise ValidationError({"stage": str(exc.message)}) from None
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                # services name fields as the model does; "note" is a column.
                raise ValidationError(
                    {
                        ("import_note" if field == "note" else field): errors
                        for field, errors in exc.error_dict.items()
                    }
                ) from None
            raise
