"""proposals/services.py, endorsements and view counts: exact, once each."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from oasis.errors import ServiceError
from proposals import services
from proposals.models import Endorsement
from tests.factories import ProposalFactory, UserFactory

pytestmark = pytest.mark.django_db


# --- endorsements -------------------------------------------------------------


def test_endorsing_counts_exactly_and_can_be_taken_back():
    proposal = ProposalFactory()
    members = UserFactory.create_batch(3)
    for member in members:
        services.proposal_endorse(proposal=proposal, user=member)
    services.proposal_unendorse(proposal=proposal, user=members[0])
    proposal.refresh_from_db()
    assert proposal.endorsement_count == 2 == Endorsement.objects.filter(proposal=proposal).count()


def test_endorsing_twice_is_refused_and_counted_once():
    proposal, member = ProposalFactory(), UserFactory()
    services.proposal_endorse(proposal=proposal, user=member)
    with pytest.raises(ServiceError, match="already endorsed"):
        services.proposal_endorse(proposal=proposal, user=member)
    proposal.refresh_from_db()
    assert proposal.endorsement_count == 1 == proposal.endorsements.count()


def test_taking_back_an_endorsement_one_never_gave_is_refused():
    proposal = ProposalFactory(endorsement_count=0)
    with pytest.raises(ServiceError):
        services.proposal_unendorse(proposal=proposal, user=UserFactory())
    proposal.refresh_from_db()
    assert proposal.endorsement_count == 0


@pytest.mark.parametrize(
    ("state", "message"),
    [
        ("own", "your own proposal"),
        ("withdrawn", "no longer gathering"),
        ("hidden", "no longer gathering"),
        ("trashed", "no longer gathering"),
        ("not_reached", "no longer gathering"),
        ("window_closed", "no longer gathering"),
    ],
)
def test_endorsing_is_refused(state, message):
    proposal = ProposalFactory(
        status={"withdrawn": "withdrawn", "not_reached": "not_reached"}.get(state, "open"),
        endorsement_deadline=timezone.now() - dt.timedelta(minutes=1)
        if state == "window_closed"
        else None,
        withdrawn_at=timezone.now() if state == "withdrawn" else None,
        is_hidden=state == "hidden",
        deleted_at=timezone.now() if state == "trashed" else None,
    )
    member = proposal.author if state == "own" else UserFactory()
    with pytest.raises(ServiceError, match=message):
        services.proposal_endorse(proposal=proposal, user=member)
    assert not Endorsement.objects.exists()
    proposal.refresh_from_db()
    assert proposal.endorsement_count == 0


# --- views --------------------------------------------------------------------


def test_a_view_counts_once_per_visitor_per_seoul_day():
    proposal = ProposalFactory()
    # 23:30 in Seoul on 1 May and 00:10 on 2 May are two days (UTC would say one)
    with time_machine.travel(dt.datetime(2025, 5, 1, 14, 30, tzinfo=dt.UTC), tick=False):
        assert services.proposal_record_view(proposal=proposal, visitor="u1") is True
        assert services.proposal_record_view(proposal=proposal, visitor="u1") is False
        assert services.proposal_record_view(proposal=proposal, visitor="u2") is True
    with time_machine.travel(dt.datetime(2025, 5, 1, 15, 10, tzinfo=dt.UTC), tick=False):
        assert services.proposal_record_view(proposal=proposal, visitor="u1") is True
    proposal.refresh_from_db()
    assert proposal.view_count == 3


def test_old_view_marks_are_purged_and_counts_stay():
    from proposals.models import ProposalView
    from proposals.tasks import purge_view_marks

    proposal = ProposalFactory(view_count=2)
    today = timezone.localdate()
    ProposalView.objects.create(proposal=proposal, visitor="a", date=today - dt.timedelta(days=5))
    ProposalView.objects.create(proposal=proposal, visitor="a", date=today)
    assert purge_view_marks() == 1
    assert purge_view_marks() == 0  # idempotent
    assert list(ProposalView.objects.values_list("date", flat=True)) == [today]
    proposal.refresh_from_db()
    assert proposal.view_count == 2


def test_the_bars_an_endorsement_checks_follow_a_saved_change_at_once(
    django_capture_on_commit_callbacks,
):
    # Given the pipeline's settings read once (and so cached) by an endorsement
    from proposals.models import PipelineSettings

    assert PipelineSettings.cached().answer_threshold == 50
    # When an operator saves a new answer bar of 2
    row = PipelineSettings.load()
    row.answer_threshold = 2
    row.save()
    # Then the next endorsements ask about the new bar: the second wakes the conductor
    assert PipelineSettings.cached().answer_threshold == 2
    proposal = ProposalFactory()
    services.proposal_endorse(proposal=proposal, user=UserFactory())
    with django_capture_on_commit_callbacks() as callbacks:
        services.proposal_endorse(proposal=proposal, user=UserFactory())
    assert len(_promotion_checks(callbacks)) == 1


def _promotion_checks(callbacks) -> list:
    """The after-commit callbacks that queue the conductor's promotion check
    (mileage queues its own after the commit too, on PostgreSQL)."""
    from proposals.timeline import PROMOTION_CHECK_TASK

    def queues(callback) -> list:
        cells = getattr(callback, "__closure__", None) or ()
        return [cell.cell_contents for cell in cells]

    return [callback for callback in callbacks if PROMOTION_CHECK_TASK in queues(callback)]
