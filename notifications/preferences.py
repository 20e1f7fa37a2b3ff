"""What each member chose for each topic of notices (issue 16), and what
they get when they chose nothing.

A member has a NotificationPreference row only for a topic they changed;
no row means the topic's default below, at version 1 (a row written for the
first change starts at version 2, so an unsubscribe link made while the
member had no row is stale once they changed anything).

The defaults, chosen so that a new member is told at once of what is theirs
and is not flooded by what they merely watch:

    my proposals           in the site, e-mail right away
    proposals I follow     in the site, e-mail right away
    debates I joined       in the site, e-mail in a daily digest
    polls in my district   in the site, e-mail in a weekly digest
    adopted items I follow in the site, e-mail in a weekly digest
    about me               in the site, e-mail right away
    my work (staff)        in the site (always), e-mail right away

A notice whose sender gave no topic (rows written before issue 16, senders
not yet tagged) reads as WORK when its link opens a staff screen (/admin/:
every notice of staff work opens the form the work is done with), else as
PERSONAL. `notify` stores the topic it resolved, so only rows written
before issue 16 keep an empty topic."""

from collections.abc import Iterable
from dataclasses import dataclass

from accounts.roles import STAFF_ROLES

from .models import EmailMode, NoticeTopic, NotificationPreference

DIGEST_MODES = (EmailMode.DAILY, EmailMode.WEEKLY)


@dataclass(frozen=True)
class Preference:
    topic: str
    in_site: bool
    email: str
    version: int = 1


DEFAULTS: dict[str, Preference] = {
    NoticeTopic.MY_PROPOSALS: Preference(NoticeTopic.MY_PROPOSALS, True, EmailMode.IMMEDIATE),
    NoticeTopic.FOLLOWED: Preference(NoticeTopic.FOLLOWED, True, EmailMode.IMMEDIATE),
    NoticeTopic.DEBATES: Preference(NoticeTopic.DEBATES, True, EmailMode.DAILY),
    NoticeTopic.DISTRICT_POLLS: Preference(NoticeTopic.DISTRICT_POLLS, True, EmailMode.WEEKLY),
    NoticeTopic.ADOPTED: Preference(NoticeTopic.ADOPTED, True, EmailMode.WEEKLY),
    NoticeTopic.PERSONAL: Preference(NoticeTopic.PERSONAL, True, EmailMode.IMMEDIATE),
    NoticeTopic.WORK: Preference(NoticeTopic.WORK, True, EmailMode.IMMEDIATE),
}

# Topics whose notices always show in the site: staff work must never be
# hidden from the person who has to do it.
ALWAYS_IN_SITE = frozenset({NoticeTopic.WORK})

STAFF_SCREEN_PREFIX = "/admin/"


def resolve_topic(topic: str, url: str = "") -> str:
    """The topic a notice is read under: its own, or for an untagged one
    WORK if it opens a staff screen, else PERSONAL (see the module)."""
    if topic in DEFAULTS:
        return topic
    return NoticeTopic.WORK if (url or "").startswith(STAFF_SCREEN_PREFIX) else NoticeTopic.PERSONAL


def is_staff_reader(user) -> bool:
    """Whether `user` has staff work to be told of (the WORK row of the
    settings page is theirs)."""
    if not (user and user.is_authenticated):
        return False
    return bool(user.is_staff or user.is_superuser or user.role_names & STAFF_ROLES)


def topics_for(user) -> list[str]:
    """The topics `user` chooses for, in the settings page's order."""
    staff = is_staff_reader(user)
    return [t for t in NoticeTopic.values if t != NoticeTopic.WORK or staff]


def _from_row(row: NotificationPreference) -> Preference:
    return Preference(
        topic=row.topic,
        in_site=row.in_site or row.topic in ALWAYS_IN_SITE,
        email=row.email,
        version=row.version,
    )


def preferences_of(user_ids: Iterable[int], topic: str) -> dict[int, Preference]:
    """Each member's preference for `topic`, in one query for all of them
    (what `notify` asks once per call, however many recipients)."""
    ids = list(user_ids)
    default = DEFAULTS[topic]
    chosen = {}
    if ids:
        rows = NotificationPreference.objects.filter(user_id__in=ids, topic=topic)
        chosen = {row.user_id: _from_row(row) for row in rows}
    return {pk: chosen.get(pk, default) for pk in ids}


def all_preferences(user) -> dict[str, Preference]:
    """Every topic's preference for `user` (one query), kept on the user
    object: request.user lives for one request, so this is per request."""
    cached = getattr(user, "_notice_preferences", None)
    if cached is None:
        cached = dict(DEFAULTS)
        for row in NotificationPreference.objects.filter(user=user):
            if row.topic in cached:
                cached[row.topic] = _from_row(row)
        user._notice_preferences = cached
    return cached


def preference_for(user, topic: str) -> Preference:
    """`user`'s preference for `topic` (an unknown or empty topic reads as
    PERSONAL), cached per request with all_preferences."""
    return all_preferences(user)[resolve_topic(topic)]


def forget_cached(user) -> None:
    """Drop the per-request copy after a change (preferences_update)."""
    user.__dict__.pop("_notice_preferences", None)
