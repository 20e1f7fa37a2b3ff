"""/api/v1/adopted/: adopted items and department promises as the public
tracker (/adopted/) shows them (tracking.selectors.public_cards: a card
whose proposal is hidden or trashed is left out), with one card's public
history and its submitted progress reports. No official is named: not the
responsible official, not a report's author, not a history row's actor;
internal rows (handoffs, an owner who left) are not public and stay out."""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from accounts.models import Department
from meetings.models import AgendaDecision
from proposals import event_texts
from tracking import selectors
from tracking.models import CardEvent, CardEventKind, CardKind, CardStage, ManagementCard
from tracking.models import ProgressReport as Report

from .base import CodeLabelField, ReadOnlyViewSet
from .filter_fields import YearFilter


class CardFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        choices=CardKind.choices,
        help_text="adopted (by a realization meeting) or promise (a department's answer).",
    )
    stage = django_filters.ChoiceFilter(choices=CardStage.choices)
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.all(),
        to_field_name="code",
        help_text="The responsible department's code.",
    )
    year = YearFilter(field_name="created_at", help_text="The year it was adopted or promised.")

    class Meta:
        model = ManagementCard
        fields = ["kind", "stage", "department", "year"]


class MeetingDecisionSerializer(serializers.Serializer):
    meeting = serializers.IntegerField(source="meeting_id")
    meeting_number = serializers.IntegerField(source="meeting.number")
    decision = CodeLabelField(AgendaDecision)
    decided_at = serializers.DateTimeField()
    reason = serializers.CharField()


class CardSerializer(serializers.ModelSerializer):
    proposal = serializers.IntegerField(source="proposal_id")
    proposal_title = serializers.CharField(source="proposal.title")
    kind = CodeLabelField(CardKind)
    stage = CodeLabelField(CardStage)
    origin = serializers.CharField(help_text="Where the card came from, in words.")
    department = CodeLabelField()
    meeting_decision = MeetingDecisionSerializer(
        source="agenda_item", allow_null=True, help_text="The realization meeting's adoption."
    )
    answer = serializers.IntegerField(
        source="answer_id",
        allow_null=True,
        help_text="The published answer that promised it (see /api/v1/answers/).",
    )
    opened_at = serializers.DateTimeField(source="created_at")
    last_report_at = serializers.DateTimeField(allow_null=True)
    suspended_reason = serializers.SerializerMethodField(
        help_text="Why it is suspended (empty unless it is)."
    )
    url = serializers.SerializerMethodField()

    class Meta:
        model = ManagementCard
        fields = [
            "id",
            "proposal",
            "proposal_title",
            "kind",
            "stage",
            "origin",
            "percent_complete",
            "target_date",
            "planned_budget",
            "spent_budget",
            "conditions",
            "suspended_reason",
            "department",
            "meeting_decision",
            "answer",
            "opened_at",
            "stage_changed_at",
            "last_report_at",
            "url",
        ]

    def get_url(self, card) -> str:
        return self.context["request"].build_absolute_uri(card.get_absolute_url())

    def get_suspended_reason(self, card) -> str:
        # The page shows the reason only while the item is suspended.
        return card.suspended_reason if card.stage == CardStage.SUSPENDED else ""


class HistorySerializer(serializers.ModelSerializer):
    kind = CodeLabelField(CardEventKind)
    from_stage = CodeLabelField(CardStage)
    to_stage = CodeLabelField(CardStage)
    text = serializers.CharField(
        help_text="The system's words in the reader's language, then a person's note as typed."
    )
    at = serializers.DateTimeField(source="created_at")

    class Meta:
        model = CardEvent
        fields = ["kind", "from_stage", "to_stage", "text", "at"]


class ReportSerializer(serializers.ModelSerializer):
    stage = CodeLabelField(CardStage)

    class Meta:
        model = Report
        fields = ["period", "stage", "percent_complete", "done", "next_steps", "submitted_at"]


class CardDetailSerializer(CardSerializer):
    history = serializers.SerializerMethodField()
    reports = serializers.SerializerMethodField(help_text="Submitted progress reports.")

    class Meta(CardSerializer.Meta):
        fields = [*CardSerializer.Meta.fields, "reports", "history"]

    def get_history(self, card) -> HistorySerializer(many=True):
        rows = list(selectors.public_history(card))
        event_texts.prepare(rows)
        return HistorySerializer(rows, many=True).data

    def get_reports(self, card) -> ReportSerializer(many=True):
        return ReportSerializer(selectors.submitted_reports(card), many=True).data


@extend_schema_view(
    list=extend_schema(summary="Adopted items", description="The latest adopted first."),
    retrieve=extend_schema(summary="One adopted item, its reports and history"),
)
class CardViewSet(ReadOnlyViewSet):
    """Adopted items (실현회의 채택) and department promises, as tracked."""

    filterset_class = CardFilter

    def get_queryset(self):
        return selectors.public_cards().select_related("agenda_item__meeting")

    def get_serializer_class(self):
        return CardDetailSerializer if self.action == "retrieve" else CardSerializer


ROUTES = [("adopted", CardViewSet, "adopted")]
