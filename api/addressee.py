"""The addressee of a proposal or poll (issue 16): the `institution` filter
and field the proposals, debates and polls endpoints share. A row of the
city's own has no institution (null); `?institution=city` selects those."""

import django_filters
from django import forms
from rest_framework import serializers

from accounts.models import Institution

# The institution filter's value for the city's own rows.
CITY = "city"


class InstitutionChoiceField(forms.ModelChoiceField):
    """A partner institution's slug, or "city"; anything else is a 400."""

    def to_python(self, value):
        if value == CITY:
            return CITY
        return super().to_python(value)


class InstitutionFilter(django_filters.ModelChoiceFilter):
    """`?institution=<slug>`: the rows addressed to that partner institution;
    `?institution=city`: the city's own. `field_name` is the path to the
    Institution foreign key."""

    field_class = InstitutionChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("field_name", "institution")
        kwargs.setdefault("queryset", Institution.objects.all())
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault(
            "help_text",
            "A partner institution's address name (its slug, as in /org/<slug>/), "
            'or "city" for the city\'s own.',
        )
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        if value == CITY:
            return queryset.filter(**{f"{self.field_name}__isnull": True})
        return super().filter(queryset, value)


class InstitutionSerializer(serializers.Serializer):
    """The partner institution addressed; null for the city's own."""

    slug = serializers.CharField(help_text="Its address name, as in /org/<slug>/.")
    name = serializers.CharField(source="label", help_text="In the reader's language.")
    short_name = serializers.CharField(source="short_label")
