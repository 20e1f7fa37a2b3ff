"""The ten-minute refresh: every kind of change made after a refresh, with
the clock moved on, is picked up by the next plain refresh, which then
agrees with a full one; the minute's overlap; a hard-deleted proposal;
idempotence; the beat, the task and the command."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from answers import services as answer_services
from debates.services import debate_open
from meetings import services as meeting_services
from proposals import services as proposal_services
from proposals.models import Proposal
from stats import figures
from stats.models import DepartmentTimeliness, ProposalFact, Refresh, Stage, Tally
from stats.refresh import refresh
from stats.tasks import refresh_statistics
from tests.answers.helpers import REFUSAL, assigned, published
from tests.clock import at, seoul
from tests.factories import CategoryFactory, DepartmentFactory, ProposalFactory, operator
from tests.meetings.helpers import meeting, on_agenda, review
from tests.stats.helpers import tallies_disagreeing_with_facts
from tests.themes.helpers import make_theme, proposal_fields
from tests.tracking.helpers import at_stage
from themes import services as theme_services
from tracking import services as card_services
from tracking.models import CardStage

BUILT = (2025, 5, 1, 9)
FIRST_REFRESH = (2025, 5, 1, 10)
CHANGED = (2025, 5, 2, 10)
NEXT_REFRESH = (2025, 5, 2, 10, 10)


def counted():
    """Everything the refresh writes, without its timestamps."""
    facts = list(
        ProposalFact.objects.order_by("pk").values(
            "proposal_id",
            "year",
            "month",
            "category_id",
            "district",
            "department_id",
            "theme_id",
            "is_public",
            "stage",
            "is_withdrawn",
            "answered_at",
            "answer_hours",
            "answered_on_time",
        )
    )
    tallies = sorted(
        Tally.objects.values_list(
            "dimension",
            "key",
            "year",
            "month",
            "received",
            "answered",
            "debated",
            "on_agenda",
            "adopted",
            "completed",
        )
    )
    timeliness = sorted(
        DepartmentTimeliness.objects.values_list(
            "department_id", "year", "answered", "on_time", "median_hours", "overdue_now"
        )
    )
    return facts, tallies, timeliness


def fact(proposal) -> ProposalFact:
    return ProposalFact.objects.get(proposal_id=proposal.pk)


# Each change: (make what it changes, before the first refresh; change it,
# a day later; what the next plain refresh must then show).


def _withdraw():
    def make():
        return ProposalFactory()

    def change(p):
        proposal_services.proposal_withdraw(proposal=p, user=p.author)

    return make, change, lambda p: fact(p).is_withdrawn


def _hide():
    def change(p):
        proposal_services.proposal_hide(proposal=p, user=operator(), reason="욕설")

    return ProposalFactory, change, lambda p: not fact(p).is_public


def _trash():
    def change(p):
        proposal_services.proposal_trash(proposal=p, user=operator(), reason="중복")

    return ProposalFactory, change, lambda p: not fact(p).is_public


def _restore():
    def make():
        p = ProposalFactory()
        proposal_services.proposal_trash(proposal=p, user=operator(), reason="중복")
        return p

    def change(p):
        proposal_services.proposal_restore(proposal=p, user=operator(), reason="실수")

    return make, change, lambda p: fact(p).is_public


def _recategorise():
    def change(p):
        proposal_services.proposal_recategorise(
            proposal=p, user=operator(), category=CategoryFactory(code="safety"), reason="분야"
        )

    return (
        ProposalFactory,
        change,
        lambda p: [r.key for r in figures.breakdown("category")] == ["safety"],
    )


def _reassign():
    def change(assignment):
        answer_services.assignment_reassign(
            assignment=assignment,
            user=operator(),
            department=DepartmentFactory(code="parks"),
            reason="담당 부서가 아닙니다.",
        )

    return (
        lambda: assigned(DepartmentFactory(code="roads")),
        change,
        lambda a: [r.key for r in figures.breakdown("department")] == ["parks"],
    )


def _answer():
    return (
        lambda: assigned(DepartmentFactory(code="roads")),
        lambda a: published(a, REFUSAL),
        lambda a: fact(a.proposal).stage == Stage.ANSWERED and fact(a.proposal).answer_hours == 25,
    )


def _debate():
    return (
        lambda: published(assigned(), REFUSAL).assignment.proposal,
        lambda p: debate_open(proposal=Proposal.objects.get(pk=p.pk)),
        lambda p: fact(p).stage == Stage.DEBATED,
    )


def _agenda():
    def change(p):
        user = operator()
        working = review(next_meeting=meeting(days=10))
        meeting_services.working_review_decide(
            review=working, proposal=p, selected=True, reason="공감", user=user
        )
        meeting_services.working_review_finalise(review=working, user=user)

    return (
        lambda: ProposalFactory(status="review"),
        change,
        lambda p: fact(p).stage == Stage.ON_AGENDA,
    )


def _decision():
    def change(item):
        meeting_services.agenda_item_decide(
            item=item, decision="adopted", reason="효과", conditions="", user=operator()
        )

    def make():
        (item,) = on_agenda(meeting(days=0.5))
        return item

    return make, change, lambda item: fact(item.proposal).stage == Stage.ADOPTED


def _card_completed():
    def change(card):
        card_services.card_change_stage(
            card=card, user=operator(), to_stage=CardStage.COMPLETED, note="준공"
        )

    return (
        lambda: at_stage(CardStage.IN_PROGRESS),
        change,
        lambda card: fact(card.proposal).stage == Stage.COMPLETED,
    )


def _theme_entry():
    def change(theme):
        theme_services.theme_propose(
            theme=theme, author=ProposalFactory().author, **proposal_fields()
        )

    return (
        make_theme,
        change,
        lambda theme: [r.key for r in figures.breakdown("theme")] == [str(theme.pk)],
    )


CHANGES = {
    "status change (withdrawn)": _withdraw,
    "hidden": _hide,
    "trashed": _trash,
    "restored": _restore,
    "recategorised": _recategorise,
    "department reassigned": _reassign,
    "answer published": _answer,
    "debate opened": _debate,
    "put on an agenda": _agenda,
    "decision (adopted)": _decision,
    "card completed": _card_completed,
    "theme entry": _theme_entry,
}


@pytest.mark.parametrize("kind", CHANGES)
def test_a_change_after_a_refresh_is_picked_up_by_the_next_plain_one(db, kind):
    make, change, shows = CHANGES[kind]()
    with at(*BUILT):
        thing = make()
    with at(*FIRST_REFRESH):
        refresh()
    assert not shows(thing)
    with at(*CHANGED):
        change(thing)
    with at(*NEXT_REFRESH):
        done = refresh()
    assert not done.full and done.facts_written >= 1
    assert shows(thing)
    incremental = counted()
    with at(*NEXT_REFRESH):
        refresh(full=True)
    assert counted() == incremental
    assert tallies_disagreeing_with_facts() == []


def test_a_write_stamped_just_before_the_last_refresh_began_is_read_again(db):
    """A write that committed after the last refresh read the table, but
    carries a time from before it began (its transaction started earlier),
    is within the minute's overlap; one older than that is the nightly's."""
    with at(*BUILT):
        late, older = ProposalFactory(), ProposalFactory()
    with at(*FIRST_REFRESH):
        first = refresh()
    Proposal.objects.filter(pk=late.pk).update(
        status="withdrawn",
        withdrawn_at=first.started_at,
        updated_at=first.started_at - timedelta(seconds=50),
    )
    Proposal.objects.filter(pk=older.pk).update(
        status="withdrawn",
        withdrawn_at=first.started_at,
        updated_at=first.started_at - timedelta(minutes=2),
    )
    with at(*NEXT_REFRESH):
        refresh()
    assert fact(late).is_withdrawn
    assert not fact(older).is_withdrawn
    with at(*NEXT_REFRESH):
        refresh(full=True)
    assert fact(older).is_withdrawn


def test_a_hard_deleted_proposal_leaves_the_figures_at_the_next_refresh(db):
    with at(*BUILT):
        kept, gone = ProposalFactory(), ProposalFactory()
    with at(*FIRST_REFRESH):
        refresh()
    assert figures.totals().received == 2
    Proposal.objects.filter(pk=gone.pk).delete()
    assert not ProposalFact.objects.filter(proposal_id=gone.pk).exists()  # cascade
    with at(*NEXT_REFRESH):
        done = refresh()
    assert done.facts_written == 0
    assert figures.totals().received == 1
    assert ProposalFact.objects.get().proposal_id == kept.pk
    assert tallies_disagreeing_with_facts() == []


def test_refresh_is_idempotent(db):
    with at(*BUILT):
        on_agenda(meeting(days=5))
        ProposalFactory(district="jongno")
    with at(*FIRST_REFRESH):
        first = refresh()
        once = counted()
        again = refresh()
        assert counted() == once
        refresh_statistics()
        refresh_statistics(full=True)
    assert counted() == once
    assert first.full and not again.full  # the first ever counts everything
    assert Refresh.objects.count() == 4
    assert figures.as_of() == Refresh.objects.order_by("-finished_at").first().finished_at


def test_an_empty_portal_counts_nothing_without_error(db):
    done = refresh()
    assert (done.facts_written, Tally.objects.count()) == (0, 0)
    assert figures.years() == [] and figures.by_year() == []
    assert figures.totals().adoption_rate is None
    assert [r.counts.received for r in figures.by_month(2025)] == [0] * 12
    assert figures.period_snapshot(2025, 1)["totals"]["received"] == 0


def test_the_beat_refreshes_every_ten_minutes_and_in_full_at_night():
    beat = settings.CELERY_BEAT_SCHEDULE
    often, nightly = beat["refresh-statistics"], beat["refresh-statistics-full"]
    assert often["task"] == nightly["task"] == "stats.tasks.refresh_statistics"
    assert often["schedule"] == 600.0 and often["options"]["expires"] < 600
    assert nightly["kwargs"] == {"full": True}
    assert (nightly["schedule"].hour, nightly["schedule"].minute) == ({2}, {30})


def test_the_command_counts_in_full_or_what_changed(db, capsys):
    with at(*BUILT):
        ProposalFactory()
    with at(*FIRST_REFRESH):
        call_command("refresh_statistics")
        call_command("refresh_statistics", "--full")
    out = capsys.readouterr().out
    assert out.count("statistics: 1 facts written") == 2
    assert list(Refresh.objects.order_by("started_at").values_list("full", flat=True)) == [
        True,
        True,
    ]


def test_months_are_seoul_months_whatever_time_zone_is_active(db):
    with at(2025, 1, 31, 23, 30):
        ProposalFactory()
    with timezone.override("UTC"), at(*FIRST_REFRESH):
        refresh()
    assert (ProposalFact.objects.get().year, ProposalFact.objects.get().month) == (2025, 1)
    assert seoul(2025, 1, 31, 23, 30).astimezone(timezone.get_fixed_timezone(0)).day == 31
