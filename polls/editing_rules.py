"""Who may write, publish and close a city poll, who sees it in the admin,
and when each step is refused (the staff side of polls; voting has its own
rules in polls/rules.py).

| action                                               | operator | administrator of the poll's institution | official of the poll's department | other official | citizen |
|------------------------------------------------------|----------|------------------------------|-----------------------------------|----------------|---------|
| write a poll, its questions, choices and material    | ✓        | ✓                            |                                   |                |         |
| preview a draft as the public page shows it          | ✓        | ✓                            | ✓ (read-only)                     |                |         |
| publish a complete draft                             | ✓        | ✓                            |                                   |                |         |
| close a published poll early (with a reason)         | ✓        | ✓                            |                                   |                |         |
| see the poll in the admin (read-only)                | ✓        | ✓ (edits)                    | ✓                                 |                |         |

A partner institution's administrator (issue 16) runs their institution's
polls as the city's operators run the city's: a poll they write is their
institution's (the service sets it), and the city's polls and another
institution's are neither shown to them nor written by them. The
permissions are asked with the poll (`runs_poll`); asked without one they
say whether the member may write some poll at all (the admin's "add").

The `*_refusal(s)` functions return the (translated) reasons a step is not
possible now; the services raise them as a ServiceError and the admin shows
them on the form, so nothing is half-saved."""

import rules
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.age_bands import AgeBand
from accounts.districts import District
from accounts.models import Gender
from accounts.predicates import (
    is_institution_admin,
    is_official,
    is_operator,
    runs_institution,
    runs_work,
)

from .models import PollKind, PollStatus, QuestionKind, YesNo

# The fields of a poll that decide who votes on what: fixed once votes exist.
TARGET_VALUES = {
    "target_districts": District,
    "target_age_bands": AgeBand,
    "target_genders": Gender,
}


@rules.predicate
def of_own_department(user, poll) -> bool:
    """`user` is an official of the department that asks `poll`."""
    return poll is not None and is_official(user) and user.department_id == poll.department_id


@rules.predicate
def runs_poll(user, poll) -> bool:
    """`user` runs `poll`'s institution's polls: the city's operators every
    poll, an institution's administrators their institution's only (never
    the city's). Without a poll: may run some institution's polls at all."""
    if poll is None:
        return runs_work(user)
    return runs_institution(user, poll.institution_id)


rules.add_perm("polls.edit_poll", runs_poll)
rules.add_perm("polls.publish_poll", runs_poll)
rules.add_perm("polls.close_poll", runs_poll)


def runs_poll_refusal(user, poll) -> str | None:
    """Why `user` may not write, publish or close `poll` (its institution is
    not theirs to run), or None: the services' words for a refusal, so a
    tampered id or institution is told apart from a bad form."""
    if runs_poll(user, poll):
        return None
    if poll.institution_id is None:
        return _("This is the city's poll: only the city's operators may change it.")
    return _("This poll belongs to another institution: only its own administrators may change it.")


# In the admin: operators every poll, officials their department's.
@rules.predicate
def of_own_institution(user, poll) -> bool:
    """`user` administers the partner institution that asks `poll`."""
    return (
        poll is not None
        and is_institution_admin(user)
        and poll.institution_id == user.institution_id
    )


rules.add_perm("polls.see_poll_admin", is_operator | of_own_department | of_own_institution)


def seen_in_admin_condition(user) -> Q | None:
    """The polls `user` sees as staff (None: none at all; an empty Q: every
    poll): an official their department's, an institution's administrator
    their institution's (both, for an administrator who is also one of its
    officials)."""
    if is_operator(user):
        return Q()
    conditions = []
    if is_official(user):
        conditions.append(Q(department_id=user.department_id))
    if is_institution_admin(user):
        conditions.append(Q(institution_id=user.institution_id))
    if not conditions:
        return None
    combined = conditions[0]
    for condition in conditions[1:]:
        combined |= condition
    return combined


