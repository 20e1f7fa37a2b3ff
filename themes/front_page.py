"""The front page's section of open themes (proposals.front_page), registered
from ThemesConfig.ready()."""

from proposals.front_page import FrontSection

from .selectors import front_page_themes


def open_themes_section() -> FrontSection | None:
    """At most three open themes, closing soonest first; nothing when none
    is open. One query."""
    rows = front_page_themes()
    if not rows:
        return None
    return FrontSection(key="themes", template="themes/front_section.html", data={"rows": rows})
