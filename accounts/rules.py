"""Who may see members as they are, not as the public does (accounts/names.py
masks real names), and who may read the records the portal keeps about
members' personal data. Searching the admin by e-mail or real name unmasks a
member, so it is for operators only; other staff find rows by what the
public sees (titles, nicknames). Asked through `rules.has_perm` (the rule set
itself; the predicate covers a superuser, who counts as an operator)."""

import rules

from .predicates import is_operator

rules.add_perm("accounts.unmask_members", is_operator)

# 개인정보 접속기록 and consent records: the operators answer for them (and
# for members' requests about them); officials and experts never see them.
rules.add_perm("accounts.view_access_records", is_operator)
rules.add_perm("accounts.view_consent_records", is_operator)

# The audit trail (accounts/audit.py): what staff changed in how the portal
# works and who may do what. The operators answer for it.
rules.add_perm("accounts.view_audit_records", is_operator)
