"""Reads for the panel's pages: each selector does its own joins, so pages
run a fixed number of queries whatever the number of rows."""

from django.db.models import Avg, Count, Exists, OuterRef, Prefetch, QuerySet

from proposals.models import Proposal

from .models import PanelApplication, PanelRating
from .rules import RATEABLE_STATUSES


def latest_application(member) -> PanelApplication | None:
    """The member's most recent application (what /panel/ tells them about)."""
    if not (member and member.is_authenticated):
        return None
    return PanelApplication.objects.filter(member=member).order_by("-created_at", "-pk").first()


def panel_averages(proposal: Proposal) -> dict | None:
    """The panel's mean score per criterion and how many rated, in one
    aggregate query; None (and no query) while nobody has rated, which the
    proposal's own count says."""
    if not proposal.panel_rating_count:
        return None
    return PanelRating.objects.filter(proposal=proposal).aggregate(
        count=Count("pk"),
        creativity=Avg("creativity"),
        public_value=Avg("public_value"),
        feasibility=Avg("feasibility"),
    )


def rating_of(proposal: Proposal, member) -> PanelRating | None:
    """`member`'s rating of `proposal`, if they gave one."""
    if not (member and member.is_authenticated):
        return None
    return PanelRating.objects.filter(proposal=proposal, member=member).first()


def proposals_to_rate(member) -> QuerySet[Proposal]:
    """Public proposals open for the panel's rating that `member` did not
    write and has not rated, newest first, with what a list row shows. The
    same rule as panel.rules.rating_refusal, as a query."""
    return (
        Proposal.objects.public()
        .filter(status__in=RATEABLE_STATUSES)
        .exclude(author=member)
        .exclude(Exists(PanelRating.objects.filter(proposal=OuterRef("pk"), member=member)))
        .select_related("category", "author")
        .prefetch_related("tags", Prefetch("photos", to_attr="photo_list"))
        .order_by("-created_at", "-pk")
    )


def member_panel_data(user) -> dict:
    """The member's part of their data export: applications and ratings."""
    return {
        "applications": [
            {
                "applied_at": application.created_at.isoformat(),
                "motivation": application.motivation,
                "status": application.status,
                "decision_note": application.decision_note,
                "decided_at": application.decided_at.isoformat()
                if application.decided_at
                else None,
            }
            for application in PanelApplication.objects.filter(member=user).order_by("created_at")
        ],
        "ratings": [
            {
                "proposal": rating.proposal_id,
                "creativity": rating.creativity,
                "public_value": rating.public_value,
                "feasibility": rating.feasibility,
                "note": rating.note,
                "rated_at": rating.created_at.isoformat(),
            }
            for rating in PanelRating.objects.filter(member=user).order_by("created_at")
        ],
    }
