"""The demo's mileage: every demo citizen's ledger drawn from what they did in
the demo (signing up, proposals, comments, endorsements given and received,
debate arguments, adopted proposals), dated when they did it, so the rankings
of this month and of earlier months, the grades beside names and each
member's /me/mileage/ read true.

A few members carried points over from the portal Oasis replaced (one
adjustment each, dated the day they joined), so every grade shows: 김서울
(citizen@) is 나무 (by their own proposals), 최누리 (panel@) 숲, and among the
generated members one reaches 오아시스 and two 숲; the others are 씨앗, 새싹 or
나무 by what they did.

Written in bulk (a few queries whatever the size), keyed "demo:…" so a second
run writes nothing twice; then each demo member's balance, grade and monthly
totals are set from their whole ledger, so they add up whatever else wrote
entries. The amounts and caps (MileageRule) are the demo's own, so the
grades come out the same whatever defaults the rules were created with."""

from collections import defaultdict
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Sum
from django.utils import timezone

from accounts.grades import Grade
from accounts.models import User
from accounts.participation import Action
from debates.models import Argument
from mileage.models import MemberMonth, MileageEntry, MileageRule, MileageSettings
from proposals.models import Comment, Endorsement, Proposal, ProposalStatus

from .members import DEMO_EMAIL_DOMAIN, DEMO_LOGINS

# (points, daily cap) of each action in the demo, as its operators set them:
# small amounts, so most members are 새싹 after a year of use, a few are
# still 씨앗 and the busiest proposers reach 나무.
DEMO_RULES = {
    Action.SIGNUP: (10, 0),
    Action.PROPOSE: (20, 60),
    Action.COMMENT: (3, 15),
    Action.ENDORSE: (1, 5),
    Action.ENDORSED: (1, 30),
    Action.ANSWERED: (20, 0),
    Action.DEBATED: (50, 0),
    Action.DEBATE_ARGUMENT: (5, 20),
    Action.MEETING: (100, 0),
    Action.ADOPTED: (300, 0),
    Action.RATE_ANSWER: (3, 15),
    Action.PANEL_RATING: (10, 50),
    Action.ADJUSTMENT: (0, 0),
}

CARRIED_OVER = "이전 천만상상 오아시스에서 옮겨 온 마일리지"

# Whose carried-over points lift them to a grade, and how far into it:
# the fixed logins by e-mail name, then generated members by their place
# in the e-mail order.
LOGIN_TARGETS = {"citizen": (Grade.TREE, 180), "panel": (Grade.FOREST, 640)}
GENERATED_TARGETS = [(Grade.OASIS, 2450), (Grade.FOREST, 310), (Grade.FOREST, 75)]


def seed_mileage(*, now: datetime, since: datetime | None = None) -> int:
    """Write the demo ledger and set the demo members' balances, grades and
    monthly totals from it. Entries mileage's own services wrote from
    `since` (when the loading began) are dated when what they came from
    happened, as the demo dates everything else. Returns how many entries
    were added."""
    _set_rules(now)
    settings = MileageSettings.load()
    if settings.updated_at >= now - timedelta(minutes=1):
        # Loaded first here: dated with the rules, not the loading.
        MileageSettings.objects.filter(pk=settings.pk).update(updated_at=now - timedelta(days=400))
    starts = [0, *settings.thresholds()]
    members = list(
        User.objects.filter(
            email__endswith="@" + DEMO_EMAIL_DOMAIN,
            is_staff=False,
            is_active=True,
            withdrawn_at__isnull=True,
        ).order_by("email")
    )
    if not members:
        return 0
    if since is not None:
        _date_what_the_services_wrote(since)
    points = dict(MileageRule.objects.values_list("action", "points"))
    caps = dict(MileageRule.objects.values_list("action", "daily_cap"))
    planned = _earned(members, points)
    planned = _not_yet_credited(planned)
    entries = _capped(planned, caps, now)
    added = _write(entries)
    added += _write(_carried_over(members, starts, now))
    _settle(members, starts)
    return added


