"""The benchmark world: Oasis at ten years' size, written straight into
PostgreSQL with COPY.

At scale 1 (the portal's own size, issue 10): 170,000 proposals, 2,000,000
endorsements skewed like real attention (a Zipf-like law: a few proposals
hold most of them) with one hot proposal holding ~69,000 endorsements and
1,974 comments, 500,000 comments and 70,000 members; and everything the
measured pages show: departments and their answers, debates with stances and
arguments, working reviews, realization meetings with agendas, adopted items
with management cards, and every proposal's timeline. Every count scales
with --scale; the calendar (ten years, a meeting every two months) does not.

Why COPY and not the services: the services are measured by the benchmark,
not used to build its world; going through them a row at a time would take
hours. So this module states the pipeline's rules itself and the end of the
fill checks them (bench.check): each denormalised counter equals its rows,
each status has the records its stage writes, and nothing is left due for a
promotion the conductor would make.

Rows carry explicit ids (so rows can point at each other without asking the
database) and the sequences are moved past them at the end. While copying,
the plain indexes of the big tables are dropped and rebuilt after (one sort
instead of millions of inserts), and foreign-key triggers are off
(session_replication_role = replica); bench.check looks for orphans. Every
value is stated here, so a column that the database would derive with a
trigger must be derived here too (a GeneratedField needs nothing)."""

import json
import math
import random
import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth.models import Group
from django.core.management.color import no_style
from django.db import connection
from django.utils import timezone

from accounts import legal
from accounts.models import ConsentRecord, ConsentVia, Department, User
from accounts.roles import Role
from accounts.services import user_set_roles
from answers.models import Answer, AnswerStatus, Assignment
from debates.models import Argument, Debate, DebateStatus, Stance
from demo.datafiles import read
from demo.members import CATEGORIES, DEPARTMENT_OFFICIALS, DEPARTMENTS, OPERATOR_DEPARTMENT
from meetings.models import (
    AgendaDecision,
    AgendaItem,
    RealizationMeeting,
    RealizationMeetingStatus,
    ReviewDecision,
    WorkingReview,
    WorkingReviewStatus,
)
from proposals.models import (
    Category,
    Comment,
    Endorsement,
    EventKind,
    PipelineSettings,
    Proposal,
    ProposalEvent,
    ProposalStatus,
    Tag,
)
from proposals.similarity import terms_of, terms_of_many
from proposals.text import compact
from stats.refresh import refresh
from tracking.models import CardEvent, CardEventKind, CardStage, ManagementCard

from .texts import TextPools

S = ProposalStatus

# Scale 1, from issue 10.
FULL = {
    "members": 70_000,
    "proposals": 170_000,
    "endorsements": 2_000_000,
    "comments": 500_000,
    "hot_endorsements": 69_000,
    "hot_comments": 1_974,
}
YEARS = 10
EMAIL_DOMAIN = "bench.oasis.kr"
OPERATOR_EMAIL = f"operator@{EMAIL_DOMAIN}"
# One unusable password for every generated member: nobody logs in with a
# password (the harness makes sessions), and hashing 70,000 would take minutes.
UNUSABLE_PASSWORD = "!bench-no-password"  # nosec B105  # not a password: unusable marker
# The title the harness finds the hot proposal by (besides its count).
HOT_TITLE = "한강 다리 위에 걷고 머무는 보행 공원을 만들어 주세요"
FRESH_TITLE = "주말마다 붐비는 한강공원에 그늘 쉼터를 늘려 주세요"


def scaled(scale: float) -> dict[str, int]:
    sizes = {name: max(1, round(n * scale)) for name, n in FULL.items()}
    sizes["members"] = max(sizes["members"], 200)
    sizes["proposals"] = max(sizes["proposals"], 100)
    sizes["hot_endorsements"] = min(sizes["hot_endorsements"], sizes["members"])
    return sizes


@dataclass
class Report:
    sizes: dict
    timings: dict = field(default_factory=dict)
    rows: dict = field(default_factory=dict)
    hot_proposal_id: int = 0
    fresh_proposal_id: int = 0


class Timer:
    def __init__(self, report: Report, out):
        self.report = report
        self.out = out
        self.start = time.monotonic()
        self.last = self.start

    def lap(self, name: str):
        now = time.monotonic()
        self.report.timings[name] = round(now - self.last, 2)
        self.out(f"  {name}: {now - self.last:.1f} s")
        self.last = now

    def total(self):
        self.report.timings["total"] = round(time.monotonic() - self.start, 2)


# --- COPY ----------------------------------------------------------------------


def _constant_for(model_field, now):
    """What a column not given per row holds: the model's default, or now for
    auto timestamps, computed once."""
    if getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False):
        value = now
    elif model_field.has_default():
        value = model_field.get_default()
    elif model_field.null:
        value = None
    elif model_field.get_internal_type() in ("CharField", "TextField", "SlugField", "EmailField"):
        value = ""
    else:
        raise ValueError(f"{model_field} needs a value per row")
    return model_field.get_db_prep_save(value, connection)


