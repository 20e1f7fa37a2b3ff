"""/api/v1/answers/: the departments' published answers (drafts, answers
waiting for approval, returned amendments and who wrote or approved them
never leave), each with the amendments the operators approved."""

import django_filters
from django.db.models import Prefetch
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers

from accounts.models import Department
from answers.models import (
    AMENDABLE_FIELDS,
    AmendmentStatus,
    Answer,
    AnswerAmendment,
    AnswerDecision,
    AnswerStatus,
    RefusalBasisKind,
)

from .base import CodeLabelField, ReadOnlyViewSet


class AnswerFilter(django_filters.FilterSet):
    proposal = django_filters.NumberFilter(
        field_name="assignment__proposal_id", min_value=1, max_value=2**31 - 1
    )
    department = django_filters.ModelChoiceFilter(
        field_name="assignment__department",
        queryset=Department.objects.all(),
        to_field_name="code",
        help_text="A department code.",
    )
    decision = django_filters.ChoiceFilter(choices=AnswerDecision.choices)
    met_deadline = django_filters.BooleanFilter(help_text="Published by its deadline or not.")

    class Meta:
        model = Answer
        fields = []


class AmendmentSerializer(serializers.ModelSerializer):
    changed = serializers.ListField(
        child=serializers.ChoiceField(choices=AMENDABLE_FIELDS),
        help_text="The parts of the answer this amendment changed.",
    )
    reason = serializers.CharField(help_text="The department's reason, as typed.")
    approved_at = serializers.DateTimeField(source="decided_at")
    previous_decision = CodeLabelField(choices=AnswerDecision, source="previous.decision")

    class Meta:
        model = AnswerAmendment
        fields = ["changed", "reason", "approved_at", "previous_decision"]


class AnswerSerializer(serializers.ModelSerializer):
    proposal = serializers.SerializerMethodField()
    department = CodeLabelField(source="assignment.department")
    decision = CodeLabelField(choices=AnswerDecision)
    refusal_basis_kind = CodeLabelField(choices=RefusalBasisKind)
    amendments = AmendmentSerializer(source="approved_amendments", many=True)

    class Meta:
        model = Answer
        fields = [
            "id",
            "proposal",
            "department",
            "decision",
            "summary",
            "necessity",
            "effectiveness",
            "feasibility",
            "refusal_basis_kind",
            "refusal_basis",
            "estimated_budget",
            "published_at",
            "amended_at",
            "met_deadline",
            "amendments",
        ]
        extra_kwargs = {
            "estimated_budget": {"help_text": "Estimated budget in won, if given."},
            "met_deadline": {"help_text": "Whether it was published by its deadline."},
        }

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "url": {"type": "string", "format": "uri"},
            },
            "required": ["id", "url"],
        }
    )
    def get_proposal(self, answer):
        request = self.context.get("request")
        pk = answer.assignment.proposal_id
        path = reverse("v1:proposal-detail", args=[pk])
        return {"id": pk, "url": request.build_absolute_uri(path) if request else path}


def answer_queryset():
    return (
        Answer.objects.filter(
            status=AnswerStatus.PUBLISHED,
            assignment__proposal__deleted_at__isnull=True,
            assignment__proposal__is_hidden=False,
        )
        .select_related("assignment__department")
        .prefetch_related(
            Prefetch(
                "amendments",
                queryset=AnswerAmendment.objects.filter(status=AmendmentStatus.APPROVED).order_by(
                    "decided_at", "id"
                ),
                to_attr="approved_amendments",
            )
        )
        .order_by("-published_at", "-id")
    )


@extend_schema_view(
    list=extend_schema(
        summary="Published department answers",
        description="Newest first. Only answers to public proposals.",
    ),
    retrieve=extend_schema(summary="One published answer"),
)
class AnswerViewSet(ReadOnlyViewSet):
    serializer_class = AnswerSerializer
    filterset_class = AnswerFilter

    def get_queryset(self):
        return answer_queryset()


ROUTES = [("answers", AnswerViewSet, "answer")]
