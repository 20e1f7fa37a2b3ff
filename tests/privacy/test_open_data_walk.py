"""Nothing private leaves through the bulk files: the nightly build runs
over the secret world, and every file it wrote (each Export row's, CSV and
JSON) is read cell by cell. No secret marker appears, the public markers
do, no row belongs to a hidden object, and every column and field name is
on the allow-list (tests/privacy/fields.py).

The walk knows no dataset by name: one added to opendata.datasets later is
built and read as the others are."""

import pytest
from django.test import override_settings

from stats.refresh import refresh
from tests.privacy.fields import ALLOWED, FORBIDDEN
from tests.privacy.walk import FILE_REQUIRED, markers_in, mentions, numbers, objects, read_files
from tests.privacy.world import PUBLIC, SECRETS, SMALL_GROUP_DISTRICT

build = pytest.importorskip("opendata.build", reason="the open-data part has not merged yet")

# Columns that name another object by its id: a hidden one's id must not
# appear in them (the row would be about a hidden proposal).
POINTERS = {"proposal": ("id", "proposal_id", "proposal")}


@pytest.fixture(scope="module")
def built(secret_world, django_db_blocker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("open-data")
    with django_db_blocker.unblock(), override_settings(OPEN_DATA_DIR=str(folder)):
        refresh(full=True)  # the statistics files read the counted figures
        exports = build.build_exports()
        return exports, read_files(folder)


def _dataset(source: str) -> str:
    """`proposals` of …/proposals-20261205.csv."""
    return source.replace("\\", "/").rsplit("/", 1)[-1].rsplit("-", 1)[0]


def test_every_export_was_read(built, db):
    from opendata.datasets import DATASETS

    exports, seen = built
    read = {each.source.replace("\\", "/").rsplit("/", 1)[-1] for each in seen}
    assert {export.file_name for export in exports} <= read
    keys = list(DATASETS) if isinstance(DATASETS, dict) else [d.key for d in DATASETS]
    assert {(export.dataset, export.format) for export in exports} == {
        (key, fmt) for key in keys for fmt in ("csv", "json")
    }
    # Each dataset has rows in this world, so each was walked with data.
    assert [export.file_name for export in exports if not export.rows] == []


def test_no_secret_appears_in_any_file(built, db):
    _exports, seen = built
    assert markers_in(seen, SECRETS) == []


def test_the_files_hold_the_public_things(built, db):
    _exports, seen = built
    datasets = {_dataset(each.source) for each in seen}
    missing = []
    for dataset, names in FILE_REQUIRED.items():
        if dataset not in datasets:
            continue
        rows = [each for each in seen if _dataset(each.source) == dataset]
        for name in names:
            if not markers_in(rows, {name: PUBLIC[name]}):
                missing.append(f"{dataset}: {PUBLIC[name]}")
    assert missing == []


def test_no_row_is_about_a_hidden_proposal(built, secret_world, db):
    _exports, seen = built
    hidden = {str(pk) for pk in secret_world.hidden_ids["proposal"]}
    found = []
    for each in seen:
        proposals_file = _dataset(each.source) == "proposals"
        for obj in objects(each.body):
            for column in POINTERS["proposal"]:
                if column == "id" and not proposals_file:
                    continue  # another dataset's own ids
                if column in obj and str(obj[column]) in hidden:
                    found.append(f"{each.source}: {column}={obj[column]}")
    assert found == []


def test_every_column_is_on_the_allow_list(built, db):
    assert not set(ALLOWED) & set(FORBIDDEN), "a forbidden field was allowed"
    _exports, seen = built
    unknown = {}
    for each in seen:
        for name, where in each.fields.items():
            if name not in ALLOWED:
                unknown.setdefault(name, f"{each.source} {where}")
    assert unknown == {}, (
        "New columns in the open data: check each is public data and add it to "
        "tests/privacy/fields.py with its reason"
    )


def test_results_not_yet_public_and_small_groups_give_no_numbers(built, secret_world, db):
    """As in the API: the open poll's choices carry no count before its
    close, and the one voter of 도봉구 is in no group with a number (read
    in the JSON files, where numbers are numbers)."""
    _exports, seen = built
    labels = set(secret_world.poll_open.questions.get().choices.values_list("label", flat=True))
    leaking = [
        f"{each.source}: {obj}"
        for each in seen
        if each.source.endswith(".json")
        for obj in objects(each.body.get("rows", []) if isinstance(each.body, dict) else [])
        if (mentions(obj, labels) or mentions(obj, {SMALL_GROUP_DISTRICT}))
        and any(number > 0 for number in numbers(obj))
    ]
    assert leaking == []
