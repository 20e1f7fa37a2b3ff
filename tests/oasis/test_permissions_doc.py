"""docs/permissions.md names every permission the apps register, so the
table a reader trusts is the table the code enforces."""

from pathlib import Path

from django.conf import settings
from rules.permissions import permissions

DOC = Path(settings.BASE_DIR) / "docs/permissions.md"
PROJECT_APPS = (
    "proposals",
    "answers",
    "debates",
    "meetings",
    "tracking",
    "pipeline",
    "mileage",
    "awards",
    "polls",
)


def test_every_registered_permission_has_a_row_in_the_docs():
    doc = DOC.read_text(encoding="utf-8")
    registered = {name for name in permissions if name.partition(".")[0] in PROJECT_APPS}
    assert len(registered) > 30  # the registry was read
    assert sorted(name for name in registered if f"`{name}`" not in doc) == []
