"""Who may see members as they are, not as the public does (accounts/names.py
masks real names). Searching the admin by e-mail or real name unmasks a
member, so it is for operators only; other staff find rows by what the
public sees (titles, nicknames)."""

import rules

from .predicates import is_operator

rules.add_perm("accounts.unmask_members", is_operator)
