"""Who may manage partner institutions' API keys: operators only (the key
raises a partner's rate limit; it reads nothing the public cannot)."""

import rules

from accounts.predicates import is_operator

rules.add_perm("api.manage_partner_keys", is_operator)
