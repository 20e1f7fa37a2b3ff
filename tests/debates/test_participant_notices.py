""" "Debates I joined" (issue 16): the members who took a stance or wrote an
argument in a debate hear of its close and of its published results, under
the topic DEBATES, once each: not a second time when they are also the
proposer or a follower (who hear of it under their own topics)."""

import datetime as dt
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from debates import notices as debate_notices
from debates import services
from debates.tasks import catch_up_debate_participants, tell_debate_participants
from notifications.models import NoticeTopic, Notification
from proposals.services import proposal_follow
from tests.factories import UserFactory, operator
from tests.pages import logged_in, page_text

from .helpers import open_debate

pytestmark = pytest.mark.django_db


def told(kind: str) -> dict[int, list[str]]:
    """recipient id → the topics of their notices of `kind` (a list, so a
    second notice would show)."""
    result: dict[int, list[str]] = {}
    for recipient_id, topic in Notification.objects.filter(kind=kind).values_list(
        "recipient_id", "topic"
    ):
        result.setdefault(recipient_id, []).append(topic)
    return result


def debate_with_everyone():
    """A debate whose proposer took a stance, a follower who took one, a
    follower who did not, a member who only wrote an argument, one who only
    took a stance, one who wrote and took a stance, a participant whose
    account was deactivated since, and a bystander."""
    debate = open_debate()
    proposal = debate.proposal
    people = {
        name: UserFactory()
        for name in ("follower_joined", "follower", "writer", "voter", "both", "gone", "bystander")
    }
    people["proposer"] = proposal.author
    for name in ("follower_joined", "follower"):
        proposal_follow(proposal=proposal, user=people[name])
    for name in ("proposer", "follower_joined", "voter", "both", "gone"):
        services.stance_set(debate=debate, user=people[name], position="for")
    for name in ("writer", "both"):
        services.argument_create(
            debate=debate, author=people[name], side="for", body="보행로가 넓어지면 좋겠어요."
        )
    people["gone"].is_active = False
    people["gone"].save(update_fields=["is_active"])
    return debate, people


def test_participants_hear_of_the_close_once_each_under_debates_i_joined(
    django_capture_on_commit_callbacks,
):
    debate, people = debate_with_everyone()

    with django_capture_on_commit_callbacks(execute=True):
        services.debate_close(debate=debate, now=debate.ends_at)

    ids = {name: user.pk for name, user in people.items()}
    assert told("debate_closed") == {
        ids["proposer"]: [NoticeTopic.MY_PROPOSALS],
        ids["follower_joined"]: [NoticeTopic.FOLLOWED],
        ids["follower"]: [NoticeTopic.FOLLOWED],
        ids["writer"]: [NoticeTopic.DEBATES],
        ids["voter"]: [NoticeTopic.DEBATES],
        ids["both"]: [NoticeTopic.DEBATES],
    }
    notice = Notification.objects.get(kind="debate_closed", recipient=people["voter"])
    assert notice.params["for"] == 5 and notice.url == debate.proposal.get_absolute_url()

    # what the participant sees in their notices
    page = page_text(logged_in(people["writer"]).get(reverse("notifications:list")))
    assert "The debate closed" in page and debate.proposal.title in page


def test_participants_hear_of_the_published_results_once_however_often_the_task_runs(
    django_capture_on_commit_callbacks,
):
    debate, people = debate_with_everyone()
    admin = operator()
    with django_capture_on_commit_callbacks(execute=True):
        services.debate_close(debate=debate, now=debate.ends_at)
    with django_capture_on_commit_callbacks(execute=True):
        services.debate_publish_summary(debate=debate, operator=admin, summary="찬성이 많았습니다.")

    first = told("debate_summary")
    assert first[people["both"].pk] == [NoticeTopic.DEBATES]
    assert first[people["proposer"].pk] == [NoticeTopic.MY_PROPOSALS]
    assert first[people["follower_joined"].pk] == [NoticeTopic.FOLLOWED]
    assert people["bystander"].pk not in first and people["gone"].pk not in first
    assert admin.pk not in first

    # a retried task (or the catch-up) tells nobody again
    assert tell_debate_participants.delay(debate.pk, "debate_summary").get() == 0
    with django_capture_on_commit_callbacks(execute=True):
        catch_up_debate_participants.delay().get()
    assert told("debate_summary") == first
    assert told("debate_closed").keys() == first.keys()


def test_the_fan_out_goes_in_batches_and_tells_each_participant_once(
    django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(debate_notices, "PARTICIPANT_BATCH", 2)
    debate = open_debate()
    voters = [UserFactory() for _ in range(5)]
    for voter in voters:
        services.stance_set(debate=debate, user=voter, position="against")
    writer = voters[2]  # wrote an argument too: still one notice
    services.argument_create(debate=debate, author=writer, side="against", body="예산이 부족해요.")

    # the batches queue one another (2 + 2 + 1)
    with django_capture_on_commit_callbacks(execute=True):
        services.debate_close(debate=debate, now=debate.ends_at)
    expected = {v.pk: [NoticeTopic.DEBATES] for v in voters}
    expected[debate.proposal.author_id] = [NoticeTopic.MY_PROPOSALS]
    assert told("debate_closed") == expected

    # one batch by hand: the first two are told already, nothing new
    assert debate_notices.tell_participants(debate_id=debate.pk, kind="debate_closed") == (
        0,
        sorted(v.pk for v in voters)[1],
    )
    assert told("debate_closed") == expected


def test_a_lost_fan_out_is_taken_up_by_the_catch_up_within_a_day(
    django_capture_on_commit_callbacks,
):
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        debate = open_debate()
        voter = UserFactory()
        services.stance_set(debate=debate, user=voter, position="for")
    # the broker was away: the close's after-commit work is lost
    with time_machine.travel(debate.ends_at, tick=False):
        with django_capture_on_commit_callbacks(execute=False):
            services.debate_close(debate=debate, now=debate.ends_at)
    assert voter.pk not in told("debate_closed")

    with time_machine.travel(debate.ends_at + timedelta(hours=2), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert catch_up_debate_participants.delay().get() == 1
    assert told("debate_closed")[voter.pk] == [NoticeTopic.DEBATES]

    # two days on, the debate is no longer looked at
    with time_machine.travel(debate.ends_at + timedelta(days=2), tick=False):
        assert catch_up_debate_participants.delay().get() == 0


def test_no_participant_notice_for_an_open_debate_or_an_unknown_kind():
    debate = open_debate()
    services.stance_set(debate=debate, user=UserFactory(), position="for")
    assert debate_notices.tell_participants(debate_id=debate.pk, kind="debate_closed") == (0, None)
    assert debate_notices.tell_participants(debate_id=debate.pk, kind="debate_summary") == (0, None)
    assert debate_notices.tell_participants(debate_id=10**9, kind="debate_closed") == (0, None)
    with pytest.raises(ValueError):
        debate_notices.tell_participants(debate_id=debate.pk, kind="debate_opened")
    assert not Notification.objects.filter(topic=NoticeTopic.DEBATES).exists()
