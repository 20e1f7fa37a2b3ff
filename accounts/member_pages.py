"""Panels that apps above accounts add to the member's own pages (their home
"My activity" and their profile): mileage shows the balance, the grade, the
way to the next grade and the last points earned.

Those pages live on lower floors (proposals, accounts) and never import the
apps that fill them: each app registers a builder from its AppConfig.ready()
(`register_panel`), as it registers its part of the data export. A builder is
asked with the signed-in member and returns (template name, context), or None
to show nothing; `{% member_panels %}` (accounts/templatetags/members.py)
renders them in the order they were registered."""

from collections.abc import Callable

PanelBuilder = Callable[[object], tuple[str, dict] | None]

_builders: list[PanelBuilder] = []


def register_panel(builder: PanelBuilder) -> None:
    """Add `builder` once (a second ready(), as in some test runners, adds
    nothing)."""
    if builder not in _builders:
        _builders.append(builder)


def panels_for(user) -> list[tuple[str, dict]]:
    """What each registered app shows `user`, in order."""
    panels = []
    for builder in _builders:
        panel = builder(user)
        if panel is not None:
            panels.append(panel)
    return panels
