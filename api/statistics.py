"""/api/v1/statistics/: the figures of /stats/, read from stats.figures only
(the summary tables; nothing here counts proposals). Every answer carries
`as_of`, when the figures were counted (at most ten minutes old), and each
figure links to the list of the proposals it counts, as the pages do."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from stats import figures
from stats.models import STAGE_FIELDS, Dimension
from tracking.models import CardKind, CardStage

from .base import ReaderLanguageMixin, ShortCacheMixin, code_label
from .filter_fields import MAX_YEAR, MIN_YEAR

# The dimensions a breakdown may be asked for (Dimension.ALL is `totals`).
BREAKDOWN_DIMENSIONS = [d for d in Dimension.values if d != Dimension.ALL]


# --- what the reader may ask ------------------------------------------------------------


class YearMonthQuery(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=MIN_YEAR, max_value=MAX_YEAR)
    month = serializers.IntegerField(required=False, min_value=1, max_value=12)

    def validate(self, attrs):
        if "month" in attrs and "year" not in attrs:
            raise serializers.ValidationError({"month": _("A month needs its year.")})
        return attrs


class YearQuery(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=MIN_YEAR, max_value=MAX_YEAR)


class BreakdownQuery(YearMonthQuery):
    dimension = serializers.ChoiceField(choices=BREAKDOWN_DIMENSIONS)


def _query(serializer_class, request) -> dict:
    """The reader's parameters, checked: a bad one is a 400 with its reason."""
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data


YEAR = OpenApiParameter(
    "year", int, description=f"A year ({MIN_YEAR}–{MAX_YEAR}); all years when left out."
)
MONTH = OpenApiParameter("month", int, description="A month (1–12) of `year`.")
LANG = OpenApiParameter("lang", str, enum=["ko", "en"], description="The labels' language.")


# --- what it answers --------------------------------------------------------------------


class CountsSerializer(serializers.Serializer):
    received = serializers.IntegerField()
    answered = serializers.IntegerField()
    debated = serializers.IntegerField()
    on_agenda = serializers.IntegerField()
    adopted = serializers.IntegerField()
    completed = serializers.IntegerField()
    adoption_rate = serializers.FloatField(
        allow_null=True, help_text="Adopted per received, in percent; null when none received."
    )


class ListsSerializer(serializers.Serializer):
    """For each stage, the page listing the proposals its figure counts."""

    received = serializers.URLField()
    answered = serializers.URLField()
    debated = serializers.URLField()
    on_agenda = serializers.URLField()
    adopted = serializers.URLField()
    completed = serializers.URLField()


def _lists(request, filters: dict) -> dict:
    return {
        stage: request.build_absolute_uri(figures.list_url(stage, **filters))
        for stage in STAGE_FIELDS.values()
    }


class RowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    counts = CountsSerializer()
    lists = serializers.SerializerMethodField()

    def get_lists(self, row) -> ListsSerializer:
        return _lists(self.context["request"], row.filters)


def _rows(request, rows, extra: dict) -> dict:
    return {
        "as_of": _as_of(),
        **extra,
        "rows": RowSerializer(rows, many=True, context={"request": request}).data,
    }


def _rows_response(name: str, extra_fields: dict):
    return inline_serializer(
        name,
        {
            "as_of": serializers.DateTimeField(allow_null=True),
            **extra_fields,
            "rows": RowSerializer(many=True),
        },
    )


TOTALS = inline_serializer(
    "StatisticsTotals",
    {
        "as_of": serializers.DateTimeField(allow_null=True),
        "year": serializers.IntegerField(allow_null=True),
        "month": serializers.IntegerField(allow_null=True),
        "counts": CountsSerializer(),
        "lists": ListsSerializer(),
    },
)

CODE_LABEL = {"code": serializers.CharField(), "label": serializers.CharField()}

TIMELINESS = inline_serializer(
    "StatisticsTimeliness",
    {
        "as_of": serializers.DateTimeField(allow_null=True),
        "year": serializers.IntegerField(allow_null=True),
        "rows": inline_serializer(
            "DepartmentTimeliness",
            {
                "department": inline_serializer("TimelinessDepartment", CODE_LABEL),
                "answered": serializers.IntegerField(),
                "on_time": serializers.IntegerField(),
                "on_time_share": serializers.FloatField(allow_null=True),
                "median_days": serializers.FloatField(allow_null=True),
                "overdue_now": serializers.IntegerField(),
            },
            many=True,
        ),
    },
)

