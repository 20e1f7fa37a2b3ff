"""Writing a city poll, publishing it and closing it: the staff side of the
poll's life (draft → published → closed). The admin's editor, the demo and
the beat task all call these functions, so they follow the same rules
(polls/editing_rules.py) and leave the same audit rows and notices.

Every write locks the poll's row, as a vote does (polls/services/ballots.py):
a vote and a change to the questions never cross, so once the first ballot
is in, the questions and choices it answered stay as they were."""

import uuid
from dataclasses import dataclass, field

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_record
from accounts.predicates import is_operator
from oasis.errors import ServiceError, TransitionNotAllowed
from oasis.files import delete_files_on_commit, files_removed_on_error
from proposals import uploads

from .. import audit_words, editing_rules, notices
from ..models import (
    AttachmentKind,
    Choice,
    Poll,
    PollAttachment,
    PollKind,
    PollStatus,
    Question,
    QuestionKind,
    YesNo,
)

REASON_MAX_LENGTH = 300

# Fields of the poll an editor writes (the rest are kept by the services).
EDITABLE_FIELDS = (
    "title",
    "summary",
    "background",
    "department",
    # A partner institution's poll (issue 16): shown in its space, labelled
    # in /polls/; empty: the city's. The city's operators choose it; for an
    # institution's administrator it is always their own institution
    # (poll_create sets it, and runs_poll refuses any other).
    "institution",
    "starts_at",
    "ends_at",
    "results_shown",
    "allow_vote_change",
    "target_districts",
    "target_age_bands",
    "target_genders",
)

# The words a yes/no poll's fixed choices start with; the operator may word
# them for the question ("보호조치 찬성") before anyone votes.
YES_NO_LABELS = {
    YesNo.FOR: YesNo.FOR.label,
    YesNo.AGAINST: YesNo.AGAINST.label,
    YesNo.OTHER: YesNo.OTHER.label,
}


@dataclass
class QuestionDraft:
    """One question as the editor sends it: `pk` None for a new one,
    `labels` its choices' words in order (a yes/no poll's three in the order
    for, against, other)."""

    text: str
    kind: str = QuestionKind.SINGLE
    max_choices: int = 1
    required: bool = True
    labels: list[str] = field(default_factory=list)
    pk: int | None = None
    delete: bool = False


def _locked(poll: Poll) -> Poll:
    return Poll.objects.select_for_update().get(pk=poll.pk)


def _require(perm: str, actor) -> None:
    """The quick door: may `actor` do this to some poll at all (asked again
    with the poll, under its lock, by _require_for)."""
    if not rules.has_perm(perm, actor):
        raise PermissionDenied


def _require_for(perm: str, actor, poll: Poll) -> None:
    """`actor` may do this to `poll` (its institution is theirs to run, for
    an institution's administrator): asked with the locked row, so a
    tampered id of the city's or another institution's poll is refused with
    its reason and nothing is written."""
    if not rules.has_perm(perm, actor, poll):
        raise PermissionDenied(
            editing_rules.runs_poll_refusal(actor, poll) or _("You may not change this poll.")
        )


def with_questions(queryset=None):
    """Polls with their questions and choices, in order (two queries)."""
    queryset = queryset if queryset is not None else Poll.objects.all()
    return queryset.prefetch_related(
        Prefetch("questions", queryset=Question.objects.prefetch_related("choices"))
    )


# --- writing ---------------------------------------------------------------------


def poll_create(*, actor, kind: str, now=None, **fields) -> Poll:
    """A new draft poll of `kind` with `fields` (EDITABLE_FIELDS). A yes/no
    poll gets its one question (the title) and its three fixed choices, a
    discussion poll its one question, so the operator starts from a poll of
    the right shape. Requires `polls.edit_poll` for the new poll: an
    institution's administrator's poll is their institution's (set here
    when not given; the city's or another institution's is refused).
    Raises ServiceError for a period or target the rules refuse; nothing
    is written then."""
    _require("polls.edit_poll", actor)
    now = now or timezone.now()
    if kind not in PollKind.values:
        raise ServiceError(_("Please choose the poll's type."))
    poll = Poll(kind=kind, created_by=actor, created_at=now, status=PollStatus.DRAFT)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"poll_create() got unexpected fields {sorted(unknown)}")
    if not is_operator(actor) and "institution" not in fields:
        # An institution's administrator writes their institution's polls:
        # the poll is theirs whatever the form sent (runs_poll below
        # refuses another institution's, or the city's, named outright).
        fields["institution"] = getattr(actor, "institution", None)
    for name, value in fields.items():
        setattr(poll, name, value)
    _require_for("polls.edit_poll", actor, poll)
    if refusal := editing_rules.period_refusal(
        poll, starts_at=poll.starts_at, ends_at=poll.ends_at, now=now
    ) or editing_rules.settings_refusal(poll, fields):
        raise ServiceError(refusal)
    with transaction.atomic():
        poll.save()
        if kind == PollKind.YES_NO:
            question = Question.objects.create(poll=poll, position=1, text=poll.title)
            Choice.objects.bulk_create(
                Choice(question=question, position=position, label=str(label), code=code)
                for position, (code, label) in enumerate(YES_NO_LABELS.items(), start=1)
            )
        elif kind == PollKind.DISCUSSION:
            Question.objects.create(
                poll=poll, position=1, text=poll.title, kind=QuestionKind.TEXT, required=False
            )
    return poll


