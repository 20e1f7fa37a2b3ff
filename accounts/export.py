"""A member's own data, as JSON (the right to take one's data along).

The apps above accounts add their sections through `register_section`
(from their AppConfig.ready()), so this module never imports them: each app
knows best what of its data is a member's own."""

from collections.abc import Callable

from django.utils import timezone

# (section name, reader(user) -> JSON-ready value), in registration order.
_SECTIONS: list[tuple[str, Callable]] = []


def register_section(name: str, reader: Callable) -> None:
    """Add `name` to every member's export, read by `reader(user)`. Registering
    a name again replaces its reader (ready() may run twice in tests)."""
    _SECTIONS[:] = [(n, r) for n, r in _SECTIONS if n != name]
    _SECTIONS.append((name, reader))


def iso(value):
    """A date-time as ISO 8601 text, or None."""
    return value.isoformat() if value else None


def member_data(user) -> dict:
    """Everything the portal stores about `user`: the profile and notices
    here, then each registered app's section."""
    data = {
        "exported_at": timezone.now().isoformat(),
        "profile": {
            "email": user.email,
            "name": user.display_name,
            "nickname": user.nickname,
            "district": user.district,
            "birth_year": user.birth_year,
            "gender": user.gender,
            "joined": iso(user.date_joined),
            "last_login": iso(user.last_login),
            "roles": sorted(user.role_names),
            "department": user.department.name if user.department_id else None,
        },
        # What the member agreed to, and when (newest first).
        "consents": [
            {
                "terms_version": c.terms_version,
                "privacy_version": c.privacy_version,
                "optional_items": sorted(c.optional_items),
                "via": c.via,
                "given": iso(c.created_at),
            }
            for c in user.consents.all()
        ],
        "notifications": [
            {"kind": n.kind, "title": n.title, "created": iso(n.created_at), "read": iso(n.read_at)}
            for n in user.notifications.all()
        ],
    }
    for name, reader in _SECTIONS:
        data[name] = reader(user)
    return data
