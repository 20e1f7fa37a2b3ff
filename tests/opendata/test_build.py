"""The nightly files against a hand-made world: each dataset's rows, the
BOM and header, Korean labels with their codes, formula cells neutralised,
JSON that parses; and what must never be in them."""

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest
from django.conf import settings

from opendata import datasets
from opendata.build import build_exports
from opendata.datasets import DATASETS
from opendata.models import Export
from stats.refresh import refresh
from tests.opendata.world import FORMULA, build_world

pytestmark = pytest.mark.django_db


def read_csv(name: str) -> list[dict]:
    raw = (Path(settings.OPEN_DATA_DIR) / name).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def read_json(name: str) -> dict:
    raw = (Path(settings.OPEN_DATA_DIR) / name).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    return json.loads(raw.decode("utf-8-sig"))


@pytest.fixture
def built():
    world = build_world()
    refresh(full=True)
    exports = build_exports()
    return world, {(e.dataset, e.format): e for e in exports}


def test_every_dataset_is_written_in_both_formats_with_its_header_and_counts(built):
    _world, exports = built
    assert set(exports) == {(key, fmt) for key in DATASETS for fmt in ("csv", "json")}
    for (key, fmt), export in exports.items():
        path = Path(settings.OPEN_DATA_DIR) / export.file_name
        data = path.read_bytes()
        assert export.bytes == len(data)
        assert export.sha256 == hashlib.sha256(data).hexdigest()
        names = [column.name for column in DATASETS[key].columns]
        if fmt == "csv":
            header = data.decode("utf-8-sig").splitlines()[0]
            assert header == ",".join(names)
            assert len(read_csv(export.file_name)) == export.rows
        else:
            document = read_json(export.file_name)
            assert document["dataset"] == key
            assert [c["name"] for c in document["columns"]] == names
            assert len(document["rows"]) == export.rows
            assert document["generated_at"].endswith("+09:00")
    expected = {
        "proposals": 3,
        "timeline": 5,
        "answers": 1,
        "debates": 1,
        "meetings": 1,
        "adopted": 1,
        "card_reports": 1,
        "polls": 2,
        "poll_results": 2,
    }
    for key, rows in expected.items():
        assert exports[(key, "csv")].rows == rows, key
        assert exports[(key, "json")].rows == rows, key


def test_choices_carry_their_code_and_korean_label(built):
    world, exports = built
    proposals = {
        int(r["proposal_id"]): r for r in read_csv(exports[("proposals", "csv")].file_name)
    }
    first = proposals[world.public[0].pk]
    assert first["status"] == "open"
    assert first["status_name"] == "추천 받는 중"
    assert first["district"] == "jongno"
    assert first["district_name"] == "종로구"
    assert first["category"] == "transport" and first["category_name"] == "교통"
    assert first["created_at"].endswith("+09:00")
    answers = read_csv(exports[("answers", "csv")].file_name)
    assert answers[0]["decision"] == "accept"
    assert answers[0]["decision_name"] == "수용"
    assert answers[0]["met_deadline"] == "true"
    results = read_json(exports[("poll_results", "json")].file_name)["rows"]
    assert [(r["choice"], r["votes"], r["share_percent"]) for r in results] == [
        ("강북", 3, 75.0),
        ("강남", 1, 25.0),
    ]


def test_formula_cells_are_neutralised_in_csv_and_kept_as_written_in_json(built):
    world, exports = built
    proposals = {
        int(r["proposal_id"]): r for r in read_csv(exports[("proposals", "csv")].file_name)
    }
    assert proposals[world.public[0].pk]["title"] == "'" + FORMULA
    assert proposals[world.public[1].pk]["title"] == "'+1+cmd 다리"
    assert proposals[world.public[2].pk]["title"] == "'-2 평범한 제안"
    assert read_csv(exports[("answers", "csv")].file_name)[0]["summary"].startswith("'@SUM")
    assert read_csv(exports[("adopted", "csv")].file_name)[0]["conditions"] == "'" + FORMULA
    rows = read_json(exports[("proposals", "json")].file_name)["rows"]
    assert FORMULA in {row["title"] for row in rows}
    # Numbers stay numbers.
    assert all(isinstance(row["endorsement_count"], int) for row in rows)


def test_hidden_trashed_private_and_unpublished_rows_are_absent(built):
    world, exports = built
    everything = "".join(
        (Path(settings.OPEN_DATA_DIR) / e.file_name).read_text("utf-8-sig")
        for e in exports.values()
    )
    for text in (
        "숨긴 안건 사유",
        "숨긴 제안",
        "휴지통 제안",
        "욕설",
        "내부 사유",
        "숨김 사유 비밀",
        "초안",
        "아직 안 낸 결과",
        "아직 안 낸 보고",
        "비밀 선택지",
        "비밀 질문",
        "홍길동",
        "@example.com",
    ):
        assert text not in everything, text
    timeline = read_json(exports[("timeline", "json")].file_name)["rows"]
    steps = [row["kind"] for row in timeline if row["proposal_id"] == world.public[2].pk]
    assert steps == ["created", "hidden", "unhidden"]
    for key in ("proposals", "timeline", "answers", "debates", "meetings", "adopted"):
        ids = {row["proposal_id"] for row in read_json(exports[(key, "json")].file_name)["rows"]}
        assert world.hidden.pk not in ids and world.trashed.pk not in ids, key
    polls = {row["poll_id"]: row for row in read_json(exports[("polls", "json")].file_name)["rows"]}
    assert world.poll_draft.pk not in polls
    assert polls[world.poll_live_hidden.pk]["results_public"] is False
    assert polls[world.polls_public[0].pk]["results_public"] is True


def test_statistics_files_agree_with_the_counted_figures(built):
    _world, exports = built
    rows = read_json(exports[("statistics", "json")].file_name)["rows"]
    everything = [row for row in rows if row["dimension"] == "all"]
    assert sum(row["received"] for row in everything) == 3
    by_category = [row for row in rows if row["dimension"] == "category"]
    assert {row["key_name"] for row in by_category} == {"교통"}


def test_a_build_with_nothing_writes_empty_files_that_parse():
    exports = build_exports()
    assert exports
    for export in exports:
        if export.format == "json":
            assert read_json(export.file_name)["rows"] == []
        else:
            assert read_csv(export.file_name) == []
    assert Export.objects.count() == len(DATASETS) * 2


def test_a_failing_dataset_leaves_the_previous_files_and_no_temporary_file(monkeypatch):
    build_world()
    first = {e.file_name: e.sha256 for e in build_exports()}

    def broken():
        # The timeline fails after the proposals' files were written.
        raise RuntimeError("disk on fire")
        yield  # a generator, as a dataset's rows are

    broken_dataset = datasets.Dataset(
        key="timeline",
        title="t",
        description="d",
        columns=DATASETS["timeline"].columns,
        rows=broken,
    )
    monkeypatch.setitem(datasets.DATASETS, "timeline", broken_dataset)
    with pytest.raises(RuntimeError):
        build_exports()
    folder = Path(settings.OPEN_DATA_DIR)
    assert sorted(p.name for p in folder.iterdir()) == sorted(first)
    for name, sha in first.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == sha
