"""Who may see a poll's results before they are public, answer them for the
department and export them (the results part of issue 14).

The staff of a poll are the operators, the administrators of the poll's
partner institution (issue 16: its polls only, never the city's) and the
officials of the poll's own department: they see its results at any time
(marked "not public yet"),
write and publish the department's response and export the results and the
anonymous answers. An official of another department is a citizen here.
`polls.results_selectors.polls_answerable_by` is the list twin of
`polls.respond_to_results`: a poll is listed on the response screen exactly
when its staff may answer it."""

import rules

from accounts.predicates import is_official, runs_work

from .editing_rules import runs_poll


@rules.predicate
def is_poll_department_official(user, poll) -> bool:
    """An official of the department that asks `poll`."""
    return poll is not None and is_official(user) and user.department_id == poll.department_id


@rules.predicate
def runs_polls_institution(user, poll) -> bool:
    """An operator, or an administrator of `poll`'s institution (asked with
    a poll only: without one nobody is the poll's staff)."""
    return poll is not None and runs_poll(user, poll)


is_poll_staff = runs_polls_institution | is_poll_department_official

rules.add_perm("polls.respond_to_results", is_poll_staff)
rules.add_perm("polls.export_results", is_poll_staff)
# Without an object: may the user open the response screen at all.
rules.add_perm("polls.open_results_screen", runs_work | is_official)
