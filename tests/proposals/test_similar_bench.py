"""The benchmark's world has similarity terms (issue 16): bench_fill writes
them with its COPY (Kiwi reads each pooled text once), so similar proposals
work at bench scale without a backfill."""

import pytest
from django.core.management import call_command

from proposals.models import Proposal
from proposals.similarity import similar_proposals, terms_of


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_bench_fill_writes_the_terms():
    call_command("bench_fill", "--scale", "0.002")
    assert not Proposal.objects.filter(similarity_terms="").exists()
    sample = Proposal.objects.order_by("pk").first()
    assert sample.similarity_terms == terms_of(sample.title, sample.body)
    # Found from its own words: the index and the stored column work on
    # rows written by COPY.
    hits = similar_proposals(sample.title, sample.body)
    assert hits and hits[0].score > 0.9
