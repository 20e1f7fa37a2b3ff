"""Walkers over what leaves the portal: every GET path of the API's OpenAPI
schema (lists with all their pages, each detail reached from a list, each
list with each value of its choice filters, in both languages), and every
bulk file of the open data. Nothing here knows an endpoint or a file by
name, so what the other parts add later is walked without changing it.

A walk gathers `Seen` values (where, what); the tests ask them for markers
and for field names."""

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from django.core.cache import caches
from django.test import Client

LANGUAGES = ("ko", "en")
# A list is followed to its end, but a loop in `next` links must end too.
MAX_PAGES = 50
PARAMETER = re.compile(r"\{([^}]+)\}")


@dataclass
class Seen:
    """Everything read from one source (a URL or a file)."""

    source: str
    status: int
    body: object  # parsed JSON, CSV rows as dicts, or text
    # Column or field names, with where each was seen.
    fields: dict = field(default_factory=dict)


def leaves(value, path="$"):
    """(path, text) for every scalar in a JSON-like value, keys included:
    a secret could hide in a key as well as in a value."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield f"{path}.{key}", str(key)
            yield from leaves(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, f"{path}[{index}]")
    elif value is not None:
        yield path, str(value)


def field_names(value, path="$", found=None) -> dict:
    """Every key of every object, with the first place it was seen. Keys that
    are data rather than names (a year, an id) are left to the values check."""
    found = {} if found is None else found
    if isinstance(value, dict):
        for key, item in value.items():
            name = str(key)
            if not name.lstrip("-").isdigit():
                found.setdefault(name, f"{path}.{name}")
            field_names(item, f"{path}.{name}", found)
    elif isinstance(value, list):
        for item in value:
            field_names(item, f"{path}[]", found)
    return found


def markers_in(seen: list[Seen], markers: dict) -> list[str]:
    """'marker name: source path' for every marker found, case-insensitively."""
    lowered = {name: marker.lower() for name, marker in markers.items()}
    found = []
    for each in seen:
        for path, text in leaves(each.body):
            text = text.lower()
            for name, marker in lowered.items():
                if marker in text:
                    found.append(f"{name}: {each.source} {path}")
    return found


# Which public marker a part of the data must show, by the first segment of
# an API path after /api/v1/ or a bulk file's dataset (a part not there
# yet is not asked). The files name a proposal by its id beside its title
# in proposals.csv, so their debates and adopted items carry no title.
REQUIRED = {
    "proposals": ["proposal"],
    "answers": ["answer"],
    "debates": ["debate"],
    "meetings": ["meeting"],
    "adopted": ["adopted", "report"],
    "polls": ["poll"],
    "themes": ["theme"],
}
FILE_REQUIRED = {
    "proposals": ["proposal", "debate", "adopted"],
    "answers": ["answer"],
    "meetings": ["meeting"],
    "card_reports": ["report"],
    "polls": ["poll"],
}


def objects(value):
    """Every JSON object in `value`, itself included."""
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from objects(item)
    elif isinstance(value, list):
        for item in value:
            yield from objects(item)


def numbers(value) -> list:
    """Every number in `value` and below it, but ids (`id`, `poll_id`…) and
    positions, which say nothing about votes."""
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, bool) or key in ("id", "position") or key.endswith("_id"):
                continue
            if isinstance(item, int | float):
                found.append(item)
            else:
                found.extend(numbers(item))
    elif isinstance(value, list):
        for item in value:
            found.extend(numbers(item))
    return found


def mentions(obj: dict, words: set) -> bool:
    """`obj` holds one of `words` as a value, or as the code or label of a
    choice it holds."""
    for value in obj.values():
        if isinstance(value, str) and value in words:
            return True
        if isinstance(value, dict) and {value.get("code"), value.get("label")} & words:
            return True
    return False


# --- the API ------------------------------------------------------------------------


class ApiWalk:
    """Reads the schema, then every GET path of it as an anonymous reader."""

    def __init__(self, extra_ids: dict | None = None, headers: dict | None = None):
        self.client = Client(**(headers or {}))
        self.seen: list[Seen] = []
        self.statuses: dict[str, int] = {}
        self.schema = None
        # ids to try on detail paths besides the ones the lists give:
        # {"proposal": [ids], ...}, tried where the path names the kind.
        self.extra_ids = extra_ids or {}
        self.probes: list[tuple[str, str, int]] = []  # (kind, url, status)

    def get(self, url: str, record=True):
        # Anonymous readers are rate-limited; a walk is hundreds of reads.
        # The counters live in the caches, which the suite clears per test
        # anyway (tests/conftest.py), so clearing them here changes nothing
        # else.
        for alias in ("default",):
            caches[alias].clear()
        response = self.client.get(url)
        try:
            body = json.loads(response.content) if response.content else None
        except ValueError:
            body = response.content.decode("utf-8", "replace")
        if record:
            seen = Seen(url, response.status_code, body, field_names(body))
            self.seen.append(seen)
        self.statuses[url] = response.status_code
        return response.status_code, body

    def load_schema(self) -> dict:
        status, body = self.get("/api/schema/?format=json", record=False)
        assert status == 200, f"/api/schema/ answered {status}"
        self.schema = body
        return body

    def get_paths(self) -> list[dict]:
        paths = []
        for template, operations in (self.schema.get("paths") or {}).items():
            operation = operations.get("get")
            if operation is None:
                continue
            paths.append({"template": template, "operation": operation})
        return paths

    def run(self):
        self.load_schema()
        paths = self.get_paths()
        # Lists first, so detail paths can draw their ids from them.
        items_by_list: dict[str, list] = {}
        for path in sorted(paths, key=lambda p: p["template"].count("{")):
            template = path["template"]
            required = required_query(path["operation"])
            for url in self._urls(template, items_by_list):
                for language in LANGUAGES:
                    items = self._read_all_pages(_with_query(url, required), language)
                    if language == LANGUAGES[0]:
                        items_by_list[url] = items
                for query in self._choice_queries(path["operation"]):
                    self.get(_with_query(url, {**required, **query, "lang": "ko"}))
        self._probe_hidden(paths)
        return self

    def first_page(self, path: dict) -> str:
        """The URL a path's first read used (its required parameters filled)."""
        return _with_query(
            _with_query(path["template"], required_query(path["operation"])), {"lang": "ko"}
        )

    def _read_all_pages(self, url: str, language: str) -> list:
        """The list's items over all its pages (a non-list: its one body)."""
        items = []
        next_url = _with_query(url, {"lang": language})
        for _page in range(MAX_PAGES):
            status, body = self.get(next_url)
            if status != 200:
                return items
            if isinstance(body, dict) and isinstance(body.get("results"), list):
                items.extend(body["results"])
                following = body.get("next")
                if not following:
                    return items
                parts = urlsplit(following)
                next_url = parts.path + (f"?{parts.query}" if parts.query else "")
            elif isinstance(body, list):
                return items + body
            else:
                return [body]
        raise AssertionError(f"{url}: more than {MAX_PAGES} pages, or `next` loops")

    def _urls(self, template: str, items_by_list: dict) -> list[str]:
        """The template with its parameters filled from the lists above it:
        `/proposals/{id}/timeline/` from the ids of `/proposals/`."""
        names = PARAMETER.findall(template)
        if not names:
            return [template]
        urls = [template]
        for name in names:
            filled = []
            for url in urls:
                head, _sep, _tail = url.partition("{" + name + "}")
                for value in _values(items_by_list.get(head, []), name):
                    filled.append(url.replace("{" + name + "}", str(value), 1))
            urls = filled
        return urls

    def _choice_queries(self, operation: dict) -> list[dict]:
        """One query per value of each query parameter with an enum (the
        filters' choices): a filter is a door to rows the default list
        leaves out."""
        queries = []
        for parameter in operation.get("parameters") or []:
            if parameter.get("in") != "query" or parameter.get("name") == "lang":
                continue
            schema = parameter.get("schema") or {}
            values = schema.get("enum") or (schema.get("items") or {}).get("enum") or []
            for value in values:
                queries.append({parameter["name"]: value})
        return queries

    def _probe_hidden(self, paths):
        """The hidden objects' ids on every detail path naming their kind
        (`/proposals/{id}/` for a hidden proposal): each answers 404, and
        whatever any answers is walked like the rest."""
        for path in paths:
            template = path["template"]
            names = PARAMETER.findall(template)
            if len(names) != 1:
                continue
            head = template.partition("{")[0].lower()
            for kind, ids in self.extra_ids.items():
                if kind not in head:
                    continue
                for pk in ids:
                    url = template.replace("{" + names[0] + "}", str(pk))
                    for language in LANGUAGES:
                        status, _body = self.get(_with_query(url, {"lang": language}))
                        self.probes.append((kind, url, status))


