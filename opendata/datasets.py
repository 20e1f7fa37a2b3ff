"""The open datasets: what each bulk file holds, column by column.

`DATASETS` is the registry the build (opendata/build.py), the /open-data/
page and the data dictionary all read. Each dataset says what it is (title,
description), its columns (name, type, description and how the value is
read from a row) and where its rows come from.

What goes in is what the public site shows (issue 15's rules): public
proposals only (not hidden, not in the trash), public timeline rows,
published answers, visible debates, agenda decisions, the cards and
submitted progress reports of public proposals, published or closed polls,
and a poll's results only once `polls.results.results_public` says so. No
personal data: no member, official or expert by name or id; departments by
code and name. Arguments, comments and short-text poll answers are people's
words tied to accounts and are left out.

Rows are read with `.values()` (or, for the timeline, whose words are
written when read, model rows limited to the public fields) through
`iterator(chunk_size=CHUNK)`, so the build never holds a table in memory;
labels of choices are written in the active language (the build writes
Korean)."""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.districts import District
from accounts.roles import Role
from answers.models import Answer, AnswerDecision, AnswerStatus, RefusalBasisKind
from debates.models import Debate, DebateStatus
from meetings.models import AgendaDecision, AgendaItem, RealizationMeetingStatus
from polls.models import Choice, Poll, PollKind, PollStatus, QuestionKind
from polls.results import results_public, shares
from polls.rules import PUBLIC_STATUSES
from proposals import event_texts
from proposals.models import (
    MODERATION_REASON_KINDS,
    EventKind,
    Proposal,
    ProposalEvent,
    ProposalStatus,
)
from stats import figures
from stats.models import Dimension, Stage
from tracking.models import CardKind, CardStage, ManagementCard, ProgressReport, ReportStatus

CHUNK = 2_000

# Column types, as the dictionary names them.
INTEGER = "integer"
DECIMAL = "decimal"
TEXT = "string"
BOOLEAN = "boolean"
DATETIME = "datetime"
DATE = "date"
TYPE_DESCRIPTIONS = {
    INTEGER: _("A whole number."),
    DECIMAL: _("A number with a decimal point."),
    TEXT: _("Text."),
    BOOLEAN: _("true or false (empty when not known)."),
    DATETIME: _("Date and time, ISO 8601 with the offset of Seoul time (+09:00)."),
    DATE: _("A date, ISO 8601 (YYYY-MM-DD)."),
}


def field(name: str) -> Callable[[dict], object]:
    return lambda row: row[name]


def label_of(choices, name: str) -> Callable[[dict], str]:
    """The label of the code in `row[name]`, in the active language ("" for
    an empty or unknown code)."""
    labels = dict(choices.choices)

    def read(row):
        label = labels.get(row[name])
        return str(label) if label is not None else ""

    return read


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: Promise
    # How the value is read from one row of the dataset's `rows()`; by
    # default the row's value of the same name.
    read: Callable[[dict], object] | None = None

    def value(self, row: dict):
        return self.read(row) if self.read else row.get(self.name)


@dataclass(frozen=True)
class Dataset:
    key: str
    title: Promise
    description: Promise
    columns: tuple[Column, ...]
    # The rows, read in chunks: dicts from which each column reads its value.
    rows: Callable[[], Iterable[dict]]

    def records(self) -> Iterator[list]:
        """Each row as its columns' values, in column order."""
        for row in self.rows():
            yield [column.value(row) for column in self.columns]


def _chunks(iterable: Iterable, size: int = CHUNK) -> Iterator[list]:
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _public_proposal(prefix: str = "") -> dict:
    return {f"{prefix}deleted_at__isnull": True, f"{prefix}is_hidden": False}


# --- proposals ------------------------------------------------------------------------


def _proposal_rows():
    return (
        Proposal.objects.public()
        .order_by("pk")
        .values(
            "id",
            "title",
            "body",
            "category__code",
            "category__name",
            "district",
            "status",
            "department__code",
            "department__name",
            "institution__slug",
            "institution__name",
            "fact__stage",
            "endorsement_count",
            "comment_count",
            "view_count",
            "created_at",
            "endorsement_deadline",
            "withdrawn_at",
        )
        .iterator(chunk_size=CHUNK)
    )


