"""The demo's texts live as JSON under demo/data/; this reads them.

JSON keeps the texts editable without touching code and needs no dependency.
Each file is read once per process."""

import functools
import json
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


@functools.cache
def read(name: str):
    """The parsed contents of demo/data/<name>.json."""
    with (DATA_DIR / f"{name}.json").open(encoding="utf-8") as handle:
        return json.load(handle)
