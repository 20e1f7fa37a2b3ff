"""The audit trail: what staff did to how the portal works or to who may do
what in it (a pipeline bar changed, a proposal assigned or recategorised by
hand, a staff role granted or withdrawn, an official moved or deactivated).

Any app writes a row with `audit_record(actor=…, action=…, target=…,
params=…)`, inside the transaction of the change it records, so the row and
the change are kept or lost together. A row stores a code and parameters
(ids, codes, numbers, ISO dates), never a sentence: the app that owns an
action registers its words with `register_actions` from its
AppConfig.ready(), and `describe(record)` writes them in the reader's
language. Like the notices' words (notifications/messages.py), without
accounts importing any app above it."""

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.utils.functional import Promise
from django.utils.translation import get_language

from .models import AuditRecord
from .roles import Role

# The words of one action: a translatable string with %(name)s parameters,
# or a function from the shown parameters to the text in the active
# language (for plurals, or parameters that are lists).
Words = str | Promise | Callable[[dict], str]
# Stored values (ids, codes) → their names in the active language, for a
# whole page of rows at once (one query per kind of name, not per row).
Formatter = Callable[[set], Mapping[Hashable, str]]


@dataclass(frozen=True)
class AuditAction:
    label: str | Promise  # a short name of the action, for the list's filter
    words: Words  # the whole row, from its parameters
    # Parameters that are ids or codes, and how to name them. A list
    # parameter has each of its items named.
    formats: Mapping[str, Formatter] = field(default_factory=dict)


_ACTIONS: dict[str, AuditAction] = {}


def register_actions(actions: Mapping[str, AuditAction]) -> None:
    """Make `actions` (code → AuditAction) the words of these codes. Called
    from AppConfig.ready() by the app that writes them; registering the same
    words again is harmless (ready() may run twice in tests)."""
    for code, action in actions.items():
        if _ACTIONS.get(str(code), action) != action:
            raise ValueError(f"The audit action {code!r} is registered twice.")
        _ACTIONS[str(code)] = action


def registered_actions() -> dict[str, AuditAction]:
    return dict(_ACTIONS)


def audit_record(*, actor, action: str, target=None, params: dict | None = None) -> AuditRecord:
    """Record that `actor` (a member, usually staff; None for the system) did
    `action` (a code some app registered) to `target` (any model instance, or
    None), with `params` (JSON: ids, codes, numbers; never a sentence).

    Requires: the caller's transaction, if the change it records is in one
    (this function opens none). Writes: one AuditRecord. Triggers nothing."""
    member = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    fields = {}
    if target is not None:
        fields = {
            "target_type": ContentType.objects.get_for_model(target, for_concrete_model=False),
            "target_id": str(target.pk),
            "target_repr": str(target)[:200],
        }
    return AuditRecord.objects.create(
        actor=member,
        actor_email=(getattr(member, "email", "") or "") if member else "",
        action=str(action),
        params=dict(params or {}),
        **fields,
    )


def action_label(code: str) -> str:
    """The short name of an action code, in the active language."""
    known = _ACTIONS.get(code)
    return str(known.label) if known else code


def _values(value) -> list:
    return list(value) if isinstance(value, list) else [value]


def prepare(records: Iterable[AuditRecord]) -> None:
    """Write `records` in the active language, each formatter called once
    for all of them: the audit list costs one query per kind of name (the
    departments, say), not one per row. `describe` calls it for one row."""
    language = get_language()
    pending = [r for r in records if getattr(r, "_described", (None, ""))[0] != language]
    wanted: dict[Formatter, set] = defaultdict(set)
    for record in pending:
        action = _ACTIONS.get(record.action)
        for name, formatter in (action.formats if action else {}).items():
            for value in _values((record.params or {}).get(name)):
                if isinstance(value, Hashable) and value is not None:
                    wanted[formatter].add(value)
    names = {formatter: formatter(values) for formatter, values in wanted.items()}
    for record in pending:
        record._described = (language, _render(record, names))


def _render(record: AuditRecord, names: dict) -> str:
    action = _ACTIONS.get(record.action)
    params = dict(record.params or {})
    if action is not None:
        for name, formatter in action.formats.items():
            known = names.get(formatter, {})
            if isinstance(params.get(name), list):
                params[name] = [known.get(v, v) for v in params[name]]
            elif isinstance(params.get(name), Hashable) and params.get(name) in known:
                params[name] = known[params[name]]
        try:
            if callable(action.words) and not isinstance(action.words, (str, Promise)):
                return str(action.words(params))
            return str(action.words) % params
        except (KeyError, TypeError, ValueError, LookupError):
            pass
    # An unknown code, or parameters its words do not fit (a row written
    # before its words changed): the code and the raw parameters rather than
    # a failure, so the trail is always readable.
    stored = record.params or {}
    shown = ", ".join(f"{key}={value}" for key, value in sorted(stored.items()))
    return f"{record.action} ({shown})" if shown else record.action


def describe(record: AuditRecord) -> str:
    """What `record` says, in the active language, from its code and
    parameters (see prepare)."""
    prepare([record])
    return record._described[1]


# --- formatters shared by the apps ------------------------------------------------


def role_names(values: set) -> dict[str, str]:
    """Role codes (accounts.roles.Role) → their names in the active language."""
    return {value: str(Role(value).label) for value in values if value in Role.values}
