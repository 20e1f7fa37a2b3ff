"""The operator's dashboard of adopted items: per department, how many
cards are open, overdue, stalled and completed, the overdue progress
reports, and the cards nobody carries; and the warning the card list gives about those. Registered in
admin.py (ManagementCardAdmin.get_urls, changelist_view)."""

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext

from accounts.ownership import unowned_total

from . import rules as card_rules
from . import selectors
from .card_flags import falls_to_text, owner_left_text


def dashboard_view(modeladmin, request):
    """The operator's summary per department, and the cards nobody carries."""
    if not rules.has_perm("tracking.see_dashboard", request.user):
        raise PermissionDenied
    rows = selectors.dashboard_by_department()
    totals = {
        key: sum(row[key] for row in rows) for key in ("open", "overdue", "stalled", "completed")
    }
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": gettext("Adopted items by department"),
        "opts": modeladmin.model._meta,
        "rows": rows,
        "totals": totals,
        "ownerless": [
            (card, f"{owner_left_text(card)} · {falls_to_text(card)}")
            for card in selectors.cards_without_owner()
        ],
        # The one number of accounts.ownership: work with neither an owner
        # nor a named fallback. Must be 0.
        "unowned_total": sum(unowned_total().values()),
        # Flagged in the table and listed: the reports the schedule asked
        # for and nobody has written past their due date.
        "overdue": selectors.overdue_reports()
        .select_related("card__proposal", "card__department", "card__responsible_official")
        .order_by("due_date", "id"),
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(request, "tracking/admin/dashboard.html", context)


def warn_of_ownerless_cards(request) -> None:
    """On the card list, tell who may hand cards over how many of the cards
    they see nobody can carry (without_usable_owner)."""
    if card_rules.hands_off_some_cards(request.user) and request.method == "GET":
        ownerless = (
            selectors.cards_without_owner()
            .filter(pk__in=selectors.cards_visible_to(request.user).values("pk"))
            .count()
        )
        if ownerless:
            messages.warning(
                request,
                ngettext(
                    "%(count)d open card has no responsible official who can carry it. Please hand it over.",
                    "%(count)d open cards have no responsible official who can carry them. Please hand them over.",
                    ownerless,
                )
                % {"count": ownerless},
            )
