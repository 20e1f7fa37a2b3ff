"""Cards that follow people (issue 12): when a responsible official moves,
is deactivated or loses the official role (accounts.signals.staff_left_post,
connected in apps.py), their open cards are flagged at once, in the same
transaction.

We keep `responsible_official` and flag rather than clear it: the card page
and its history keep saying who carried the card and when they left (an
internal `owner_left` row naming them), and "without owner" is one
definition read from the state itself (ManagementCard.objects
.without_usable_owner()), so nothing can drift out of step with a flag
column. Until someone is named the work falls to the department's usable
head, else the operators (accounts.selectors.work_fallback): they get the
open report requests and the reminders (services/reports.py)."""

from itertools import groupby

from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from accounts.roles import Role
from accounts.selectors import operators, usable_head, work_fallback

from . import notices, timeline_texts
from .models import CardEvent, CardEventKind, ManagementCard, ProgressReport, ReportStatus


def flag_cards_of_leaver(
    sender, *, member, actor, reason, old_department_id, role="", now=None, **kwargs
) -> None:
    """staff_left_post's receiver: every open card `member` carries and can
    no longer carry gets an internal `owner_left` history row; its open
    report requests go to the fallback (same notice key: once each); the
    head and the operators are told once per department (`cards_owner_left`)."""
    if role and role != Role.OFFICIAL:
        return  # an expert role: experts hold no cards
    cards = [
        card
        for card in ManagementCard.objects.without_usable_owner()
        .filter(responsible_official=member)
        .select_related("proposal", "department__head")
        .order_by("department_id", "id")
        if not _flagged_already(card, member)
    ]
    for department_id, group in groupby(cards, key=lambda card: card.department_id):
        group = list(group)
        department = group[0].department
        fallback = work_fallback(department)
        code = "head" if usable_head(department) is not None else "operators"
        for card in group:
            CardEvent.objects.create(
                card=card,
                kind=CardEventKind.OWNER_LEFT,
                actor=actor,
                from_official=member,
                params={"text": timeline_texts.OWNER_LEFT, "reason": reason, "fallback": code},
                is_public=False,
            )
            for report in ProgressReport.objects.filter(card=card, status=ReportStatus.REQUESTED):
                report.card = card
                notices.tell_report_requested(report=report, recipients=fallback)
        stamp = (now.isoformat() if now else "") + f":{department_id}"
        notices.tell_cards_owner_left(
            department=department,
            member=member,
            reason=reason,
            count=len(group),
            key=f"cards_owner_left:{member.pk}:{stamp}",
        )
    _resend_what_fell_to_the_head(kwargs.get("headed_department_ids") or ())


def _resend_what_fell_to_the_head(department_ids) -> None:
    """A head who leaves was the fallback of their department's cards
    without an owner: the open report requests of those cards had gone to
    them alone. They go to the new fallback (the operators, the department
    being headless now) at once, not only with the reminder days later.
    Found by the year simulation (tests/simulation): an official left, the
    head who took their requests left the next day, and both requests were
    out to two people who could no longer act."""
    if not department_ids:
        return
    reports = (
        ProgressReport.objects.filter(
            status=ReportStatus.REQUESTED,
            card__department_id__in=department_ids,
            card__in=ManagementCard.objects.without_usable_owner().values("pk"),
        )
        .select_related("card__proposal", "card__department__head")
        .order_by("card__department_id", "id")
    )
    for report in reports:
        notices.tell_report_requested(
            report=report, recipients=work_fallback(report.card.department)
        )


def _flagged_already(card, member) -> bool:
    """The card already says `member` left it (the signal sent again, or a
    second change while they were away): no second row, no second notice."""
    last_handoff = (
        card.events.filter(kind=CardEventKind.HANDOFF).order_by("-id").values_list("id", flat=True)
    ).first() or 0
    return card.events.filter(
        kind=CardEventKind.OWNER_LEFT, from_official=member, id__gt=last_handoff
    ).exists()


def unowned_cards() -> int:
    """Open cards with neither a usable owner nor a named fallback: must be 0.
    Two ways to get there: the owner left and nothing noticed (no
    `owner_left` row for them since the card was last handed on: a change
    made around the services, or a new path that forgot the signal), or
    nobody is left to fall to (no usable head, no active operator). Counting
    only the second would read 0 whenever any operator exists."""
    return _unowned().count()


def unowned_reports() -> int:
    """Requested reports of such cards (they reach nobody, or nobody knows)."""
    return ProgressReport.objects.filter(
        status=ReportStatus.REQUESTED, card__in=_unowned().values("pk")
    ).count()


def _unowned():
    without = ManagementCard.objects.without_usable_owner()
    unnoticed = (
        without.filter(responsible_official__isnull=False)
        .annotate(
            last_handoff=Subquery(
                CardEvent.objects.filter(card=OuterRef("pk"), kind=CardEventKind.HANDOFF)
                .order_by("-id")
                .values("id")[:1]
            ),
            last_left=Subquery(
                CardEvent.objects.filter(
                    card=OuterRef("pk"),
                    kind=CardEventKind.OWNER_LEFT,
                    from_official=OuterRef("responsible_official"),
                )
                .order_by("-id")
                .values("id")[:1]
            ),
        )
        .filter(Q(last_left__isnull=True) | Q(last_left__lt=Coalesce("last_handoff", 0)))
    )
    if operators().exists():
        return unnoticed
    nobody_to_fall_to = (
        ManagementCard.objects.with_owner_state()
        .filter(pk__in=without.values("pk"))
        .filter(head_usable=False)
    )
    return ManagementCard.objects.filter(
        Q(pk__in=unnoticed.values("pk")) | Q(pk__in=nobody_to_fall_to.values("pk"))
    )
