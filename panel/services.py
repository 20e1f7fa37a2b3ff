"""Changes to the citizen panel: applications and their decisions, the end
of a membership, and ratings. Views, admin actions and the demo all call
these; nothing else writes an application's status, the panel role or a
rating."""

import rules
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_record
from accounts.models import User
from accounts.participation import Action, participated
from accounts.predicates import must_use_second_factor
from accounts.roles import Role
from oasis.errors import PermissionDenied, ServiceError, require_reason
from proposals.models import Proposal
from proposals.timeline import queue_promotion_check

from . import notices
from . import rules as panel_rules
from .models import ApplicationStatus, PanelApplication, PanelRating

# Audit codes (panel/audit_words.py says how they read).
APPLICATION_APPROVED = "panel.application_approved"
APPLICATION_REFUSED = "panel.application_refused"
MEMBERSHIP_ENDED = "panel.membership_ended"

MOTIVATION_MAX_LENGTH = PanelApplication._meta.get_field("motivation").max_length
NOTE_MAX_LENGTH = PanelApplication._meta.get_field("decision_note").max_length
RATING_NOTE_MAX_LENGTH = PanelRating._meta.get_field("note").max_length
CRITERIA = ("creativity", "public_value", "feasibility")


def _panel_group() -> Group:
    return Group.objects.get_or_create(name=str(Role.PANEL))[0]


def _forget_roles(member: User) -> None:
    # User.role_names is cached on the instance; the group just changed.
    member.__dict__.pop("role_names", None)


def panel_apply(*, member: User, motivation: str) -> PanelApplication:
    """A citizen applies to join the panel.

    Requires: panel.rules.application_refusal(member) is None (an active
    member, not staff, not already on the panel, no application waiting);
    a motivation (trimmed, at most MOTIVATION_MAX_LENGTH characters).
    Writes: one pending PanelApplication (the database allows one pending
    application per member, so two sent together make one).
    Triggers nothing: the operators find it on their home."""
    motivation = (motivation or "").strip()
    if not motivation:
        raise ServiceError(_("Please tell us why you would like to join the panel."))
    if len(motivation) > MOTIVATION_MAX_LENGTH:
        raise ServiceError(
            _("Please keep your motivation within %(max)d characters.")
            % {"max": MOTIVATION_MAX_LENGTH}
        )
    with transaction.atomic():
        # The member's row lock puts two applications sent together in line,
        # so the second sees the first (and its refusal is the clear one).
        User.objects.select_for_update().filter(pk=member.pk).first()
        _forget_roles(member)
        if refusal := panel_rules.application_refusal(member):
            raise ServiceError(refusal)
        try:
            with transaction.atomic():
                return PanelApplication.objects.create(member=member, motivation=motivation)
        except IntegrityError:
            raise ServiceError(_("Your application is already waiting for a decision.")) from None


def _locked(application: PanelApplication, status: str) -> PanelApplication:
    """`application` re-read under its row lock, once it may move to
    `status`. Call inside a transaction."""
    locked = (
        PanelApplication.objects.select_for_update().select_related("member").get(pk=application.pk)
    )
    if refusal := panel_rules.transition_refusal(locked, status):
        raise ServiceError(refusal)
    return locked


def _decided(locked: PanelApplication, *, status: str, actor, note: str) -> None:
    locked.status = status
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.decision_note = note
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])


def panel_application_withdraw(*, application: PanelApplication, member: User) -> PanelApplication:
    """The applicant takes back their waiting application.

    Requires: `member` is the applicant; the application is pending.
    Writes: the status (withdrawn). Triggers nothing."""
    if application.member_id != member.pk:
        raise PermissionDenied
    with transaction.atomic():
        locked = _locked(application, ApplicationStatus.WITHDRAWN)
        locked.status = ApplicationStatus.WITHDRAWN
        locked.save(update_fields=["status"])
    return locked


