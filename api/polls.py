"""/api/v1/polls/: city polls (서울시가 묻습니다) the public sees, published
or closed (polls.rules.PUBLIC_STATUSES; a draft never), and their results
exactly when and as the public results page shows them: read from
polls.results (the counts kept with the votes, never recounted here), with
its rounding and its hiding of small groups in the breakdowns, which come
once voting is over. Ballots, voters and written answers never leave: a
text question gives only how many answered, as the page does. A discussion
poll gives its arguments' and endorsements' counts by side, not the
arguments' words (people's words tied to their accounts)."""

import django_filters
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.functional import cached_property
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from accounts.models import Department
from polls import selectors
from polls.models import Poll, PollKind, PollStatus, QuestionKind, ResultsShown
from polls.results import poll_results, results_public
from polls.rules import PUBLIC_STATUSES

from .addressee import InstitutionFilter, InstitutionSerializer
from .base import CodeLabelField, ReadOnlyViewSet
from .filter_fields import YearFilter


class PollFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=PollKind.choices)
    status = django_filters.ChoiceFilter(
        choices=[(status.value, status.label) for status in PUBLIC_STATUSES],
        help_text="published (open, or about to open) or closed.",
    )
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.all(),
        to_field_name="code",
        help_text="The asking department's code.",
    )
    year = YearFilter(field_name="starts_at", help_text="The year it opened (Seoul time).")
    institution = InstitutionFilter()

    class Meta:
        model = Poll
        fields = ["kind", "status", "department", "year", "institution"]


class PollSerializer(serializers.ModelSerializer):
    kind = CodeLabelField(PollKind)
    status = CodeLabelField(PollStatus)
    department = CodeLabelField(help_text="The department that asks and responds.")
    institution = InstitutionSerializer(
        read_only=True, allow_null=True, help_text="The partner institution that asks."
    )
    results_shown = CodeLabelField(ResultsShown)
    results_public = serializers.SerializerMethodField(
        help_text="Whether the results are public now (see `results` of one poll)."
    )
    response = serializers.SerializerMethodField(
        help_text="The department's response to the result, once published."
    )
    url = serializers.SerializerMethodField()

    class Meta:
        model = Poll
        fields = [
            "id",
            "kind",
            "status",
            "title",
            "summary",
            "background",
            "department",
            "institution",
            "starts_at",
            "ends_at",
            "closed_at",
            "voter_count",
            "results_shown",
            "results_public",
            "response",
            "response_published_at",
            "url",
        ]

    def get_results_public(self, poll) -> bool:
        return results_public(poll, self.context["now"])

    def get_response(self, poll) -> str | None:
        return poll.response if poll.response_published_at else None

    def get_url(self, poll) -> str:
        return self.context["request"].build_absolute_uri(poll.get_absolute_url())


# --- one poll: its questions and results ---------------------------------------------


class ChoiceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()
    code = serializers.CharField(help_text="A yes/no poll's choice: for, against or other.")


class QuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    text = serializers.CharField()
    kind = CodeLabelField(QuestionKind)
    max_choices = serializers.IntegerField()
    choices = serializers.SerializerMethodField()

    def get_choices(self, question) -> ChoiceSerializer(many=True):
        return ChoiceSerializer(question.choices.all(), many=True).data


class ShareSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    percent = serializers.FloatField(help_text="Of the question's answers, to one decimal.")
    percent_label = serializers.CharField(
        source="label", help_text="As the page reads it: “37.5%”, “under 0.1%”, “over 99.9%”."
    )


class ChoiceResultSerializer(ShareSerializer):
    id = serializers.IntegerField()
    label = serializers.CharField()
    code = serializers.CharField()
    count = serializers.IntegerField(source="share.count")
    percent = serializers.FloatField(source="share.percent")
    percent_label = serializers.CharField(source="share.label")


class GroupRowSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The group's code; empty for members who did not say.")
    label = serializers.CharField()
    hidden = serializers.BooleanField(
        help_text="Too small a group to show (with the next smallest): no numbers at all."
    )
    total = serializers.SerializerMethodField()
    cells = serializers.SerializerMethodField(help_text="In the question's choice order.")

    def get_total(self, row) -> int | None:
        return None if row.hidden else row.total

    def get_cells(self, row) -> ShareSerializer(many=True):
        return [] if row.hidden else ShareSerializer(row.cells, many=True).data


class BreakdownSerializer(serializers.Serializer):
    dimension = serializers.CharField(help_text="district or age_band.")
    title = serializers.CharField()
    rows = GroupRowSerializer(many=True)


class QuestionResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    text = serializers.CharField()
    kind = CodeLabelField(QuestionKind)
    answer_count = serializers.IntegerField()
    text_count = serializers.IntegerField(
        allow_null=True, help_text="Written answers given (their words are not published)."
    )
    choices = ChoiceResultSerializer(many=True)
    breakdowns = BreakdownSerializer(
        many=True, help_text="By district and age band, once voting is over."
    )


class SideSerializer(serializers.Serializer):
    side = serializers.CharField(help_text="for, against, or empty for neither side.")
    label = serializers.CharField()
    arguments = serializers.IntegerField()
    endorsements = serializers.IntegerField()


class ResultsSerializer(serializers.Serializer):
    voter_count = serializers.IntegerField()
    min_group = serializers.IntegerField(
        help_text="Groups smaller than this are hidden in the breakdowns."
    )
    questions = QuestionResultSerializer(many=True)
    discussion_sides = serializers.SerializerMethodField()

    def get_discussion_sides(self, results) -> SideSerializer(many=True, allow_null=True):
        if results.discussion is None:
            return None
        return SideSerializer(results.discussion.sides, many=True).data


class PollDetailSerializer(PollSerializer):
    questions = QuestionSerializer(source="question_list", many=True)
    results = serializers.SerializerMethodField(
        help_text="Null until the results are public (`results_public`)."
    )

    class Meta(PollSerializer.Meta):
        fields = [*PollSerializer.Meta.fields, "questions", "results"]

    def get_results(self, poll) -> ResultsSerializer(allow_null=True):
        now = self.context["now"]
        if not results_public(poll, now):
            return None
        # As the public results page shows them to a reader who is not the
        # poll's staff: breakdowns once voting is over, no written answers.
        results = poll_results(poll, user=AnonymousUser(), now=now, texts=False)
        return ResultsSerializer(results).data


@extend_schema_view(
    list=extend_schema(
        summary="City polls",
        description="Open polls first (ending soonest), then those about to open, then closed ones.",
    ),
    retrieve=extend_schema(summary="One city poll, with its results once public"),
)
class PollViewSet(ReadOnlyViewSet):
    """City polls (서울시가 묻습니다) and their results."""

    filterset_class = PollFilter

    def get_queryset(self):
        return selectors.public_polls(now=self.now)

    def get_serializer_class(self):
        return PollDetailSerializer if self.action == "retrieve" else PollSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": self.now}

    def get_object(self):
        poll = super().get_object()
        poll.question_list = selectors.questions_of(poll)
        return poll

    @cached_property
    def now(self):
        # One moment for the whole answer: which group a poll is in and
        # whether its results are public are read at the same time.
        return timezone.now()


ROUTES = [("polls", PollViewSet, "polls")]
