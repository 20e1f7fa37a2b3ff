"""Reading management cards: the admin's lists (the twins of rules.py's
permissions), the cards that lost their owner, and the public tracker."""

import datetime as dt

from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.predicates import is_institution_admin, is_mayor_office, is_official, is_operator
from oasis.i18n import in_page_language

from .models import CardEvent, CardStage, ManagementCard, ProgressReport, ReportStatus


def cards_visible_to(user) -> QuerySet[ManagementCard]:
    """The cards `user` sees in the admin: all for the operator and the
    mayor's office, their own department's for an official, none otherwise.
    The list twin of the permission `tracking.see_card`."""
    queryset = ManagementCard.objects.all()
    if is_operator(user) or is_mayor_office(user):
        return queryset
    if is_official(user):
        return queryset.filter(department_id=user.department_id)
    if is_institution_admin(user):
        return queryset.filter(proposal__institution_id=user.institution_id)
    return queryset.none()


def cards_without_owner() -> QuerySet[ManagementCard]:
    """Open cards nobody can carry (ManagementCard.objects
    .without_usable_owner(): no responsible official, or one deactivated,
    moved or without the role), each with `head_usable` (whether it falls
    to its head or the operators). Oldest first."""
    return (
        ManagementCard.objects.without_usable_owner()
        .with_owner_state()
        .select_related("proposal", "department__head", "responsible_official")
        .order_by("created_at", "id")
    )


LAST_REPORT_AT = Max(
    "progress_reports__submitted_at",
    filter=Q(progress_reports__status=ReportStatus.SUBMITTED),
)


# A card is public while its proposal is (neither hidden nor trashed): the
# tracker, the card page and the card's files all follow this one rule.
PUBLIC = Q(proposal__deleted_at__isnull=True, proposal__is_hidden=False)


def public_cards() -> QuerySet[ManagementCard]:
    """Every card (adopted items and department promises), for the public
    tracker, with what its list row shows, its origin included.
    A card whose proposal the operators hid or trashed is left out, like the
    proposal itself."""
    return (
        ManagementCard.objects.filter(PUBLIC)
        .select_related(
            "proposal", "proposal__category", "department", "agenda_item__meeting", "answer"
        )
        .annotate(last_report_at=LAST_REPORT_AT)
        .order_by("-created_at", "-id")
    )


def card_for_detail(pk: int) -> ManagementCard:
    """One card with its decision, department and proposal; raises
    ManagementCard.DoesNotExist, also for a hidden or trashed proposal."""
    return public_cards().get(pk=pk)


def public_history(card) -> QuerySet[CardEvent]:
    """The card's public history, oldest first."""
    return card.events.filter(is_public=True).order_by("created_at", "id")


def submitted_reports(card) -> QuerySet[ProgressReport]:
    """The card's submitted progress reports, in period order (public)."""
    return card.progress_reports.filter(status=ReportStatus.SUBMITTED).order_by("period")


def reports_visible_to(user) -> QuerySet[ProgressReport]:
    """The progress reports `user` sees in the admin: those of the cards
    they see (cards_visible_to)."""
    return ProgressReport.objects.filter(card__in=cards_visible_to(user))


# An open card whose stage has not changed for this long is stalled.
STALLED_AFTER = dt.timedelta(days=183)


def overdue_reports(*, now=None) -> QuerySet[ProgressReport]:
    """Requested reports of open cards whose due date has passed."""
    today = timezone.localdate(now or timezone.now())
    return ProgressReport.objects.filter(status=ReportStatus.REQUESTED, due_date__lt=today).exclude(
        card__stage=CardStage.COMPLETED
    )


def dashboard_by_department(*, now=None) -> list[dict]:
    """The operator's summary, one row per department that keeps cards (and
    one with department None for cards without one), by department name:
    `open` (not completed), `overdue` (overdue reports of open cards),
    `stalled` (open cards whose stage has not changed for six months, counted
    from their opening if it never changed) and `completed`."""
    now = now or timezone.now()
    stalled_before = now - STALLED_AFTER
    rows = (
        ManagementCard.objects.annotate(
            last_stage_change=Coalesce("stage_changed_at", "created_at")
        )
        .values("department_id", "department__name", "department__name_en")
        .annotate(
            open=Count("id", filter=~Q(stage=CardStage.COMPLETED)),
            completed=Count("id", filter=Q(stage=CardStage.COMPLETED)),
            stalled=Count(
                "id",
                filter=~Q(stage=CardStage.COMPLETED) & Q(last_stage_change__lte=stalled_before),
            ),
        )
        .order_by("department__name")
    )
    overdue = dict(
        overdue_reports(now=now)
        .values("card__department_id")
        .annotate(n=Count("id"))
        .values_list("card__department_id", "n")
    )
    return [
        {
            "department_id": row["department_id"],
            "department": in_page_language(
                row["department__name"] or "", row["department__name_en"] or ""
            ),
            "open": row["open"],
            "overdue": overdue.get(row["department_id"], 0),
            "stalled": row["stalled"],
            "completed": row["completed"],
        }
        for row in rows
    ]