def member_withdrew_received(sender, *, member, **kwargs) -> None:
    """accounts.signals.member_withdrew (connected in apps.py): a member who
    leaves Oasis takes back their waiting application, so it leaves the
    operators' home (approving it would be refused, and refusing it would
    tell nobody). Inside the withdrawal's transaction; nothing to say to the
    member, who is gone."""
    PanelApplication.objects.filter(member=member, status=ApplicationStatus.PENDING).update(
        status=ApplicationStatus.WITHDRAWN
    )


def member_residue_purge(user) -> int:
    """accounts.retention's purger (registered in apps.py): once a withdrawn
    member's retention period is over, the words they wrote for the
    operators alone go — the motivation of their applications and the notes
    of their ratings. The scores stay: they are part of a proposal's public
    score, as their comments stay part of the public record. Idempotent."""
    erased = (
        PanelApplication.objects.filter(member=user).exclude(motivation="").update(motivation="")
    )
    erased += PanelRating.objects.filter(member=user).exclude(note="").update(note="")
    return erased


def panel_application_approve(
    *, application: PanelApplication, actor: User, note: str = ""
) -> PanelApplication:
    """An operator approves an application: the member joins the panel.

    Requires: an operator (panel.decide_application); the application is
    pending; the applicant is still an active member who holds no staff
    role (a staff role given meanwhile makes it a refusal to write).
    Writes: the decision (status, who, when, an optional note); the
    member's panel role (the Role.PANEL group), in the same transaction; an
    audit row (panel.application_approved).
    Triggers: the member's notice (in-site, e-mailed after commit)."""
    if not rules.has_perm("panel.decide_application", actor):
        raise PermissionDenied
    note = (note or "").strip()[:NOTE_MAX_LENGTH]
    with transaction.atomic():
        locked = _locked(application, ApplicationStatus.APPROVED)
        member = User.objects.select_for_update().get(pk=locked.member_id)
        if not member.is_active or member.withdrawn_at is not None:
            raise ServiceError(_("This member's account is no longer active."))
        if must_use_second_factor(member):
            raise ServiceError(
                _("This member now holds a staff role; staff members cannot join the panel.")
            )
        _decided(locked, status=ApplicationStatus.APPROVED, actor=actor, note=note)
        member.groups.add(_panel_group())
        _forget_roles(member)
        audit_record(
            actor=actor, action=APPLICATION_APPROVED, target=locked, params={"member": member.pk}
        )
        notices.tell_application_approved(application=locked)
    _forget_roles(application.member)
    return locked


def panel_application_refuse(
    *, application: PanelApplication, actor: User, note: str
) -> PanelApplication:
    """An operator refuses an application, saying why.

    Requires: an operator; the application is pending; a note (shown to
    the applicant, stored as typed, cut to NOTE_MAX_LENGTH).
    Writes: the decision; an audit row (panel.application_refused).
    Triggers: the member's notice with the note."""
    if not rules.has_perm("panel.decide_application", actor):
        raise PermissionDenied
    note = require_reason(note, max_length=NOTE_MAX_LENGTH)
    with transaction.atomic():
        locked = _locked(application, ApplicationStatus.REFUSED)
        _decided(locked, status=ApplicationStatus.REFUSED, actor=actor, note=note)
        audit_record(
            actor=actor,
            action=APPLICATION_REFUSED,
            target=locked,
            params={"member": locked.member_id, "note": note},
        )
        notices.tell_application_refused(application=locked)
    return locked


