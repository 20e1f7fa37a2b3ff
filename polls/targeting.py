"""Who may vote in a targeted poll (mVoting): districts, age bands and
genders, read from the member's profile only where they consented to the
item (accounts.legal.OPTIONAL_FIELDS). The polls' pages ask `eligibility`
before showing a vote form; the vote services ask it again before writing.

This first version (the shared ground) is complete for untargeted polls and
for members who gave every item the poll needs; the targeting part of issue
14 refines the messages and the page that asks for missing data."""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.age_bands import age_band_of
from accounts.selectors import consented_items

# The profile item each kind of target reads.
TARGET_FIELDS = (
    ("target_districts", "district"),
    ("target_age_bands", "birth_year"),
    ("target_genders", "gender"),
)


@dataclass
class Eligibility:
    """`allowed`: the member may vote. Else either `missing` names the profile
    items (district, birth_year, gender) the poll needs that the member has not
    given or not consented to (ask for them, with their purpose), or `reason`
    says why the member is outside the target."""

    allowed: bool
    missing: list[str] = field(default_factory=list)
    reason: str = ""


def voter_groups(user, today=None) -> dict:
    """The member's groups as a ballot keeps them: district, age band and
    gender, each only where the member consented to the item, else ""."""
    today = today or timezone.localdate()
    consented = consented_items(user)
    return {
        "district": user.district if "district" in consented else "",
        "age_band": age_band_of(user.birth_year, today.year) if "birth_year" in consented else "",
        "gender": user.gender if "gender" in consented else "",
    }


def eligibility(user, poll, today=None) -> Eligibility:
    """May `user` vote in `poll` as far as its target goes (not whether the
    poll is open or the member has voted: polls.rules asks that)."""
    if not poll.is_targeted:
        return Eligibility(allowed=True)
    groups = voter_groups(user, today)
    group_of = {"district": "district", "birth_year": "age_band", "gender": "gender"}
    missing = [
        item
        for target, item in TARGET_FIELDS
        if getattr(poll, target) and not groups[group_of[item]]
    ]
    if missing:
        return Eligibility(allowed=False, missing=missing)
    outside = [
        target
        for target, item in TARGET_FIELDS
        if getattr(poll, target) and groups[group_of[item]] not in getattr(poll, target)
    ]
    if outside:
        return Eligibility(
            allowed=False, reason=_("This poll asks a particular group of citizens.")
        )
    return Eligibility(allowed=True)
