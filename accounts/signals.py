from django.dispatch import Signal

# Sent inside the service's transaction when a staff member can no longer
# carry their work: moved to another department, deactivated, or lost the
# official (or expert) role. kwargs: member, actor, reason (one of
# "moved", "deactivated", "role_withdrawn"), old_department_id (int|None),
# role (the role lost, or "" ), now.
staff_left_post = Signal()

# Sent by accounts.services.account_withdraw inside its transaction, once the
# member's row is written as withdrawn, so the apps above close what waits on
# them (a panel application an operator would otherwise keep on their home).
# kwargs: member.
member_withdrew = Signal()

# Sent by a service, inside its transaction, when a member did something the
# portal rewards with mileage, or when that is undone (an endorsement taken
# back, content hidden, trashed or deleted). The lower floors send it; mileage
# connects it (accounts/participation.py names the actions). kwargs:
#   action: an accounts.participation.Action value
#   member_id: int, the member who earns (or loses) the points
#   source: the model instance it came from; only its model and pk are read,
#           so a row already deleted (an endorsement taken back) may be passed
#           as an unsaved instance carrying its old pk
#   proposal_id: int | None, the proposal it concerns (for reversing every
#           point a hidden proposal brought its author)
#   undo: bool, True to reverse what the same (action, member, source) earned
#   defer: bool, True on a hot path (an endorsement during a spike): store
#           what was earned with the caller's transaction, but count it into
#           the balance later, so the request never locks the member's row
participation = Signal()
