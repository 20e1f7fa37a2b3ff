"""A member's proposals, endorsements, comments and reports, for the export
of their own data (accounts/export.py; registered in apps.py)."""

from accounts.export import iso

from .models import Comment, Proposal, Report


def member_proposals(user) -> list[dict]:
    proposals = (
        Proposal.objects.filter(author=user).select_related("category").prefetch_related("tags")
    )
    return [
        {
            "id": p.pk,
            "title": p.title,
            "body": p.body,
            "category": p.category.name,
            "district": p.district,
            "tags": [t.name for t in p.tags.all()],
            "status": p.status,
            "endorsements": p.endorsement_count,
            "comments": p.comment_count,
            "views": p.view_count,
            "created": iso(p.created_at),
            "deleted": iso(p.deleted_at),
        }
        for p in proposals
    ]


def member_endorsements(user) -> list[dict]:
    return [
        {
            "proposal": e.proposal_id,
            # Someone else's proposal that operators hid is not repeated here.
            "title": e.proposal.title if e.proposal.is_public else None,
            "created": iso(e.created_at),
        }
        for e in user.endorsements.select_related("proposal")
    ]


def member_comments(user) -> list[dict]:
    return [
        {
            "id": c.pk,
            "proposal": c.proposal_id,
            "body": c.body,
            "created": iso(c.created_at),
            "deleted": iso(c.deleted_at),
        }
        for c in Comment.objects.filter(author=user)
    ]


def member_reports(user) -> list[dict]:
    return [
        {
            "proposal": r.proposal_id,
            "comment": r.comment_id,
            "reason": r.reason,
            "created": iso(r.created_at),
        }
        for r in Report.objects.filter(reporter=user)
    ]
