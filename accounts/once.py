"""Create forms that make one thing however often they are sent.

A create form carries a one-time token (oasis.forms.OneTimeTokenMixin, a
hidden field filled when the page is drawn). The view makes the thing through
`create_once`: the token is recorded in the same transaction as the thing, so
of two sendings of one page exactly one makes it. The other (a double click,
a browser's retry, a second tab) raises AlreadySubmitted with the address of
what the first made, and the view sends the member there. On PostgreSQL the
second insert of the token waits for the first transaction and then fails on
the unique constraint; if the first failed instead (a refused upload), the
second goes ahead: a form that made nothing can be corrected and sent again."""

from collections.abc import Callable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import SubmittedForm

TOKEN_MAX_LENGTH = 64
KEEP_FOR = timedelta(days=1)


class AlreadySubmitted(Exception):  # noqa: N818 - an outcome, not a failure
    def __init__(self, url: str):
        super().__init__(url)
        self.url = url


def _earlier(user, token: str) -> SubmittedForm | None:
    return SubmittedForm.objects.filter(user=user, token=token).first()


def create_once(*, user, token: str, create: Callable, url_of: Callable[[object], str]):
    """Call `create()` and return what it made, unless this member already
    sent this token: then raise AlreadySubmitted(url of what it made). A
    form without a token (a page drawn before tokens existed, a script) is
    simply created. `create` may raise: nothing is recorded then."""
    token = (token or "")[:TOKEN_MAX_LENGTH]
    if not token:
        return create()
    # Checked before the work (upload decoding, for instance) is done again.
    if earlier := _earlier(user, token):
        raise AlreadySubmitted(earlier.result_url)
    try:
        with transaction.atomic():
            mark = SubmittedForm.objects.create(user=user, token=token)
            made = create()
            mark.result_url = url_of(made)[:300]
            mark.save(update_fields=["result_url"])
    except IntegrityError:
        # A twin sending committed first (its insert held ours back).
        if earlier := _earlier(user, token):
            raise AlreadySubmitted(earlier.result_url) from None
        raise
    return made


def submitted_forms_purge() -> int:
    """Forget tokens older than a day: a page is not sent twice after that.
    Returns how many were removed; safe to run any number of times."""
    deleted, _rows = SubmittedForm.objects.filter(created_at__lt=timezone.now() - KEEP_FOR).delete()
    return deleted