def poll_update(*, poll: Poll, actor, changes: dict, now=None) -> Poll:
    """Write `changes` (field → value, of EDITABLE_FIELDS) to `poll`. Under
    the poll's lock the rules decide: the period may be extended, never
    ended in the past; targeting and vote-changing are fixed once somebody
    voted; a closed poll keeps its period and settings. Its words (title,
    summary, background) may always be corrected. Requires
    `polls.edit_poll`. Raises ServiceError and writes nothing when refused."""
    _require("polls.edit_poll", actor)
    now = now or timezone.now()
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"poll_update() got unexpected fields {sorted(unknown)}")
    with transaction.atomic():
        locked = _locked(poll)
        _require_for("polls.edit_poll", actor, locked)
        if "institution" in changes:
            # Moving the poll to another institution (or to the city) needs
            # the right to run that one as well.
            _require_for("polls.edit_poll", actor, Poll(institution=changes["institution"]))
        starts_at = changes.get("starts_at", locked.starts_at)
        ends_at = changes.get("ends_at", locked.ends_at)
        refusal = editing_rules.period_refusal(
            locked, starts_at=starts_at, ends_at=ends_at, now=now
        ) or editing_rules.settings_refusal(locked, changes)
        if refusal:
            raise ServiceError(refusal)
        changed = [name for name, value in changes.items() if getattr(locked, name) != value]
        for name in changed:
            setattr(locked, name, changes[name])
        if changed:
            locked.save(update_fields=[*changed, "updated_at"])
    for name in changed:
        setattr(poll, name, changes[name])
    return locked


def questions_save(*, poll: Poll, actor, questions: list[QuestionDraft]) -> None:
    """Make the poll's questions and choices `questions`: new ones added,
    changed ones written, those marked `delete` removed, choices replaced by
    their labels. Refused (ServiceError, nothing written) once the poll has
    votes or is closed, or when a yes/no or discussion poll would lose its
    shape (one question; a yes/no poll's three fixed choices keep their
    codes and only take new words). Requires `polls.edit_poll`."""
    _require("polls.edit_poll", actor)
    with transaction.atomic():
        locked = _locked(poll)
        _require_for("polls.edit_poll", actor, locked)
        if refusal := editing_rules.questions_refusal(locked):
            raise ServiceError(refusal)
        kept = [draft for draft in questions if not draft.delete]
        fixed_shape = locked.kind in (PollKind.YES_NO, PollKind.DISCUSSION)
        if fixed_shape and len(kept) != 1:
            raise ServiceError(
                _("This type of poll asks exactly one question: it cannot be added or removed.")
            )
        existing = {question.pk: question for question in locked.questions.all()}
        for draft in questions:
            if draft.pk is not None and draft.pk not in existing:
                raise ServiceError(_("A question was removed meanwhile. Please reload the page."))
        Question.objects.filter(
            pk__in=[draft.pk for draft in questions if draft.delete and draft.pk]
        ).delete()
        for position, draft in enumerate(kept, start=1):
            question = existing.get(draft.pk) or Question(poll=locked)
            question.position = position
            question.text = draft.text.strip()
            if locked.kind == PollKind.YES_NO:
                question.kind, question.max_choices = QuestionKind.SINGLE, 1
            elif locked.kind == PollKind.DISCUSSION:
                question.kind, question.max_choices = QuestionKind.TEXT, 1
            else:
                question.kind = draft.kind
                question.max_choices = (
                    max(1, draft.max_choices or 1) if draft.kind == QuestionKind.MULTIPLE else 1
                )
            question.required = draft.required
            question.save()
            labels = [label.strip() for label in draft.labels if label.strip()]
            if locked.kind == PollKind.YES_NO:
                _word_yes_no(question, labels)
            elif locked.kind == PollKind.DISCUSSION or question.kind == QuestionKind.TEXT:
                question.choices.all().delete()
            else:
                _replace_choices(question, labels)