PROPOSAL_ID = Column(
    "proposal_id", INTEGER, _("The proposal's number, as in its address /proposals/<number>/.")
)
CATEGORY = Column("category", TEXT, _("The policy category's code."), field("category__code"))
CATEGORY_NAME = Column(
    "category_name", TEXT, _("The policy category's name."), field("category__name")
)
DEPARTMENT = Column(
    "department",
    TEXT,
    _("The code of the city department concerned (empty: none yet)."),
    field("department__code"),
)
DEPARTMENT_NAME = Column(
    "department_name", TEXT, _("The department's name."), field("department__name")
)


def _stage_label(row):
    stage = row["fact__stage"]
    return str(Stage(stage).label) if stage is not None else ""


PROPOSALS = Dataset(
    key="proposals",
    title=_("Proposals"),
    description=_(
        "Every public proposal (not hidden, not in the trash), with where it stands and its counts. Withdrawn proposals are included with their date."
    ),
    columns=(
        Column("proposal_id", INTEGER, PROPOSAL_ID.description, field("id")),
        Column("title", TEXT, _("The title as the proposer wrote it.")),
        Column("body", TEXT, _("The proposal as the proposer wrote it.")),
        CATEGORY,
        CATEGORY_NAME,
        Column("district", TEXT, _("The district's code (empty: the whole city).")),
        Column("district_name", TEXT, _("The district's name."), label_of(District, "district")),
        Column("status", TEXT, _("Where the proposal stands now (code).")),
        Column(
            "status_name",
            TEXT,
            _("Where the proposal stands now."),
            label_of(ProposalStatus, "status"),
        ),
        Column(
            "stage",
            INTEGER,
            _(
                "The furthest stage reached, as the statistics count it: 0 received, 1 answered, 2 debated, 3 put to a realization meeting, 4 adopted, 5 completed (empty: not counted yet)."
            ),
            field("fact__stage"),
        ),
        Column("stage_name", TEXT, _("The furthest stage reached."), _stage_label),
        DEPARTMENT,
        DEPARTMENT_NAME,
        Column(
            "institution",
            TEXT,
            _(
                "The partner institution it is addressed to, by its address name as in /org/<name>/ (empty: the city)."
            ),
            field("institution__slug"),
        ),
        Column(
            "institution_name",
            TEXT,
            _("The partner institution's name (empty: the city)."),
            field("institution__name"),
        ),
        Column("endorsement_count", INTEGER, _("Number of endorsements.")),
        Column("comment_count", INTEGER, _("Number of comments.")),
        Column("view_count", INTEGER, _("Number of views (one per visitor per day).")),
        Column("created_at", DATETIME, _("When it was proposed.")),
        Column("endorsement_deadline", DATETIME, _("When endorsements close.")),
        Column(
            "withdrawn_at", DATETIME, _("When the proposer withdrew it (empty: not withdrawn).")
        ),
    ),
    rows=_proposal_rows,
)


# --- timeline -------------------------------------------------------------------------

# What a timeline row is read with: never the actor (a person).
TIMELINE_FIELDS = (
    "id",
    "proposal",
    "kind",
    "actor_role",
    "actor_department__code",
    "from_status",
    "to_status",
    "reason",
    "params",
    "created_at",
)


def _timeline_rows():
    events = (
        ProposalEvent.objects.filter(is_public=True, **_public_proposal("proposal__"))
        .select_related("actor_department")
        .only(*TIMELINE_FIELDS)
        .order_by("pk")
        .iterator(chunk_size=CHUNK)
    )
    for chunk in _chunks(events):
        # The system's words of a chunk, each name looked up once.
        event_texts.prepare(chunk)
        for event in chunk:
            yield {
                "event_id": event.pk,
                "proposal_id": event.proposal_id,
                "kind": event.kind,
                "actor_role": event.actor_role,
                "department": event.actor_department.code if event.actor_department else "",
                "from_status": event.from_status,
                "to_status": event.to_status,
                "text": event.words if event.kind in MODERATION_REASON_KINDS else event.text,
                "created_at": event.created_at,
            }


