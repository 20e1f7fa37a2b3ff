"""Issue 12's acceptance: a year simulated over a small city (city.py), with
the checks of invariants.py at the end of every simulated day. The figures
are printed (run with -s to see them; they are also in the failure report).

The seed is fixed so the year is the same on every run; OASIS_SIM_SEED picks
another one to explore (a failure prints its seed)."""

import datetime as dt
import os

import pytest

from tests.simulation import invariants
from tests.simulation.city import City, table

pytestmark = [pytest.mark.simulation, pytest.mark.django_db(transaction=True)]

SEED = int(os.environ.get("OASIS_SIM_SEED", "12"))
START = dt.date(2027, 1, 4)  # a Monday
YEAR = 365

# Staff events the year may hold. Deactivation is handled on main (the card
# is shown without owner and handed over); a transfer, a lost role or a head
# who moves is noticed only once issue 12's ownership part is merged
# (accounts.ownership), so those are switched on with it.
CHURN = {"deactivated"} | (
    {"moved", "role_withdrawn", "head_moved"} if invariants.HAS_OWNERSHIP else set()
)


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
    assert figures.staff_events["deactivated"] and figures.handoffs


@pytest.mark.xfail(
    not invariants.HAS_OWNERSHIP,
    reason="issue 12's ownership part (accounts.ownership) is not merged: a transfer leaves work unowned",
    strict=True,
)
def test_transfers_leave_no_work_unowned(role_groups):
    """Officials moved, heads moved, roles withdrawn: until the ownership part
    lands, the check finds the card that still names the official who moved
    (the seeds' failure), so this fails (xfail, strict: once ownership is
    merged it must pass, and the mark comes off)."""
    city = City(
        seed=SEED, start=START, churn={"moved", "role_withdrawn", "head_moved", "deactivated"}
    )
    figures = city.live(240)
    print("\n" + table(figures, city.beat))
    assert not figures.failures, "\n".join(figures.failures[:20])