def _word_yes_no(question: Question, labels: list[str]) -> None:
    """Give the three fixed choices their words (for, against, other in that
    order); the choices and their codes stay."""
    if len(labels) != len(YesNo.values):
        raise ServiceError(
            _("A yes-or-no poll has exactly three choices: for, against and other, one a line.")
        )
    by_code = {choice.code: choice for choice in question.choices.all()}
    for position, (code, label) in enumerate(zip(YesNo.values, labels, strict=True), start=1):
        choice = by_code.get(code) or Choice(question=question, code=code)
        choice.position, choice.label = position, label
        choice.save()


def _replace_choices(question: Question, labels: list[str]) -> None:
    """The question's choices become `labels`, in order: a choice whose words
    are unchanged keeps its row (before any vote, nothing depends on it)."""
    current = {choice.label: choice for choice in question.choices.all()}
    keep = []
    for position, label in enumerate(labels, start=1):
        choice = current.pop(label, None) or Choice(question=question, label=label)
        choice.position = position
        choice.save()
        keep.append(choice.pk)
    question.choices.exclude(pk__in=keep).delete()


def poll_delete(*, poll: Poll, actor) -> None:
    """Delete a draft nobody voted in (a mistake, a poll not asked after
    all), with its questions and material; its files leave the disk once
    the deletion is committed. A published poll is closed instead, so what
    members answered is kept. Requires `polls.edit_poll`."""
    _require("polls.edit_poll", actor)
    with transaction.atomic():
        locked = Poll.objects.select_for_update().filter(pk=poll.pk).first()
        if locked is None:
            return  # deleted meanwhile: what was asked is done
        _require_for("polls.edit_poll", actor, locked)
        if locked.status != PollStatus.DRAFT or editing_rules.has_votes(locked):
            raise ServiceError(
                _("Only a draft nobody voted in can be deleted; close this poll instead.")
            )
        names = [item.file.name for item in locked.attachments.all()]
        locked.delete()
        delete_files_on_commit(names)


# --- background material -------------------------------------------------------------