TIMELINE = Dataset(
    key="timeline",
    title=_("Proposal timelines"),
    description=_(
        "Every public step of every public proposal's timeline, oldest first, as the proposal's page shows it."
    ),
    columns=(
        Column("event_id", INTEGER, _("The step's number.")),
        PROPOSAL_ID,
        Column("kind", TEXT, _("What happened (code).")),
        Column("kind_name", TEXT, _("What happened."), label_of(EventKind, "kind")),
        Column(
            "actor_role",
            TEXT,
            _("The role of who took the step (code; empty: the system or the proposer)."),
        ),
        Column(
            "actor_role_name",
            TEXT,
            _("The role of who took the step."),
            label_of(Role, "actor_role"),
        ),
        Column(
            "department", TEXT, _("The code of the department that took the step (empty: none).")
        ),
        Column("from_status", TEXT, _("The status before the step (code; empty: unchanged).")),
        Column(
            "from_status_name",
            TEXT,
            _("The status before the step."),
            label_of(ProposalStatus, "from_status"),
        ),
        Column("to_status", TEXT, _("The status after the step (code; empty: unchanged).")),
        Column(
            "to_status_name",
            TEXT,
            _("The status after the step."),
            label_of(ProposalStatus, "to_status"),
        ),
        Column(
            "text",
            TEXT,
            _(
                "What the timeline says about the step, with the reason given when a person gave one."
            ),
        ),
        Column("created_at", DATETIME, _("When.")),
    ),
    rows=_timeline_rows,
)


# --- answers --------------------------------------------------------------------------


def _answer_rows():
    return (
        Answer.objects.filter(
            status=AnswerStatus.PUBLISHED, **_public_proposal("assignment__proposal__")
        )
        .order_by("pk")
        .values(
            "id",
            "assignment__proposal_id",
            "assignment__department__code",
            "assignment__department__name",
            "decision",
            "summary",
            "necessity",
            "effectiveness",
            "feasibility",
            "estimated_budget",
            "refusal_basis_kind",
            "refusal_basis",
            "assignment__assigned_at",
            "assignment__deadline",
            "published_at",
            "met_deadline",
            "amended_at",
        )
        .iterator(chunk_size=CHUNK)
    )


ANSWERS = Dataset(
    key="answers",
    title=_("Department answers"),
    description=_(
        "Every published department answer to a public proposal, as it reads now (amendments approved included)."
    ),
    columns=(
        Column("answer_id", INTEGER, _("The answer's number."), field("id")),
        Column("proposal_id", INTEGER, PROPOSAL_ID.description, field("assignment__proposal_id")),
        Column(
            "department",
            TEXT,
            _("The answering department's code."),
            field("assignment__department__code"),
        ),
        Column(
            "department_name",
            TEXT,
            _("The answering department's name."),
            field("assignment__department__name"),
        ),
        Column("decision", TEXT, _("The decision (code).")),
        Column("decision_name", TEXT, _("The decision."), label_of(AnswerDecision, "decision")),
        Column("summary", TEXT, _("The answer in short.")),
        Column("necessity", TEXT, _("The department's view of the need.")),
        Column("effectiveness", TEXT, _("The department's view of the effect.")),
        Column("feasibility", TEXT, _("The department's view of the feasibility.")),
        Column("estimated_budget", INTEGER, _("Estimated budget in won (empty: not given).")),
        Column(
            "refusal_basis_kind",
            TEXT,
            _("For an answer not accepting: what stands in the way (code)."),
        ),
        Column(
            "refusal_basis_kind_name",
            TEXT,
            _("What stands in the way."),
            label_of(RefusalBasisKind, "refusal_basis_kind"),
        ),
        Column("refusal_basis", TEXT, _("The basis for not accepting, in plain words.")),
        Column(
            "assigned_at",
            DATETIME,
            _("When the department was asked to answer."),
            field("assignment__assigned_at"),
        ),
        Column("deadline", DATETIME, _("When the answer was due."), field("assignment__deadline")),
        Column("published_at", DATETIME, _("When the answer was published.")),
        Column("met_deadline", BOOLEAN, _("Whether it was published by the deadline.")),
        Column(
            "amended_at",
            DATETIME,
            _("When an approved amendment last changed it (empty: as first published)."),
        ),
    ),
    rows=_answer_rows,
)


