"""bench_fill: the benchmark's world is written with PostgreSQL's COPY and
checked by a consistency query; it refuses SQLite and a database that
already has proposals."""

import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from bench.check import problems
from proposals.models import Endorsement, Proposal
from tests.production import BASE_DIR, production_env


def test_sqlite_is_refused_with_a_clear_message(tmp_path):
    # In a process of its own on the embedded SQLite default, so the refusal
    # is checked whichever database this run uses.
    env = production_env(tmp_path, DJANGO_DEBUG="1")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=BASE_DIR, env=env, check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    done = subprocess.run(
        [sys.executable, "manage.py", "bench_fill", "--scale", "0.01"],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode != 0
    assert "PostgreSQL" in done.stderr


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_small_world_is_consistent_and_the_check_sees_a_drifted_counter():
    call_command("bench_fill", "--scale", "0.002")
    assert Proposal.objects.count() == 340
    hot = Proposal.objects.order_by("-endorsement_count").first()
    assert hot.endorsement_count == Endorsement.objects.filter(proposal=hot).count() == 138
    assert Proposal.objects.filter(search_text__contains="한강").exists()
    assert problems() == []

    # A second fill would mix two worlds: refused without --reset.
    with pytest.raises(CommandError, match="already has proposals"):
        call_command("bench_fill", "--scale", "0.002")

    Proposal.objects.filter(pk=hot.pk).update(endorsement_count=hot.endorsement_count + 1)
    assert problems() == ["1 proposals whose endorsement_count differs from their endorsements"]
