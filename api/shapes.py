"""Shapes the debates, meetings, adopted items, polls and statistics
endpoints share: a choice as its stable code and its label in the reader's
language, a department by code and name (never a person), and the reader's
language chosen by `?lang=` before Accept-Language."""

import django_filters
from django import forms
from django.utils import translation
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

LANGUAGES = ("ko", "en")


class CodeLabelSerializer(serializers.Serializer):
    """A choice: `code` stays the same in every language, `label` is in the
    reader's language."""

    code = serializers.CharField()
    label = serializers.CharField()


class DepartmentSerializer(serializers.Serializer):
    """A department by its stable code and its name in the reader's language."""

    code = serializers.CharField()
    name = serializers.CharField()


def code_label(choices, value) -> dict | None:
    """`value` of the TextChoices `choices` as {"code", "label"}; None for an
    empty value (a stage not set)."""
    if value in (None, ""):
        return None
    try:
        label = choices(value).label
    except ValueError:  # a code no longer among the choices: say it as it is
        label = value
    return {"code": str(value), "label": str(label)}


def department(value) -> dict | None:
    if value is None:
        return None
    return {"code": value.code, "name": value.label}


@extend_schema_field(CodeLabelSerializer(allow_null=True))
class CodeLabelField(serializers.Field):
    """A model's choice field read as {"code", "label"}."""

    def __init__(self, choices, **kwargs):
        self.choices_class = choices
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return code_label(self.choices_class, value)


@extend_schema_field(DepartmentSerializer(allow_null=True))
class DepartmentField(serializers.Field):
    """A department (a foreign key to accounts.Department) by code and name."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return department(value)


class ReaderLanguageMixin:
    """`?lang=ko|en` wins over Accept-Language (which the locale middleware
    has already applied); Korean is the default. Any other value is ignored
    rather than refused, as the site does with an unknown language."""

    def initial(self, request, *args, **kwargs):
        lang = request.query_params.get("lang", "")
        if lang in LANGUAGES:
            translation.activate(lang)
            request.LANGUAGE_CODE = lang
        super().initial(request, *args, **kwargs)


# --- filters ----------------------------------------------------------------------------

# The largest id a filter looks up: beyond the integer columns' range a
# database refuses the number (a 500 on PostgreSQL), so it is a 400 here.
MAX_ID = 2**31 - 1
# The years a filter accepts: no proposal is older than the portal, and a
# year past 9999 is not a date at all.
MIN_YEAR = 2000
MAX_YEAR = 2100


class IdFilter(django_filters.NumberFilter):
    """A whole number id (a decimal or a huge number is a 400)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class YearFilter(django_filters.NumberFilter):
    """A year of a date or time field, in Seoul time."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", MIN_YEAR)
        kwargs.setdefault("max_value", MAX_YEAR)
        kwargs.setdefault("lookup_expr", "year")
        super().__init__(*args, **kwargs)