# --- debates --------------------------------------------------------------------------


def _debate_rows():
    for row in (
        Debate.objects.visible()
        .order_by("pk")
        .values(
            "id",
            "proposal_id",
            "status",
            "starts_at",
            "ends_at",
            "closed_at",
            "close_reason",
            "for_count",
            "against_count",
            "undecided_count",
            "summary",
            "summary_published_at",
        )
        .iterator(chunk_size=CHUNK)
    ):
        # The results are public once published, not while being written.
        if row["summary_published_at"] is None:
            row["summary"] = ""
        yield row


DEBATES = Dataset(
    key="debates",
    title=_("Debates"),
    description=_(
        "Every debate on a public proposal with its stance counts and, once published, its results. Arguments are not included."
    ),
    columns=(
        Column(
            "debate_id",
            INTEGER,
            _("The debate's number, as in its address /debates/<number>/."),
            field("id"),
        ),
        PROPOSAL_ID,
        Column("status", TEXT, _("Open or closed (code).")),
        Column("status_name", TEXT, _("Open or closed."), label_of(DebateStatus, "status")),
        Column("starts_at", DATETIME, _("When the debate opened.")),
        Column("ends_at", DATETIME, _("When the debate ends or ended.")),
        Column("closed_at", DATETIME, _("When it was closed (empty: still open).")),
        Column("close_reason", TEXT, _("Why it was closed early, if it was.")),
        Column("for_count", INTEGER, _("Members for.")),
        Column("against_count", INTEGER, _("Members against.")),
        Column("undecided_count", INTEGER, _("Members undecided.")),
        Column("summary", TEXT, _("The debate's published results (empty: not published yet).")),
        Column("summary_published_at", DATETIME, _("When the results were published.")),
    ),
    rows=_debate_rows,
)


# --- meetings -------------------------------------------------------------------------


def _meeting_rows():
    return (
        AgendaItem.objects.filter(**_public_proposal("proposal__"))
        .order_by("meeting__scheduled_at", "meeting_id", "position", "pk")
        .values(
            "id",
            "meeting_id",
            "meeting__number",
            "meeting__scheduled_at",
            "meeting__place",
            "meeting__status",
            "position",
            "proposal_id",
            "proposal__department__code",
            "decision",
            "reason",
            "conditions",
            "decided_at",
        )
        .iterator(chunk_size=CHUNK)
    )


MEETINGS = Dataset(
    key="meetings",
    title=_("Realization meetings and their decisions"),
    description=_(
        "Every item of every realization meeting's agenda (public proposals), in order, with the meeting's decision and its reason."
    ),
    columns=(
        Column("item_id", INTEGER, _("The agenda item's number."), field("id")),
        Column(
            "meeting_id", INTEGER, _("The meeting's number in its address /meetings/<number>/.")
        ),
        Column(
            "meeting_number",
            INTEGER,
            _("The N of realization meeting no. N."),
            field("meeting__number"),
        ),
        Column(
            "meeting_at",
            DATETIME,
            _("When the meeting is or was held."),
            field("meeting__scheduled_at"),
        ),
        Column("meeting_place", TEXT, _("Where."), field("meeting__place")),
        Column("meeting_status", TEXT, _("Scheduled or held (code)."), field("meeting__status")),
        Column(
            "meeting_status_name",
            TEXT,
            _("Scheduled or held."),
            label_of(RealizationMeetingStatus, "meeting__status"),
        ),
        Column("position", INTEGER, _("The item's place on the agenda.")),
        PROPOSAL_ID,
        Column(
            "department",
            TEXT,
            _("The code of the proposal's department."),
            field("proposal__department__code"),
        ),
        Column("decision", TEXT, _("The meeting's decision (code).")),
        Column(
            "decision_name",
            TEXT,
            _("The meeting's decision."),
            label_of(AgendaDecision, "decision"),
        ),
        Column("reason", TEXT, _("The reason for the decision.")),
        Column("conditions", TEXT, _("Conditions the meeting set.")),
        Column("decided_at", DATETIME, _("When the decision was recorded.")),
    ),
    rows=_meeting_rows,
)


