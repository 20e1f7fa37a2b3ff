"""debates/selectors.py: a member's own debate data."""

import pytest

from debates import services
from tests.factories import UserFactory

from .helpers import open_debate

pytestmark = pytest.mark.django_db


# --- a member's own data ----------------------------------------------------------


def test_a_member_takes_their_stances_and_arguments_along():
    from debates.selectors import member_debate_data

    debate = open_debate()
    member = UserFactory()
    services.stance_set(debate=debate, user=member, position="undecided")
    kept = services.argument_create(
        debate=debate, author=member, side="for", body="남길 논거입니다."
    )
    gone = services.argument_create(
        debate=debate, author=member, side="against", body="지운 논거입니다."
    )
    services.argument_delete(argument=gone, user=member)
    services.argument_create(
        debate=debate, author=UserFactory(), side="for", body="남의 논거입니다."
    )

    data = member_debate_data(member)

    assert [(s["proposal"], s["position"]) for s in data["stances"]] == [
        (debate.proposal_id, "undecided")
    ]
    assert [(a["id"], a["body"], a["deleted"] is None) for a in data["arguments"]] == [
        (kept.pk, "남길 논거입니다.", True),
        (gone.pk, "지운 논거입니다.", False),
    ]
