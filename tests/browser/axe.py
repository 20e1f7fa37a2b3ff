"""axe-core, run in the page Chromium has open: the WCAG 2.1 A and AA rules
only, so a finding is one the city must fix, not a best-practice hint."""

from axe_playwright_python.sync_playwright import Axe

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}

_axe = Axe()


def axe_violations(page) -> list[str]:
    """One line per violated rule on the page as it stands: the rule, how
    grave, how many elements and the first element's selector, so a failing
    test says where to look."""
    results = _axe.run(page, options={**WCAG_21_AA, "resultTypes": ["violations"]})
    lines = []
    for violation in results.response["violations"]:
        nodes = violation["nodes"]
        where = nodes[0]["target"] if nodes else ""
        lines.append(
            f"{violation['id']} ({violation['impact']}, {len(nodes)}×) at {where}: "
            f"{violation['help']}"
        )
    return lines
