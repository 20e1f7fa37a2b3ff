"""Spreadsheet exports (django-import-export). Export only: nothing is ever
imported into proposals, since every write goes through services.py."""

from django.utils.translation import gettext_lazy as _
from import_export import resources, widgets
from import_export.fields import Field
from import_export.formats.base_formats import CSV

from accounts.selectors import public_name_for

from .models import Proposal

# A cell starting with one of these is read as a formula by Excel, LibreOffice
# or Google Sheets (OWASP "CSV injection"; tab and carriage return too).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """Prefix a text cell that a spreadsheet would run as a formula with a
    single quote, so it is shown as text. Anything else is returned as is."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


class ExcelFriendlyCSV(CSV):
    """CSV with a byte-order mark, so Excel on Korean Windows opens the UTF-8
    file as UTF-8 instead of garbling the Korean."""

    def export_data(self, dataset, **kwargs):
        return "\ufeff" + super().export_data(dataset, **kwargs)


class EscapedResource(resources.ModelResource):
    """Base for every export: text cells are neutralised in CSV and XLSX alike.

    django-import-export's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT (4.4)
    only strips one leading "=" (not +, -, @), rewrites the cell's text and
    turns every cell, numbers included, into a string; so the escaping lives
    here. Numeric columns are left alone so that counts stay numbers."""

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        if isinstance(field.widget, widgets.NumberWidget):
            return value
        return neutralise_formula(value)


class ProposalResource(EscapedResource):
    """One row per proposal, as an operator reports on them. The author is the
    public (masked) name; no e-mail address or other personal data leaves."""

    id = Field(attribute="id", column_name=_("ID"), widget=widgets.IntegerWidget())
    title = Field(attribute="title", column_name=_("title"))
    status = Field(attribute="get_status_display", column_name=_("status"))
    category = Field(column_name=_("category"))
    district = Field(column_name=_("district"))
    department = Field(attribute="department__name", column_name=_("department"))
    endorsements = Field(
        attribute="endorsement_count", column_name=_("endorsements"), widget=widgets.IntegerWidget()
    )
    comments = Field(
        attribute="comment_count", column_name=_("comments"), widget=widgets.IntegerWidget()
    )
    views = Field(attribute="view_count", column_name=_("views"), widget=widgets.IntegerWidget())
    author = Field(column_name=_("author"))
    created = Field(
        attribute="created_at", column_name=_("created"), widget=widgets.DateTimeWidget()
    )

    class Meta:
        model = Proposal
        fields = (
            "id",
            "title",
            "status",
            "category",
            "district",
            "department",
            "endorsements",
            "comments",
            "views",
            "author",
            "created",
        )
        export_order = fields

    def get_queryset(self):
        return Proposal.objects.select_related("category", "department", "author")

    def dehydrate_category(self, proposal):
        return proposal.category.label

    def dehydrate_district(self, proposal):
        return proposal.get_district_display() if proposal.district else str(_("Whole city"))

    def dehydrate_author(self, proposal):
        return public_name_for(proposal.author)