def panel_membership_end(
    *, application: PanelApplication, actor: User, note: str
) -> PanelApplication:
    """An operator takes a member off the panel, saying why.

    Requires: an operator (panel.end_membership); the application is the
    approved one of a current membership; a note (shown to the member).
    Writes: the application ended (who, when, why); the panel role removed;
    an audit row (panel.membership_ended). The member's ratings stay and
    keep counting in the proposals' panel scores: they were given while
    the member was on the panel, and a score that moved afterwards would
    re-decide a debate bar already passed.
    Triggers: the member's notice with the note."""
    if not rules.has_perm("panel.end_membership", actor):
        raise PermissionDenied
    note = require_reason(note, max_length=NOTE_MAX_LENGTH)
    with transaction.atomic():
        locked = _locked(application, ApplicationStatus.ENDED)
        member = User.objects.select_for_update().get(pk=locked.member_id)
        locked.status = ApplicationStatus.ENDED
        locked.ended_by = actor
        locked.ended_at = timezone.now()
        locked.end_note = note
        locked.save(update_fields=["status", "ended_by", "ended_at", "end_note"])
        member.groups.remove(*Group.objects.filter(name=str(Role.PANEL)))
        _forget_roles(member)
        audit_record(
            actor=actor,
            action=MEMBERSHIP_ENDED,
            target=locked,
            params={"member": member.pk, "note": note},
        )
        notices.tell_membership_ended(application=locked)
    _forget_roles(application.member)
    return locked


def _score(value, label) -> int:
    """A criterion's score as a whole number from 1 to 5, or a clear refusal."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        number = None
    if number is None or not panel_rules.SCORE_MIN <= number <= panel_rules.SCORE_MAX:
        raise ServiceError(
            _("Please give %(criterion)s a score from 1 to 5.") % {"criterion": label}
        )
    return number


def panel_score_of(total: int, count: int) -> int:
    """The mean of the three scores over `count` ratings whose scores sum to
    `total`, in hundredths, rounded half up (3.745 → 375): exact integer
    arithmetic, so the same ratings always give the same score."""
    if not count:
        return 0
    return (200 * total + 3 * count) // (6 * count)


def panel_rate(
    *,
    proposal: Proposal,
    member: User,
    creativity,
    public_value,
    feasibility,
    note: str = "",
) -> PanelRating:
    """A panel member rates a proposal on the three criteria.

    Requires: panel.rules.rating_refusal(member, proposal) is None under the
    proposal's row lock (a panel member, not the author, not rated yet, the
    proposal public and open for rating); each score a whole number from 1
    to 5; a note of at most RATING_NOTE_MAX_LENGTH characters (optional).
    A rating is final once given.
    Writes: the PanelRating; Proposal.panel_rating_count and panel_score,
    recomputed from the ratings' aggregate under the same lock, so two
    ratings at once both count exactly. No timeline row: a rating is not a
    step of the proposal, and the page shows the panel's scores as they
    stand.
    Triggers: the participation signal (mileage), in the transaction; the
    conductor's promotion check after commit (the panel score may be a
    debate condition)."""
    scores = {
        name: _score(value, PanelRating._meta.get_field(name).verbose_name)
        for name, value in zip(CRITERIA, (creativity, public_value, feasibility), strict=True)
    }
    note = (note or "").strip()
    if len(note) > RATING_NOTE_MAX_LENGTH:
        raise ServiceError(
            _("Please keep your note within %(max)d characters.") % {"max": RATING_NOTE_MAX_LENGTH}
        )
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if refusal := panel_rules.rating_refusal(member, locked):
            raise ServiceError(refusal)
        try:
            with transaction.atomic():
                rating = PanelRating.objects.create(
                    proposal=locked, member=member, note=note, **scores
                )
        except IntegrityError:
            raise ServiceError(panel_rules.already_rated()) from None
        totals = PanelRating.objects.filter(proposal=locked).aggregate(
            count=Count("pk"),
            total=Sum(F("creativity") + F("public_value") + F("feasibility")),
        )
        locked.panel_rating_count = totals["count"]
        locked.panel_score = panel_score_of(totals["total"] or 0, totals["count"])
        locked.save(update_fields=["panel_rating_count", "panel_score"])
        participated(
            action=Action.PANEL_RATING,
            member_id=member.pk,
            source=rating,
            proposal_id=locked.pk,
        )
        queue_promotion_check(locked.pk)
    proposal.panel_rating_count = locked.panel_rating_count
    proposal.panel_score = locked.panel_score
    return rating
