"""Template source rules that Django does not check itself."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
TEMPLATES = [
    path
    for path in ROOT.glob("**/templates/**/*.html")
    if ".venv" not in path.parts and "var" not in path.parts
]


def test_templates_were_found():
    assert len(TEMPLATES) > 40


def test_no_comment_tag_spans_lines():
    # `{# … #}` is single-line only: split over lines, Django prints the
    # comment's text on the page (it once showed at the foot of every page).
    # Longer comments use {% comment %}…{% endcomment %}.
    broken = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in TEMPLATES
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\{#(?!.*#\})", line)
    ]
    assert broken == []
