"""What the harness measures in a filled world: the pages of issue 10's
table (found by what they show, not by fixed ids), the sessions to see them
as a member and as staff, and the spike's before and after."""

import math
from urllib.parse import urlencode

from django.db.models import Count, Max, Q
from django.urls import reverse

from accounts.models import User
from debates.models import Debate
from meetings.models import RealizationMeeting
from mileage.checks import claims_waiting, ledger_problems
from mileage.models import MileageEntry, MileageRule
from notifications.models import Notification
from pipeline.services import due_bars
from proposals.filters import ProposalFilter
from proposals.models import (
    Endorsement,
    EventKind,
    PipelineSettings,
    Proposal,
    ProposalEvent,
    ProposalStatus,
)
from tracking.models import ManagementCard

from . import sessions
from .world import FRESH_TITLE, OPERATOR_EMAIL


def _page_size() -> int:
    from proposals import views  # the list's page size, wherever it is set

    return getattr(views, "PAGE_SIZE", 20)


def hot_proposal() -> Proposal:
    return Proposal.objects.public().order_by("-endorsement_count", "-id").first()


def fresh_proposal() -> Proposal | None:
    return (
        Proposal.objects.public()
        .filter(title=FRESH_TITLE, status=ProposalStatus.OPEN)
        .order_by("-id")
        .first()
    )


# Written out, not reversed: the api app registers it (api/proposals.py).
API_PROPOSALS = "/api/v1/proposals/"


def served(path: str) -> bool:
    """The portal has this page: it answers something other than 404 to an
    anonymous reader. Issue 15's parts are built side by side; a page whose
    part is not merged yet (unrouted, or the placeholder view that answers
    404) is left out rather than measured as an error. Anything else, a 500
    included, is measured and shows in the results."""
    from django.test import Client

    return Client(HTTP_HOST="127.0.0.1").get(path).status_code != 404


def pages() -> list[dict]:
    """(name, path, who) of every measured page; who is anon, member or staff."""
    hot = hot_proposal()
    ordinary = (
        Proposal.objects.public()
        .filter(status=ProposalStatus.NOT_REACHED, comment_count__gte=2)
        .order_by("id")
        .first()
    ) or Proposal.objects.public().order_by("id").first()
    debate = Debate.objects.visible().annotate(n=Count("arguments")).order_by("-n", "-id").first()
    meeting = (
        RealizationMeeting.objects.annotate(n=Count("items"))
        .filter(n__gt=0)
        .order_by("-scheduled_at")
        .first()
    )
    card = ManagementCard.objects.order_by("-id").first()
    public = Proposal.objects.public().count()
    last_page = max(1, math.ceil(public / _page_size()))
    listing = reverse("proposals:list")
    found = [
        ("home", reverse("home"), "anon"),
        ("list", listing, "anon"),
        ("list_member", listing, "member"),
        ("list_status_open", f"{listing}?{urlencode({'status': 'open'})}", "anon"),
        ("list_category", f"{listing}?{urlencode({'category': 'transport'})}", "anon"),
    ]
    for sort in ProposalFilter.ORDERINGS:
        found.append((f"list_sort_{sort}", f"{listing}?{urlencode({'sort': sort})}", "anon"))
    found += [
        # Page 500, or the last page of a smaller world (the path says which).
        ("list_page_500", f"{listing}?page={min(500, last_page)}", "anon"),
        ("search_hangang", f"{listing}?{urlencode({'q': '한강'})}", "anon"),
        ("search_library_weekend", f"{listing}?{urlencode({'q': '도서관 주말'})}", "anon"),
        ("hot_proposal", hot.get_absolute_url(), "anon"),
        ("hot_proposal_member", hot.get_absolute_url(), "member"),
        ("ordinary_proposal", ordinary.get_absolute_url(), "anon"),
    ]
    if debate:
        # A debate lives on its proposal's page (/debates/<id>/ redirects there).
        found.append(("debate", debate.proposal.get_absolute_url(), "anon"))
    found += [
        ("adopted", reverse("tracking:list"), "anon"),
        ("meetings", reverse("meetings:list"), "anon"),
    ]
    if meeting:
        found.append(("agenda", meeting.get_agenda_url(), "anon"))
    if card:
        found.append(("tracker_card", card.get_absolute_url(), "anon"))
    # Issue 15: the statistics page and one list of the read API.
    for name, path in (("stats", reverse("stats:overview")), ("api_proposals", API_PROPOSALS)):
        if served(path):
            found.append((name, path, "anon"))
    found.append(("admin_proposals", reverse("admin:proposals_proposal_changelist"), "staff"))
    return [{"name": n, "path": p, "who": w} for n, p, w in found]