def _set_rules(now: datetime) -> None:
    """The demo's amounts and caps, set before its story begins (not on the
    day it was loaded). Entries already written keep the points they had."""
    have = set(MileageRule.objects.values_list("action", flat=True))
    MileageRule.objects.bulk_create(
        MileageRule(action=action) for action in sorted(set(DEMO_RULES) - have)
    )
    for action, (points, cap) in DEMO_RULES.items():
        MileageRule.objects.filter(action=action).update(
            points=points, daily_cap=cap, updated_at=now - timedelta(days=400)
        )


def _earned(members, points) -> list[MileageEntry]:
    """One entry per thing each member did, in time order, keyed by what it
    came from. A few queries, one per kind of source."""
    ids = {m.pk for m in members}
    types = ContentType.objects.get_for_models(User, Proposal, Comment, Endorsement, Argument)
    out = []

    def entry(action, member_id, source, model, when, proposal_id=None):
        if points.get(action, 0) <= 0 or when is None:
            return
        out.append(
            MileageEntry(
                member_id=member_id,
                points=points[action],
                action=action,
                source_type=types[model],
                source_id=source,
                proposal_id=proposal_id,
                key=f"demo:{action}:{member_id}:{types[model].pk}:{source}",
                created_at=when,
            )
        )

    for member in members:
        entry(Action.SIGNUP, member.pk, member.pk, User, member.date_joined)
    shown = Proposal.objects.public().filter(author_id__in=ids)
    for pk, author_id, created_at, status, updated_at in shown.values_list(
        "pk", "author_id", "created_at", "status", "updated_at"
    ):
        entry(Action.PROPOSE, author_id, pk, Proposal, created_at, pk)
        if status == ProposalStatus.ADOPTED:
            entry(Action.ADOPTED, author_id, pk, Proposal, updated_at, pk)
    for pk, author_id, created_at, proposal_id in (
        Comment.objects.not_deleted()
        .filter(author_id__in=ids, proposal__deleted_at__isnull=True, proposal__is_hidden=False)
        .values_list("pk", "author_id", "created_at", "proposal_id")
    ):
        entry(Action.COMMENT, author_id, pk, Comment, created_at, proposal_id)
    for pk, user_id, created_at, proposal_id in (
        Endorsement.objects.filter(proposal__deleted_at__isnull=True, proposal__is_hidden=False)
        .filter(user_id__in=ids)
        .values_list("pk", "user_id", "created_at", "proposal_id")
    ):
        entry(Action.ENDORSE, user_id, pk, Endorsement, created_at, proposal_id)
    for pk, author_id, created_at, proposal_id in Endorsement.objects.filter(
        proposal__in=shown
    ).values_list("pk", "proposal__author_id", "created_at", "proposal_id"):
        entry(Action.ENDORSED, author_id, pk, Endorsement, created_at, proposal_id)
    for pk, author_id, created_at, proposal_id in (
        Argument.objects.not_deleted()
        .filter(author_id__in=ids)
        .values_list("pk", "author_id", "created_at", "debate__proposal_id")
    ):
        entry(Action.DEBATE_ARGUMENT, author_id, pk, Argument, created_at, proposal_id)
    out.sort(key=lambda e: (e.created_at, e.key))
    return out


def _not_yet_credited(planned) -> list[MileageEntry]:
    """Leave out what mileage's own services already credited while the demo
    ran them (the participation signal): one query, nothing left out when
    they wrote nothing."""
    members = {e.member_id for e in planned}
    credited = set(
        MileageEntry.objects.filter(member_id__in=members)
        .exclude(key__startswith="demo:")
        .values_list("action", "member_id", "source_type_id", "source_id")
    )
    return [
        e for e in planned if (e.action, e.member_id, e.source_type_id, e.source_id) not in credited
    ]


# The moment a source happened, by the first of these fields it has that is
# set: an answer when published, a meeting's item when decided (else when
# put on the agenda), a debate when it opened, a member when they joined.
MOMENT_FIELDS = ("published_at", "decided_at", "starts_at", "created_at", "date_joined")


