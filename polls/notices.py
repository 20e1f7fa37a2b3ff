"""The notices polls send: their kinds, their words, and the functions
services call to send them. Parameters are codes, numbers and ISO dates;
notifications names them in each reader's language (notifications/messages.py)."""

import datetime as dt
from enum import StrEnum

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.age_bands import age_band_of
from accounts.models import ConsentRecord, Institution
from accounts.roles import STAFF_ROLES
from accounts.selectors import department_officials
from notifications.messages import NoticeText, moments, numbers
from notifications.models import NoticeTopic, Notification
from notifications.services import notify
from oasis.tasks import enqueue_on_commit

from .models import Poll, PollStatus
from .targeting import eligibility


class PollNotice(StrEnum):
    """Notification.kind of this app's notices."""

    POLL_CLOSED = "poll_closed"
    POLL_OPENED_IN_DISTRICT = "poll_opened_in_district"
    # The same, for a partner institution's poll (issue 16): the institution
    # asks, not the city.
    INSTITUTION_POLL_OPENED_IN_DISTRICT = "institution_poll_opened_in_district"


def institutions(values: set) -> dict[str, str]:
    """Institution slugs as the reader's language names them (the stored
    parameter is the code, so a renamed institution reads as it is now)."""
    return {
        institution.slug: institution.label
        for institution in Institution.objects.filter(slug__in=values)
    }


MESSAGES = {
    # To the officials of the poll's department: the result is theirs to answer.
    PollNotice.POLL_CLOSED: NoticeText(
        _("A city poll of your department has closed"),
        _(
            "The poll “%(title)s” has closed with %(voters)s voters. Please write your "
            "department's response to the result; it is published with the results."
        ),
        {"voters": numbers},
    ),
    # To members whose (consented) district the poll asks: "polls in my district".
    PollNotice.POLL_OPENED_IN_DISTRICT: NoticeText(
        _("A city poll for your district is open"),
        _("The city asks residents of your district: “%(title)s”. You can vote until %(ends)s."),
        {"ends": moments},
    ),
    PollNotice.INSTITUTION_POLL_OPENED_IN_DISTRICT: NoticeText(
        _("A poll of %(institution)s for your district is open"),
        _(
            "%(institution)s asks residents of your district: “%(title)s”. You can vote "
            "until %(ends)s."
        ),
        {"ends": moments, "institution": institutions},
    ),
}


def response_url(poll: Poll) -> str:
    """Where the department writes its response: the poll's admin page (the
    results part links its response screen from there)."""
    return reverse("admin:polls_poll_change", args=[poll.pk])


def tell_poll_closed(*, poll: Poll) -> None:
    """The officials of the poll's department, once per poll: it closed with
    this many voters and their response is awaited."""
    notify(
        recipients=department_officials(poll.department_id),
        topic=NoticeTopic.WORK,
        kind=PollNotice.POLL_CLOSED,
        key=f"poll_closed:{poll.pk}",
        params={"title": poll.title, "voters": poll.voter_count},
        url=response_url(poll),
    )


# --- "polls in my district" (issue 16) ----------------------------------------------
#
# When a poll that targets districts opens, the members whose consented
# district is among them hear of it. A poll for the whole city is not "in my
# district": it tells nobody (it is on the front page and the poll list).
# Members only: staff accounts do not vote (polls/rules.py). Someone in the
# district whom another target (an age band, a gender) already puts outside is
# not told either; someone who has not given that item yet is (the poll's page
# asks for it).

DISTRICT_BATCH = 500
# The beat announces polls whose start is this recent: a poll published
# with a later start is told of when it opens, and a lost fan-out is taken
# up again; never the whole history of polls.
DISTRICT_WINDOW = dt.timedelta(days=1)


def district_key(poll_id: int) -> str:
    return f"{PollNotice.POLL_OPENED_IN_DISTRICT}:{poll_id}"


def queue_district_notice(poll: Poll, *, now=None) -> None:
    """After commit, the district fan-out of a poll that opens now (a poll
    that opens later is the beat's: `polls_opened_recently`)."""
    now = now or timezone.now()
    if poll.target_districts and poll.is_open(now):
        enqueue_on_commit("polls.tasks.tell_district_poll_opened", poll.pk)


def polls_opened_recently(now) -> list[int]:
    """Open polls that target districts and opened within DISTRICT_WINDOW:
    started then, or published then with a start already past."""
    since = now - DISTRICT_WINDOW
    recent = (
        Poll.objects.filter(status=PollStatus.PUBLISHED, starts_at__lte=now, ends_at__gt=now)
        .filter(Q(starts_at__gt=since) | Q(published_at__gt=since))
        .values_list("pk", "target_districts")
    )
    return [pk for pk, districts in recent if districts]


def _district_candidates(poll: Poll, after: int, limit: int) -> list:
    """The next `limit` members (by id, above `after`) living in one of the
    poll's districts by their consent in force, not told yet; each with the
    consent flags of the other items (`c_birth_year`, `c_gender`)."""
    latest = ConsentRecord.objects.filter(user=OuterRef("pk")).order_by("-created_at", "-id")
    told = Notification.objects.filter(recipient=OuterRef("pk"), key=district_key(poll.pk))
    return list(
        get_user_model()
        .objects.filter(
            pk__gt=after,
            is_active=True,
            is_staff=False,
            is_superuser=False,
            withdrawn_at__isnull=True,
            district__in=list(poll.target_districts),
        )
        .exclude(groups__name__in=[str(role) for role in STAFF_ROLES])
        .annotate(
            c_district=Subquery(latest.values("district")[:1]),
            c_birth_year=Subquery(latest.values("birth_year")[:1]),
            c_gender=Subquery(latest.values("gender")[:1]),
        )
        .filter(c_district=True)
        .exclude(Exists(told))
        .order_by("pk")[:limit]
    )


def tell_district_of_poll(*, poll_id: int, after: int = 0, now=None) -> tuple[int, int | None]:
    """One batch of the members of the poll's districts, under "polls in my
    district", once each (the notice's key): a rerun, or the beat taking up
    a fan-out again, tells nobody twice. Nothing for a poll that is not open
    or targets no district. Returns (told now, the id to continue after, or
    None when this was the last batch)."""
    now = now or timezone.now()
    poll = Poll.objects.select_related("institution").filter(pk=poll_id).first()
    if poll is None or not poll.target_districts or not poll.is_open(now):
        return 0, None
    candidates = _district_candidates(poll, after, DISTRICT_BATCH)
    if not candidates:
        return 0, None
    today = timezone.localdate(now)
    audience = []
    for member in candidates:
        groups = {
            "district": member.district,
            "age_band": age_band_of(member.birth_year, today.year) if member.c_birth_year else "",
            "gender": member.gender if member.c_gender else "",
        }
        if not eligibility(member, poll, today, groups=groups).reason:
            audience.append(member)
    params = {
        "title": poll.title,
        "ends": timezone.localtime(poll.ends_at).isoformat(timespec="minutes"),
    }
    kind = PollNotice.POLL_OPENED_IN_DISTRICT
    if poll.institution_id is not None:
        kind = PollNotice.INSTITUTION_POLL_OPENED_IN_DISTRICT
        params["institution"] = poll.institution.slug
    told = notify(
        recipients=audience,
        kind=kind,
        # One key for either kind: whoever was told of this poll is not told again.
        key=district_key(poll.pk),
        params=params,
        url=poll.get_absolute_url(),
        topic=NoticeTopic.DISTRICT_POLLS,
    )
    more = len(candidates) == DISTRICT_BATCH
    return len(told), (candidates[-1].pk if more else None)
