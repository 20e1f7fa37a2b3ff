"""`{% load who_may %}{% has_perm 'debates.delete_own_argument' user argument as can_delete %}`:
a page asks the same django-rules permission as the service behind its button.

The tag of django-rules itself (`{% load rules %}`) goes through
`user.has_perm`, whose superuser shortcut says yes to every permission, so a
superuser would be shown buttons (delete someone else's argument) that the
service then refuses. This one asks the rule set directly, as the views do
with `rules.has_perm`; an operator who is a superuser still passes every
rule through accounts.predicates.is_operator."""

import rules
from django import template

register = template.Library()


@register.simple_tag
def has_perm(permission: str, user, obj=None) -> bool:
    """Whether `user` has `permission` (on `obj`, when given)."""
    if user is None:
        return False
    return rules.has_perm(permission, user, obj)
