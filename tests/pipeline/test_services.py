"""The conductor's moves: crossing the answer bar, closing windows,
the sweep, manual promotion, following, and a broker that is down."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone, translation

from notifications.models import Notification
from oasis.celery import app
from oasis.errors import PermissionDenied, ServiceError, TransitionNotAllowed
from pipeline import services as pipeline
from pipeline.tasks import promote_if_due as promote_if_due_task
from proposals import services
from proposals.models import EventKind, PipelineSettings, Proposal, ProposalStatus
from proposals.timeline import PROMOTION_CHECK_TASK
from tests.brokers import broker_at
from tests.factories import CategoryFactory, UserFactory, official, operator

pytestmark = pytest.mark.django_db


@pytest.fixture
def bars():
    settings_row = PipelineSettings.load()
    settings_row.answer_threshold = 3
    settings_row.debate_threshold = 5
    settings_row.save()
    return settings_row


def _propose(**kwargs):
    category = kwargs.pop("category", None) or CategoryFactory()
    return services.proposal_create(
        author=UserFactory(),
        title="걷고 싶은 한강다리",
        body="한강 다리를 걷고 싶게 만들어 주세요.",
        category=category,
        **kwargs,
    )


def _endorse(proposal, n):
    for member in UserFactory.create_batch(n):
        services.proposal_endorse(proposal=proposal, user=member)


def test_a_new_proposal_gets_its_window_from_the_settings(bars):
    bars.endorsement_window_days = 10
    bars.save()
    before = timezone.now()
    proposal = _propose()
    assert before + dt.timedelta(days=10) <= proposal.endorsement_deadline
    assert proposal.endorsement_deadline <= timezone.now() + dt.timedelta(days=10)


def test_crossing_the_answer_bar_assigns_the_department_once(
    bars, django_capture_on_commit_callbacks
):
    # Given a proposal whose category's department has an official
    proposal = _propose()
    department = proposal.category.default_department
    clerk = official(department=department)
    staff = operator()
    # When the third endorsement arrives (the bar is 3), then more
    with django_capture_on_commit_callbacks(execute=True):
        _endorse(proposal, 4)
    proposal.refresh_from_db()
    # Then it waits for its department's answer, moved exactly once
    assert proposal.status == ProposalStatus.ASSIGNED
    assert proposal.department == department
    moves = proposal.events.filter(kind=EventKind.STATUS_CHANGED, to_status=ProposalStatus.ASSIGNED)
    assert moves.count() == 1
    # and the department, the operator and the proposer are told once each
    assert Notification.objects.filter(recipient=clerk, kind="assigned_department").count() == 1
    assert Notification.objects.filter(recipient=staff, kind="assigned_operator").count() == 1
    assert Notification.objects.filter(recipient=proposal.author, kind="assigned").count() == 1
    # and the promotion check running again changes nothing
    assert pipeline.promote_if_due(proposal_id=proposal.pk) is None
    assert moves.count() == 1
    # endorsements keep coming while the department answers
    _endorse(proposal, 1)
    proposal.refresh_from_db()
    assert proposal.endorsement_count == 5


def test_a_window_that_closes_below_the_bar_ends_as_not_reached(bars):
    proposal = _propose()
    _endorse(proposal, 2)
    later = proposal.endorsement_deadline + dt.timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        assert pipeline.sweep() == {"promoted": 0, "closed": 1}
        assert pipeline.sweep() == {"promoted": 0, "closed": 0}  # idempotent
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.NOT_REACHED
    event = proposal.events.get(to_status=ProposalStatus.NOT_REACHED)
    # the record is written in the site language (Korean), whoever reads it
    assert "with 2 of the 3 endorsements" in event.text
    assert Notification.objects.filter(recipient=proposal.author, kind="not_reached").count() == 1
    # and nobody can endorse it any more
    with pytest.raises(ServiceError, match="no longer gathering"):
        services.proposal_endorse(proposal=proposal, user=UserFactory())


def test_the_sweep_catches_up_a_promotion_the_broker_missed(bars):
    # Given a proposal past the bar whose promotion task was never queued
    proposal = _propose()
    Proposal.objects.filter(pk=proposal.pk).update(endorsement_count=7)
    # When the periodic sweep runs (twice)
    assert pipeline.sweep()["promoted"] == 1
    assert pipeline.sweep()["promoted"] == 0
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ASSIGNED


def test_an_endorsement_is_saved_even_when_the_broker_is_down(
    bars, settings, django_capture_on_commit_callbacks, caplog
):
    proposal = _propose()
    _endorse(proposal, 2)
    app.conf.task_always_eager = False
    try:
        # broker_at sets Celery's cached producer pool aside: without it,
        # after a test that published to the real broker, this one would
        # queue its task there instead of failing (and leave it behind).
        with broker_at("redis://127.0.0.1:1/0"), django_capture_on_commit_callbacks(execute=True):
            services.proposal_endorse(proposal=proposal, user=UserFactory())  # crosses the bar
    finally:
        app.conf.task_always_eager = True
    proposal.refresh_from_db()
    assert proposal.endorsement_count == 3
    assert proposal.status == ProposalStatus.OPEN  # the task could not be queued...
    assert any(
        "Could not queue" in record.getMessage() and "promote_if_due" in record.getMessage()
        for record in caplog.records
    )
    pipeline.sweep()  # ...and the sweep catches up once the broker is back
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ASSIGNED


def test_a_withdrawn_proposal_is_never_promoted(bars):
    proposal = _propose()
    services.proposal_withdraw(proposal=proposal, user=proposal.author)
    Proposal.objects.filter(pk=proposal.pk).update(endorsement_count=99)
    assert pipeline.promote_if_due(proposal_id=proposal.pk) is None
    with pytest.raises(TransitionNotAllowed):
        pipeline.proposal_promote_by_hand(proposal=proposal, user=operator(), reason="창의적")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN


def test_an_operator_promotes_for_creativity_with_a_reason(bars):
    proposal = _propose()
    with pytest.raises(PermissionDenied):
        pipeline.proposal_promote_by_hand(proposal=proposal, user=UserFactory(), reason="좋아요")
    with pytest.raises(ServiceError):
        pipeline.proposal_promote_by_hand(proposal=proposal, user=operator(), reason="")
    pipeline.proposal_promote_by_hand(
        proposal=proposal, user=operator(), reason="아주 창의적인 생각"
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ASSIGNED
    assert proposal.events.filter(kind=EventKind.PROMOTED_BY_HAND).count() == 1
    assert proposal.events.filter(reason="아주 창의적인 생각").count() == 1  # said once
    # one notice for one step
    notices = Notification.objects.filter(recipient=proposal.author)
    assert list(notices.values_list("kind", flat=True)) == ["assigned"]


def test_followers_are_told_of_each_step(bars, client):
    proposal = _propose()
    fan = UserFactory()
    client.force_login(fan)
    client.post(f"/proposals/{proposal.pk}/follow/", {"action": "follow"})
    client.post(f"/proposals/{proposal.pk}/follow/", {"action": "follow"})  # harmless twice
    assert proposal.follows.filter(user=fan).count() == 1
    _endorse(proposal, 3)
    pipeline.sweep()
    assert Notification.objects.filter(recipient=fan, kind="assigned").count() == 1
    client.post(f"/proposals/{proposal.pk}/follow/", {"action": "unfollow"})
    assert not proposal.follows.filter(user=fan).exists()


def test_the_core_queues_the_conductors_own_task_by_name():
    # (shared_task hands out a proxy; the registry holds the task itself)
    assert app.tasks[PROMOTION_CHECK_TASK].run is promote_if_due_task.run


def test_a_proposal_no_department_can_take_tells_each_operator_why_in_their_language(
    bars, django_capture_on_commit_callbacks
):
    # given a Korean and an English operator, and a category with no department
    korean, english = operator(), operator(language="en")
    proposal = _propose(category=CategoryFactory(code="orphan", default_department=None))

    # when it crosses the answer bar (and the conductor's task runs)
    with django_capture_on_commit_callbacks(execute=True):
        _endorse(proposal, 3)

    # then it stays open, and each operator is told once, with the reason
    # stored as a code and written in their own language
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.OPEN
    notices = {n.recipient_id: n for n in Notification.objects.filter(kind="assignment_blocked")}
    assert set(notices) == {korean.pk, english.pk}
    assert notices[korean.pk].params["reason"] == "no_default_department"
    with translation.override("ko"):
        assert "기본 부서" in notices[korean.pk].message
    with translation.override("en"):
        assert "has no default department" in notices[english.pk].message
