"""/api/v1/meetings/: the realization meetings (실현회의) the public meeting
pages show, each with its agenda in order and what the meeting decided on
each item. What the pages show of people is left out: the attendees (named
by hand), the proposers and the official a meeting named to carry an item;
the department responsible is given by code and name instead.

An item whose proposal the operators hid or trashed is left out here, and
from the counts: the page shows only "hidden proposal" in its place, which
tells a reader of data nothing but a gap."""

import django_filters
from django.db.models import Count, Prefetch, Q
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from meetings.models import AgendaDecision, AgendaItem, RealizationMeeting, RealizationMeetingStatus

from .base import CodeLabelField, ReadOnlyViewSet
from .filter_fields import YearFilter

PUBLIC_ITEM = Q(items__proposal__deleted_at__isnull=True, items__proposal__is_hidden=False)


def public_meetings():
    """Every meeting with its public items' decision counts and its public
    items (proposal, department, the meetings it was held over from and
    to) in agenda order: two queries for a page, however many meetings."""
    items = (
        AgendaItem.objects.filter(proposal__deleted_at__isnull=True, proposal__is_hidden=False)
        .select_related(
            "proposal", "proposal__department", "held_over_from__meeting", "held_over_to__meeting"
        )
        .order_by("position", "id")
    )

    def counted(decision=None):
        condition = PUBLIC_ITEM if decision is None else PUBLIC_ITEM & Q(items__decision=decision)
        return Count("items", filter=condition)

    return (
        RealizationMeeting.objects.annotate(
            item_count=counted(),
            adopted_count=counted(AgendaDecision.ADOPTED),
            held_over_count=counted(AgendaDecision.HELD_OVER),
            not_adopted_count=counted(AgendaDecision.NOT_ADOPTED),
            pending_count=counted(AgendaDecision.PENDING),
        )
        .prefetch_related(Prefetch("items", queryset=items, to_attr="public_items"))
        .order_by("-scheduled_at", "-number")
    )


class MeetingFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=RealizationMeetingStatus.choices, help_text="scheduled or held."
    )
    year = YearFilter(field_name="scheduled_at", help_text="The year of its date (Seoul time).")

    class Meta:
        model = RealizationMeeting
        fields = ["status", "year"]


class AgendaItemSerializer(serializers.ModelSerializer):
    proposal = serializers.IntegerField(source="proposal_id")
    proposal_title = serializers.CharField(source="proposal.title")
    decision = CodeLabelField(AgendaDecision)
    department = CodeLabelField(
        source="proposal.department", help_text="The department responsible for the proposal."
    )
    held_over_from = serializers.SerializerMethodField(
        help_text="The number of the meeting that held this item over to this one."
    )
    held_over_to = serializers.SerializerMethodField(
        help_text="The number of the meeting this item was held over to."
    )

    class Meta:
        model = AgendaItem
        fields = [
            "position",
            "proposal",
            "proposal_title",
            "decision",
            "decided_at",
            "reason",
            "conditions",
            "department",
            "held_over_from",
            "held_over_to",
        ]

    def get_held_over_from(self, item) -> int | None:
        earlier = item.held_over_from
        return earlier.meeting.number if earlier else None

    def get_held_over_to(self, item) -> int | None:
        # A reverse one-to-one: absent raises (an AttributeError), hence getattr.
        later = getattr(item, "held_over_to", None)
        return later.meeting.number if later else None


class OutcomesSerializer(serializers.Serializer):
    items = serializers.IntegerField(source="item_count")
    adopted = serializers.IntegerField(source="adopted_count")
    held_over = serializers.IntegerField(source="held_over_count")
    not_adopted = serializers.IntegerField(source="not_adopted_count")
    pending = serializers.IntegerField(source="pending_count")


class MeetingSerializer(serializers.ModelSerializer):
    title = serializers.CharField(help_text="“제N회 실현회의” in the reader's language.")
    status = CodeLabelField(RealizationMeetingStatus)
    outcomes = OutcomesSerializer(source="*")
    items = AgendaItemSerializer(source="public_items", many=True)
    url = serializers.SerializerMethodField()
    agenda_url = serializers.SerializerMethodField(help_text="The printable agenda.")

    class Meta:
        model = RealizationMeeting
        fields = [
            "id",
            "number",
            "title",
            "scheduled_at",
            "place",
            "status",
            "held_at",
            "outcomes",
            "items",
            "url",
            "agenda_url",
        ]

    def get_url(self, meeting) -> str:
        return self.context["request"].build_absolute_uri(meeting.get_absolute_url())

    def get_agenda_url(self, meeting) -> str:
        return self.context["request"].build_absolute_uri(meeting.get_agenda_url())


@extend_schema_view(
    list=extend_schema(summary="Realization meetings", description="Latest date first."),
    retrieve=extend_schema(summary="One realization meeting"),
)
class MeetingViewSet(ReadOnlyViewSet):
    """Realization meetings (실현회의) with their agendas and decisions."""

    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter

    def get_queryset(self):
        return public_meetings()


ROUTES = [("meetings", MeetingViewSet, "meetings")]