def polls_seen_in_admin(user, queryset):
    """The polls of `queryset` the admin lists for `user`: the selector twin
    of `polls.see_poll_admin`."""
    condition = seen_in_admin_condition(user)
    return queryset.none() if condition is None else queryset.filter(condition)


def has_votes(poll) -> bool:
    """Somebody voted (or took part in the discussion): the poll's questions
    and choices are what they answered, so they are fixed from then on."""
    return poll.voter_count > 0 or poll.ballots.exists()


def target_refusal(field: str, values) -> str | None:
    """Each targeting value is one the profile can hold (a local check; the
    targeting part may tighten it in polls.targeting)."""
    known = {str(value) for value in TARGET_VALUES[field].values}
    if not isinstance(values, list) or any(str(value) not in known for value in values):
        return _("Please choose the target from the list.")
    return None


def period_refusal(poll, *, starts_at, ends_at, now) -> str | None:
    """The period `starts_at`–`ends_at` may be given to `poll` now. Any
    period ends after it starts. A published poll may be extended, or its
    end brought forward, but never into the past (closing now is "close
    early", with a reason); once it has opened its start stays."""
    if starts_at is None or ends_at is None:
        return _("Please give when the poll opens and closes.")
    if ends_at <= starts_at:
        return _("The poll must close after it opens.")
    if poll.pk is None or poll.status == PollStatus.DRAFT:
        return None
    if poll.status == PollStatus.CLOSED:
        if (starts_at, ends_at) != (poll.starts_at, poll.ends_at):
            return _("This poll is closed: its period can no longer be changed.")
        return None
    if ends_at != poll.ends_at and ends_at <= now:
        return _(
            "A poll that is running cannot be given an end in the past. "
            "To end it now, use “Close early” with a reason."
        )
    if starts_at != poll.starts_at and poll.starts_at <= now:
        return _("This poll has already opened: when it opened can no longer be changed.")
    if starts_at != poll.starts_at and starts_at < now:
        return _("A published poll cannot be moved to open in the past.")
    return None


def institution_refusal(institution, department) -> str | None:
    """A partner institution's poll is asked by one of its own departments,
    and the city's by one of the city's (issue 16)."""
    if department is None:
        return None
    if department.institution_id != (institution.pk if institution is not None else None):
        if institution is None:
            return _("This department is a partner institution's: choose that institution too.")
        return _("The asking department must be one of %(name)s's own departments.") % {
            "name": institution.label
        }
    return None


def settings_refusal(poll, changes: dict) -> str | None:
    """Changes to the poll's settings (`changes`: field → new value) it can
    take. Its type is chosen once; who may vote (targeting) and whether a
    vote may be changed are fixed once somebody voted, and a closed poll
    keeps its settings."""
    if "kind" in changes and poll.pk is not None and changes["kind"] != poll.kind:
        return _("A poll's type cannot be changed. Make a new poll of the other type.")
    if refusal := institution_refusal(
        changes.get("institution", poll.institution if poll.pk else None),
        changes.get("department", poll.department if poll.pk else None),
    ):
        return refusal
    for field in TARGET_VALUES:
        if field in changes and (refusal := target_refusal(field, changes[field])):
            return refusal
    fixed = [*TARGET_VALUES, "allow_vote_change"]
    if poll.pk is not None and poll.status == PollStatus.CLOSED:
        fixed.append("results_shown")
    changed = [
        field for field in fixed if field in changes and changes[field] != getattr(poll, field)
    ]
    if changed and poll.pk is not None:
        if poll.status == PollStatus.CLOSED:
            return _("This poll is closed: its settings can no longer be changed.")
        if has_votes(poll):
            return _(
                "Members have already voted in this poll: who may vote and whether a vote "
                "may be changed can no longer be changed."
            )
    return None


def questions_refusal(poll) -> str | None:
    """The poll's questions and choices may be written now: not once it
    has votes (they are what members answered) nor once it is closed."""
    if poll.status == PollStatus.CLOSED:
        return _("This poll is closed: its questions and choices can no longer be changed.")
    if has_votes(poll):
        return _(
            "Members have already voted in this poll, so its questions and choices can no "
            "longer be added, removed or changed: the votes were cast on them as they are."
        )
    return None