def logins() -> dict[str, str]:
    """A member's and the operator's session keys."""
    member = User.objects.filter(is_staff=False, email__startswith="m").order_by("id").first()
    operator = User.objects.get(email=OPERATOR_EMAIL)
    return {
        "member": sessions.sessions_for([member])[0],
        "staff": sessions.staff_session(operator),
    }


def spike_state(proposal_id: int) -> dict:
    proposal = Proposal.objects.get(pk=proposal_id)
    return {
        "proposal_id": proposal_id,
        "stored": Endorsement.objects.filter(proposal_id=proposal_id).count(),
        "counter": proposal.endorsement_count,
        "status": proposal.status,
        "last_event": ProposalEvent.objects.aggregate(m=Max("id"))["m"] or 0,
        "last_notification": Notification.objects.aggregate(m=Max("id"))["m"] or 0,
    }


def spike_invariants(before: dict, *, tag: str) -> dict:
    """What the database says after the spike, against `before`: the
    endorsements stored and by how many distinct spike members, each bar
    crossed and the promotions written, and notices sent more than once."""
    pid = before["proposal_id"]
    after = spike_state(pid)
    spike_rows = Endorsement.objects.filter(
        proposal_id=pid, user__email__startswith=f"spike-{tag}-"
    )
    bars = due_bars(PipelineSettings.load()).get(before["status"], {})
    bar = bars.get("endorsement_count")
    crossed = [bar] if bar is not None and before["stored"] < bar <= after["stored"] else []
    promotions = ProposalEvent.objects.filter(
        proposal_id=pid,
        id__gt=before["last_event"],
        kind=EventKind.STATUS_CHANGED,
        from_status=before["status"],
    ).count()
    doubled_notices = (
        Notification.objects.filter(id__gt=before["last_notification"])
        .values("recipient_id", "kind", "proposal_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    return {
        "after": after,
        "mileage": spike_mileage(pid, spike_rows),
        "stored_added": after["stored"] - before["stored"],
        "distinct_members": spike_rows.values("user_id").distinct().count(),
        "spike_rows": spike_rows.count(),
        "bars_crossed": crossed,
        "promotions": promotions,
        "notices": Notification.objects.filter(Q(id__gt=before["last_notification"])).count(),
        "notices_doubled": doubled_notices,
    }


# The spike's endorsements earn with no daily cap (spike_rules), so a credit
# missing is a credit lost, not one the cap refused.
SPIKE_UNCAPPED = ("endorse", "endorsed")


def spike_rules() -> None:
    """Before the spike: endorsing and being endorsed earn 1 point each, with
    no daily cap, so the ledger's check counts every endorsement."""
    for action in SPIKE_UNCAPPED:
        MileageRule.objects.update_or_create(action=action, defaults={"points": 1, "daily_cap": 0})


def spike_mileage(proposal_id: int, spike_rows) -> dict:
    """The ledger after the spike: for each of the spike's endorsements, the
    standing `endorse` credits of its endorser and `endorsed` credits of the
    proposer (exactly one each: none lost, none doubled), the claims still
    waiting, and the whole ledger's consistency check."""
    from django.contrib.contenttypes.models import ContentType

    endorsement_type = ContentType.objects.get_for_model(Endorsement)
    ids = list(spike_rows.values_list("id", flat=True))
    author_id = Proposal.objects.values_list("author_id", flat=True).get(pk=proposal_id)
    standing = MileageEntry.objects.filter(
        source_type=endorsement_type,
        source_id__in=ids,
        points__gt=0,
        reversed_by__isnull=True,
    )
    result = {}
    for action, member_filter in (
        ("endorse", {}),
        ("endorsed", {"member_id": author_id}),
    ):
        per_source = dict(
            standing.filter(action=action, **member_filter)
            .values_list("source_id")
            .annotate(n=Count("id"))
        )
        result[f"{action}_missing"] = sum(1 for i in ids if i not in per_source)
        result[f"{action}_doubled"] = sum(1 for n in per_source.values() if n > 1)
    result["claims_waiting"] = claims_waiting()
    result["problems"] = ledger_problems()
    return result
