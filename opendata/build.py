"""Building the nightly open-data files (issue 15, "/open-data/").

`build_exports()` writes every dataset of opendata.datasets as CSV and as
JSON, both UTF-8 with a byte-order mark (so Excel on Korean Windows opens
the Korean as Korean), reading each dataset once and writing both files as
it reads. Every dataset is read inside one `consistent_snapshot()`: a
proposal committed while the build runs is in all the files or in none.

Files are written under temporary names in the same folder and renamed
only once every dataset was written, so a reader downloads either the old
file or the new one, never half of one; a build that fails leaves the
previous files and rows as they were. The rows of the Export table are
written after the snapshot (it is read only)."""

import csv
import hashlib
import json
import logging
import os
import uuid
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from oasis.exports import neutralise_formula
from oasis.snapshot import consistent_snapshot
from stats import figures

from .datasets import BOOLEAN, DATASETS, FORMATS, Dataset, cell_text
from .models import Export

logger = logging.getLogger(__name__)

BOM = "\ufeff"
# The datasets whose figures are as of the last statistics refresh rather
# than the snapshot's moment.
COUNTED = {"statistics", "timeliness"}


def file_name(dataset: str, day, file_format: str) -> str:
    return f"{dataset}-{day:%Y%m%d}.{file_format}"


class _HashingWriter:
    """A binary file that counts and hashes what is written to it, taking
    text (UTF-8)."""

    def __init__(self, path: Path):
        self.path = path
        self.file = open(path, "wb")  # noqa: SIM115 - closed by close()
        self.hash = hashlib.sha256()
        self.bytes = 0

    def write(self, text: str) -> None:
        data = text.encode("utf-8")
        self.hash.update(data)
        self.bytes += len(data)
        self.file.write(data)

    def close(self) -> None:
        self.file.close()


@dataclass
class _Written:
    dataset: str
    format: str
    temporary: Path
    final: Path
    rows: int
    bytes: int
    sha256: str
    as_of: object


def _csv_cell(value, column_type: str):
    value = cell_text(value)
    if value is None:
        return ""
    if column_type == BOOLEAN:
        return "true" if value else "false"
    # Text a spreadsheet would run as a formula is shown as text.
    return neutralise_formula(value)


def _json_cell(value):
    value = cell_text(value)
    if isinstance(value, Decimal):
        return float(value)
    return value


def _descriptions(text) -> dict:
    out = {}
    for language in ("ko", "en"):
        with translation.override(language):
            out[language] = str(text)
    return out


def _write_dataset(dataset: Dataset, folder: Path, day, generated_at, as_of) -> list[_Written]:
    """Write one dataset's CSV and JSON files under temporary names, reading
    its rows once."""
    names = [column.name for column in dataset.columns]
    types = [column.type for column in dataset.columns]
    token = uuid.uuid4().hex
    paths = {fmt: folder / f".{file_name(dataset.key, day, fmt)}.{token}.tmp" for fmt in FORMATS}
    csv_file = _HashingWriter(paths["csv"])
    json_file = _HashingWriter(paths["json"])
    rows = 0
    try:
        csv_file.write(BOM)
        writer = csv.writer(csv_file, lineterminator="\r\n")
        writer.writerow(names)
        header = {
            "dataset": dataset.key,
            "title": _descriptions(dataset.title),
            "generated_at": cell_text(generated_at),
            "as_of": cell_text(as_of),
            "columns": [
                {"name": c.name, "type": c.type, "description": _descriptions(c.description)}
                for c in dataset.columns
            ],
        }
        # The header object, then the rows one by one as they are read.
        opening = json.dumps(header, ensure_ascii=False)[:-1]
        json_file.write(BOM + opening + ', "rows": [')
        for values in dataset.records():
            writer.writerow(
                [_csv_cell(value, kind) for value, kind in zip(values, types, strict=True)]
            )
            row = {name: _json_cell(value) for name, value in zip(names, values, strict=True)}
            json_file.write(("\n" if rows == 0 else ",\n") + json.dumps(row, ensure_ascii=False))
            rows += 1
        json_file.write("\n]}\n")
    except BaseException:
        for path in paths.values():
            path.unlink(missing_ok=True)
        raise
    finally:
        csv_file.close()
        json_file.close()
    return [
        _Written(
            dataset=dataset.key,
            format=fmt,
            temporary=paths[fmt],
            final=folder / file_name(dataset.key, day, fmt),
            rows=rows,
            bytes=sink.bytes,
            sha256=sink.hash.hexdigest(),
            as_of=as_of,
        )
        for fmt, sink in (("csv", csv_file), ("json", json_file))
    ]


def build_exports(now=None) -> list[Export]:
    """Write every dataset's CSV and JSON of today (Seoul) into
    OPEN_DATA_DIR and record them; a second build the same day replaces the
    day's files. Reads in one snapshot; writes files, then the Export rows;
    prunes the days past OPEN_DATA_KEEP_DAYS. Call stats.refresh.refresh()
    first for statistics that agree with the pages (the task does)."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    folder = Path(settings.OPEN_DATA_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[_Written] = []
    try:
        # The files are written in Korean: labels, and the system's words
        # on timeline rows.
        with translation.override("ko"), consistent_snapshot():
            read_at = timezone.now()
            counted_at = figures.as_of()
            for dataset in DATASETS.values():
                as_of = counted_at if dataset.key in COUNTED else read_at
                written += _write_dataset(dataset, folder, day, now, as_of)
        # Only a build that wrote everything replaces the files.
        for item in written:
            os.replace(item.temporary, item.final)
    finally:
        for item in written:
            item.temporary.unlink(missing_ok=True)
    with transaction.atomic():
        exports = [
            Export.objects.update_or_create(
                dataset=item.dataset,
                format=item.format,
                day=day,
                defaults={
                    "generated_at": now,
                    "as_of": item.as_of,
                    "rows": item.rows,
                    "bytes": item.bytes,
                    "sha256": item.sha256,
                    "file_name": item.final.name,
                },
            )[0]
            for item in written
        ]
    _prune(folder, day)
    return exports


def _prune(folder: Path, newest_day) -> None:
    """Delete the files and rows of days older than OPEN_DATA_KEEP_DAYS
    before the newest build (which is always kept)."""
    keep_from = newest_day - timedelta(days=max(settings.OPEN_DATA_KEEP_DAYS, 1) - 1)
    old = Export.objects.filter(day__lt=keep_from)
    for name in old.values_list("file_name", flat=True):
        (folder / name).unlink(missing_ok=True)
    deleted, _ = old.delete()
    if deleted:
        logger.info("open data: %s old files pruned", deleted)


def latest_day():
    """The day of the newest build, None before the first."""
    return Export.objects.order_by("-day").values_list("day", flat=True).first()
