"""Signals this app sends for the floors above it to react to (connected in
their AppConfig.ready(); see docs/architecture.md)."""

from django.dispatch import Signal

# A proposal started or stopped standing (proposals.participation: neither
# hidden, in the trash nor withdrawn): sent with `proposal` (as now written)
# and `stands` (bool) inside the hiding's, trashing's, withdrawal's or
# restoring's transaction, with the proposal's row locked, and only when the
# standing actually changed. `themes` keeps a theme's proposal count by it.
standing_changed = Signal()

# An operator merged `proposal` into `target` (proposals.merging): sent in
# the merge's transaction with both rows locked, after the source is written
# MERGED. Work a floor above keeps for the source stops waiting on it
# (`answers` closes its open assignment: no department answers a duplicate).
proposal_merged = Signal()
