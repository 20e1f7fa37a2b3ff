"""The demo's mileage (demo/mileage.py): every grade shows, the rankings are
filled, and every balance and monthly total adds up from the ledger."""

from collections import defaultdict

import pytest
from django.db.models import Sum
from django.utils import timezone

from accounts.grades import Grade
from accounts.models import User
from demo.members import DEMO_EMAIL_DOMAIN
from mileage import selectors
from mileage.models import MemberMonth, MileageEntry, MileageRule
from tests.demo.helpers import seed
from tests.pages import english_client, logged_in, page_html, page_text

pytestmark = pytest.mark.django_db


def demo_citizens():
    return User.objects.filter(
        email__endswith="@" + DEMO_EMAIL_DOMAIN, is_staff=False, withdrawn_at__isnull=True
    )


def test_every_grade_is_shown_by_some_demo_member(world):
    grades = set(demo_citizens().values_list("mileage_grade", flat=True))
    assert grades == set(Grade)
    assert User.objects.get(email="citizen@" + DEMO_EMAIL_DOMAIN).mileage_grade == Grade.TREE
    assert User.objects.get(email="panel@" + DEMO_EMAIL_DOMAIN).mileage_grade == Grade.FOREST


def test_balances_and_monthly_totals_add_up_from_the_ledger(world):
    sums = dict(
        MileageEntry.objects.values("member_id")
        .annotate(t=Sum("points"))
        .values_list("member_id", "t")
    )
    for member_id, balance in User.objects.values_list("pk", "mileage_balance"):
        assert balance == sums.get(member_id, 0)
    months = defaultdict(int)
    for member_id, points, at in MileageEntry.objects.values_list(
        "member_id", "points", "created_at"
    ):
        months[(member_id, timezone.localdate(at).replace(day=1))] += points
    stored = {(m.member_id, m.month): m.points for m in MemberMonth.objects.all()}
    assert stored == dict(months)
    # Nothing is dated ahead of the loading, and every rule is set
    assert not MileageEntry.objects.filter(created_at__gt=timezone.now()).exists()
    assert MileageRule.objects.filter(points__gt=0).count() >= 10


def test_the_rankings_are_filled_this_month_and_before(world):
    this_month = timezone.localdate().replace(day=1)
    assert len(selectors.monthly_ranking(month=this_month)) >= 5
    assert len(selectors.ranked_months()) >= 3
    assert len(selectors.all_time_ranking()) == selectors.RANKING_SIZE
    html = page_html(english_client().get("/mileage/ranking/"))
    assert 'aria-label="Grade: Oasis"' in html and 'aria-label="Grade: Forest"' in html


def test_citizen_sees_their_tree_grade_and_ledger(world):
    citizen = User.objects.get(email="citizen@" + DEMO_EMAIL_DOMAIN)
    text = page_text(logged_in(citizen).get("/me/mileage/"))
    assert "Tree" in text and "points to go to Forest" in text
    assert "Made a proposal" in text or "Endorsed a proposal" in text


def test_a_second_run_writes_no_mileage_twice(world):
    entries = MileageEntry.objects.count()
    balances = dict(User.objects.values_list("pk", "mileage_balance"))
    seed()
    assert MileageEntry.objects.count() == entries
    assert dict(User.objects.values_list("pk", "mileage_balance")) == balances