def copy_rows(model, names: list[str], rows, *, now) -> int:
    """COPY `rows` (tuples in the order of `names`, field attnames) into
    `model`'s table; every other column gets its constant default."""
    meta = model._meta
    given = set(names)
    # Columns the database computes (GeneratedField) or defaults itself
    # (db_default) are left to it.
    tail_fields = [
        f
        for f in meta.concrete_fields
        if f.attname not in given
        and not getattr(f, "generated", False)
        and (f.has_default() or not f.has_db_default())
    ]
    tail = tuple(_constant_for(f, now) for f in tail_fields)
    columns = [meta.get_field(n).column for n in names] + [f.column for f in tail_fields]
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no copy()
        with raw.copy(
            f"COPY {connection.ops.quote_name(meta.db_table)} ({quoted}) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row(row + tail)
                count += 1
    return count


def _plain_indexes(table: str) -> list[tuple[str, str]]:
    """(name, CREATE statement) of `table`'s indexes that back no constraint."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.relname, pg_get_indexdef(i.oid)
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_class t ON t.oid = x.indrelid
            WHERE t.relname = %s
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
            """,
            [table],
        )
        return cursor.fetchall()


class IndexesAside:
    """Drop the plain indexes of some tables while they are filled, and build
    them again afterwards (one sort each instead of one insert per row)."""

    def __init__(self, models):
        self.saved = []
        for model in models:
            self.saved += _plain_indexes(model._meta.db_table)

    def __enter__(self):
        with connection.cursor() as cursor:
            for name, _sql in self.saved:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        return self

    def __exit__(self, *exc):
        with connection.cursor() as cursor:
            for _name, sql in self.saved:
                cursor.execute(sql)
        return False


def reset_database(out) -> None:
    """Empty every table the portal writes (not the migrations, content
    types, permissions, groups or sites), restarting the ids."""
    keep = {
        "django_migrations",
        "django_content_type",
        "auth_permission",
        "auth_group",
        "auth_group_permissions",
        "django_site",
    }
    tables = [
        t for t in connection.introspection.django_table_names(only_existing=True) if t not in keep
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE "
            + ", ".join(connection.ops.quote_name(t) for t in tables)
            + " RESTART IDENTITY CASCADE"
        )
    out(f"  emptied {len(tables)} tables")


def reset_sequences(models) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _next_id(model) -> int:
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def _coprime_strides(n: int, rng: random.Random, count: int = 64) -> list[int]:
    """Steps that visit every one of n members once before repeating."""
    strides = []
    while len(strides) < count:
        step = rng.randrange(1, n)
        if math.gcd(step, n) == 1:
            strides.append(step)
    return strides


# --- the world -----------------------------------------------------------------


