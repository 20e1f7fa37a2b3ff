"""How a timeline row reads. A row the system writes stores a code and its
parameters (`ProposalEvent.params`: {"text": "endorsed", "count": 12}),
never a sentence: the sentence is written when the row is read, in the
reader's language. A reason typed by a person is stored as typed in
`reason` and shown after the system's words.

Each app owns the words of the rows it writes and registers them here from
its AppConfig.ready() (as notices do, notifications/messages.py), so the
core renders every row without importing a stage above it. Parameters that
are codes (a decision, a card stage) name a formatter, called once for a
whole page of rows; numbers and ids are stored as they are."""

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import get_language

from notifications.messages import Formatter

# The key of `params` that names the words of a row.
TEXT_KEY = "text"


@dataclass(frozen=True)
class EventText:
    """The words of one code: a translatable "%(name)s" template, or a
    function from the shown parameters to the sentence (for plurals and
    sentences that change with a parameter), and the formatters of the
    parameters that are codes."""

    text: str | Promise | Callable[[dict], str]
    formats: Mapping[str, Formatter] = field(default_factory=dict)


_TEXTS: dict[str, EventText] = {}


def register(texts: Mapping[str, EventText]) -> None:
    """Make `texts` (code → EventText) the words of these codes. Called from
    the writing app's AppConfig.ready(); a code belongs to one app."""
    for code, text in texts.items():
        if _TEXTS.get(code, text) != text:
            raise ValueError(f"The timeline text {code!r} is registered twice.")
        _TEXTS[code] = text


def registered_texts() -> set[str]:
    return set(_TEXTS)


def prepare(rows: Iterable) -> None:
    """Write the system's words of `rows` (anything with `params`: timeline
    rows, card history rows) in the active language, each formatter called
    once for all of them: a page of rows costs one call per kind of name,
    not one per row. `words` calls it for a single row; pages call it for
    the whole list first."""
    language = get_language()
    pending = [r for r in rows if getattr(r, "_shown_words", (None, ""))[0] != language]
    wanted: dict[Formatter, set] = defaultdict(set)
    for row in pending:
        for name, formatter in _text(row).formats.items():
            value = _params(row).get(name)
            if isinstance(value, Hashable) and value is not None:
                wanted[formatter].add(value)
    names = {formatter: formatter(values) for formatter, values in wanted.items()}
    for row in pending:
        text = _text(row)
        params = dict(_params(row))
        for name, formatter in text.formats.items():
            value = params.get(name)
            if isinstance(value, Hashable) and value in names.get(formatter, {}):
                params[name] = names[formatter][value]
        row._shown_words = (language, _render(text, params))


def words(row) -> str:
    """The system's sentence of one row in the active language ("" for a row
    that has none: a person's reason alone, or an unknown code)."""
    prepare([row])
    return row._shown_words[1]


_NO_TEXT = EventText(text="")


def _params(row) -> dict:
    # JSON that is not an object (a row written by hand, or by a script
    # that got it wrong) has no parameters to read: the row shows its
    # reason alone instead of breaking the whole timeline.
    params = row.params
    return params if isinstance(params, dict) else {}


def _text(row) -> EventText:
    code = _params(row).get(TEXT_KEY)
    return _TEXTS.get(code, _NO_TEXT) if isinstance(code, str) else _NO_TEXT


def _render(text: EventText, params: dict) -> str:
    try:
        if callable(text.text) and not isinstance(text.text, Promise):
            return str(text.text(params))
        return str(text.text) % params if text.text else ""
    except (KeyError, TypeError, ValueError):
        # A row stored with parameters these words no longer take: its
        # sentence without them rather than a broken page.
        return ""
