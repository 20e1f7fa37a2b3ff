"""This app's section of a member's own page (accounts.member_home),
registered in apps.py: "받은 보상", the rewards recorded for them as the
proposer of an adopted item. Nothing for a member who has none."""

from accounts.member_home import MemberSection

from .selectors import rewards_received


def rewards_section(user):
    rewards = list(rewards_received(user)[:20])
    if not rewards:
        return None
    return MemberSection(
        key="awards.rewards", template="awards/me_rewards.html", data={"rewards": rewards}
    )


SECTIONS = [("awards.rewards", rewards_section, 50)]
