"""How a notice reads. Each app that sends notices owns its kinds and their
words (its `notices.py`) and registers them here from its AppConfig.ready(),
so this app renders every notice without importing any app above it.

One language rule: a notice stores codes, ids and ISO dates in its
parameters, never a name in someone's language. Names are written when the
notice is read, in the active language: the page's language in the site's
list, the recipient's own language in the e-mail (see tasks.py). A parameter
that needs a name says so with a formatter: a function from the stored values
to their names, called once for a whole page of notices. Values a formatter
does not know (notices stored before this rule, with the name itself) are
shown as stored."""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field

from django.db import models
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# Stored values → their text in the active language.
Formatter = Callable[[set], Mapping[Hashable, str]]


@dataclass(frozen=True)
class NoticeText:
    """The title and message of one kind of notice (translatable, with
    %(name)s parameters) and the formatters of the parameters that are codes."""

    title: str | Promise
    message: str | Promise
    formats: Mapping[str, Formatter] = field(default_factory=dict)


_TEXTS: dict[str, NoticeText] = {}


def register(texts: Mapping[str, NoticeText]) -> None:
    """Make `texts` (kind → NoticeText) the words of these kinds. Called by
    each sending app's AppConfig.ready(); a kind belongs to one app."""
    for kind, text in texts.items():
        if _TEXTS.get(str(kind), text) != text:
            raise ValueError(f"The notice kind {kind!r} is registered twice.")
        _TEXTS[str(kind)] = text


def registered_kinds() -> set[str]:
    return set(_TEXTS)


# --- formatters shared by the apps -----------------------------------------------


def dates(values: set) -> dict[str, str]:
    """ISO dates ("2025-03-21") as the active language writes them
    ("2025년 3월 21일", "March 21, 2025")."""
    result = {}
    for value in values:
        try:
            day = dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            continue
        result[value] = formats.date_format(day, "DATE_FORMAT")
    return result


def moments(values: set) -> dict[str, str]:
    """ISO date-times ("2025-03-21T14:00:00+09:00") as the active language
    writes them, in Seoul time ("2025년 3월 21일 2:00 오후", "March 21, 2025,
    2 p.m."). A naive value (notices stored before this formatter, as
    "2025-03-21 14:00") is read as Seoul time."""
    result = {}
    for value in values:
        try:
            moment = dt.datetime.fromisoformat(value)
        except (TypeError, ValueError):
            continue
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        result[value] = formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")
    return result


def numbers(values: set) -> dict[int, str]:
    """Whole numbers with the active language's grouping (1,234)."""
    return {
        value: formats.number_format(value, force_grouping=True)
        for value in values
        if isinstance(value, int) and not isinstance(value, bool)
    }


def choices(choice_class: type[models.Choices]) -> Formatter:
    """A formatter for the codes of `choice_class`: each code's label."""

    def labels(values: set) -> dict[str, str]:
        return {value: str(choice_class(value).label) for value in values if value in choice_class}

    return labels


# --- rendering ------------------------------------------------------------------------


def staff_left_reasons(values: set) -> dict[str, str]:
    """Why a staff member can no longer carry their work (the `reason` of
    accounts.signals.staff_left_post), as the end of a sentence."""
    words = {
        "moved": _("moved to another department"),
        "deactivated": _("was deactivated"),
        "role_withdrawn": _("no longer holds the official role"),
    }
    return {value: str(words[value]) for value in values if value in words}


def falls_to(values: set) -> dict[str, str]:
    """Who ownerless work falls to: "operators" is a code; a head's name is
    stored as it is (a colleague's name, not a code) and shown unchanged."""
    return {"operators": str(_("the operators"))} if "operators" in values else {}


def prepare(notices: Iterable) -> None:
    """Write the named parameters of `notices` in the active language, each
    formatter called once for all of them (a page of notices costs one query
    per kind of name, not one per notice). title and message call it for a
    single notice; the list page calls it for the page first."""
    language = get_language()
    pending = [n for n in notices if getattr(n, "_shown_params", (None, None))[0] != language]
    wanted: dict[Formatter, set] = defaultdict(set)
    for notice in pending:
        for name, formatter in _text(notice).formats.items():
            value = notice.params.get(name)
            if isinstance(value, Hashable) and value is not None:
                wanted[formatter].add(value)
    names = {formatter: formatter(values) for formatter, values in wanted.items()}
    for notice in pending:
        params = dict(notice.params)
        # A grouped notice's count lives in its own column (models.py).
        params.setdefault("count", getattr(notice, "count", 1))
        for name, formatter in _text(notice).formats.items():
            known = names.get(formatter, {})
            value = params.get(name)
            if isinstance(value, Hashable) and value in known:
                params[name] = known[value]
        notice._shown_params = (language, params)


def _text(notice) -> NoticeText:
    return _TEXTS.get(notice.kind) or NoticeText(title=notice.kind, message="")


def _render(template, params: dict) -> str:
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(template)


def _shown_params(notice) -> dict:
    prepare([notice])
    return notice._shown_params[1]


def render_title(notice) -> str:
    return _render(_text(notice).title, _shown_params(notice))


def render_message(notice) -> str:
    return _render(_text(notice).message, _shown_params(notice))
