from django.dispatch import Signal

# Sent inside the service's transaction when a staff member can no longer
# carry their work: moved to another department, deactivated, or lost the
# official (or expert) role. kwargs: member, actor, reason (one of
# "moved", "deactivated", "role_withdrawn"), old_department_id (int|None),
# role (the role lost, or "" ), now.
staff_left_post = Signal()
