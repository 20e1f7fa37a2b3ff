"""Signals this app sends for the floors above it to react to (connected in
their AppConfig.ready(); see docs/architecture.md)."""

from django.dispatch import Signal

# A proposal started or stopped standing (proposals.participation: neither
# hidden, in the trash nor withdrawn): sent with `proposal` (as now written)
# and `stands` (bool) inside the hiding's, trashing's, withdrawal's or
# restoring's transaction, with the proposal's row locked, and only when the
# standing actually changed. `themes` keeps a theme's proposal count by it.
standing_changed = Signal()
