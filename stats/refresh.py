"""Counting the figures: facts from the stage apps' tables, then the tallies
and the departments' timeliness from the facts.

`refresh()` runs from the beat every ten minutes and brings up to date only
the proposals that changed since the last refresh began (their row, an event
on their timeline, their answer, debate, agenda item or card); `refresh(full=
True)` runs nightly and rewrites every fact. Both then rebuild the tallies
and timeliness from all facts. Facts and tallies are written in one
transaction reading one snapshot (REPEATABLE READ on PostgreSQL), so a page
never reads tallies half rebuilt nor a figure that disagrees with its list;
refreshes run one at a time. Background work: it reads proposals in chunks
of CHUNK, never the table at once."""

import time
from collections import defaultdict
from contextlib import contextmanager
from datetime import datetime, timedelta
from statistics import median

from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone

from answers.models import Answer, Assignment
from debates.models import Debate
from meetings.models import AgendaDecision, AgendaItem
from proposals.models import Proposal, ProposalEvent, ProposalStatus
from themes.models import ThemeProposal
from tracking.models import CardEvent, CardKind, CardStage, ManagementCard

from .models import (
    STAGE_FIELDS,
    DepartmentTimeliness,
    Dimension,
    ProposalFact,
    Refresh,
    Stage,
    Tally,
)

CHUNK = 2_000
# How far before the last refresh's start a change is looked for again.
OVERLAP = timedelta(minutes=1)
S = ProposalStatus

# The stage a status shows a proposal reached at least, whatever the other
# tables say (a world loaded in bulk may set a status without every row
# behind it). A withdrawal says nothing: the tables tell how far it went.
STATUS_FLOOR = {
    S.ANSWERED: Stage.ANSWERED,
    S.DEBATE: Stage.DEBATED,
    S.REVIEW: Stage.DEBATED,
    S.NOT_SELECTED: Stage.DEBATED,
    S.ON_AGENDA: Stage.ON_AGENDA,
    S.NOT_ADOPTED: Stage.ON_AGENDA,
    S.ADOPTED: Stage.ADOPTED,
}


def _annotated():
    first_answer = Answer.objects.filter(
        assignment__proposal=OuterRef("pk"), published_at__isnull=False
    ).order_by("published_at", "pk")
    of_proposal = {"proposal": OuterRef("pk")}
    return Proposal.objects.annotate(
        first_answer_at=Subquery(first_answer.values("published_at")[:1]),
        first_assigned_at=Subquery(first_answer.values("assignment__assigned_at")[:1]),
        first_met_deadline=Subquery(first_answer.values("met_deadline")[:1]),
        was_debated=Exists(Debate.objects.filter(**of_proposal)),
        was_on_agenda=Exists(AgendaItem.objects.filter(**of_proposal)),
        was_adopted=Exists(
            AgendaItem.objects.filter(**of_proposal, decision=AgendaDecision.ADOPTED)
        ),
        was_completed=Exists(
            ManagementCard.objects.filter(
                **of_proposal, kind=CardKind.ADOPTED, stage=CardStage.COMPLETED
            )
        ),
        theme_ref=Subquery(ThemeProposal.objects.filter(**of_proposal).values("theme_id")[:1]),
    ).values(
        "pk",
        "created_at",
        "category_id",
        "district",
        "department_id",
        "institution_id",
        "status",
        "is_hidden",
        "deleted_at",
        "first_answer_at",
        "first_assigned_at",
        "first_met_deadline",
        "was_debated",
        "was_on_agenda",
        "was_adopted",
        "was_completed",
        "theme_ref",
    )


def _stage(row) -> int:
    reached = Stage.RECEIVED
    if row["first_answer_at"] is not None:
        reached = Stage.ANSWERED
    if row["was_debated"]:
        reached = Stage.DEBATED
    if row["was_on_agenda"]:
        reached = Stage.ON_AGENDA
    if row["was_adopted"] or row["status"] == S.ADOPTED:
        reached = Stage.COMPLETED if row["was_completed"] else Stage.ADOPTED
    return max(reached, STATUS_FLOOR.get(row["status"], Stage.RECEIVED))


def _seoul(moment: datetime) -> datetime:
    """The moment on Seoul's calendar (TIME_ZONE), whatever time zone the
    calling thread may have activated: a fact's month must not depend on who
    triggered the refresh."""
    return timezone.localtime(moment, timezone.get_default_timezone())


