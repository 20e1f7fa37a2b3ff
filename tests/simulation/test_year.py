"""Issue 12's acceptance: a year simulated over a small city (city.py), with
the checks of invariants.py at the end of every simulated day. The figures
are printed (run with -s to see them; they are also in the failure report).

The seed is fixed so the year is the same on every run; OASIS_SIM_SEED picks
another one to explore (a failure prints its seed)."""

import datetime as dt
import os

import pytest

from tests.simulation.city import City, table

pytestmark = [pytest.mark.simulation, pytest.mark.django_db(transaction=True)]

SEED = int(os.environ.get("OASIS_SIM_SEED", "12"))
START = dt.date(2027, 1, 4)  # a Monday
YEAR = 365

# Staff events the year holds: officials leave (deactivated), move to another
# department, lose the official role, and heads move; the departments hire
# when they are down to one official. (Before issue 12's ownership part was
# merged, a transfer left its cards with the official who moved: the check
# failed on the first day a moved official still carried a card.)
CHURN = {"deactivated", "moved", "role_withdrawn", "head_moved"}


def test_a_year_in_the_city(role_groups):
    city = City(seed=SEED, start=START, churn=CHURN)
    figures = city.live(YEAR)
    print(
        f"\nA year in the city (seed {SEED}, staff events {sorted(CHURN)}):\n"
        + table(figures, city.beat)
    )
    assert not figures.failures, (
        f"seed {SEED}:\n" + "\n".join(figures.failures[:20]) + "\n\n" + table(figures, city.beat)
    )
    # The year really went through every stage.
    assert figures.days == YEAR
    assert figures.adopted >= 2 and figures.meetings_held >= 2
    assert figures.answers_late and figures.escalated and figures.accepted
    assert figures.reports_on_time and figures.cards
    assert all(figures.staff_events[event] for event in CHURN) and figures.handoffs