# --- adopted items and their reports --------------------------------------------------


def _card_rows():
    for row in (
        ManagementCard.objects.filter(**_public_proposal("proposal__"))
        .order_by("pk")
        .values(
            "id",
            "proposal_id",
            "kind",
            "department__code",
            "department__name",
            "stage",
            "percent_complete",
            "conditions",
            "target_date",
            "suspended_reason",
            "stage_changed_at",
            "created_at",
        )
        .iterator(chunk_size=CHUNK)
    ):
        # The page shows why only while the item is suspended.
        if row["stage"] != CardStage.SUSPENDED:
            row["suspended_reason"] = ""
        yield row


ADOPTED = Dataset(
    key="adopted",
    title=_("Adopted items and department promises"),
    description=_(
        "The management card of every adopted item (and of every department promise), with its stage and progress."
    ),
    columns=(
        Column(
            "card_id",
            INTEGER,
            _("The card's number, as in its address /adopted/<number>/."),
            field("id"),
        ),
        PROPOSAL_ID,
        Column("kind", TEXT, _("Adopted item or department promise (code).")),
        Column(
            "kind_name", TEXT, _("Adopted item or department promise."), label_of(CardKind, "kind")
        ),
        DEPARTMENT,
        DEPARTMENT_NAME,
        Column("stage", TEXT, _("How far the work has got (code).")),
        Column("stage_name", TEXT, _("How far the work has got."), label_of(CardStage, "stage")),
        Column("percent_complete", INTEGER, _("Progress in percent, as last reported.")),
        Column("conditions", TEXT, _("Conditions set by the meeting.")),
        Column("target_date", DATE, _("The date the work should be done by.")),
        Column("suspended_reason", TEXT, _("Why the work is suspended (only while it is).")),
        Column("stage_changed_at", DATETIME, _("When the stage last changed.")),
        Column("created_at", DATETIME, _("When the card was opened.")),
    ),
    rows=_card_rows,
)


def _card_report_rows():
    return (
        ProgressReport.objects.filter(
            status=ReportStatus.SUBMITTED, **_public_proposal("card__proposal__")
        )
        .order_by("card_id", "period", "pk")
        .values(
            "id",
            "card_id",
            "card__proposal_id",
            "period",
            "submitted_at",
            "stage",
            "percent_complete",
            "done",
            "next_steps",
            "filed_early",
        )
        .iterator(chunk_size=CHUNK)
    )


CARD_REPORTS = Dataset(
    key="card_reports",
    title=_("Progress reports of adopted items"),
    description=_("Every submitted progress report of an adopted item or a department promise."),
    columns=(
        Column("report_id", INTEGER, _("The report's number."), field("id")),
        Column("card_id", INTEGER, _("The card's number (see the adopted items).")),
        Column("proposal_id", INTEGER, PROPOSAL_ID.description, field("card__proposal_id")),
        Column("period", INTEGER, _("Which report of the card (1, 2, …).")),
        Column("submitted_at", DATETIME, _("When the department submitted it.")),
        Column("stage", TEXT, _("The stage it reported (code).")),
        Column("stage_name", TEXT, _("The stage it reported."), label_of(CardStage, "stage")),
        Column("percent_complete", INTEGER, _("Progress in percent it reported.")),
        Column("done", TEXT, _("What was done.")),
        Column("next_steps", TEXT, _("Next steps.")),
        Column("filed_early", BOOLEAN, _("Filed before it was asked for.")),
    ),
    rows=_card_report_rows,
)


# --- polls ----------------------------------------------------------------------------

POLL_FIELDS = (
    "id",
    "title",
    "summary",
    "kind",
    "status",
    "department__code",
    "department__name",
    "starts_at",
    "ends_at",
    "closed_at",
    "results_shown",
    "voter_count",
    "response",
    "response_published_at",
)


def _poll_rows():
    now = timezone.now()
    for row in (
        Poll.objects.filter(status__in=PUBLIC_STATUSES)
        .order_by("pk")
        .values(*POLL_FIELDS)
        .iterator(chunk_size=CHUNK)
    ):
        row["results_public"] = results_public(_poll_stub(row), now)
        if row["response_published_at"] is None:
            row["response"] = ""
        yield row


