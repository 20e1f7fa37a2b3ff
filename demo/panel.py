"""The demo's citizen panel (상상누리단): panel@demo.oasis.kr and six generated
members on the panel (approved through the services), one application
waiting on the operators' home, one refused with a note, and ratings on the
most endorsed open proposals, each given through panel_rate so the
proposals' panel scores and counts are exactly those of their ratings.
panel@demo leaves some proposals unrated, so its login finds the rating
form and /panel/to-rate/ has rows. Run by `seed_demo` after the pipeline;
idempotent (nothing happens once the panel has ratings). The texts are in
demo/data/panel.json."""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from panel import services
from panel.models import ApplicationStatus, PanelApplication, PanelRating
from panel.rules import RATEABLE_STATUSES
from proposals.models import Proposal

from .clock import at
from .datafiles import read
from .members import DEMO_EMAIL_DOMAIN, DEMO_SEED, OPERATOR_EMAIL, PANEL_EMAIL, demo_email

# How many of the most endorsed open proposals the panel has rated.
RATED_PROPOSALS = 10
# When the panel was formed, and how long its members took to be approved.
FORMED_DAYS_AGO = 120


@dataclass
class PanelCreated:
    members: int = 0
    ratings: int = 0


def seed_panel(*, now: datetime | None = None) -> PanelCreated:
    """Form the demo's panel and its ratings (see the module's docstring).
    Requires the demo's members and proposals; idempotent."""
    created = PanelCreated()
    if PanelRating.objects.exists():
        return created
    now = now or timezone.now()
    data = read("panel")
    by_email = {
        user.email: user for user in User.objects.filter(email__endswith="@" + DEMO_EMAIL_DOMAIN)
    }
    operator = by_email.get(OPERATOR_EMAIL)
    first = by_email.get(PANEL_EMAIL)
    if operator is None or first is None:
        return created
    formed = now - timedelta(days=FORMED_DAYS_AGO)
    with transaction.atomic():
        members = [first]
        _first_member(first, operator, data["first_motivation"], formed)
        for n, spec in enumerate(data["members"]):
            member = by_email.get(demo_email(spec["email"]))
            if member is None:
                continue
            moment = formed + timedelta(days=7 + 5 * n)
            _join(member, operator, spec["motivation"], moment)
            members.append(member)
        refused = by_email.get(demo_email(data["refused"]["email"]))
        if refused is not None:
            _refuse(refused, operator, data["refused"], formed + timedelta(days=30))
        pending = by_email.get(demo_email(data["pending"]["email"]))
        if pending is not None:
            application = services.panel_apply(
                member=pending, motivation=data["pending"]["motivation"]
            )
            _date(application, now - timedelta(days=2))
        created.members = len(members)
        created.ratings = _ratings(members, data["notes"], now)
    return created


def _date(application: PanelApplication, moment: datetime, decided: datetime | None = None):
    PanelApplication.objects.filter(pk=application.pk).update(
        created_at=moment, **({"decided_at": decided} if decided else {})
    )


def _first_member(member: User, operator: User, motivation: str, moment: datetime) -> None:
    """panel@demo holds the panel role from the demo's logins already; its
    approved application is written as the history the role came from."""
    PanelApplication.objects.create(
        member=member,
        motivation=motivation,
        status=ApplicationStatus.APPROVED,
        decided_by=operator,
        decided_at=moment + timedelta(days=2),
    )
    PanelApplication.objects.filter(member=member).update(created_at=moment)


def _join(member: User, operator: User, motivation: str, moment: datetime) -> None:
    application = services.panel_apply(member=member, motivation=motivation)
    decided = moment + timedelta(days=2)
    with at(decided):
        services.panel_application_approve(application=application, actor=operator)
    _date(application, moment, decided)


def _refuse(member: User, operator: User, spec: dict, moment: datetime) -> None:
    application = services.panel_apply(member=member, motivation=spec["motivation"])
    decided = moment + timedelta(days=3)
    with at(decided):
        services.panel_application_refuse(
            application=application, actor=operator, note=spec["note"]
        )
    _date(application, moment, decided)


def _ratings(members: list[User], notes: list[str], now: datetime) -> int:
    """The most endorsed open proposals, each rated by four to all of the
    panel (never by its author); panel@demo rates every other one. Scores
    lean on how much the proposal was endorsed, as a panel's would."""
    rng = random.Random(DEMO_SEED + 13)  # nosec B311  # reproducible demo scores
    proposals = list(
        Proposal.objects.public()
        .filter(status__in=RATEABLE_STATUSES)
        .order_by("-endorsement_count", "pk")[:RATED_PROPOSALS]
    )
    first, others = members[0], members[1:]
    count = 0
    for index, proposal in enumerate(proposals):
        raters = rng.sample(others, k=min(len(others), rng.randint(3, len(others) or 1)))
        if index % 2 == 0:
            raters.insert(0, first)
        lean = 1 if index < 3 else 0
        start = max(proposal.created_at + timedelta(hours=6), now - timedelta(days=60))
        for n, member in enumerate(raters):
            if member.pk == proposal.author_id:
                continue
            scores = [min(5, max(1, rng.randint(2, 4) + lean)) for _criterion in range(3)]
            note = rng.choice(notes) if rng.random() < 0.3 else ""
            moment = min(start + timedelta(hours=5 * (n + 1)), now - timedelta(hours=1))
            with at(moment):
                rating = services.panel_rate(
                    proposal=proposal,
                    member=member,
                    creativity=scores[0],
                    public_value=scores[1],
                    feasibility=scores[2],
                    note=note,
                )
            PanelRating.objects.filter(pk=rating.pk).update(created_at=moment)
            count += 1
    return count
