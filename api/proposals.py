"""/api/v1/proposals/: public proposals (neither hidden nor in the trash),
with their furthest stage and counts, and each one's public timeline.

Filters are the public list's (q, status, category, district, tag,
institution, sort)
plus the statistics' (stage reached at least, year received, department,
theme), so a figure of /stats/ can be fetched as its list. A value that
cannot be used is a 400 naming the parameter, never an empty list that
looks like an answer."""

import django_filters
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404

from accounts.districts import District
from accounts.models import Department
from accounts.roles import Role
from answers.models import AnswerStatus, Assignment
from proposals import event_texts
from proposals.models import (
    MODERATION_REASON_KINDS,
    Category,
    EventKind,
    Proposal,
    ProposalEvent,
    ProposalStatus,
)
from proposals.search import search_proposals
from stats.models import STAGE_FIELDS, Stage
from themes.models import Theme, ThemeStatus

from .addressee import InstitutionFilter, InstitutionSerializer
from .base import CodeLabelField, ReadOnlyViewSet
from .filter_fields import YearFilter

CITY_WIDE = "citywide"
WHOLE_CITY = _("Whole city")
# Stage codes as /stats/ writes them (stats.figures.list_url): "debated".
STAGE_CODES = {code: Stage(stage) for stage, code in STAGE_FIELDS.items()}
SORTS = {
    "new": ("-created_at", "-id"),
    "endorsed": ("-endorsement_count", "-id"),
    "commented": ("-comment_count", "-id"),
    "viewed": ("-view_count", "-id"),
}
SYSTEM_ROLE = "system"


def api_url(request, basename: str, pk) -> str:
    """The API address of another endpoint's row (basenames: api/routes.py's
    modules' ROUTES)."""
    path = reverse(f"v1:{basename}-detail", args=[pk])
    return request.build_absolute_uri(path) if request is not None else path


# Filters -------------------------------------------------------------------


class ProposalFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_text",
        max_length=100,
        help_text="Words that must all occur in the title, body or tags.",
    )
    status = django_filters.ChoiceFilter(choices=ProposalStatus.choices)
    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.all(), to_field_name="code", help_text="A category code."
    )
    district = django_filters.ChoiceFilter(
        choices=[(CITY_WIDE, WHOLE_CITY), *District.choices],
        method="filter_district",
        help_text='A district code, or "citywide" for proposals for the whole city.',
    )
    tag = django_filters.CharFilter(method="filter_tag", max_length=30)
    stage = django_filters.ChoiceFilter(
        choices=[(code, Stage(stage).label) for code, stage in STAGE_CODES.items()],
        method="filter_stage",
        help_text="The furthest stage reached, at least (as /stats/ counts).",
    )
    year = YearFilter(
        field_name="created_at",
        max_value=2999,
        help_text="The year received (Seoul time).",
    )
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.all(), to_field_name="code", help_text="A department code."
    )
    theme = django_filters.ModelChoiceFilter(
        queryset=Theme.objects.exclude(status=ThemeStatus.DRAFT),
        field_name="theme_entry__theme",
        help_text="A theme's id.",
    )
    institution = InstitutionFilter()
    sort = django_filters.ChoiceFilter(
        choices=[(key, key) for key in SORTS],
        method="sort_by",
        help_text="new (default), endorsed, commented or viewed; newest first among equals.",
    )

    class Meta:
        model = Proposal
        fields = []

    def filter_text(self, queryset, name, value):
        return search_proposals(queryset, value)

    def filter_tag(self, queryset, name, value):
        tag = value.strip().lstrip("#")
        return queryset.filter(tags__name=tag) if tag else queryset

    def filter_district(self, queryset, name, value):
        return queryset.filter(district="" if value == CITY_WIDE else value)

    def filter_stage(self, queryset, name, value):
        return queryset.filter(fact__stage__gte=STAGE_CODES[value])

    def sort_by(self, queryset, name, value):
        return queryset.order_by(*SORTS.get(value, SORTS["new"]))

    @property
    def qs(self):
        queryset = super().qs
        if not self.form.cleaned_data.get("sort"):
            queryset = queryset.order_by(*SORTS["new"])
        return queryset


# Serializers -----------------------------------------------------------------


class StageField(CodeLabelField):
    """The furthest stage as /stats/ names it ({"code": "debated", ...})."""

    def to_representation(self, value):
        if value is None:
            return None
        return {"code": STAGE_FIELDS[Stage(value)], "label": str(Stage(value).label)}

    def codes(self):
        return list(STAGE_CODES)


class ThemeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class ProposalLinksSerializer(serializers.Serializer):
    page = serializers.URLField(help_text="The proposal's page on the site.")
    timeline = serializers.URLField()
    answer = serializers.URLField(allow_null=True, help_text="Its published answer, if any.")
    debate = serializers.URLField(allow_null=True)
    card = serializers.URLField(allow_null=True, help_text="Its adopted item's card, if any.")