def _fact(row, now) -> ProposalFact:
    received = _seoul(row["created_at"])
    answered_at = row["first_answer_at"]
    hours = None
    if answered_at is not None and row["first_assigned_at"] is not None:
        hours = max(0, int((answered_at - row["first_assigned_at"]).total_seconds() // 3600))
    return ProposalFact(
        proposal_id=row["pk"],
        received_at=row["created_at"],
        year=received.year,
        month=received.month,
        category_id=row["category_id"],
        district=row["district"] or "",
        department_id=row["department_id"],
        theme_id=row["theme_ref"],
        institution_id=row["institution_id"],
        is_public=not row["is_hidden"] and row["deleted_at"] is None,
        stage=_stage(row),
        is_withdrawn=row["status"] == S.WITHDRAWN,
        answered_at=answered_at,
        answer_hours=hours,
        answered_on_time=row["first_met_deadline"],
        refreshed_at=now,
    )


_FACT_FIELDS = [
    field.name for field in ProposalFact._meta.concrete_fields if field.name != "proposal"
]


def write_facts(proposal_ids=None) -> int:
    """Write the facts of these proposals (all of them when None), in chunks
    by id. Returns how many were written."""
    now = timezone.now()
    written = 0
    if proposal_ids is not None:
        ids = sorted(set(proposal_ids))
        chunks = (ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK))
        for chunk in chunks:
            written += _upsert([_fact(row, now) for row in _annotated().filter(pk__in=chunk)])
        return written
    last = 0
    while True:
        rows = list(_annotated().filter(pk__gt=last).order_by("pk")[:CHUNK])
        if not rows:
            return written
        written += _upsert([_fact(row, now) for row in rows])
        last = rows[-1]["pk"]


def _upsert(facts) -> int:
    ProposalFact.objects.bulk_create(
        facts,
        update_conflicts=True,
        unique_fields=["proposal"],
        update_fields=_FACT_FIELDS,
    )
    return len(facts)


def changed_since(since: datetime) -> set[int]:
    """Ids of the proposals whose figures may have changed since `since`."""
    ids = set(Proposal.objects.filter(updated_at__gte=since).values_list("pk", flat=True))
    ids.update(
        ProposalEvent.objects.filter(created_at__gte=since).values_list("proposal_id", flat=True)
    )
    ids.update(
        CardEvent.objects.filter(created_at__gte=since).values_list("card__proposal_id", flat=True)
    )
    ids.update(
        Answer.objects.filter(updated_at__gte=since).values_list(
            "assignment__proposal_id", flat=True
        )
    )
    ids.update(Debate.objects.filter(updated_at__gte=since).values_list("proposal_id", flat=True))
    ids.update(
        AgendaItem.objects.filter(Q(created_at__gte=since) | Q(decided_at__gte=since)).values_list(
            "proposal_id", flat=True
        )
    )
    ids.update(
        ThemeProposal.objects.filter(created_at__gte=since).values_list("proposal_id", flat=True)
    )
    ids.discard(None)
    return ids


# The facts' column each dimension's key is read from.
DIMENSION_SOURCES = {
    Dimension.CATEGORY: "category__code",
    Dimension.DISTRICT: "district",
    Dimension.DEPARTMENT: "department__code",
    Dimension.THEME: "theme_id",
    Dimension.INSTITUTION: "institution__slug",
}


def _stage_counts():
    return {field: Count("pk", filter=Q(stage__gte=stage)) for stage, field in STAGE_FIELDS.items()}


def rebuild_tallies() -> int:
    """Every tally from the public facts, counted in SQL (one GROUP BY per
    dimension). Runs inside the caller's transaction."""
    public = ProposalFact.objects.filter(is_public=True)
    rows = []
    grouped = public.values("year", "month").annotate(**_stage_counts()).order_by()
    rows += [Tally(dimension=Dimension.ALL, key="", **row) for row in grouped]
    for dimension, source in DIMENSION_SOURCES.items():
        grouped = (
            public.exclude(**{f"{source.split('__')[0]}__isnull": True})
            if dimension != Dimension.DISTRICT
            else public
        )
        grouped = grouped.values(source, "year", "month").annotate(**_stage_counts()).order_by()
        for row in grouped:
            key = row.pop(source)
            rows.append(Tally(dimension=dimension, key=str(key or ""), **row))
    Tally.objects.all().delete()
    Tally.objects.bulk_create(rows, batch_size=2_000)
    return len(rows)


def _median_hours(values: list[int]) -> int | None:
    """The median in whole hours: with an even count, the mean of the two
    middle values, rounded half up (11.5 hours -> 12)."""
    if not values:
        return None
    return int(median(values) + 0.5)


def rebuild_timeliness() -> int:
    """Each department's answers per year of publication (and year 0, all
    years): count, on time, median hours; overdue now on year 0. Runs
    inside the caller's transaction."""
    answered = ProposalFact.objects.filter(
        answered_at__isnull=False, department__isnull=False, is_public=True
    )
    count: dict[tuple[int, int], int] = defaultdict(int)
    hours: dict[tuple[int, int], list[int]] = defaultdict(list)
    on_time: dict[tuple[int, int], int] = defaultdict(int)
    # One narrow row per answered proposal (a few tens of thousands at full
    # scale), read in chunks: the median needs the values themselves, and
    # SQLite, the embedded default, has no percentile function.
    for department, answered_at, spent, met in answered.values_list(
        "department_id", "answered_at", "answer_hours", "answered_on_time"
    ).iterator(chunk_size=CHUNK):
        year = _seoul(answered_at).year
        for key in ((department, year), (department, 0)):
            count[key] += 1
            if spent is not None:
                hours[key].append(spent)
            on_time[key] += bool(met)
    # Overdue now: assignments past their deadline on proposals the public
    # sees (a hidden proposal's lateness is not shown, as the proposal is not).
    overdue = dict(
        Assignment.objects.awaiting_answer()
        .filter(deadline__lt=timezone.now(), proposal__is_hidden=False)
        .values("department_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("department_id", "n")
    )
    for department in overdue:
        count.setdefault((department, 0), 0)
    rows = [
        DepartmentTimeliness(
            department_id=department,
            year=year,
            answered=n,
            on_time=on_time.get((department, year), 0),
            median_hours=_median_hours(hours.get((department, year), [])),
            overdue_now=overdue.get(department, 0) if year == 0 else 0,
        )
        for (department, year), n in count.items()
    ]
    DepartmentTimeliness.objects.all().delete()
    DepartmentTimeliness.objects.bulk_create(rows, batch_size=2_000)
    return len(rows)


# Any number, the same in every process: the lock two refreshes share.
_LOCK_ID = 15_0001


@contextmanager
def _one_refresh_at_a_time():
    """Two refreshes at once (the beat's and the nightly one, or a report's)
    would each read the last refresh, write the same facts and rebuild the
    tallies; the second waits for the first to finish and then counts from
    what the first committed. A session lock, taken before the refresh's
    transaction begins, so that transaction's snapshot is taken after the
    wait; a process that dies releases it with its connection."""
    if connection.vendor != "postgresql":
        yield  # SQLite, the embedded default, has one writer at a time.
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [_LOCK_ID])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_LOCK_ID])


