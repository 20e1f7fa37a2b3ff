"""Bases for spreadsheet exports (django-import-export) that every app's
admin uses: a CSV Excel opens as UTF-8, and resources whose text cells a
spreadsheet cannot run as formulae."""

from import_export import resources, widgets
from import_export.formats.base_formats import CSV

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