CARD_PROGRESS = inline_serializer(
    "StatisticsCardProgress",
    {
        "as_of": serializers.DateTimeField(allow_null=True),
        "rows": inline_serializer(
            "CardProgressRow",
            {
                "kind": inline_serializer("CardProgressKind", CODE_LABEL),
                "stage": inline_serializer("CardProgressStage", CODE_LABEL),
                "count": serializers.IntegerField(),
            },
            many=True,
        ),
    },
)


class OneObjectSchema(AutoSchema):
    """The statistics' `list` answers one object (the totals), not a list
    of them, as drf-spectacular would otherwise describe a `list` action."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


class StatisticsViewSet(ReaderLanguageMixin, ShortCacheMixin, viewsets.ViewSet):
    """The statistics of public proposals: how many were received and how
    many reached each stage, by period and by category, district,
    department and theme; departments' answer timeliness; adopted items'
    progress by stage."""

    pagination_class = None
    schema = OneObjectSchema()

    @extend_schema(parameters=[YEAR, MONTH, LANG], responses=TOTALS)
    def list(self, request):
        """Received and reached-each-stage counts of a period (all time by
        default); the same as `totals/`."""
        return self.totals(request)

    @extend_schema(parameters=[YEAR, MONTH, LANG], responses=TOTALS)
    @action(detail=False)
    def totals(self, request):
        """Received and reached-each-stage counts of a year or a month."""
        query = _query(YearMonthQuery, request)
        year, month = query.get("year"), query.get("month")
        filters = {"year": year, "month": month}
        return Response(
            {
                "as_of": _as_of(),
                "year": year,
                "month": month,
                "counts": CountsSerializer(figures.totals(year, month)).data,
                "lists": _lists(request, filters),
            }
        )

    @extend_schema(parameters=[LANG], responses=_rows_response("StatisticsByYear", {}))
    @action(detail=False, url_path="by-year")
    def by_year(self, request):
        """One row a year, oldest first: seed 002's per-year table (received,
        adopted, adoption rate) and the other stages."""
        return Response(_rows(request, figures.by_year(), {}))

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "year", int, description="The year (this year in Seoul when left out)."
            ),
            LANG,
        ],
        responses=_rows_response("StatisticsByMonth", {"year": serializers.IntegerField()}),
    )
    @action(detail=False, url_path="by-month")
    def by_month(self, request):
        """Twelve rows for the year, January first, zeros where nothing came."""
        year = _query(YearQuery, request).get("year") or timezone.localdate().year
        return Response(_rows(request, figures.by_month(year), {"year": year}))

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "dimension",
                str,
                enum=BREAKDOWN_DIMENSIONS,
                required=True,
                description="What the rows are: category, district, department or theme.",
            ),
            YEAR,
            MONTH,
            LANG,
        ],
        responses=_rows_response(
            "StatisticsBreakdown",
            {
                "dimension": serializers.CharField(),
                "year": serializers.IntegerField(allow_null=True),
                "month": serializers.IntegerField(allow_null=True),
            },
        ),
    )
    @action(detail=False)
    def breakdown(self, request):
        """One row per category, district ("" = city-wide), department or
        theme with proposals in the period, most received first."""
        query = _query(BreakdownQuery, request)
        dimension, year, month = query["dimension"], query.get("year"), query.get("month")
        rows = figures.breakdown(dimension, year, month)
        return Response(
            _rows(request, rows, {"dimension": dimension, "year": year, "month": month})
        )

    @extend_schema(parameters=[YEAR, LANG], responses=TIMELINESS)
    @action(detail=False)
    def timeliness(self, request):
        """Each department's answer timeliness: answers, on time and their
        share, median days to answer, answers overdue now."""
        year = _query(YearQuery, request).get("year")
        rows = [
            {
                "department": code_label(row.department, None),
                "answered": row.answered,
                "on_time": row.on_time,
                "on_time_share": row.on_time_share,
                "median_days": row.median_days,
                "overdue_now": row.overdue_now,
            }
            for row in figures.timeliness(year)
        ]
        return Response({"as_of": _as_of(), "year": year, "rows": rows})

    @extend_schema(parameters=[LANG], responses=CARD_PROGRESS)
    @action(detail=False, url_path="card-progress")
    def card_progress(self, request):
        """Adopted items and department promises by stage (counted now)."""
        rows = [
            {
                "kind": code_label(row.kind, CardKind),
                "stage": code_label(row.stage, CardStage),
                "count": row.count,
            }
            for row in figures.card_progress()
        ]
        return Response({"as_of": _as_of(), "rows": rows})


def _as_of():
    moment = figures.as_of()
    return serializers.DateTimeField().to_representation(moment) if moment else None


ROUTES = [("statistics", StatisticsViewSet, "statistics")]
