"""The beat job that keeps the next realization meeting scheduled: the last
Thursday of every second month, 14:00 Seoul time. Time is frozen with
time_machine."""

import pytest
import time_machine

from meetings import services, tasks
from meetings.models import RealizationMeeting
from tests.clock import seoul

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("year", "month", "expected"),
    [
        (2026, 1, seoul(2026, 1, 29, 14)),
        (2026, 3, seoul(2026, 3, 26, 14)),
        (2025, 12, seoul(2025, 12, 25, 14)),
    ],
)
def test_the_usual_time_is_the_last_thursday_at_two(year, month, expected):
    assert services.meeting_time_in(year, month) == expected


def test_with_no_meeting_yet_the_first_is_this_months_and_running_twice_makes_one():
    with time_machine.travel(seoul(2026, 3, 5, 10), tick=False):
        first = services.meeting_schedule_next()
        again = tasks.schedule_next_meeting()

    assert RealizationMeeting.objects.count() == 1
    assert again == first.pk
    assert first.number == 1 and first.scheduled_at == seoul(2026, 3, 26, 14)
    assert first.place == services.MEETING_PLACE and first.status == "scheduled"


def test_after_the_meeting_day_the_next_is_two_months_later():
    with time_machine.travel(seoul(2026, 3, 5, 10), tick=False):
        march = services.meeting_schedule_next()
    with time_machine.travel(seoul(2026, 3, 26, 18), tick=False):
        tasks.schedule_next_meeting()
        tasks.schedule_next_meeting()

    may = RealizationMeeting.objects.exclude(pk=march.pk).get()
    assert may.number == 2 and may.scheduled_at == seoul(2026, 5, 28, 14)


def test_an_upcoming_meeting_set_by_hand_is_kept():
    with time_machine.travel(seoul(2026, 3, 5, 10), tick=False):
        by_hand = RealizationMeeting.objects.create(
            number=7, scheduled_at=seoul(2026, 4, 2, 15), place="시민청"
        )
        assert services.meeting_schedule_next() == by_hand
    assert RealizationMeeting.objects.count() == 1


def test_after_a_long_pause_the_rhythm_resumes_in_the_future():
    RealizationMeeting.objects.create(
        number=12, scheduled_at=seoul(2025, 1, 30, 14), place="시민청"
    )

    with time_machine.travel(seoul(2026, 3, 30, 10), tick=False):
        following = services.meeting_schedule_next()

    # March 2025 + steps of two months: the first one ahead of 30 March 2026.
    assert following.number == 13 and following.scheduled_at == seoul(2026, 5, 28, 14)
