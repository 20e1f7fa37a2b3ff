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

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.utils.functional import Promise

from .models import AuditRecord

# The words of one action: a translatable string with %(name)s parameters,
# or a function from the stored parameters to the text in the active
# language (for parameters that are themselves codes or lists to name).
Words = str | Promise | Callable[[dict], str]


@dataclass(frozen=True)
class AuditAction:
    label: str | Promise  # a short name of the action, for the list's filter
    words: Words  # the whole row, from its parameters


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


def describe(record: AuditRecord) -> str:
    """What `record` says, in the active language, from its code and
    parameters. An unknown code, or parameters its words do not fit (a row
    written before its words changed), shows the code and the raw parameters
    rather than failing: the trail must always be readable."""
    known = _ACTIONS.get(record.action)
    params = dict(record.params or {})
    if known is not None:
        try:
            if callable(known.words) and not isinstance(known.words, (str, Promise)):
                return str(known.words(params))
            return str(known.words) % params
        except (KeyError, TypeError, ValueError, LookupError):
            pass
    shown = ", ".join(f"{key}={value}" for key, value in sorted(params.items()))
    return f"{record.action} ({shown})" if shown else record.action