def attachment_check(*, kind: str, upload, title: str):
    """Check one upload as proposals' own are checked (proposals.uploads):
    an image is re-encoded without its EXIF data and needs its text
    alternative; a file must be a kind the portal accepts, within its size.
    Returns what to store, or raises ValidationError naming the field."""
    title = (title or "").strip()
    if not title:
        raise ValidationError(
            {
                "title": _("Please say what the image shows, for readers who cannot see it.")
                if kind == AttachmentKind.IMAGE
                else _("Please give the file a title.")
            }
        )
    if upload is None:
        raise ValidationError({"file": _("Please choose the image or file.")})
    upload.seek(0)
    try:
        if kind == AttachmentKind.IMAGE:
            return title, uploads.clean_photo(upload).image, None
        return title, None, uploads.clean_attachment(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None


def attachment_add(*, poll: Poll, actor, kind: str, upload, title: str, position: int = 0):
    """Add one image or file to the poll's background material (checked by
    attachment_check). Material may be added while the poll runs: it
    explains the question and changes no vote. Requires `polls.edit_poll`."""
    _require("polls.edit_poll", actor)
    title, clean_image, file_kind = attachment_check(kind=kind, upload=upload, title=title)
    with files_removed_on_error() as written, transaction.atomic():
        locked = _locked(poll)
        _require_for("polls.edit_poll", actor, locked)
        item = PollAttachment(poll=locked, kind=kind, title=title, position=position)
        if clean_image is not None:
            extension = clean_image.name.rsplit(".", 1)[-1]
            item.file.save(f"{uuid.uuid4().hex}.{extension}", clean_image, save=False)
        else:
            upload.seek(0)
            item.file.save(f"{uuid.uuid4().hex}.{file_kind}", upload, save=False)
        written.append(item.file.name)
        item.save()
    return item


def attachment_describe(*, attachment: PollAttachment, actor, title: str, position: int) -> None:
    """Correct an image's text alternative or a file's title, or its place."""
    _require("polls.edit_poll", actor)
    title = (title or "").strip()
    if not title:
        raise ServiceError(_("Please say what the image shows, for readers who cannot see it."))
    with transaction.atomic():
        locked = _attachments_poll(attachment)
        if locked is None:
            raise ServiceError(
                _("This image or file was removed meanwhile. Please reload the page.")
            )
        _require_for("polls.edit_poll", actor, locked)
        PollAttachment.objects.filter(pk=attachment.pk).update(title=title, position=position)


def _attachments_poll(attachment: PollAttachment) -> Poll | None:
    """The poll of `attachment` as stored (not as the caller says), locked;
    None when the attachment is gone."""
    poll_id = (
        PollAttachment.objects.filter(pk=attachment.pk).values_list("poll_id", flat=True).first()
    )
    return Poll.objects.select_for_update().filter(pk=poll_id).first() if poll_id else None


def attachment_remove(*, attachment: PollAttachment, actor) -> None:
    """Remove an image or file from the poll's material; its file leaves the
    disk once the removal is committed."""
    _require("polls.edit_poll", actor)
    with transaction.atomic():
        poll = _attachments_poll(attachment)
        if poll is None:
            return  # removed meanwhile: what was asked is done
        _require_for("polls.edit_poll", actor, poll)
        item = PollAttachment.objects.select_for_update().filter(pk=attachment.pk).first()
        if item is None:
            return  # removed meanwhile: what was asked is done
        name = item.file.name
        item.delete()
        delete_files_on_commit([name])


# --- publishing and closing -----------------------------------------------------------


def poll_publish(*, poll: Poll, actor, now=None) -> Poll:
    """Publish a complete draft: it shows on the public pages and takes votes
    from its start. Refused (TransitionNotAllowed with every problem found,
    nothing written) unless polls.editing_rules.publish_refusals finds
    none. Requires `polls.publish_poll`. Writes published_at and an audit
    row."""
    _require("polls.publish_poll", actor)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(poll)
        _require_for("polls.publish_poll", actor, locked)
        questions = list(Question.objects.filter(poll=locked).prefetch_related("choices"))
        if problems := editing_rules.publish_refusals(locked, questions, now=now):
            raise TransitionNotAllowed(" ".join(problems))
        locked.status = PollStatus.PUBLISHED
        locked.published_at = now
        locked.save(update_fields=["status", "published_at", "updated_at"])
        audit_record(
            actor=actor,
            action=audit_words.POLL_PUBLISHED,
            target=locked,
            params={"kind": locked.kind, "ends_at": locked.ends_at.isoformat()},
        )
        notices.queue_district_notice(locked, now=now)
    poll.status, poll.published_at = locked.status, locked.published_at
    return locked


def _close(locked: Poll, *, actor, reason: str, now) -> None:
    early = now < locked.ends_at
    locked.status = PollStatus.CLOSED
    locked.closed_at = now
    locked.save(update_fields=["status", "closed_at", "updated_at"])
    if actor is not None:
        # The reason is the operator's own words, kept as typed.
        audit_record(
            actor=actor,
            action=audit_words.POLL_CLOSED_EARLY if early else audit_words.POLL_CLOSED,
            target=locked,
            params={"voters": locked.voter_count, "reason": reason},
        )
    notices.tell_poll_closed(poll=locked)


def poll_close(*, poll: Poll, actor, reason: str, now=None) -> Poll:
    """An operator, or an administrator of the poll's institution, closes a
    published poll now, before its end, with a reason (kept in the audit
    trail as typed). Voting stops; the poll's department is told it closed
    with N voters and that its response is awaited. Refused for a draft or a closed poll, or without a reason.
    Requires `polls.close_poll`."""
    _require("polls.close_poll", actor)
    now = now or timezone.now()
    reason = (reason or "").strip()[:REASON_MAX_LENGTH]
    with transaction.atomic():
        locked = _locked(poll)
        _require_for("polls.close_poll", actor, locked)
        if refusal := editing_rules.close_refusal(locked, reason=reason, now=now):
            raise TransitionNotAllowed(refusal)
        _close(locked, actor=actor, reason=reason, now=now)
    poll.status, poll.closed_at = locked.status, locked.closed_at
    return locked


def close_due_polls(*, now=None) -> int:
    """The beat sweep: close every published poll whose period is over and
    tell each one's department. Each poll is re-checked under its lock, so
    running this twice, or while an operator closes one by hand, closes each
    poll once and sends each notice once. Returns how many it closed."""
    now = now or timezone.now()
    due = Poll.objects.filter(status=PollStatus.PUBLISHED, ends_at__lte=now)
    closed = 0
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            locked = Poll.objects.select_for_update().filter(pk=pk).first()
            if locked is None or locked.status != PollStatus.PUBLISHED or locked.ends_at > now:
                continue  # closed (or extended) meanwhile
            _close(locked, actor=None, reason="", now=now)
        closed += 1
    return closed