class ProposalSerializer(serializers.ModelSerializer):
    category = CodeLabelField()
    district = CodeLabelField(choices=District, blank_label=WHOLE_CITY)
    department = CodeLabelField(help_text="The department that answers it, once assigned.")
    status = CodeLabelField(choices=ProposalStatus)
    stage = StageField(
        source="fact.stage", help_text="The furthest stage reached (null until first counted)."
    )
    tags = serializers.SerializerMethodField()
    theme = serializers.SerializerMethodField()
    institution = InstitutionSerializer(
        read_only=True, allow_null=True, help_text="The partner institution it is addressed to."
    )
    links = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = [
            "id",
            "title",
            "body",
            "category",
            "district",
            "tags",
            "department",
            "status",
            "stage",
            "endorsement_count",
            "comment_count",
            "view_count",
            "theme",
            "institution",
            "created_at",
            "withdrawn_at",
            "links",
        ]

    def get_tags(self, proposal) -> list[str]:
        return [tag.name for tag in proposal.tags.all()]

    @extend_schema_field(ThemeSerializer(allow_null=True))
    def get_theme(self, proposal):
        entry = getattr(proposal, "theme_entry", None)
        if entry is None or entry.theme.status == ThemeStatus.DRAFT:
            return None
        return {"id": entry.theme_id, "title": entry.theme.title}

    @extend_schema_field(ProposalLinksSerializer)
    def get_links(self, proposal):
        request = self.context.get("request")
        assignment = next(iter(getattr(proposal, "published_answers", [])), None)
        debate = getattr(proposal, "debate", None)
        card = getattr(proposal, "management_card", None)

        def absolute(path):
            return request.build_absolute_uri(path) if request is not None else path

        return {
            "page": absolute(proposal.get_absolute_url()),
            "timeline": absolute(reverse("v1:proposal-timeline", args=[proposal.pk])),
            "answer": api_url(request, "answer", assignment.answer.pk) if assignment else None,
            "debate": api_url(request, "debates", debate.pk) if debate else None,
            "card": api_url(request, "adopted", card.pk) if card else None,
        }


class TimelineActorSerializer(serializers.Serializer):
    role = CodeLabelField()
    department = CodeLabelField()


class TimelineRowSerializer(serializers.ModelSerializer):
    kind = CodeLabelField(choices=EventKind)
    words = serializers.CharField(
        source="shown_words", help_text="What the system says, in the reader's language."
    )
    reason = serializers.SerializerMethodField(help_text="A person's reason, as typed.")
    from_status = CodeLabelField(choices=ProposalStatus)
    to_status = CodeLabelField(choices=ProposalStatus)
    actor = serializers.SerializerMethodField()

    class Meta:
        model = ProposalEvent
        fields = [
            "id",
            "kind",
            "words",
            "reason",
            "from_status",
            "to_status",
            "actor",
            "created_at",
        ]

    def get_reason(self, row) -> str:
        return "" if row.kind in MODERATION_REASON_KINDS else row.reason

    @extend_schema_field(TimelineActorSerializer)
    def get_actor(self, row):
        code = row.actor_role or SYSTEM_ROLE
        if code == SYSTEM_ROLE:
            role = {"code": SYSTEM_ROLE, "label": str(_("Oasis (automatic)"))}
        else:
            role = CodeLabelField(choices=Role).to_representation(code)
        department = row.actor_department
        return {
            "role": role,
            "department": (
                {"code": department.code, "label": str(department.label)} if department else None
            ),
        }


# The endpoint -----------------------------------------------------------------


def proposal_queryset():
    """Public proposals with everything a row shows, in a fixed number of
    queries per page whatever its size (the page's ids, its rows with their
    joins, their tags, their published answers)."""
    published = (
        Assignment.objects.filter(is_current=True, answer__status=AnswerStatus.PUBLISHED)
        .select_related("answer")
        .only("id", "proposal_id", "answer__id")
    )
    return (
        Proposal.objects.public()
        .select_related(
            "category",
            "department",
            "institution",
            "fact",
            "debate",
            "management_card",
            "theme_entry__theme",
        )
        .prefetch_related(
            "tags", Prefetch("assignments", queryset=published, to_attr="published_answers")
        )
    )


@extend_schema_view(
    list=extend_schema(
        summary="Public proposals",
        description=(
            "Proposals neither hidden nor in the trash, newest first unless `sort` says "
            "otherwise. Filters combine (AND)."
        ),
    ),
    retrieve=extend_schema(summary="One public proposal"),
)
class ProposalViewSet(ReadOnlyViewSet):
    serializer_class = ProposalSerializer
    filterset_class = ProposalFilter

    def get_queryset(self):
        return proposal_queryset()

    @extend_schema(
        summary="A proposal's public timeline",
        description=(
            "Every public step, oldest first: what happened (a code and the system's words in "
            "the reader's language), a person's reason as typed, the status before and after, "
            "and who acted by role and department (never by name)."
        ),
        filters=False,
        responses={200: TimelineRowSerializer(many=True)},
    )
    @action(detail=True, filter_backends=[], serializer_class=TimelineRowSerializer)
    def timeline(self, request, pk=None):
        proposal = get_object_or_404(Proposal.objects.public(), pk=pk)
        rows = (
            ProposalEvent.objects.filter(proposal=proposal, is_public=True)
            .select_related("actor_department")
            .order_by("created_at", "id")
        )
        page = self.paginate_queryset(rows)
        event_texts.prepare(page)
        for row in page:
            row.shown_words = row.words
        return self.get_paginated_response(TimelineRowSerializer(page, many=True).data)


ROUTES = [("proposals", ProposalViewSet, "proposal")]
