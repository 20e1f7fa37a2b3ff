"""Who may do what to the mileage ledger. The ledger itself is written only by
services.py from the participation signal; operators read it, tune the rules
and thresholds, and adjust a member's balance with a note."""

import rules

from accounts.predicates import is_operator

rules.add_perm("mileage.see_ledger", is_operator)
rules.add_perm("mileage.change_rules", is_operator)
rules.add_perm("mileage.adjust", is_operator)
