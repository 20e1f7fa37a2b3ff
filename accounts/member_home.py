"""A member's own page ("My activity", /me/): sections other apps add.

The page lives in proposals, and what an app above it has to show a member
there (the rewards awards recorded for them) lives above it, so this module
never imports those apps: each registers the builder of its section from
its AppConfig.ready() (`register_section`), as it registers its staff home
sections (accounts.staff_home). A builder is asked with the member and
returns a `MemberSection` (a template and its context) or None when it has
nothing for them. A builder costs a fixed number of queries."""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class MemberSection:
    """One section of the member's page: `template` is included with
    `data` (and nothing else) as its context."""

    key: str
    template: str
    data: dict = field(default_factory=dict)


Builder = Callable[[object], "MemberSection | None"]

# (order, key, builder), kept sorted by order.
_BUILDERS: list[tuple[int, str, Builder]] = []


def register_section(key: str, builder: Builder, *, order: int = 100) -> None:
    """Add a section to members' pages, built by `builder(user)`.
    Registering a key again replaces its builder (ready() may run twice)."""
    _BUILDERS[:] = [entry for entry in _BUILDERS if entry[1] != key]
    _BUILDERS.append((order, key, builder))
    _BUILDERS.sort(key=lambda entry: entry[0])


def member_sections(user) -> list[MemberSection]:
    """The sections `user`'s page shows, in order."""
    sections = (builder(user) for _order, _key, builder in _BUILDERS)
    return [section for section in sections if section is not None]