def _poll_stub(row: dict) -> Poll:
    """What `results_public` reads of a poll, from a values() row."""
    return Poll(
        status=row["status"],
        kind=row["kind"],
        results_shown=row["results_shown"],
        starts_at=row["starts_at"],
        ends_at=row["ends_at"],
    )


POLL_ID = Column("poll_id", INTEGER, _("The poll's number, as in its address /polls/<number>/."))

POLLS = Dataset(
    key="polls",
    title=_("City polls"),
    description=_(
        "Every published or closed city poll (서울시가 묻습니다), with its number of voters and the department's response."
    ),
    columns=(
        Column("poll_id", INTEGER, POLL_ID.description, field("id")),
        Column("title", TEXT, _("The poll's title.")),
        Column("summary", TEXT, _("The poll's summary.")),
        Column("kind", TEXT, _("The kind of poll (code).")),
        Column("kind_name", TEXT, _("The kind of poll."), label_of(PollKind, "kind")),
        Column("status", TEXT, _("Published (open or waiting to close) or closed (code).")),
        Column("status_name", TEXT, _("Published or closed."), label_of(PollStatus, "status")),
        Column(
            "department",
            TEXT,
            _("The code of the department that asks."),
            field("department__code"),
        ),
        Column("department_name", TEXT, _("The department's name."), field("department__name")),
        Column("starts_at", DATETIME, _("When voting opens.")),
        Column("ends_at", DATETIME, _("When voting closes.")),
        Column("closed_at", DATETIME, _("When it was closed.")),
        Column("voter_count", INTEGER, _("Number of members who voted.")),
        Column(
            "results_public", BOOLEAN, _("Whether its results are public now (see poll_results).")
        ),
        Column("response", TEXT, _("The department's published response to the results.")),
        Column("response_published_at", DATETIME, _("When the response was published.")),
    ),
    rows=_poll_rows,
)


def _poll_result_rows():
    now = timezone.now()
    public_ids = [
        row["id"]
        for row in Poll.objects.filter(status__in=PUBLIC_STATUSES)
        .values("id", "status", "kind", "results_shown", "starts_at", "ends_at")
        .iterator(chunk_size=CHUNK)
        if results_public(_poll_stub(row), now)
    ]
    for ids in _chunks(public_ids, 500):
        choices = list(
            Choice.objects.filter(question__poll_id__in=ids)
            .order_by("question__poll_id", "question__position", "question_id", "position", "pk")
            .values(
                "id",
                "question_id",
                "question__poll_id",
                "question__position",
                "question__text",
                "question__kind",
                "question__answer_count",
                "position",
                "label",
                "code",
                "vote_count",
            )
        )
        by_question: dict[int, list[dict]] = {}
        for choice in choices:
            by_question.setdefault(choice["question_id"], []).append(choice)
        for rows in by_question.values():
            first = rows[0]
            # Shares as the results page shows them: of those who answered
            # the question, adding up to 100 where each gave one choice.
            counted = shares(
                [row["vote_count"] for row in rows],
                first["question__answer_count"],
                adds_up=first["question__kind"] != QuestionKind.MULTIPLE,
            )
            for row, share in zip(rows, counted, strict=True):
                row["share_percent"] = share.percent
                yield row


