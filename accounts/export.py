"""A member's own data, as JSON (the right to take one's data along)."""

from django.utils import timezone


def _dt(value):
    return value.isoformat() if value else None


def member_data(user) -> dict:
    from debates.selectors import member_debate_data
    from proposals.models import Comment, Proposal, Report

    proposals = Proposal.objects.filter(author=user).select_related("category").prefetch_related("tags")
    return {
        "exported_at": timezone.now().isoformat(),
        "profile": {
            "email": user.email,
            "name": user.display_name,
            "nickname": user.nickname,
            "district": user.district,
            "birth_year": user.birth_year,
            "gender": user.gender,
            "joined": _dt(user.date_joined),
            "last_login": _dt(user.last_login),
            "roles": sorted(user.role_names),
            "department": user.department.name if user.department_id else None,
        },
        "proposals": [
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
                "created": _dt(p.created_at),
                "deleted": _dt(p.deleted_at),
            }
            for p in proposals
        ],
        "endorsements": [
            {
                "proposal": e.proposal_id,
                # Someone else's proposal that operators hid is not repeated here.
                "title": e.proposal.title if e.proposal.is_public else None,
                "created": _dt(e.created_at),
            }
            for e in user.endorsements.select_related("proposal")
        ],
        "comments": [
            {
                "id": c.pk,
                "proposal": c.proposal_id,
                "body": c.body,
                "created": _dt(c.created_at),
                "deleted": _dt(c.deleted_at),
            }
            for c in Comment.objects.filter(author=user)
        ],
        "debates": member_debate_data(user),
        "notifications": [
            {"kind": n.kind, "title": n.title, "created": _dt(n.created_at), "read": _dt(n.read_at)}
            for n in user.notifications.all()
        ],
        "reports": [
            {"proposal": r.proposal_id, "comment": r.comment_id, "reason": r.reason, "created": _dt(r.created_at)}
            for r in Report.objects.filter(reporter=user)
        ],
    }