def required_query(operation: dict) -> dict:
    """A value for each required query parameter: its default, example or
    first choice (every choice is read after, with the filters')."""
    query = {}
    for parameter in operation.get("parameters") or []:
        if parameter.get("in") != "query" or not parameter.get("required"):
            continue
        schema = parameter.get("schema") or {}
        for value in (schema.get("default"), parameter.get("example"), schema.get("example")):
            if value is not None:
                break
        else:
            value = (schema.get("enum") or [None])[0]
        assert value is not None, f"no value to give to required {parameter['name']}"
        query[parameter["name"]] = value
    return query


def _values(items: list, name: str) -> list:
    """The values of parameter `name` in a list's items: the key of that
    name, else the item's `id` (DRF names a pk lookup `id`)."""
    values = []
    for item in items:
        if not isinstance(item, dict):
            continue
        for key in (name, "id", "pk", "code", "slug"):
            if key in item and not isinstance(item[key], dict | list):
                values.append(item[key])
                break
    return list(dict.fromkeys(values))


def _with_query(url: str, query: dict) -> str:
    if not query:
        return url
    return url + ("&" if "?" in url else "?") + urlencode(query)


# --- bulk files ---------------------------------------------------------------------


def read_file(path: Path) -> Seen:
    """A produced file as data: CSV rows (as dicts of header → value), JSON
    as parsed, anything else as text."""
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig", "replace")
    name = path.name.lower()
    if name.endswith(".csv"):
        rows = list(csv.DictReader(io.StringIO(text)))
        body = rows
        fields = {str(column): f"{path.name}:header" for column in (rows[0] if rows else {})}
        if not rows:
            header = next(csv.reader(io.StringIO(text)), [])
            fields = {str(column): f"{path.name}:header" for column in header}
        return Seen(str(path), 200, body, fields)
    if name.endswith(".json"):
        body = json.loads(text)
        return Seen(str(path), 200, body, field_names(body, path.name))
    if name.endswith(".jsonl") or name.endswith(".ndjson"):
        body = [json.loads(line) for line in text.splitlines() if line.strip()]
        return Seen(str(path), 200, body, field_names(body, path.name))
    return Seen(str(path), 200, text, {})


def read_archive(path: Path) -> list[Seen]:
    """A zip of CSV/JSON files, member by member."""
    import tempfile
    import zipfile

    seen = []
    with tempfile.TemporaryDirectory() as folder, zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            if member.endswith("/"):
                continue
            target = Path(folder) / Path(member).name
            target.write_bytes(archive.read(member))
            each = read_file(target)
            each.source = f"{path}!{member}"
            seen.append(each)
    return seen


def read_files(root: Path) -> list[Seen]:
    seen = []
    for path in sorted(p for p in Path(root).rglob("*") if p.is_file()):
        if path.suffix.lower() == ".zip":
            seen.extend(read_archive(path))
        else:
            seen.append(read_file(path))
    return seen