def _date_what_the_services_wrote(since: datetime) -> None:
    """Entries the services stamped while the demo ran (at or after `since`)
    take the moment of what they came from, which the demo has moved back to
    its story's day. A query per kind of source and one update."""
    by_type = defaultdict(list)
    for entry in MileageEntry.objects.filter(created_at__gte=since).exclude(
        key__startswith="demo:"
    ):
        by_type[entry.source_type_id].append(entry)
    moved = []
    for type_id, entries in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        names = {f.name for f in model._meta.concrete_fields} if model else set()
        fields = [f for f in MOMENT_FIELDS if f in names]
        if not fields:
            continue
        moments = {
            pk: next((at for at in times if at is not None), None)
            for pk, *times in model._base_manager.filter(
                pk__in={e.source_id for e in entries}
            ).values_list("pk", *fields)
        }
        for entry in entries:
            at = moments.get(entry.source_id)
            if at is not None and at < since:
                entry.created_at = at
                moved.append(entry)
    MileageEntry.objects.bulk_update(moved, ["created_at"], batch_size=1000)


def _capped(entries, caps, now) -> list[MileageEntry]:
    """Keep each action within its daily cap (Seoul days), as the ledger
    does: what would pass the cap earns nothing (no entry)."""
    earned = defaultdict(int)
    kept = []
    for e in entries:
        if e.created_at > now:
            continue
        cap = caps.get(e.action, 0)
        day = (e.member_id, e.action, timezone.localdate(e.created_at))
        if cap and earned[day] + e.points > cap:
            continue
        earned[day] += e.points
        kept.append(e)
    return kept


def _write(entries) -> int:
    """Add the entries not written yet (keys are unique)."""
    existing = set(
        MileageEntry.objects.filter(key__startswith="demo:").values_list("key", flat=True)
    )
    new = [e for e in entries if e.key not in existing]
    MileageEntry.objects.bulk_create(new, batch_size=1000)
    return len(new)


def _carried_over(members, starts, now) -> list[MileageEntry]:
    """The adjustment that lifts each chosen member to their grade."""
    by_name = {m.email.split("@")[0]: m for m in members}
    targets = {
        by_name[name].pk: target for name, target in LOGIN_TARGETS.items() if name in by_name
    }
    generated = [m for m in members if m.email.split("@")[0] not in _login_names()]
    for member, target in zip(generated, GENERATED_TARGETS, strict=False):
        targets[member.pk] = target
    sums = _balances(targets)
    user_type = ContentType.objects.get_for_model(User)
    joined = {m.pk: m.date_joined for m in members}
    out = []
    for member_id, (grade, into) in targets.items():
        wanted = starts[grade] + into
        have = sums.get(member_id, 0)
        if wanted <= have:
            continue
        out.append(
            MileageEntry(
                member_id=member_id,
                points=wanted - have,
                action=Action.ADJUSTMENT,
                source_type=user_type,
                source_id=member_id,
                key=f"demo:carried-over:{member_id}",
                note=CARRIED_OVER,
                created_at=min(joined[member_id], now) - timedelta(minutes=1),
            )
        )
    return out


def _login_names() -> set[str]:
    return {login.email.split("@")[0] for login in DEMO_LOGINS}


def _balances(member_ids) -> dict[int, int]:
    return dict(
        MileageEntry.objects.filter(member_id__in=member_ids)
        .values("member_id")
        .annotate(total=Sum("points"))
        .values_list("member_id", "total")
    )


def _settle(members, starts) -> None:
    """Balance, grade and monthly totals of each demo member (and of anyone
    else the ledger names) from their whole ledger, as mileage's services
    keep them."""
    ids = {m.pk for m in members} | set(
        MileageEntry.objects.values_list("member_id", flat=True).distinct()
    )
    members = list(User.objects.filter(pk__in=ids))
    sums = _balances(ids)
    for member in members:
        member.mileage_balance = sums.get(member.pk, 0)
        member.mileage_grade = max(g for g in Grade if member.mileage_balance >= starts[g])
    User.objects.bulk_update(members, ["mileage_balance", "mileage_grade"], batch_size=500)
    months = defaultdict(int)
    for member_id, points, created_at in MileageEntry.objects.filter(member_id__in=ids).values_list(
        "member_id", "points", "created_at"
    ):
        months[(member_id, timezone.localdate(created_at).replace(day=1))] += points
    MemberMonth.objects.filter(member_id__in=ids).delete()
    MemberMonth.objects.bulk_create(
        [MemberMonth(member_id=m, month=month, points=p) for (m, month), p in months.items()],
        batch_size=1000,
    )
