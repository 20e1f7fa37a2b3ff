"""/open-data/: the downloads page, the files' headers, the dictionary in
both languages, and what a visitor gets for a file that does not exist."""

import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from opendata.build import build_exports
from opendata.datasets import DATASETS
from tests.opendata.world import build_world
from tests.pages import english_client, page_text

pytestmark = pytest.mark.django_db


def test_before_the_first_build_the_page_says_there_are_no_files_yet():
    response = Client().get(reverse("opendata:index"))
    assert response.status_code == 200
    text = page_text(response)
    assert "아직 파일이 없습니다" in text
    # Every dataset is still described.
    assert text.count("아직 만들지 않았습니다") == len(DATASETS)


def test_the_page_lists_each_dataset_with_its_rows_size_and_links_and_they_download(
    django_assert_max_num_queries,
):
    build_world()
    exports = build_exports()
    client = english_client()
    with django_assert_max_num_queries(6):
        response = client.get(reverse("opendata:index"))
    assert response.status_code == 200
    text = page_text(response)
    assert "No files yet" not in text
    assert "KOGL" in text
    for export in exports:
        assert export.get_absolute_url() in response.content.decode()
        assert export.sha256 in text
    proposals_csv = next(e for e in exports if e.dataset == "proposals" and e.format == "csv")
    download = client.get(proposals_csv.get_absolute_url())
    assert download.status_code == 200
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert download["Content-Disposition"] == f'attachment; filename="{proposals_csv.file_name}"'
    assert "public" in download["Cache-Control"] and "max-age" in download["Cache-Control"]
    assert download["ETag"] == f'"{proposals_csv.sha256}"'
    body = b"".join(download.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    assert hashlib.sha256(body).hexdigest() == proposals_csv.sha256
    # A reader who has it already is told so.
    again = client.get(proposals_csv.get_absolute_url(), HTTP_IF_NONE_MATCH=download["ETag"])
    assert again.status_code == 304
    latest = client.get(reverse("opendata:latest", args=["timeline", "json"]))
    assert latest.status_code == 200
    assert latest["Content-Type"] == "application/json; charset=utf-8"


@pytest.mark.parametrize(
    "path",
    [
        "/open-data/files/proposals-20990101.csv",
        "/open-data/files/..%2F..%2Fsettings.py",
        "/open-data/files/proposals-20260101.exe",
        "/open-data/files/.proposals-20260101.csv.abc.tmp",
        "/open-data/latest/members.csv",
        "/open-data/latest/proposals.xlsx",
        "/open-data/latest/proposals.csv",  # nothing built yet
    ],
)
def test_an_unknown_file_is_not_found(path):
    assert Client().get(path).status_code == 404


def test_a_file_whose_row_outlived_it_is_not_found():
    exports = build_exports()
    (Path(settings.OPEN_DATA_DIR) / exports[0].file_name).unlink()
    assert Client().get(exports[0].get_absolute_url()).status_code == 404


def test_a_download_refuses_a_post():
    exports = build_exports()
    assert Client().post(exports[0].get_absolute_url()).status_code == 405


@pytest.mark.parametrize("client", [Client, english_client], ids=["korean", "english"])
def test_the_dictionary_describes_every_column_in_korean_and_english_side_by_side(client):
    response = client().get(reverse("opendata:dictionary"))
    assert response.status_code == 200
    text = page_text(response)
    for dataset in DATASETS.values():
        for column in dataset.columns:
            assert column.name in text
    # The same rows carry both languages whatever the reader's language.
    assert "The proposal's number, as in its address /proposals/<number>/." in text
    assert "제안 번호" in text
    assert "The department's view of the feasibility." in text
