"""The files agree with each other while the portal goes on being written
to: on PostgreSQL every dataset is read in one REPEATABLE READ snapshot, so
a proposal committed between two datasets is in none of the files (it was
not there when the snapshot began)."""

import threading
from contextlib import nullcontext

import pytest
from django.db import connection

from opendata import build
from opendata.datasets import DATASETS, Dataset
from proposals.models import EventKind, Proposal, ProposalEvent, ProposalStatus
from tests.factories import ProposalFactory
from tests.opendata.test_build import read_json
from tests.opendata.world import build_world

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _commit_a_proposal_from_another_connection(made: list) -> None:
    def write():
        try:
            proposal = ProposalFactory(
                category=Proposal.objects.first().category, title="빌드 중에 들어온 제안"
            )
            ProposalEvent.objects.create(
                proposal=proposal, kind=EventKind.CREATED, to_status=ProposalStatus.OPEN
            )
            made.append(proposal.pk)
        finally:
            connection.close()

    thread = threading.Thread(target=write)
    thread.start()
    thread.join(timeout=30)


@pytest.fixture
def writes_between_datasets(monkeypatch):
    """The build's datasets, with one between the proposals and the timeline
    that commits a new proposal and its first timeline row meanwhile."""
    made: list[int] = []

    def intrude():
        _commit_a_proposal_from_another_connection(made)
        return iter(())

    intruder = Dataset(key="intruder", title="-", description="-", columns=(), rows=intrude)
    ordered = {}
    for key, dataset in DATASETS.items():
        ordered[key] = dataset
        if key == "proposals":
            ordered["intruder"] = intruder
    monkeypatch.setattr(build, "DATASETS", ordered)
    return made


def _ids(exports, dataset) -> list[int]:
    export = next(e for e in exports if e.dataset == dataset and e.format == "json")
    return [row["proposal_id"] for row in read_json(export.file_name)["rows"]]


def test_a_proposal_committed_during_the_build_is_in_no_file(writes_between_datasets):
    build_world()
    exports = build.build_exports()
    [new] = writes_between_datasets
    proposals, timeline = _ids(exports, "proposals"), _ids(exports, "timeline")
    assert new not in proposals and new not in timeline
    assert set(timeline) <= set(proposals)
    assert len(proposals) == 3


def test_without_the_snapshot_the_files_would_disagree(writes_between_datasets, monkeypatch):
    # The control: the same build read outside one snapshot (each query in
    # its own transaction) lists the newcomer's timeline row but not the
    # proposal, which is what the snapshot prevents.
    monkeypatch.setattr(build, "consistent_snapshot", nullcontext)
    build_world()
    exports = build.build_exports()
    [new] = writes_between_datasets
    assert new not in _ids(exports, "proposals")
    assert new in _ids(exports, "timeline")
