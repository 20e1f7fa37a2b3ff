"""Sections other apps add to the front page (the open city polls, the open
themed calls). The page lives in proposals; what an app above it shows
there is registered from its AppConfig.ready() (`register_section`), as
member pages are (accounts.member_home), so this module never imports them.

The front page is the same for everyone who is not logged in and is kept a
few seconds for them (oasis.page_cache), so a builder takes no member: it
is called with no arguments and returns a `FrontSection` (a template and
its context) or None when it has nothing to show. A builder costs a fixed
number of queries, whatever the number of rows."""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class FrontSection:
    """One section of the front page: `template` is included with `data`
    (and nothing else) as its context."""

    key: str
    template: str
    data: dict = field(default_factory=dict)


Builder = Callable[[], "FrontSection | None"]

# (order, key, builder), kept sorted by order.
_BUILDERS: list[tuple[int, str, Builder]] = []


def register_section(key: str, builder: Builder, *, order: int = 100) -> None:
    """Add a section to the front page, built by `builder()`. Registering a
    key again replaces its builder (ready() may run twice)."""
    _BUILDERS[:] = [entry for entry in _BUILDERS if entry[1] != key]
    _BUILDERS.append((order, key, builder))
    _BUILDERS.sort(key=lambda entry: entry[0])


def front_sections() -> list[FrontSection]:
    """The sections the front page shows, in order."""
    sections = (builder() for _order, _key, builder in _BUILDERS)
    return [section for section in sections if section is not None]
