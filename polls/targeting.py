"""Who may vote in a targeted poll (mVoting): districts, age bands and
genders, read from the member's profile only where they consented to the
item (accounts.legal.OPTIONAL_FIELDS). The polls' pages ask `eligibility`
before showing a vote form; the vote services ask it again before writing.

The rules:
- a poll without a target lets every member vote;
- a targeted poll reads, for each kind of target it sets, one profile item
  (districts: the district, age bands: the birth year, genders: the gender),
  and only where the member both gave the item and consents to it;
- a member who gave an item that puts them outside the target is told which
  group the poll asks (`reason`), and is never asked for anything more:
  data that cannot change the answer is not collected;
- otherwise a member who has not given (or not consented to) an item the
  poll reads is asked for it (`missing`), with its purpose, on the page
  polls:details_needed;
- the age band is the one on the day (accounts.age_bands), so a member
  moves into the next band on 1 January."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from accounts.age_bands import AgeBand, age_band_of
from accounts.districts import District
from accounts.legal import DATA_ITEMS
from accounts.models import Gender
from accounts.selectors import consented_items

from .models import PollStatus

# The profile item each kind of target reads, and the ballot's group it gives.
TARGET_FIELDS = (
    ("target_districts", "district"),
    ("target_age_bands", "birth_year"),
    ("target_genders", "gender"),
)
GROUP_OF_ITEM = {"district": "district", "birth_year": "age_band", "gender": "gender"}
# The values each kind of target may hold.
TARGET_CHOICES = {
    "target_districts": District,
    "target_age_bands": AgeBand,
    "target_genders": Gender,
}


@dataclass
class Eligibility:
    """`allowed`: the member may vote. Else either `missing` names the profile
    items (district, birth_year, gender) the poll needs that the member has not
    given or not consented to (ask for them, with their purpose), or `reason`
    says why the member is outside the target."""

    allowed: bool
    missing: list[str] = field(default_factory=list)
    reason: str = ""


# --- the operator's side: what a target may hold --------------------------------------------


def clean_targets(districts, age_bands, genders) -> tuple[list[str], list[str], list[str]]:
    """The three target lists as a poll stores them, or a ValidationError
    naming each list (by its Poll field, so a form puts the message on the
    field) that is not a list of known values: districts of
    accounts.districts.District, bands of accounts.age_bands.AgeBand, genders
    of accounts.models.Gender. Duplicates go, and each list is put in its
    choices' order so that the same target is always stored the same way.
    Empty (or None) means "everyone" for that kind."""
    errors = {}
    cleaned = []
    for name, values in zip(TARGET_CHOICES, (districts, age_bands, genders), strict=True):
        choices = TARGET_CHOICES[name]
        values = [] if values in (None, "") else values
        if not isinstance(values, list | tuple) or not all(isinstance(v, str) for v in values):
            errors[name] = ValidationError(_("Choose from the list."), code="invalid_target")
            cleaned.append([])
            continue
        unknown = [value for value in values if value not in choices.values]
        if unknown:
            errors[name] = ValidationError(
                _("Unknown value: %(values)s. Choose from the list."),
                code="unknown_target",
                params={"values": ", ".join(unknown)},
            )
        cleaned.append([value for value in choices.values if value in values])
    if errors:
        raise ValidationError(errors)
    return tuple(cleaned)


# --- the member's side ----------------------------------------------------------------------


def voter_groups(user, today=None) -> dict:
    """The member's groups as a ballot keeps them: district, age band and
    gender, each only where the member consented to the item, else "".
    One query (the member's consent); `eligibility` takes the answer as
    `groups`, so a page checking many polls asks it once."""
    today = today or timezone.localdate()
    consented = consented_items(user)
    return {
        "district": user.district if "district" in consented else "",
        "age_band": age_band_of(user.birth_year, today.year) if "birth_year" in consented else "",
        "gender": user.gender if "gender" in consented else "",
    }


def needed_items(poll) -> list[str]:
    """The profile items `poll`'s target reads (district, birth_year, gender)."""
    return [item for target, item in TARGET_FIELDS if getattr(poll, target)]


def eligibility(user, poll, today=None, *, groups: dict | None = None) -> Eligibility:
    """May `user` vote in `poll` as far as its target goes (not whether the
    poll is open or the member has voted: polls.rules asks that). One query
    (the member's consent) for a targeted poll, none with `groups`
    (voter_groups' answer, for a caller that checks many polls)."""
    if not poll.is_targeted:
        return Eligibility(allowed=True)
    if not getattr(user, "is_authenticated", False):
        return Eligibility(allowed=False, missing=needed_items(poll))
    if groups is None:
        groups = voter_groups(user, today)
    # Outside on an item already given: say so, and ask for nothing more.
    for target, item in TARGET_FIELDS:
        value = groups[GROUP_OF_ITEM[item]]
        if getattr(poll, target) and value and value not in getattr(poll, target):
            return Eligibility(allowed=False, reason=outside_reason(poll))
    missing = [item for item in needed_items(poll) if not groups[GROUP_OF_ITEM[item]]]
    if missing:
        return Eligibility(allowed=False, missing=missing)
    return Eligibility(allowed=True)


# --- saying who a poll asks -----------------------------------------------------------------


def _short_list(words) -> str:
    """Words as a short list in the page's language (마포구·은평구 / Mapo-gu, Eunpyeong-gu)."""
    return pgettext("a short list of districts, ages or genders", ", ").join(words)


def _listed(choices, values) -> str:
    """The labels of `values` (of `choices`) as a short list."""
    return _short_list(str(choices(value).label) for value in values if value in choices.values)


# Who a targeted poll asks, by the kinds of target it sets (districts, ages, genders).
_ASKS = {
    (True, False, False): gettext_lazy("This poll asks residents of %(districts)s."),
    (False, True, False): gettext_lazy("This poll asks citizens aged %(ages)s."),
    (False, False, True): gettext_lazy("This poll asks citizens of gender %(genders)s."),
    (True, True, False): gettext_lazy("This poll asks residents of %(districts)s aged %(ages)s."),
    (True, False, True): gettext_lazy(
        "This poll asks residents of %(districts)s of gender %(genders)s."
    ),
    (False, True, True): gettext_lazy(
        "This poll asks citizens aged %(ages)s of gender %(genders)s."
    ),
    (True, True, True): gettext_lazy(
        "This poll asks residents of %(districts)s aged %(ages)s of gender %(genders)s."
    ),
}


@dataclass
class TargetSummary:
    """Who a poll asks, in words of the page's language: `sentence` says it
    in one line ("" for a poll that asks everyone); `districts`, `ages` and
    `genders` list each kind ("" where the poll does not narrow it)."""

    targeted: bool
    sentence: str = ""
    districts: str = ""
    ages: str = ""
    genders: str = ""


def target_summary(poll) -> TargetSummary:
    """Who `poll` asks, for its page and the editor's preview. No query."""
    if not poll.is_targeted:
        return TargetSummary(targeted=False)
    parts = {
        "districts": _listed(District, poll.target_districts),
        "ages": _listed(AgeBand, poll.target_age_bands),
        "genders": _listed(Gender, poll.target_genders),
    }
    key = (bool(parts["districts"]), bool(parts["ages"]), bool(parts["genders"]))
    sentence = str(_ASKS[key]) % parts if any(key) else ""
    return TargetSummary(targeted=True, sentence=sentence, **parts)


def outside_note() -> str:
    """What a member outside a poll's target is told after who it asks."""
    return _("By the details on your profile you are not in this group, so you cannot vote.")


def outside_reason(poll) -> str:
    """Why a member outside `poll`'s target cannot vote: the group it asks,
    never the member's own data (it may be read aloud, or over a shoulder)."""
    return " ".join((target_summary(poll).sentence, outside_note()))


# --- what the poll page shows -----------------------------------------------------------------


def details_url(poll, next_url: str = "") -> str:
    """The page that asks a member for the items `poll` needs, and sends them
    back to `next_url` (the poll's page by default)."""
    url = reverse("polls:details_needed", args=[poll.pk])
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def eligibility_panel(
    user, poll, *, today=None, known: Eligibility | None = None, next_url: str = ""
) -> dict:
    """The context of templates/polls/includes/eligibility.html: who `poll`
    asks (`summary`) and where `user` stands (`state`): "everyone" (no
    target), "closed" (no longer voting), "login", "allowed", "missing"
    (with `missing_items` in words and `details_url`, the page that asks
    for them and comes back to `next_url`) or "outside" (with
    `outside_note`). Pass the poll page's eligibility as `known` when it
    has one, to spare its query."""
    summary = target_summary(poll)
    panel = {"poll": poll, "summary": summary, "state": "everyone"}
    if not summary.targeted:
        return panel
    if poll.status == PollStatus.CLOSED or poll.ends_at <= timezone.now():
        panel["state"] = "closed"
        return panel
    if not getattr(user, "is_authenticated", False):
        panel["state"] = "login"
        return panel
    found = known or eligibility(user, poll, today)
    if found.allowed:
        panel["state"] = "allowed"
    elif found.missing:
        labels = {item.field: str(item.label).lower() for item in DATA_ITEMS}
        panel.update(
            state="missing",
            missing_items=_short_list(labels[item] for item in found.missing),
            details_url=details_url(poll, next_url),
        )
    else:
        panel.update(state="outside", outside_note=outside_note())
    return panel
