"""Management cards in the admin: the list the adopted-item tracking issue
builds on. Cards are opened only by the meeting's adoption
(tracking.services.management_card_open), so they are never added or deleted
here; officials see their own department's cards, the operator and the
mayor's office all of them."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.selectors import user_is_mayor_office, user_is_official, user_is_operator

from .models import ManagementCard


@admin.register(ManagementCard)
class ManagementCardAdmin(admin.ModelAdmin):
    list_display = [
        "proposal",
        "department",
        "responsible_official",
        "stage",
        "meeting",
        "created_at",
    ]
    list_filter = ["stage", "department"]
    list_select_related = ["proposal", "department", "responsible_official", "agenda_item__meeting"]
    search_fields = ["proposal__title"]
    fields = [
        "proposal_link",
        "meeting",
        "department",
        "responsible_official",
        "stage",
        "conditions",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        user = request.user
        if user_is_operator(user) or user_is_mayor_office(user):
            return queryset
        if user_is_official(user):
            return queryset.filter(department_id=user.department_id)
        return queryset.none()

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("proposal"))
    def proposal_link(self, card):
        return format_html(
            '<a href="{}">#{} {}</a>',
            reverse("admin:proposals_proposal_change", args=[card.proposal_id]),
            card.proposal_id,
            card.proposal.title,
        )

    @admin.display(description=_("meeting"), ordering="agenda_item__meeting__scheduled_at")
    def meeting(self, card):
        return card.agenda_item.meeting.title
