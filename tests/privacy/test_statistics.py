"""The statistics never count what is hidden: the figures, the reports they
freeze and the pages that show them leave out hidden and trashed proposals
(and their answers and overdue assignments), a proposal hidden after it was
counted leaves at the next refresh and comes back when shown again, and
no page under /stats/ (nor the home page's figures) shows a secret."""

import datetime as dt
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.core.cache import caches
from django.test import Client
from django.utils import timezone

from answers.models import Assignment
from proposals import services as proposal_services
from proposals.models import Proposal
from stats import figures
from stats.models import ProposalFact, Report, ReportKind
from stats.refresh import refresh
from tests.privacy.walk import Seen, markers_in
from tests.privacy.world import PUBLIC, SECRETS

# What the public site itself shows beside a proposal (the author's
# nickname, comments and arguments), which the open data leaves out but a
# page may show: the pages are checked for everything else.
ON_THE_SITE = {"member_nickname", "comment", "argument"}
PAGE_SECRETS = {name: marker for name, marker in SECRETS.items() if name not in ON_THE_SITE}


def _department_row(world):
    rows = figures.breakdown("department")
    return next((row.counts for row in rows if row.key == world.dept.code), figures.Counts())


def _timeliness(world):
    return next(
        (row for row in figures.timeliness() if row.department.code == world.dept.code), None
    )


def _answered(world) -> int:
    """Answers published in the department (no row: none)."""
    row = _timeliness(world)
    return row.answered if row else 0


def test_the_figures_count_public_proposals_only(secret_world, db):
    refresh(full=True)

    public = Proposal.objects.public()
    assert figures.totals().received == public.count()
    assert sum(row.counts.received for row in figures.breakdown("category")) == public.count()
    hidden = secret_world.hidden_ids["proposal"]
    assert not ProposalFact.objects.filter(proposal_id__in=hidden, is_public=True).exists()


def test_a_hidden_answer_is_not_in_the_departments_timeliness(secret_world, db):
    """Two answers were published in the department: one to a public
    proposal, one to a proposal hidden since."""
    refresh(full=True)

    row = _timeliness(secret_world)
    assert row is not None and row.answered == 1


def test_an_overdue_hidden_proposal_is_not_overdue_now(secret_world, db):
    """The department has one assignment past its deadline, on a hidden
    proposal: the public figure says none is overdue (the count would
    otherwise tell that something hidden waits there)."""
    refresh(full=True)

    overdue = Assignment.objects.awaiting_answer().filter(
        department=secret_world.dept, deadline__lt=timezone.now()
    )
    assert [a.proposal.is_hidden for a in overdue] == [True]
    row = _timeliness(secret_world)
    assert row is not None and row.overdue_now == 0


def test_a_proposal_hidden_after_counting_leaves_at_the_next_refresh(secret_world, db):
    """The answered public proposal is hidden by an operator: the next
    ten-minute refresh takes it out of every figure it was in; shown
    again, it comes back."""
    refresh(full=True)
    before = (figures.totals(), _department_row(secret_world), _answered(secret_world))
    proposal = secret_world.assignment.proposal
    operator = secret_world.proposal_hidden.events.filter(kind="hidden").first()
    staff = operator.actor if operator else None

    proposal_services.proposal_hide(proposal=proposal, user=staff, reason="비공개 사유")
    refresh()

    totals, department, answered = (
        figures.totals(),
        _department_row(secret_world),
        _answered(secret_world),
    )
    assert totals.received == before[0].received - 1
    assert totals.answered == before[0].answered - 1
    assert department.received == before[1].received - 1
    assert answered == before[2] - 1

    proposal_services.proposal_unhide(
        proposal=Proposal.objects.get(pk=proposal.pk), user=staff, reason="다시 공개"
    )
    refresh()

    assert figures.totals() == before[0]
    assert _answered(secret_world) == before[2]


def test_a_report_freezes_public_figures_only(secret_world, db):
    refresh(full=True)
    today = timezone.localdate()
    start = today.replace(day=1)
    month_start = timezone.make_aware(dt.datetime(start.year, start.month, 1))

    frozen = figures.period_snapshot(today.year, today.month)

    received = Proposal.objects.public().filter(created_at__gte=month_start).count()
    assert frozen["totals"]["received"] == received
    assert markers_in([Seen("report", 200, frozen)], SECRETS) == []
    assert frozen["timeliness"] and all(row["answered"] <= 1 for row in frozen["timeliness"])


def _this_months_report() -> Report:
    """This month's report, made as the reports' beat makes it once the
    month is over (stats.reports.report_make, when the reports part has
    merged; else frozen here as it freezes them)."""
    today = timezone.localdate()
    first = today.replace(day=1)
    try:
        from stats.reports import report_make
    except ImportError:
        return Report.objects.create(
            kind=ReportKind.MONTHLY,
            period_start=first,
            period_end=today,
            as_of=timezone.now(),
            figures=figures.period_snapshot(today.year, today.month),
        )
    next_month = (first + dt.timedelta(days=32)).replace(day=1)
    after = timezone.make_aware(dt.datetime.combine(next_month, dt.time(1)))
    return report_make(ReportKind.MONTHLY, first, now=after)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.extend(value for name, value in attrs if name == "href" and value)


def _crawl(client, starts, prefix="/stats/", limit=150) -> list[Seen]:
    """Every page under `prefix` reachable from `starts` (and `starts`
    themselves), as an anonymous reader sees them."""
    queue, visited, seen = list(starts), set(), []
    while queue and len(visited) < limit:
        url = queue.pop(0)
        if url in visited:
            continue
        visited.add(url)
        caches["default"].clear()  # rate limits and the page cache
        response = client.get(url)
        text = response.content.decode("utf-8", "replace")
        seen.append(Seen(url, response.status_code, text))
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        links = _Links()
        links.feed(text)
        for href in links.hrefs:
            parts = urlsplit(href)
            if parts.netloc or not parts.path.startswith(prefix):
                continue
            queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return seen


def test_no_statistics_page_shows_a_secret(secret_world, db):
    """The pages under /stats/ (every figure's list of proposals, the
    reports) and the home page's figures, crawled link by link."""
    refresh(full=True)
    report = _this_months_report()
    assert markers_in([Seen("report", 200, report.figures)], SECRETS) == []
    starts = ["/", "/stats/", "/stats/proposals/", "/stats/reports/"]
    starts += [figures.list_url(stage) for stage in figures.STAGE_BY_NAME]
    seen = _crawl(Client(), starts)

    assert [(each.source, each.status) for each in seen if each.status >= 500] == []
    assert markers_in(seen, PAGE_SECRETS) == []
    reports = [each for each in seen if each.source.startswith("/stats/reports/")]
    if reports[0].status == 200:  # the reports' part has merged: its report was read too
        assert any(each.status == 200 and each.source != "/stats/reports/" for each in reports)
    listing = next(each for each in seen if each.source == "/stats/proposals/")
    if listing.status == 200:  # the statistics pages' part has merged
        assert markers_in([listing], {"proposal": PUBLIC["proposal"]})
