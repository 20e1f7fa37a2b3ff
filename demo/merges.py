"""The demo's merged duplicate (issue 16): a member's proposal that repeats
an open one, endorsed by a few members (the demo citizen login among them),
merged by the demo operator through proposals.merging, so the merged page,
the target's "merged proposals", the operator's audit row and the
citizen's carry-over request on /me/ all have something to show. One
endorser has carried theirs over already. Idempotent: a duplicate already
there (by title) is left alone."""

from dataclasses import dataclass

from accounts.models import User
from proposals import merging, services
from proposals.models import CarryState, EndorsementCarry, Proposal, ProposalStatus
from proposals.rules import is_gathering_endorsements

from .members import CITIZEN_EMAIL, DEMO_EMAIL_DOMAIN
from .staff import staff_gather

DUPLICATE_TITLE = "한강 다리를 걸어서 건너고 싶어요"
DUPLICATE_BODY = (
    "한강 다리 보도가 좁고 시끄러워서 걸어서 건너기가 무섭습니다. "
    "보도를 넓히고 쉼터를 두어 걷고 싶은 다리로 만들어 주세요."
)
# The duplicate's author and three endorsers besides the demo citizen.
ENDORSERS = 4


@dataclass
class MergesSeeded:
    merged: int = 0
    asked: int = 0


def seed_merges() -> MergesSeeded:
    """Merge one demo duplicate into the most endorsed proposal that can
    take it (the city's, open, still gathering endorsements, not endorsed by
    the demo citizen). Requires the demo members and staff; every step goes
    through the services."""
    if Proposal.objects.filter(title=DUPLICATE_TITLE).exists():
        return MergesSeeded()
    citizen = User.objects.filter(email=CITIZEN_EMAIL).first()
    if citizen is None:
        return MergesSeeded()
    open_ones = (
        Proposal.objects.public()
        .filter(status=ProposalStatus.OPEN, institution__isnull=True)
        .exclude(author=citizen)
        .exclude(endorsements__user=citizen)
        .order_by("-endorsement_count", "pk")
    )
    target = next((p for p in open_ones[:200] if is_gathering_endorsements(p)), None)
    if target is None:
        return MergesSeeded()
    members = list(
        User.objects.filter(email__endswith="@" + DEMO_EMAIL_DOMAIN, groups__isnull=True)
        .exclude(pk__in=[citizen.pk, target.author_id or 0])
        .exclude(endorsements__proposal=target)
        .order_by("pk")[:ENDORSERS]
    )
    if len(members) < ENDORSERS:
        return MergesSeeded()
    author, endorsers = members[0], [citizen, *members[1:]]
    duplicate = services.proposal_create(
        author=author, title=DUPLICATE_TITLE, body=DUPLICATE_BODY, category=target.category
    )
    for member in endorsers:
        services.proposal_endorse(proposal=duplicate, user=member)
    duplicate.refresh_from_db()
    merging.proposal_merge(
        actor=staff_gather().operator,
        source=duplicate,
        target=target,
        reason="같은 내용의 제안이라 공감을 한곳에 모읍니다.",
    )
    # One endorser has carried theirs over; the demo citizen is still asked.
    carried = EndorsementCarry.objects.get(source=duplicate, member=endorsers[-1])
    merging.endorsement_carry(member=endorsers[-1], carry=carried)
    return MergesSeeded(
        merged=1,
        asked=EndorsementCarry.objects.filter(source=duplicate, state=CarryState.ASKED).count(),
    )
