"""`seed_demo` on an empty database or one with other proposals: a partial
run and --if-empty. The full world is checked once, in world/ (test_seed_demo.py and test_seed_demo_story.py)."""

import io

import pytest
from django.core.management import call_command

from accounts.models import User
from demo import members
from demo.institutions import institution_proposal_count
from demo.themes import theme_proposal_count
from proposals.models import Proposal
from tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db


def seed(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_if_empty_does_nothing_when_a_proposal_exists():
    ProposalFactory()
    before = (User.objects.count(), Proposal.objects.count())

    output = seed("--if-empty")

    assert (User.objects.count(), Proposal.objects.count()) == before
    assert "not loaded" in output
    assert not User.objects.filter(email__endswith="@" + members.DEMO_EMAIL_DOMAIN).exists()


def test_if_empty_loads_an_empty_database():
    seed("--if-empty", "--proposals", "3")
    # --proposals counts the plan's proposals; the themed calls add their own
    # by design (demo/themes.py), whatever the plan's size, and so does the
    # partner institution (demo/institutions.py).
    assert Proposal.objects.count() == 3 + theme_proposal_count() + institution_proposal_count()


def test_print_demo_logins_warns_before_the_seed():
    out = io.StringIO()
    call_command("print_demo_logins", stdout=out)
    assert "run `python manage.py seed_demo`" in out.getvalue()
