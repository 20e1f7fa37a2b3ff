"""The demo makes the open-data files once, from the world it loaded, so a
newcomer finds files to download at /open-data/."""

from django.test import Client
from django.urls import reverse

from opendata.datasets import DATASETS
from opendata.models import Export
from proposals.models import Proposal
from tests.pages import page_text


def test_the_demo_builds_every_open_data_file_from_the_public_world(world):
    exports = {(e.dataset, e.format): e for e in Export.objects.all()}
    assert set(exports) == {(key, fmt) for key in DATASETS for fmt in ("csv", "json")}
    assert exports[("proposals", "csv")].rows == Proposal.objects.public().count()
    for key in ("timeline", "answers", "debates", "meetings", "adopted", "polls", "statistics"):
        assert exports[(key, "json")].rows > 0, key
    assert "Open data: 22 files at /open-data/." in world.output
    text = page_text(Client().get(reverse("opendata:index")))
    assert "아직 파일이 없습니다" not in text
    assert exports[("proposals", "csv")].sha256 in text
