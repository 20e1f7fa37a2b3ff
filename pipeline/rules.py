"""Who may change how the conductor moves proposals."""

import rules

from accounts.predicates import is_operator

# The bars and periods of the pipeline (PipelineSettings): operators, who
# see a preview of what a bar change promotes before it is saved.
rules.add_perm("pipeline.change_settings", is_operator)
