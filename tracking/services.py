"""Changes to management cards. For now only their opening; stage changes,
handoffs and progress reports come with the adopted-item tracking issue."""

from django.db import transaction

from notifications.services import department_officials, notify

from .models import ManagementCard


def management_card_open(*, agenda_item) -> ManagementCard:
    """Open the management card of a proposal the realization meeting has just
    adopted: its department (the proposal's, else its category's default),
    the meeting's conditions, stage `review`. Called by
    meetings.services.agenda_item_decide inside its transaction. Exactly one
    card per proposal: calling again returns the existing card unchanged.
    The department's officials are told (`card_opened`) after commit."""
    proposal = agenda_item.proposal
    department = proposal.department or proposal.category.default_department
    with transaction.atomic():
        card, created = ManagementCard.objects.get_or_create(
            proposal=proposal,
            defaults={
                "agenda_item": agenda_item,
                "department": department,
                "conditions": agenda_item.conditions,
            },
        )
        if created and department is not None:
            notify(
                recipients=department_officials(department),
                kind="card_opened",
                key=f"card_opened:{card.pk}",
                proposal=proposal,
                params={"department": department.name},
            )
    return card