POLL_RESULTS = Dataset(
    key="poll_results",
    title=_("City poll results"),
    description=_(
        "The votes for each choice of each question of the polls whose results are public. Short text answers are not included."
    ),
    columns=(
        Column("poll_id", INTEGER, POLL_ID.description, field("question__poll_id")),
        Column("question_id", INTEGER, _("The question's number.")),
        Column(
            "question_position",
            INTEGER,
            _("The question's place in the poll."),
            field("question__position"),
        ),
        Column("question", TEXT, _("The question."), field("question__text")),
        Column("question_kind", TEXT, _("One choice or several (code)."), field("question__kind")),
        Column(
            "question_kind_name",
            TEXT,
            _("One choice or several."),
            label_of(QuestionKind, "question__kind"),
        ),
        Column(
            "question_answer_count",
            INTEGER,
            _("Members who answered the question."),
            field("question__answer_count"),
        ),
        Column("choice_id", INTEGER, _("The choice's number."), field("id")),
        Column(
            "choice_position", INTEGER, _("The choice's place in the question."), field("position")
        ),
        Column("choice", TEXT, _("The choice."), field("label")),
        Column(
            "choice_code",
            TEXT,
            _("For a yes-or-no poll: for, against or other (code)."),
            field("code"),
        ),
        Column("votes", INTEGER, _("Votes for the choice."), field("vote_count")),
        Column(
            "share_percent",
            DECIMAL,
            _(
                "The votes as a share of those who answered, in percent (one decimal), as the results page shows it."
            ),
        ),
    ),
    rows=_poll_result_rows,
)


# --- statistics -----------------------------------------------------------------------


STATISTICS = Dataset(
    key="statistics",
    title=_("Monthly statistics"),
    description=_(
        "Public proposals received each month (Seoul time), counted along each dimension, and how many of them reached each stage at least, as on the statistics pages."
    ),
    columns=(
        Column(
            "dimension",
            TEXT,
            _("What the row is counted by: all, category, district, department or theme (code)."),
        ),
        Column(
            "dimension_name",
            TEXT,
            _("What the row is counted by."),
            label_of(Dimension, "dimension"),
        ),
        Column(
            "key",
            TEXT,
            _(
                "The category's, district's or department's code or the theme's number (empty: all proposals, or the whole city for districts)."
            ),
        ),
        Column("key_name", TEXT, _("The name of what the key stands for."), field("label")),
        Column("year", INTEGER, _("The year the proposals were received.")),
        Column("month", INTEGER, _("The month the proposals were received (1–12).")),
        Column("received", INTEGER, _("Proposals received.")),
        Column("answered", INTEGER, _("Of them, answered by the department.")),
        Column("debated", INTEGER, _("Of them, debated.")),
        Column("on_agenda", INTEGER, _("Of them, put to a realization meeting.")),
        Column("adopted", INTEGER, _("Of them, adopted.")),
        Column("completed", INTEGER, _("Of them, completed.")),
        Column("adoption_rate", DECIMAL, _("Adopted per received, in percent (two decimals).")),
    ),
    rows=figures.monthly_tallies,
)


def _timeliness_rows():
    for year in [None, *figures.years()]:
        for row in figures.timeliness(year):
            yield {
                "department": row.department.code,
                "department_name": row.department.name,
                "year": year,
                "answered": row.answered,
                "on_time": row.on_time,
                "on_time_share": row.on_time_share,
                "median_days": row.median_days,
                "overdue_now": row.overdue_now,
            }


TIMELINESS = Dataset(
    key="timeliness",
    title=_("Department answer timeliness"),
    description=_(
        "Each department's answers: how many were published, how many on time and how long they took, for all years and for each year."
    ),
    columns=(
        Column("department", TEXT, _("The department's code.")),
        Column("department_name", TEXT, _("The department's name.")),
        Column("year", INTEGER, _("The year the answers were published (empty: all years).")),
        Column("answered", INTEGER, _("Answers published.")),
        Column("on_time", INTEGER, _("Of them, published by the deadline.")),
        Column("on_time_share", DECIMAL, _("On time per published, in percent (one decimal).")),
        Column(
            "median_days", DECIMAL, _("The median number of days from the request to the answer.")
        ),
        Column("overdue_now", INTEGER, _("Answers overdue at the last count.")),
    ),
    rows=_timeliness_rows,
)


DATASETS: dict[str, Dataset] = {
    dataset.key: dataset
    for dataset in (
        PROPOSALS,
        TIMELINE,
        ANSWERS,
        DEBATES,
        MEETINGS,
        ADOPTED,
        CARD_REPORTS,
        POLLS,
        POLL_RESULTS,
        STATISTICS,
        TIMELINESS,
    )
}

FORMATS = ("csv", "json")


def cell_text(value) -> object:
    """A value as the files write it: datetimes in Seoul time with the
    offset, dates as ISO dates, everything else as it is."""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value
