"""This app's sections of a member's own page (/me/, accounts.member_home)."""

from accounts.member_home import MemberSection

from .merging import asked_carries

# At most this many requests are listed at once; each answered one leaves.
CARRIES_SHOWN = 20


def carry_requests(user) -> MemberSection | None:
    """The member's carry-over requests still waiting (one query), with a
    one-click carry and a decline for each; nothing when there are none."""
    carries = list(asked_carries(user)[:CARRIES_SHOWN])
    if not carries:
        return None
    return MemberSection(
        key="carries", template="proposals/carry_section.html", data={"carries": carries}
    )