def questions_shape_refusals(kind: str, questions) -> list[str]:
    """What is wrong with `questions` (objects with text, kind, max_choices
    and `labels`, the choices' labels in order; or Question rows with their
    choices prefetched) for a poll of `kind`, as the public page would
    show them. Empty when they make a complete poll."""
    problems = []
    if kind == PollKind.YES_NO:
        if len(questions) != 1:
            return [_("A yes-or-no poll asks exactly one question.")]
        if len(_labels(questions[0])) != len(YesNo.values):
            problems.append(_("A yes-or-no poll has its three choices: for, against and other."))
    elif kind == PollKind.DISCUSSION:
        if len(questions) != 1:
            return [_("A discussion poll asks exactly one question.")]
        if _labels(questions[0]):
            problems.append(
                _("A discussion poll has no choices: members write and endorse arguments.")
            )
    elif kind == PollKind.CHOICE:
        if len(questions) != 1:
            return [_("A multiple-choice poll asks exactly one question.")]
    elif not questions:
        return [_("Please write at least one question.")]
    if kind in (PollKind.CHOICE, PollKind.SURVEY):
        for number, question in enumerate(questions, start=1):
            labels = _labels(question)
            if kind == PollKind.CHOICE and question.kind == QuestionKind.TEXT:
                problems.append(_("A multiple-choice poll's question is answered with choices."))
            elif question.kind == QuestionKind.TEXT and labels:
                problems.append(
                    _("Question %(n)d is answered with a short text: it has no choices.")
                    % {"n": number}
                )
            elif question.kind != QuestionKind.TEXT and len(labels) < 2:
                problems.append(_("Question %(n)d needs at least two choices.") % {"n": number})
            if question.kind == QuestionKind.MULTIPLE and question.max_choices > len(labels):
                problems.append(
                    _(
                        "Question %(n)d lets members pick up to %(max)d choices but has only "
                        "%(count)d."
                    )
                    % {"n": number, "max": question.max_choices, "count": len(labels)}
                )
    if any(len(set(_labels(question))) != len(_labels(question)) for question in questions):
        problems.append(_("Two choices of one question have the same words."))
    if any(not (question.text or "").strip() for question in questions):
        problems.append(_("Every question needs its words."))
    return problems


def _labels(question) -> list[str]:
    labels = getattr(question, "labels", None)
    if labels is None:
        labels = [choice.label for choice in question.choices.all()]
    return labels


def publish_refusals(poll, questions, *, now=None) -> list[str]:
    """Why `poll` (with `questions`, their choices prefetched) cannot be
    published now; empty when it can: a draft, complete for its type, with
    a period that ends after it starts and is not over."""
    now = now or timezone.now()
    if poll.status != PollStatus.DRAFT:
        return [
            _("Only a draft can be published; this poll is already “%(status)s”.")
            % {"status": poll.get_status_display()}
        ]
    problems = list(questions_shape_refusals(poll.kind, list(questions)))
    if poll.ends_at <= poll.starts_at:
        problems.append(_("The poll must close after it opens."))
    elif poll.ends_at <= now:
        problems.append(_("The poll's period is already over: please give a later end."))
    for field in TARGET_VALUES:
        if refusal := target_refusal(field, getattr(poll, field)):
            problems.append(refusal)
            break
    return problems


def close_refusal(poll, *, reason: str, now) -> str | None:
    """An operator may close `poll` early: published, not yet closed, with a
    reason (shown to nobody but kept in the audit trail)."""
    if poll.status == PollStatus.CLOSED:
        return _("This poll is already closed.")
    if poll.status != PollStatus.PUBLISHED:
        return _("A draft is not running, so it cannot be closed. Delete it instead.")
    if not (reason or "").strip():
        return _("Please give a reason for closing the poll early.")
    return None
