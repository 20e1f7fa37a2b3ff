"""/api/v1/debates/: the debates the public debate pages show (their
proposal neither hidden nor trashed), with the stance counts and, once an
operator has published them, the results (토론결과). Arguments are left out:
they are people's words tied to their accounts; nobody is named."""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from debates import selectors
from debates.models import Debate, DebateStatus

from .addressee import InstitutionFilter, InstitutionSerializer
from .base import CodeLabelField, ReadOnlyViewSet
from .filter_fields import IdFilter


class DebateFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=DebateStatus.choices, help_text="open or closed; both when left out."
    )
    proposal = IdFilter(field_name="proposal_id", help_text="The debated proposal's id.")
    institution = InstitutionFilter(field_name="proposal__institution")

    class Meta:
        model = Debate
        fields = ["status", "proposal", "institution"]


class StancesSerializer(serializers.Serializer):
    """Members' stances: each counted once, changeable until the end."""

    for_ = serializers.IntegerField(source="for_count")
    against = serializers.IntegerField(source="against_count")
    undecided = serializers.IntegerField(source="undecided_count")
    total = serializers.IntegerField(source="stance_total")

    def get_fields(self):
        fields = super().get_fields()
        fields["for"] = fields.pop("for_")
        return fields


class DebateSerializer(serializers.ModelSerializer):
    proposal = serializers.IntegerField(source="proposal_id")
    proposal_title = serializers.CharField(source="proposal.title")
    institution = InstitutionSerializer(
        source="proposal.institution",
        read_only=True,
        allow_null=True,
        help_text="The partner institution its proposal is addressed to.",
    )
    status = CodeLabelField(DebateStatus)
    stances = StancesSerializer(source="*")
    results = serializers.SerializerMethodField(
        help_text="The published results (토론결과); null until an operator publishes them."
    )
    results_published_at = serializers.DateTimeField(source="summary_published_at", allow_null=True)
    url = serializers.SerializerMethodField(help_text="The debate on the proposal's page.")

    class Meta:
        model = Debate
        fields = [
            "id",
            "proposal",
            "proposal_title",
            "institution",
            "status",
            "starts_at",
            "ends_at",
            "closed_at",
            "stances",
            "results",
            "results_published_at",
            "url",
        ]

    def get_results(self, debate) -> str | None:
        return debate.summary if debate.has_summary else None

    def get_url(self, debate) -> str:
        return self.context["request"].build_absolute_uri(
            f"{debate.proposal.get_absolute_url()}#debate"
        )


@extend_schema_view(
    list=extend_schema(
        summary="Debates",
        description="Open debates first, ending soonest first, then closed ones, latest first.",
    ),
    retrieve=extend_schema(summary="One debate"),
)
class DebateViewSet(ReadOnlyViewSet):
    """Debates (상상토론) on public proposals, with their stance counts."""

    serializer_class = DebateSerializer
    filterset_class = DebateFilter

    def get_queryset(self):
        # The public list's own selector: visible debates in its order.
        return selectors.debate_list()


ROUTES = [("debates", DebateViewSet, "debates")]
