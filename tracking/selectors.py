"""Reading management cards: the admin's lists (the twins of rules.py's
permissions), the cards that lost their owner, and the public tracker."""

from django.db.models import Q, QuerySet

from accounts.selectors import user_is_mayor_office, user_is_official, user_is_operator

from .models import CardEvent, ManagementCard


def cards_visible_to(user) -> QuerySet[ManagementCard]:
    """The cards `user` sees in the admin: all for the operator and the
    mayor's office, their own department's for an official, none otherwise.
    The list twin of rules.can_see_card_in_admin."""
    queryset = ManagementCard.objects.all()
    if user_is_operator(user) or user_is_mayor_office(user):
        return queryset
    if user_is_official(user):
        return queryset.filter(department_id=user.department_id)
    return queryset.none()


def cards_changeable_by(user) -> QuerySet[ManagementCard]:
    """The list twin of rules.can_change_card."""
    queryset = ManagementCard.objects.all()
    if user_is_operator(user):
        return queryset
    if user_is_official(user):
        return queryset.filter(department_id=user.department_id)
    return queryset.none()


OWNERLESS = Q(responsible_official__isnull=True) | Q(responsible_official__is_active=False)


def cards_without_owner() -> QuerySet[ManagementCard]:
    """Open cards (not completed) whose responsible official is missing or
    deactivated: nobody carries them, so the operator must hand them over.
    Oldest first."""
    return (
        ManagementCard.objects.filter(OWNERLESS)
        .exclude(stage="completed")
        .select_related("proposal", "department", "responsible_official")
        .order_by("created_at", "id")
    )


def public_cards() -> QuerySet[ManagementCard]:
    """Every card, for the public tracker, with what its list row shows.
    A card whose proposal the operators hid or trashed is left out, like the
    proposal itself."""
    return (
        ManagementCard.objects.filter(proposal__deleted_at__isnull=True, proposal__is_hidden=False)
        .select_related("proposal", "proposal__category", "department", "agenda_item__meeting")
        .order_by("-created_at", "-id")
    )


def card_for_detail(pk: int) -> ManagementCard:
    """One card with its decision, department and proposal; raises
    ManagementCard.DoesNotExist, also for a hidden or trashed proposal."""
    return (
        ManagementCard.objects.filter(proposal__deleted_at__isnull=True, proposal__is_hidden=False)
        .select_related("proposal", "proposal__category", "department", "agenda_item__meeting")
        .get(pk=pk)
    )


def public_history(card) -> QuerySet[CardEvent]:
    """The card's public history, oldest first."""
    return card.events.filter(is_public=True).order_by("created_at", "id")
