"""The portal's legal documents (이용약관, 개인정보처리방침) and the personal
data items a member consents to, item by item.

The version registry lives here, in code, and each version's text in
per-language templates (templates/legal/<kind>/<version>.<lang>.html): a new
version is reviewed in git like any other change, and no migration has to
carry long text. Operators do not edit legal text in the admin; the city's
legal review signs off a pull request instead.

Adding a version: add its templates, add a `DocumentVersion` below with its
effective date, and say whether it is `material` — whether it changes what
members agreed to (a new item collected, a new purpose, a longer retention, a
new processor abroad). Members whose consent is to an older version are asked
to agree again after a material version takes effect; a non-material one
(a typo, a new contact number) is only announced.

The privacy policy's templates draw the items, periods, officer and
processors from today's code and settings. When a version is superseded,
write the values it had into its templates in place of the variables, so the
old text keeps saying what it said. `summary` (what changed) is a
gettext_lazy text, shown on the re-consent page."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind:
    TERMS = "terms"
    PRIVACY = "privacy"


KINDS = (Kind.TERMS, Kind.PRIVACY)

# Where the session remembers that the member's consent covers the documents
# in force (accounts.middleware), so the check costs no query on each page.
CONSENT_SESSION_KEY = "oasis_consent"
KIND_TITLES = {Kind.TERMS: _("Terms of use"), Kind.PRIVACY: _("Privacy policy")}


@dataclass(frozen=True)
class DocumentVersion:
    kind: str
    version: str  # the effective date as text, also the URL part: 2026-12-01
    effective: date
    # Whether members must agree again once this version is in effect.
    material: bool
    summary: str = ""  # what changed, shown on the re-consent page
    # The templates' version, when a version reuses another's text (tests).
    text: str = ""

    def template_name(self, language: str) -> str:
        lang = "en" if language.startswith("en") else "ko"
        return f"legal/{self.kind}/{self.text or self.version}.{lang}.html"

    @property
    def title(self) -> str:
        return KIND_TITLES[self.kind]


# Oldest first, per kind. The first version of each is material: nobody has
# agreed to anything before it.
VERSIONS: tuple[DocumentVersion, ...] = (
    DocumentVersion(Kind.TERMS, "2026-12-01", date(2026, 12, 1), material=True),
    DocumentVersion(Kind.PRIVACY, "2026-12-01", date(2026, 12, 1), material=True),
)


@dataclass(frozen=True)
class DataItem:
    """A personal data item collected from members, as the sign-up form and
    the privacy policy list it."""

    field: str  # the User field
    label: str
    purpose: str
    retention: str
    required: bool


# Required items: without an e-mail there is no login, without a name no
# accountable proposal (it is shown masked). Optional items only target polls
# and news; a member who does not consent is simply not asked for them.
DATA_ITEMS: tuple[DataItem, ...] = (
    DataItem(
        "email",
        _("E-mail address"),
        _("Logging in, confirming the account, notices about your proposals"),
        _("Until you close your account"),
        required=True,
    ),
    DataItem(
        "display_name",
        _("Name"),
        _("Identifying the proposer (shown masked in public, 홍*동)"),
        _("Until you close your account"),
        required=True,
    ),
    DataItem(
        "district",
        _("District"),
        _("News and polls for your district"),
        _("Until you withdraw this consent or close your account"),
        required=False,
    ),
    DataItem(
        "birth_year",
        _("Birth year"),
        _("Inviting you to polls for your age group; statistics by age"),
        _("Until you withdraw this consent or close your account"),
        required=False,
    ),
    DataItem(
        "gender",
        _("Gender"),
        _("Polls aimed at a group; statistics by gender"),
        _("Until you withdraw this consent or close your account"),
        required=False,
    ),
)
REQUIRED_ITEMS = tuple(item for item in DATA_ITEMS if item.required)
OPTIONAL_ITEMS = tuple(item for item in DATA_ITEMS if not item.required)
OPTIONAL_FIELDS = tuple(item.field for item in OPTIONAL_ITEMS)


def versions(kind: str) -> list[DocumentVersion]:
    """Every version of `kind`, oldest first, future ones included."""
    return sorted((v for v in VERSIONS if v.kind == kind), key=lambda v: v.effective)


def version(kind: str, name: str) -> DocumentVersion | None:
    return next((v for v in versions(kind) if v.version == name), None)


def current(kind: str, today: date | None = None) -> DocumentVersion:
    """The version of `kind` in effect today."""
    today = today or timezone.localdate()
    in_effect = [v for v in versions(kind) if v.effective <= today]
    return in_effect[-1] if in_effect else versions(kind)[0]


def upcoming(kind: str, today: date | None = None) -> list[DocumentVersion]:
    """Versions announced but not yet in effect (PIPA asks for notice first)."""
    today = today or timezone.localdate()
    return [v for v in versions(kind) if v.effective > today]


def required_version(kind: str, today: date | None = None) -> DocumentVersion:
    """The newest material version in effect: a consent to it or to anything
    later is current; a consent to anything older must be renewed."""
    today = today or timezone.localdate()
    material = [v for v in versions(kind) if v.material and v.effective <= today]
    return material[-1] if material else current(kind, today)


def outdated(terms_version: str, privacy_version: str, today=None) -> list[DocumentVersion]:
    """The versions in force that a consent to these versions does not cover
    (a material version came after it, or the version is unknown)."""
    missing = []
    for kind, agreed in ((Kind.TERMS, terms_version), (Kind.PRIVACY, privacy_version)):
        needed = required_version(kind, today)
        agreed_version = version(kind, agreed)
        if agreed_version is None or agreed_version.effective < needed.effective:
            missing.append(needed)
    return missing


def consent_is_current(terms_version: str, privacy_version: str, today=None) -> bool:
    """Whether a consent to these versions still covers what the portal does."""
    return not outdated(terms_version, privacy_version, today)


def consent_signature(today=None) -> str:
    """A short text naming the versions a current consent must cover; cached
    in the session so the check costs no query on every page."""
    return "|".join(required_version(kind, today).version for kind in KINDS)
