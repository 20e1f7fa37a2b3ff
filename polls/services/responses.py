"""The department's response to a poll's result: written (and corrected)
by an official of the poll's department or an operator, then published on
the results page, which tells the voters.

A response answers the final result, so it is written once voting is over
(polls.results.voting_over); a draft poll has none. It may be corrected
after publishing (the correction is audited; the voters are not told
again)."""

import rules
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_record
from oasis.errors import PermissionDenied, ServiceError
from oasis.tasks import enqueue_on_commit

from .. import results_audit_words as words
from ..models import Poll
from ..results import voting_over
from ..results_tasks import tell_voters_of_response

RESPONSE_MAX_LENGTH = 5000


def response_refusal(poll: Poll, now=None) -> str | None:
    """Why the department cannot respond to `poll` now, or None."""
    if not voting_over(poll, now):
        return _("The response answers the final result: write it once voting has ended.")
    return None


def _check(poll: Poll, actor, now) -> Poll:
    # Asked of the row as stored and locked, not of the caller's copy: its
    # institution and department decide who answers it.
    locked = Poll.objects.select_for_update().get(pk=poll.pk)
    if not rules.has_perm("polls.respond_to_results", actor, locked):
        raise PermissionDenied(
            _("Only the department that asked, its institution or an operator may respond.")
        )
    refusal = response_refusal(locked, now)
    if refusal:
        raise ServiceError(refusal, code="voting_not_over")
    return locked


def poll_respond(*, poll: Poll, actor, response: str, now=None) -> Poll:
    """Write the department's response to `poll`'s result (not yet public
    unless it was published: then this corrects the public text).

    Requires: `actor` may respond (results_rules), voting is over, a text.
    Writes: Poll.response and an audit row, under the poll's row lock.
    Triggers nothing."""
    now = now or timezone.now()
    text = (response or "").strip()
    if not text:
        raise ServiceError(_("Write the response first."), code="empty")
    if len(text) > RESPONSE_MAX_LENGTH:
        raise ServiceError(
            _("The response can be at most %(n)d characters long.") % {"n": RESPONSE_MAX_LENGTH},
            code="too_long",
        )
    with transaction.atomic():
        locked = _check(poll, actor, now)
        published = locked.response_published_at is not None
        locked.response = text
        locked.save(update_fields=["response", "updated_at"])
        audit_record(
            actor=actor,
            action=words.RESPONSE_CORRECTED if published else words.RESPONSE_WRITTEN,
            target=locked,
            params={"length": len(text)},
        )
    poll.response = locked.response
    return locked


def poll_response_publish(*, poll: Poll, actor, now=None) -> Poll:
    """Publish the written response on the results page and tell the voters.

    Requires: `actor` may respond, voting is over, a response written and not
    yet published. Writes: Poll.response_published_at and an audit row, under
    the poll's row lock. Triggers: after commit, the voters' notices
    (polls.results_tasks.tell_voters_of_response, idempotent)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _check(poll, actor, now)
        if not locked.response.strip():
            raise ServiceError(_("Write the response before publishing it."), code="empty")
        if locked.response_published_at is not None:
            raise ServiceError(_("The response is already published."), code="published")
        locked.response_published_at = now
        locked.save(update_fields=["response_published_at", "updated_at"])
        audit_record(
            actor=actor,
            action=words.RESPONSE_PUBLISHED,
            target=locked,
            params={"voters": locked.voter_count},
        )
        enqueue_on_commit(tell_voters_of_response, locked.pk)
    poll.response_published_at = locked.response_published_at
    return locked
