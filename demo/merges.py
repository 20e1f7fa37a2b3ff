"""The demo's merged duplicate (issue 16): a member's proposal that repeats
an open one, endorsed by a few members (the demo citizen login among them),
merged by the demo operator through proposals.merging, so the merged page,
the target's "merged proposals", the operator's audit row and the
citizen's carry-over request on /me/ all have something to show. One
endorser has carried theirs over already. Idempotent: a duplicate already
there (by title) is left alone."""

from dataclasses import dataclass

from django.utils import timezone

from accounts.models import User
from proposals import merging, services
from proposals.models import CarryState, Endorsement, EndorsementCarry, Proposal, ProposalStatus
from proposals.rules import is_gathering_endorsements
from proposals.similarity import similar_proposals

from .clock import at
from .members import CITIZEN_EMAIL
from .staff import staff_gather

# A member repeating, in their own words, an open demo proposal (신촌동
# 어두운 골목에 보안등을 늘려 주세요): the duplicate joins the open proposal
# most like it, as an operator would merge it after seeing it in the
# 유사제안 column.
DUPLICATE_TITLE = "신촌 뒷골목이 밤에 너무 어두워요"
DUPLICATE_BODY = (
    "신촌동 골목길은 밤이면 보안등이 드문드문해서 깜깜합니다. "
    "귀갓길이 무서우니 골목에 보안등을 더 달아 밝게 해 주세요."
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
    # The open proposal the duplicate repeats (the most similar that can
    # take it); else the most endorsed that can, so the demo always merges.
    alike = [hit.proposal.pk for hit in similar_proposals(DUPLICATE_TITLE, DUPLICATE_BODY)]
    candidates = sorted(open_ones[:200], key=lambda p: alike.index(p.pk) if p.pk in alike else 99)
    target = next((p for p in candidates if is_gathering_endorsements(p)), None)
    if target is None:
        return MergesSeeded()
    members = list(
        # The demo's ordinary members (demo.members.generated_members).
        User.objects.filter(is_staff=False, is_active=True, withdrawn_at__isnull=True)
        .exclude(pk__in=[citizen.pk, target.author_id or 0])
        .exclude(endorsements__proposal=target)
        .order_by("pk")[:ENDORSERS]
    )
    if len(members) < ENDORSERS:
        return MergesSeeded()
    author, endorsers = members[0], [citizen, *members[1:]]
    # The story, between the target's proposing and the loading: the
    # duplicate proposed and endorsed, merged a little later, one endorser
    # carrying over after that. The services stamp "now"; each stamp is
    # moved to its moment (demo.clock.at for timeline rows, notices and
    # the audit row; the rows' own dates here).
    span = timezone.now() - target.created_at
    proposed, merged_at, carried_at = (target.created_at + span * f for f in (0.4, 0.6, 0.8))
    with at(proposed):
        duplicate = services.proposal_create(
            author=author, title=DUPLICATE_TITLE, body=DUPLICATE_BODY, category=target.category
        )
        for member in endorsers:
            services.proposal_endorse(proposal=duplicate, user=member)
    Endorsement.objects.filter(proposal=duplicate).update(created_at=proposed)
    duplicate.refresh_from_db()
    with at(merged_at):
        merging.proposal_merge(
            actor=staff_gather().operator,
            source=duplicate,
            target=target,
            reason="같은 내용의 제안이라 추천을 한곳에 모읍니다.",
        )
        # The endorsers' notices now (the task queued after commit then
        # finds them written and sends nothing twice).
        merging.carry_requests_tell(duplicate.pk)
    window = duplicate.endorsement_deadline - duplicate.created_at
    Proposal.objects.filter(pk=duplicate.pk).update(
        created_at=proposed,
        updated_at=merged_at,
        first_endorsed_at=proposed,
        merged_at=merged_at,
        endorsement_deadline=proposed + window,
    )
    EndorsementCarry.objects.filter(source=duplicate).update(created_at=merged_at)
    EndorsementCarry.objects.filter(source=duplicate, decided_at__isnull=False).update(
        decided_at=merged_at
    )
    # One endorser has carried theirs over; the demo citizen is still asked.
    carrier = endorsers[-1]
    with at(carried_at):
        merging.endorsement_carry(
            member=carrier, carry=EndorsementCarry.objects.get(source=duplicate, member=carrier)
        )
    EndorsementCarry.objects.filter(source=duplicate, member=carrier).update(decided_at=carried_at)
    Endorsement.objects.filter(proposal=target, user=carrier).update(created_at=carried_at)
    return MergesSeeded(
        merged=1,
        asked=EndorsementCarry.objects.filter(source=duplicate, state=CarryState.ASKED).count(),
    )