class World:
    def __init__(self, *, scale: float, seed: int = 10, out=print):
        self.scale = scale
        self.sizes = scaled(scale)
        self.rng = random.Random(seed)  # nosec B311  # made-up benchmark data, never a secret
        self.out = out
        self.now = timezone.now()
        self.start = self.now - timedelta(days=365 * YEARS)
        self.report = Report(sizes=self.sizes)
        self.texts = TextPools(seed=seed)
        self.settings = PipelineSettings.load()

    # Everything, in order; returns the report (sizes, timings, ids).
    def build(self) -> Report:
        timer = Timer(self.report, self.out)
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit = off")
            cursor.execute("SET maintenance_work_mem = '256MB'")
        self._reference_data()
        timer.lap("departments, categories, staff")
        self._members()
        timer.lap("members")
        self._plan_proposals()
        timer.lap("plan")
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
        big = [Proposal, Endorsement, Comment, ProposalEvent, Proposal.tags.through, Stance]
        with IndexesAside(big):
            self._write_proposals()
            timer.lap("proposals")
            self._write_endorsements()
            timer.lap("endorsements")
            self._write_comments()
            timer.lap("comments")
            self._write_stages()
            timer.lap("answers, debates, meetings, cards")
            self._write_events()
            timer.lap("timelines")
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = origin")
        timer.lap("indexes rebuilt")
        reset_sequences(
            [
                User,
                ConsentRecord,
                Proposal,
                Proposal.tags.through,
                Tag,
                Endorsement,
                Comment,
                ProposalEvent,
                Assignment,
                Answer,
                Debate,
                Stance,
                Argument,
                RealizationMeeting,
                WorkingReview,
                ReviewDecision,
                AgendaItem,
                ManagementCard,
                CardEvent,
            ]
        )
        timer.lap("sequences")
        # The open statistics count the world once, as the nightly refresh
        # does: the pages, the API and the reports read its summary tables.
        refresh(full=True)
        timer.lap("statistics (full refresh)")
        timer.total()
        return self.report

    # --- reference data and staff ----------------------------------------------

    def _reference_data(self):
        self.departments = {}
        for code, name, name_en in DEPARTMENTS:
            self.departments[code], _ = Department.objects.get_or_create(
                code=code, defaults={"name": name, "name_en": name_en}
            )
        self.categories = {}
        for position, (code, name, name_en, dept) in enumerate(CATEGORIES):
            self.categories[code], _ = Category.objects.get_or_create(
                code=code,
                defaults={
                    "name": name,
                    "name_en": name_en,
                    "default_department": self.departments[dept],
                    "position": (position + 1) * 10,
                },
            )
        for role in Role:
            Group.objects.get_or_create(name=str(role))
        # Staff: one official per department, and the operator the admin
        # list is measured as (given a TOTP authenticator by bench.sessions).
        self.officials = {}
        for number, (code, department) in enumerate(self.departments.items()):
            user, created = User.objects.get_or_create(
                email=f"official{number}@{EMAIL_DOMAIN}",
                defaults={
                    "display_name": DEPARTMENT_OFFICIALS.get(code, "공무원"),
                    "password": UNUSABLE_PASSWORD,
                },
            )
            if created:
                user_set_roles(user=user, roles={Role.OFFICIAL}, department=department)
            self.officials[department.pk] = user.pk
        operator, created = User.objects.get_or_create(
            email=OPERATOR_EMAIL,
            defaults={
                "display_name": "운영자",
                "password": UNUSABLE_PASSWORD,
                "is_superuser": True,
                "is_staff": True,
            },
        )
        if created:
            user_set_roles(
                user=operator,
                roles={Role.OPERATOR},
                department=self.departments[OPERATOR_DEPARTMENT[0]],
            )
        self.operator_id = operator.pk
        self.tags = {}
        next_tag = _next_id(Tag)
        rows = []
        existing = dict(Tag.objects.values_list("name", "pk"))
        for idea in read("ideas"):
            for name in idea["tags"]:
                if name in existing or name in self.tags:
                    self.tags[name] = existing.get(name, self.tags.get(name))
                    continue
                self.tags[name] = next_tag
                rows.append((next_tag, name))
                next_tag += 1
        copy_rows(Tag, ["id", "name"], rows, now=self.now)

    def _members(self):
        n = self.sizes["members"]
        self.member_base = _next_id(User)
        names = read("names")
        surnames = names["surnames"]
        given = [g for group in names["given"].values() for g in group]
        districts = list(read("places").keys())
        rng = self.rng
        span = (self.now - self.start).total_seconds()

        def users():
            for i in range(n):
                joined = self.start + timedelta(seconds=span * i / n)
                yield (
                    self.member_base + i,
                    f"m{i}@{EMAIL_DOMAIN}",
                    UNUSABLE_PASSWORD,
                    rng.choice(surnames) + rng.choice(given),
                    rng.choice(districts) if rng.random() < 0.7 else "",
                    joined,
                )

        self.report.rows["members"] = copy_rows(
            User,
            ["id", "email", "password", "display_name", "district", "date_joined"],
            users(),
            now=self.now,
        )
        terms = legal.required_version(legal.Kind.TERMS).version
        privacy = legal.required_version(legal.Kind.PRIVACY).version
        consent_base = _next_id(ConsentRecord)
        copy_rows(
            ConsentRecord,
            ["id", "user_id", "terms_version", "privacy_version", "via", "created_at"],
            (
                (
                    consent_base + i,
                    self.member_base + i,
                    terms,
                    privacy,
                    ConsentVia.SIGNUP,
                    self.now,
                )
                for i in range(n)
            ),
            now=self.now,
        )

    def member(self, index: int) -> int:
        return self.member_base + index % self.sizes["members"]

    # --- the plan: counts, dates and statuses -------------------------------------

    def _plan_proposals(self):
        rng = self.rng
        sizes = self.sizes
        n = sizes["proposals"]
        members = sizes["members"]
        self.proposal_base = _next_id(Proposal)
        span = self.now - self.start
        window = timedelta(days=self.settings.endorsement_window_days)
        created = [self.start + span * (i + 0.5) / n for i in range(n)]
        # The hot proposal went viral twelve days ago: assigned to its
        # department, still gathering endorsements. The fresh one was
        # posted an hour ago and is just below the answer bar, for a spike
        # that crosses it.
        hot = min(range(n), key=lambda i: abs((self.now - created[i]).days - 12))
        fresh = n - 1 if hot != n - 1 else n - 2
        created[fresh] = self.now - timedelta(hours=1)
        self.hot, self.fresh = hot, fresh
        endorsements = [0] * n
        endorsements[hot] = sizes["hot_endorsements"]
        # Five short of the answer bar: any spike on it crosses the bar, and
        # the conductor must promote it exactly once.
        endorsements[fresh] = min(members, max(0, self.settings.answer_threshold - 5))
        others = [i for i in range(n) if i not in (hot, fresh)]
        rng.shuffle(others)
        total = max(0, sizes["endorsements"] - sizes["hot_endorsements"] - endorsements[fresh])
        weights = [1.0 / (rank + 10) for rank in range(len(others))]
        weight_sum = sum(weights)
        for rank, index in enumerate(others):
            endorsements[index] = min(members, int(total * weights[rank] / weight_sum))
        short = total - sum(endorsements[i] for i in others)
        for index in others[: max(0, short)]:
            if endorsements[index] < members:
                endorsements[index] += 1
        self.endorsements = endorsements
        # Comments follow attention too, less steeply, plus a little for
        # everyone; the hot proposal's thread stays the longest.
        comments = [0] * n
        comments[hot] = min(sizes["hot_comments"], sizes["comments"])
        total_c = max(0, sizes["comments"] - comments[hot])
        # Below the hot thread, unless the world is too small to hold them so.
        cap = max(comments[hot] - 1, math.ceil(total_c / max(1, len(others))) + 1)
        cw = [endorsements[i] ** 0.75 + 1 for i in others]
        cw_sum = sum(cw)
        for index, weight in zip(others, cw, strict=True):
            comments[index] = min(cap, int(total_c * weight / cw_sum))
        short = total_c - sum(comments[i] for i in others)
        while short > 0:
            for index in rng.sample(others, k=min(len(others), short)):
                if comments[index] < cap:
                    comments[index] += 1
                    short -= 1
        self.comments = comments

        answer_bar = self.settings.answer_threshold
        debate_bar = self.settings.debate_threshold
        statuses = [S.OPEN] * n
        self.dates = {}  # index -> dict of step dates
        over_answer = [i for i in others if endorsements[i] >= answer_bar]
        over_answer.sort(key=lambda i: -endorsements[i])
        debated = {i for i in over_answer if endorsements[i] >= debate_bar}
        # At small scales few pass the debate bar: the operators promote
        # some by hand (as they may, for creativity), so that debates,
        # meetings and cards exist at every scale.
        for index in sorted(over_answer, key=lambda i: created[i]):
            if len(debated) >= 24:
                break
            debated.add(index)
        # And a few recent ones, so that some debate is open at every scale.
        debated.update(sorted(over_answer, key=lambda i: created[i])[-8:])
        self.hand_promoted = set()
        for index in others:
            c = created[index]
            steps = {"created": c}
            if index in over_answer or index in debated:
                steps["assigned"] = c + timedelta(days=2 + rng.random() * 5)
                steps["deadline"] = steps["assigned"] + timedelta(
                    days=self.settings.answer_deadline_days
                )
                answered = steps["assigned"] + timedelta(days=3 + rng.random() * 15)
                if answered > self.now:
                    statuses[index] = S.ASSIGNED
                else:
                    steps["answered"] = answered
                    statuses[index] = S.ANSWERED
                    if index in debated:
                        if endorsements[index] < debate_bar:
                            self.hand_promoted.add(index)
                        steps["debate"] = answered + timedelta(days=1)
                        statuses[index] = S.DEBATE
                        closes = steps["debate"] + timedelta(days=self.settings.debate_length_days)
                        if closes < self.now - timedelta(days=7):
                            steps["debate_closed"] = closes
                            steps["review"] = closes + timedelta(days=5)
                            statuses[index] = S.REVIEW
                        elif closes < self.now:
                            steps["debate_closed"] = closes
                    elif endorsements[index] >= debate_bar:
                        # Answered above the bar is due for a debate: the
                        # conductor would have opened it.
                        raise AssertionError("planned an answered proposal past the debate bar")
            else:
                deadline = c + window
                steps["deadline"] = deadline
                if deadline < self.now:
                    statuses[index] = S.NOT_REACHED
                    steps["not_reached"] = deadline
                if rng.random() < 0.01:
                    steps["withdrawn"] = min(self.now, c + timedelta(days=rng.random() * 40))
                    steps["from_status"] = (
                        S.NOT_REACHED
                        if "not_reached" in steps and steps["not_reached"] < steps["withdrawn"]
                        else S.OPEN
                    )
                    statuses[index] = S.WITHDRAWN
            self.dates[index] = steps
        hot_steps = {"created": created[hot]}
        hot_steps["assigned"] = created[hot] + timedelta(days=2)
        hot_steps["deadline"] = hot_steps["assigned"] + timedelta(
            days=self.settings.answer_deadline_days
        )
        self.dates[hot] = hot_steps
        statuses[hot] = S.ASSIGNED
        self.dates[fresh] = {"created": created[fresh], "deadline": created[fresh] + window}
        statuses[fresh] = S.OPEN
        self.created = created
        self.statuses = statuses
        self._plan_meetings()

    def _plan_meetings(self):
        """A realization meeting every two months for ten years and one to
        come; a working review two weeks before each. A proposal in review
        goes to the first working review after its debate results: selected
        ones go on that review's meeting (decided if it was held), the others
        end not selected."""
        rng = self.rng
        meetings = []
        when = self.start + timedelta(days=60)
        while when < self.now:
            meetings.append(when)
            when += timedelta(days=61)
        meetings.append(when)  # the next one, scheduled
        self.meeting_dates = meetings
        self.review_dates = [m - timedelta(days=14) for m in meetings]
        self.agenda = {}  # index -> (meeting number, selected, decision)
        for index, status in enumerate(self.statuses):
            if status != S.REVIEW:
                continue
            steps = self.dates[index]
            number = next(
                (
                    k
                    for k, review in enumerate(self.review_dates)
                    if review > steps["review"] and review < self.now
                ),
                None,
            )
            if number is None:
                continue  # waits for the next working review
            steps["reviewed"] = self.review_dates[number]
            selected = rng.random() < 0.8
            decision = None
            if not selected:
                self.statuses[index] = S.NOT_SELECTED
            elif self.meeting_dates[number] > self.now:
                self.statuses[index] = S.ON_AGENDA
            else:
                decision = (
                    AgendaDecision.ADOPTED if rng.random() < 0.7 else AgendaDecision.NOT_ADOPTED
                )
                self.statuses[index] = (
                    S.ADOPTED if decision == AgendaDecision.ADOPTED else S.NOT_ADOPTED
                )
                steps["decided"] = self.meeting_dates[number] + timedelta(hours=2)
            self.agenda[index] = (number, selected, decision)

    # --- writing ------------------------------------------------------------------

    def pid(self, index: int) -> int:
        return self.proposal_base + index

    def first_endorsed(self, index: int):
        created = self.created[index]
        return created + min(timedelta(hours=3), (self.now - created) / 2)

    def _write_proposals(self):
        rng = self.rng
        texts = self.texts.proposals
        pool_compact = [compact(" ".join([t, b, *tags])) for _c, _d, t, b, tags in texts]
        # Kiwi reads each pooled text once (4,000 of them, some seconds);
        # the rows reuse them as they reuse the texts (issue 16).
        pool_terms = terms_of_many((t, b) for _c, _d, t, b, _tags in texts)
        dept_of_category = {code: c.default_department_id for code, c in self.categories.items()}
        window = timedelta(days=self.settings.endorsement_window_days)
        self.department_of = {}
        tag_rows = []
        through_base = _next_id(Proposal.tags.through)

        def rows():
            nonlocal through_base
            for index in range(self.sizes["proposals"]):
                pick = rng.randrange(len(texts))
                category, district, title, body, tags = texts[pick]
                search = pool_compact[pick]
                terms = pool_terms[pick]
                if index == self.hot:
                    title = HOT_TITLE
                    search = compact(" ".join([title, body, *tags]))
                    terms = terms_of(title, body)
                elif index == self.fresh:
                    title = FRESH_TITLE
                    search = compact(" ".join([title, body, *tags]))
                    terms = terms_of(title, body)
                steps = self.dates[index]
                status = self.statuses[index]
                department = dept_of_category[category] if "assigned" in steps else None
                self.department_of[index] = dept_of_category[category]
                for tag in tags:
                    tag_rows.append((through_base, self.pid(index), self.tags[tag]))
                    through_base += 1
                e = self.endorsements[index]
                views = e + e // 2 + rng.randrange(3, 40)
                hidden = index not in (self.hot, self.fresh) and rng.random() < 0.001
                last = max(steps.values(), key=lambda d: d if hasattr(d, "year") else self.start)
                yield (
                    self.pid(index),
                    self.member(rng.randrange(self.sizes["members"])),
                    title,
                    body,
                    self.categories[category].pk,
                    district,
                    status,
                    department,
                    e,
                    self.comments[index],
                    views,
                    search,
                    terms,
                    hidden,
                    "광고성 글로 신고되어 가립니다." if hidden else "",
                    steps.get("withdrawn"),
                    # The endorsement window (not an assignment's answer deadline).
                    steps["created"] + window,
                    self.first_endorsed(index) if e else None,
                    steps["created"],
                    min(self.now, last),
                )

        self.report.rows["proposals"] = copy_rows(
            Proposal,
            [
                "id",
                "author_id",
                "title",
                "body",
                "category_id",
                "district",
                "status",
                "department_id",
                "endorsement_count",
                "comment_count",
                "view_count",
                "search_text",
                "similarity_terms",
                "is_hidden",
                "hidden_reason",
                "withdrawn_at",
                "endorsement_deadline",
                "first_endorsed_at",
                "created_at",
                "updated_at",
            ],
            rows(),
            now=self.now,
        )
        copy_rows(Proposal.tags.through, ["id", "proposal_id", "tag_id"], tag_rows, now=self.now)
        self.report.hot_proposal_id = self.pid(self.hot)
        self.report.fresh_proposal_id = self.pid(self.fresh)

    def _write_endorsements(self):
        rng = self.rng
        members = self.sizes["members"]
        strides = _coprime_strides(members, rng) if members > 1 else [1]
        base = _next_id(Endorsement)
        window = timedelta(days=self.settings.endorsement_window_days).total_seconds()

        def rows():
            next_id = base
            for index, count in enumerate(self.endorsements):
                if not count:
                    continue
                pid = self.pid(index)
                start = rng.randrange(members)
                stride = rng.choice(strides)
                first = self.first_endorsed(index)
                room = max(60.0, min(window, (self.now - first).total_seconds()))
                step = room / count
                for k in range(count):
                    yield (
                        next_id,
                        pid,
                        self.member_base + (start + k * stride) % members,
                        first + timedelta(seconds=step * k),
                    )
                    next_id += 1

        self.report.rows["endorsements"] = copy_rows(
            Endorsement, ["id", "proposal_id", "user_id", "created_at"], rows(), now=self.now
        )

    def _write_comments(self):
        rng = self.rng
        members = self.sizes["members"]
        pool = self.texts.comments
        base = _next_id(Comment)

        def rows():
            next_id = base
            for index, count in enumerate(self.comments):
                pid = self.pid(index)
                first = self.created[index] + timedelta(hours=1)
                room = max(60.0, min(90 * 86400.0, (self.now - first).total_seconds()))
                step = room / max(count, 1)
                for k in range(count):
                    at = first + timedelta(seconds=step * k)
                    yield (
                        next_id,
                        pid,
                        self.member(rng.randrange(members)),
                        rng.choice(pool),
                        at,
                        at,
                    )
                    next_id += 1

        self.report.rows["comments"] = copy_rows(
            Comment,
            ["id", "proposal_id", "author_id", "body", "created_at", "updated_at"],
            rows(),
            now=self.now,
        )

    def _write_stages(self):
        """Assignments and answers, debates (stances, arguments), working
        reviews and meetings with their agendas, management cards."""
        rng = self.rng
        now = self.now
        answer = self.texts.answer
        members = self.sizes["members"]
        assignments, answers, debates, stances, arguments = [], [], [], [], []
        ids = {
            m: _next_id(m)
            for m in (Assignment, Answer, Debate, Stance, Argument, ManagementCard, CardEvent)
        }
        self.debate_of = {}
        for index, steps in self.dates.items():
            if "assigned" not in steps:
                continue
            pid = self.pid(index)
            department = self.department_of[index]
            official = self.officials.get(department, self.operator_id)
            aid = ids[Assignment]
            ids[Assignment] += 1
            answered = steps.get("answered")
            assignments.append(
                (aid, pid, department, steps["assigned"], steps["deadline"], answered, True)
            )
            if answered:
                answers.append(
                    (
                        ids[Answer],
                        aid,
                        answer["summary"],
                        answer["necessity"],
                        answer["effectiveness"],
                        answer["feasibility"],
                        answer.get("estimated_budget"),
                        rng.choice(["accept", "partially_accept", "further_study"]),
                        AnswerStatus.PUBLISHED,
                        official,
                        answered - timedelta(days=1),
                        self.operator_id,
                        answered,
                        answered <= steps["deadline"],
                        answered,
                        answered,
                    )
                )
                ids[Answer] += 1
            if "debate" in steps:
                did = ids[Debate]
                ids[Debate] += 1
                self.debate_of[index] = did
                starts = steps["debate"]
                ends = starts + timedelta(days=self.settings.debate_length_days)
                closed = steps.get("debate_closed")
                published = steps.get("review")
                takers = min(self.endorsements[index], 300, members)
                start = rng.randrange(members)
                counts = {"for": 0, "against": 0, "undecided": 0}
                for k in range(takers):
                    position = rng.choices(["for", "against", "undecided"], weights=[55, 30, 15])[0]
                    counts[position] += 1
                    at = starts + timedelta(minutes=k)
                    stances.append((ids[Stance], did, self.member(start + k), position, at, at))
                    ids[Stance] += 1
                for k in range(rng.randrange(4, 14)):
                    at = starts + timedelta(hours=3 * k + 1)
                    arguments.append(
                        (
                            ids[Argument],
                            did,
                            self.member(start + k * 7 + 1),
                            rng.choice(["for", "against"]),
                            rng.choice(self.texts.arguments),
                            at,
                            at,
                        )
                    )
                    ids[Argument] += 1
                debates.append(
                    (
                        did,
                        pid,
                        DebateStatus.CLOSED if closed else DebateStatus.OPEN,
                        starts,
                        ends,
                        closed,
                        counts["for"],
                        counts["against"],
                        counts["undecided"],
                        "찬성 의견이 많았고, 예산과 시기에 대한 보완 의견이 있었습니다."
                        if published
                        else "",
                        published,
                        self.operator_id if published else None,
                        starts,
                        published or starts,
                    )
                )
        copy_rows(
            Assignment,
            [
                "id",
                "proposal_id",
                "department_id",
                "assigned_at",
                "deadline",
                "closed_at",
                "is_current",
            ],
            assignments,
            now=now,
        )
        copy_rows(
            Answer,
            [
                "id",
                "assignment_id",
                "summary",
                "necessity",
                "effectiveness",
                "feasibility",
                "estimated_budget",
                "decision",
                "status",
                "written_by_id",
                "submitted_at",
                "approved_by_id",
                "published_at",
                "met_deadline",
                "created_at",
                "updated_at",
            ],
            answers,
            now=now,
        )
        copy_rows(
            Debate,
            [
                "id",
                "proposal_id",
                "status",
                "starts_at",
                "ends_at",
                "closed_at",
                "for_count",
                "against_count",
                "undecided_count",
                "summary",
                "summary_published_at",
                "summary_by_id",
                "created_at",
                "updated_at",
            ],
            debates,
            now=now,
        )
        copy_rows(
            Stance,
            ["id", "debate_id", "user_id", "position", "created_at", "updated_at"],
            stances,
            now=now,
        )
        copy_rows(
            Argument,
            ["id", "debate_id", "author_id", "side", "body", "created_at", "updated_at"],
            arguments,
            now=now,
        )
        self.report.rows.update(
            assignments=len(assignments),
            answers=len(answers),
            debates=len(debates),
            stances=len(stances),
            arguments=len(arguments),
        )
        self._write_meetings(ids)

    def _write_meetings(self, ids):
        meetings = read("meetings")
        now = self.now
        meeting_ids, review_ids = [], []
        for number, when in enumerate(self.meeting_dates, start=1):
            held = when < now
            meeting = RealizationMeeting.objects.create(
                number=number,
                scheduled_at=when,
                place=meetings["place"],
                attendees_mayor=meetings["attendees_mayor"],
                attendees_experts=meetings["attendees_experts"],
                attendees_officials=meetings["attendees_officials"],
                attendees_citizens=meetings["attendees_citizens"],
                status=RealizationMeetingStatus.HELD
                if held
                else RealizationMeetingStatus.SCHEDULED,
                held_at=when + timedelta(hours=3) if held else None,
            )
            meeting_ids.append(meeting.pk)
            review_at = self.review_dates[number - 1]
            finalised = review_at < now
            review = WorkingReview.objects.create(
                held_on=timezone.localdate(review_at),
                place=meetings["review_place"],
                attendees=meetings["review_attendees"],
                next_meeting=meeting,
                status=WorkingReviewStatus.FINALISED if finalised else WorkingReviewStatus.DRAFT,
                finalised_at=review_at if finalised else None,
                finalised_by_id=self.operator_id if finalised else None,
            )
            review_ids.append(review.pk)
        decisions, items, cards, card_events = [], [], [], []
        decision_id = _next_id(ReviewDecision)
        item_id = _next_id(AgendaItem)
        positions: dict[int, int] = {}
        for index, (number, selected, decision) in sorted(self.agenda.items()):
            pid = self.pid(index)
            steps = self.dates[index]
            decisions.append(
                (
                    decision_id,
                    review_ids[number],
                    pid,
                    selected,
                    "시민 공감과 실현 가능성을 함께 보았습니다."
                    if selected
                    else "올해 예산으로는 추진이 어렵습니다.",
                    self.operator_id,
                    steps["reviewed"],
                    steps["reviewed"],
                )
            )
            decision_id += 1
            if not selected:
                continue
            position = positions.get(number, 0) + 1
            positions[number] = position
            decided = steps.get("decided")
            items.append(
                (
                    item_id,
                    meeting_ids[number],
                    pid,
                    position,
                    decision or AgendaDecision.PENDING,
                    (
                        "시민 공감이 크고 추진할 수 있어 채택합니다."
                        if decision == AgendaDecision.ADOPTED
                        else "다른 사업과 겹쳐 채택하지 않습니다."
                    )
                    if decision
                    else "",
                    decided,
                    self.operator_id if decided else None,
                    review_ids[number],
                    steps["reviewed"],
                )
            )
            if decision == AgendaDecision.ADOPTED:
                age = (now - decided).days
                stage = (
                    CardStage.COMPLETED
                    if age > 720
                    else CardStage.IN_PROGRESS
                    if age > 240
                    else CardStage.PLANNING
                    if age > 60
                    else CardStage.REVIEW
                )
                percent = {
                    CardStage.COMPLETED: 100,
                    CardStage.IN_PROGRESS: 50,
                    CardStage.PLANNING: 10,
                }.get(stage)
                department = self.department_of[index]
                cards.append(
                    (
                        ids[ManagementCard],
                        pid,
                        item_id,
                        department,
                        self.officials.get(department),
                        stage,
                        decided + timedelta(days=min(age, 30)),
                        percent,
                        decided,
                        decided,
                    )
                )
                card_events.append(
                    (ids[CardEvent], ids[ManagementCard], CardEventKind.OPENED, stage, decided)
                )
                ids[CardEvent] += 1
                ids[ManagementCard] += 1
            item_id += 1
        copy_rows(
            ReviewDecision,
            [
                "id",
                "review_id",
                "proposal_id",
                "selected",
                "reason",
                "decided_by_id",
                "created_at",
                "updated_at",
            ],
            decisions,
            now=now,
        )
        copy_rows(
            AgendaItem,
            [
                "id",
                "meeting_id",
                "proposal_id",
                "position",
                "decision",
                "reason",
                "decided_at",
                "decided_by_id",
                "source_review_id",
                "created_at",
            ],
            items,
            now=now,
        )
        copy_rows(
            ManagementCard,
            [
                "id",
                "proposal_id",
                "agenda_item_id",
                "department_id",
                "responsible_official_id",
                "stage",
                "stage_changed_at",
                "percent_complete",
                "created_at",
                "updated_at",
            ],
            cards,
            now=now,
        )
        copy_rows(
            CardEvent, ["id", "card_id", "kind", "to_stage", "created_at"], card_events, now=now
        )
        self.report.rows.update(
            meetings=len(meeting_ids),
            agenda_items=len(items),
            cards=len(cards),
            review_decisions=len(decisions),
        )

    def _write_events(self):
        """Each proposal's timeline: created, then each status it went through."""
        base = _next_id(ProposalEvent)
        operator = self.operator_id
        endorsed = json.dumps({"text": "endorsed", "count": self.settings.answer_threshold})

        def rows():
            next_id = base
            for index in range(self.sizes["proposals"]):
                pid = self.pid(index)
                steps = self.dates[index]
                status = self.statuses[index]
                out = [(EventKind.CREATED, None, "", S.OPEN, "", steps["created"])]
                if "not_reached" in steps and (
                    status != S.WITHDRAWN or steps["from_status"] == S.NOT_REACHED
                ):
                    out.append(
                        (
                            EventKind.STATUS_CHANGED,
                            None,
                            S.OPEN,
                            S.NOT_REACHED,
                            "",
                            steps["not_reached"],
                        )
                    )
                if status == S.WITHDRAWN:
                    out.append(
                        (
                            EventKind.STATUS_CHANGED,
                            None,
                            steps["from_status"],
                            S.WITHDRAWN,
                            "",
                            steps["withdrawn"],
                        )
                    )
                if "assigned" in steps:
                    out.append(
                        (
                            EventKind.STATUS_CHANGED,
                            None,
                            S.OPEN,
                            S.ASSIGNED,
                            "",
                            steps["assigned"],
                        )
                    )
                if "answered" in steps:
                    out.append(
                        (
                            EventKind.STATUS_CHANGED,
                            None,
                            S.ASSIGNED,
                            S.ANSWERED,
                            "",
                            steps["answered"],
                        )
                    )
                if "debate" in steps:
                    if index in self.hand_promoted:
                        out.append(
                            (
                                EventKind.PROMOTED_BY_HAND,
                                operator,
                                "",
                                "",
                                "창의성이 돋보입니다.",
                                steps["debate"],
                            )
                        )
                    out.append(
                        (EventKind.STATUS_CHANGED, None, S.ANSWERED, S.DEBATE, "", steps["debate"])
                    )
                if "debate_closed" in steps:
                    out.append((EventKind.DEBATE_CLOSED, None, "", "", "", steps["debate_closed"]))
                if "review" in steps:
                    out.append((EventKind.DEBATE_SUMMARY, operator, "", "", "", steps["review"]))
                    out.append(
                        (
                            EventKind.STATUS_CHANGED,
                            operator,
                            S.DEBATE,
                            S.REVIEW,
                            "",
                            steps["review"],
                        )
                    )
                if "reviewed" in steps:
                    to = S.NOT_SELECTED if status == S.NOT_SELECTED else S.ON_AGENDA
                    out.append(
                        (EventKind.STATUS_CHANGED, operator, S.REVIEW, to, "", steps["reviewed"])
                    )
                if "decided" in steps:
                    out.append(
                        (
                            EventKind.STATUS_CHANGED,
                            operator,
                            S.ON_AGENDA,
                            status,
                            "",
                            steps["decided"],
                        )
                    )
                for kind, actor, from_status, to_status, reason, at in out:
                    # The pipeline's own words are a code and its count,
                    # written in the reader's language when read.
                    params = endorsed if to_status == S.ASSIGNED else "{}"
                    yield (next_id, pid, kind, actor, from_status, to_status, reason, params, at)
                    next_id += 1

        self.report.rows["events"] = copy_rows(
            ProposalEvent,
            [
                "id",
                "proposal_id",
                "kind",
                "actor_id",
                "from_status",
                "to_status",
                "reason",
                "params",
                "created_at",
            ],
            rows(),
            now=self.now,
        )