def _one_snapshot() -> None:
    """Read every table as of one moment: the facts from the stage apps'
    tables, then the tallies from the facts, while proposals go on being
    written. Only where the refresh's own transaction begins (a test's or a
    caller's transaction keeps its view: the level is set before the first
    query or not at all)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")


def refresh(*, full: bool = False) -> Refresh:
    """Bring the figures up to date; idempotent. The facts of the changed
    proposals (all, when `full`, or when nothing was ever counted) are
    written, then the tallies and timeliness rebuilt from them, all in ONE
    transaction reading one snapshot: the figures (tallies) and their lists
    (facts) change together, so a figure always counts what its list shows.
    Refreshes run one at a time. A proposal changed while a refresh runs is
    picked up by the next one (its time is after this one's start); one
    hard-deleted meanwhile may end the refresh with a serialization failure
    (an OperationalError, which the task retries). Call it outside a read-only
    snapshot (oasis.snapshot): it writes."""
    with _one_refresh_at_a_time():
        clock = time.monotonic()
        outermost = not connection.in_atomic_block
        started = timezone.now()
        with transaction.atomic():
            if outermost:
                _one_snapshot()
            last = Refresh.objects.filter(finished_at__isnull=False).order_by("-started_at").first()
            if full or last is None:
                written = write_facts()
                full = True
            else:
                # A minute's overlap: a write that committed just after the
                # last refresh's snapshot still carries a time before it began.
                written = write_facts(changed_since(last.started_at - OVERLAP))
            rebuild_tallies()
            rebuild_timeliness()
            return Refresh.objects.create(
                started_at=started,
                finished_at=timezone.now(),
                full=full,
                facts_written=written,
                took_ms=int((time.monotonic() - clock) * 1000),
            )
