"""/open-data/: the nightly files, their downloads and the data dictionary.

The files are served by a view (not a static route), so they download the
same way under `runserver`, gunicorn behind nginx or anything else: the
view looks the name up in the Export table (an unknown name is a 404, and
nothing outside OPEN_DATA_DIR is ever opened) and streams the file with its
type, an attachment name, an ETag of its SHA-256 and a day's caching."""

import re
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponseNotModified
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_safe

from .build import latest_day
from .datasets import DATASETS, FORMATS, TYPE_DESCRIPTIONS
from .models import Export

# A file is cached by browsers and proxies for an hour: the name carries its
# day, a same-day rebuild (rare, by hand) changes its ETag.
CACHE_SECONDS = 3600
FILE_NAME = re.compile(r"^[a-z_]+-\d{8}\.(csv|json)$")


@require_safe
def index(request):
    day = latest_day()
    files = {}
    if day is not None:
        for export in Export.objects.filter(day=day):
            files.setdefault(export.dataset, {})[export.format] = export
    entries = [
        {
            "dataset": dataset,
            "files": [files[key][fmt] for fmt in FORMATS if fmt in files.get(key, {})],
        }
        for key, dataset in DATASETS.items()
    ]
    return render(
        request,
        "opendata/index.html",
        {
            "day": day,
            "entries": entries,
            "built": bool(files),
            "generated_at": max(
                (e.generated_at for f in files.values() for e in f.values()), default=None
            ),
        },
    )


def _both_languages(text) -> tuple[str, str]:
    with translation.override("ko"):
        korean = str(text)
    with translation.override("en"):
        english = str(text)
    return korean, english


@require_safe
def dictionary(request):
    datasets = [
        {
            "key": dataset.key,
            "title": dataset.title,
            "description": _both_languages(dataset.description),
            "columns": [
                {
                    "name": column.name,
                    "type": column.type,
                    "description": _both_languages(column.description),
                }
                for column in dataset.columns
            ],
        }
        for dataset in DATASETS.values()
    ]
    types = [(name, *_both_languages(text)) for name, text in TYPE_DESCRIPTIONS.items()]
    return render(request, "opendata/dictionary.html", {"datasets": datasets, "types": types})


def _serve(request, export: Export):
    path = Path(settings.OPEN_DATA_DIR) / export.file_name
    etag = f'"{export.sha256}"'
    if request.headers.get("If-None-Match") == etag:
        return HttpResponseNotModified(headers={"ETag": etag})
    try:
        handle = open(path, "rb")  # noqa: SIM115 - FileResponse closes it
    except FileNotFoundError:
        # The row outlived its file (pruned by hand, a lost volume).
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=export.file_name, content_type=export.content_type
    )
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def download(request, name: str):
    if not FILE_NAME.match(name):
        raise Http404
    export = Export.objects.filter(file_name=name).first()
    if export is None:
        raise Http404
    return _serve(request, export)


@require_safe
def latest(request, dataset: str, file_format: str):
    """The newest file of a dataset at an address that does not change, for
    scripts that fetch it every night."""
    if dataset not in DATASETS or file_format not in FORMATS:
        raise Http404
    export = Export.objects.filter(dataset=dataset, format=file_format).order_by("-day").first()
    if export is None:
        raise Http404
    response = _serve(request, export)
    # The newest changes each night: a shorter life in caches.
    response["Cache-Control"] = "public, max-age=600"
    return response
