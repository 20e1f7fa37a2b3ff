"""Which partner institution a staff member works for, and the one scoping
rule every staff screen asks (issue 16): an institution's staff see only
their institution's work; the city's staff see the city's (officials, as
before, only their own department's). Operators of the city run the
platform and see every institution."""

from __future__ import annotations

from functools import cache

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Exists, Q

from .models import Department
from .predicates import is_operator


def staff_institution_id(user) -> int | None:
    """The institution `user` works for: an official's department's, else
    the member's own `institution` (the institution's administrators).
    None for the city's staff and for citizens."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    department = getattr(user, "department", None)
    if department is not None and department.institution_id is not None:
        return department.institution_id
    return getattr(user, "institution_id", None)


def _condition_without_department(user, field: str) -> Q:
    """institution_condition for a member whose department does not decide."""
    own = (
        getattr(user, "institution_id", None) if getattr(user, "is_authenticated", False) else None
    )
    if own is not None:
        return Q(**{f"{field}_id": own})
    if getattr(user, "is_superuser", False) or is_operator(user):
        return Q()
    return Q(**{f"{field}__isnull": True})


def institution_condition(user, field: str = "institution") -> Q:
    """The rows of `user`'s institution (`field` names the path to the
    Institution foreign key, e.g. "proposal__institution"): an institution's
    staff get theirs only; the city's staff get the city's rows and, for
    operators and superusers, every institution's (the caller still applies
    its department rule for officials)."""
    department_id = getattr(user, "department_id", None)
    if (
        department_id is not None
        and getattr(user, "is_authenticated", False)
        and "department" not in user._state.fields_cache
    ):
        # The department's institution is asked inside the list's own query
        # (a subquery on its primary key), not by a query of its own on
        # every staff page: "their department's institution's rows, or, for
        # a city department, as if they had none".
        department = Department.objects.filter(pk=department_id)
        of_institution = department.filter(institution__isnull=False)
        return Q(**{f"{field}_id__in": of_institution.values("institution_id")}) | (
            ~Q(Exists(of_institution)) & _condition_without_department(user, field)
        )
    institution_id = staff_institution_id(user)
    if institution_id is not None:
        return Q(**{f"{field}_id": institution_id})
    return _condition_without_department(user, field)


def sees_institution(user, institution_id: int | None) -> bool:
    """The object-rule twin of institution_condition: may `user` see a row
    of `institution_id` (None: the city's)?"""
    own = staff_institution_id(user)
    if own is not None:
        return institution_id == own
    if getattr(user, "is_superuser", False) or is_operator(user):
        return True
    return institution_id is None


def scoped_choices(user, model, queryset):
    """The choices a form offers `user` from `queryset` of `model`: for
    departments, categories and institutions, only those of their
    institution (institution_condition); a tampered id of another is then
    refused by the form as "not one of the available choices"."""
    from .models import Department, Institution

    if model is Institution:
        own = staff_institution_id(user)
        if own is not None:
            return queryset.filter(pk=own)
        if getattr(user, "is_superuser", False) or is_operator(user):
            return queryset
        return queryset.none()
    if model is Department or _is_scoped_model(model):
        return queryset.filter(institution_condition(user, "institution"))
    return queryset


@cache
def _scoped_related_filter():
    from django.contrib.admin import RelatedFieldListFilter

    class ScopedRelatedFieldListFilter(RelatedFieldListFilter):
        """A list filter over a department, category or institution that
        names only those of the user's institution (the filter's choices
        would otherwise list every institution's)."""

        def field_choices(self, field, request, model_admin):
            ordering = self.field_admin_ordering(field, request, model_admin)
            related = field.related_model
            allowed = scoped_choices(request.user, related, related._default_manager.all())
            return field.get_choices(
                include_blank=False,
                ordering=ordering,
                limit_choices_to={"pk__in": allowed.values("pk")},
            )

    return ScopedRelatedFieldListFilter


def _is_scoped_model(model) -> bool:
    from .models import Department, Institution

    if model in (Department, Institution):
        return True
    return any(
        getattr(field, "related_model", None) is Institution and field.name == "institution"
        for field in model._meta.get_fields()
        if getattr(field, "many_to_one", False)
    )


class InstitutionScopedAdminMixin:
    """For a ModelAdmin (or inline): every row it lists, opens by id, offers
    in autocomplete and related look-ups (?_to_field=) and exports is of the
    user's institution (institution_condition over `institution_field`, the
    path to the Institution foreign key; the admin's own rules, such as an
    official's department, still apply on top). Another institution's id in
    a URL finds nothing: the admin's "doesn't exist" redirect. The choices
    of its forms' departments, categories and institutions are scoped the
    same way (scoped_choices)."""

    institution_field = "institution"

    def __init_subclass__(cls, **kwargs):
        # A ModelAdmin that writes its own get_queryset or get_list_filter
        # (often from a selector, without super()) is scoped all the same:
        # its own method is wrapped, so no admin can forget the rule.
        super().__init_subclass__(**kwargs)
        own_queryset = cls.__dict__.get("get_queryset")
        if own_queryset is not None and not getattr(own_queryset, "_institution_scoped", False):

            def get_queryset(self, request, _own=own_queryset):
                return _own(self, request).filter(
                    institution_condition(request.user, self.institution_field)
                )

            get_queryset._institution_scoped = True
            get_queryset.__doc__ = own_queryset.__doc__
            cls.get_queryset = get_queryset
        own_filters = cls.__dict__.get("get_list_filter")
        if own_filters is not None and not getattr(own_filters, "_institution_scoped", False):

            def get_list_filter(self, request, _own=own_filters):
                return self._scoped_filters(_own(self, request))

            get_list_filter._institution_scoped = True
            cls.get_list_filter = get_list_filter

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.filter(institution_condition(request.user, self.institution_field))

    def get_list_filter(self, request):
        return self._scoped_filters(super().get_list_filter(request))

    def _scoped_filters(self, entries):
        filters = []
        for entry in entries:
            if isinstance(entry, str) and "__" not in entry:
                try:
                    related = self.model._meta.get_field(entry).related_model
                except FieldDoesNotExist:  # a name that is not a field: left as it is
                    related = None
                if related is not None and _is_scoped_model(related):
                    entry = (entry, _scoped_related_filter())
            filters.append(entry)
        return filters

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if formfield is not None and hasattr(formfield, "queryset"):
            formfield.queryset = scoped_choices(
                request.user, db_field.related_model, formfield.queryset
            )
        return formfield
