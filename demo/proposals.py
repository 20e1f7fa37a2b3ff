"""Write the planned demo world: departments, categories, members and the
free proposals with their endorsements, comments, withdrawals and views.

Proposals, endorsements, comments and withdrawals go through the services, so
counters and timeline events are exactly what real use would produce; only the
timestamps are moved back afterwards, to spread the demo over the last year.

Idempotent: departments and categories are keyed by code, members by e-mail,
proposals by title and author, and a proposal that already exists is left
untouched (with its endorsements and comments).
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.models import Department, User
from accounts.services import user_set_roles
from notifications.models import Notification
from proposals.models import (
    Category,
    Comment,
    Endorsement,
    EventKind,
    PipelineSettings,
    Proposal,
    ProposalEvent,
    ProposalStatus,
    ProposalView,
)
from proposals.notices import ProposalNotice
from proposals.services import comment_create, proposal_create, proposal_endorse, proposal_withdraw

from . import members, plan
from .consents import consent_as_signed_up


@dataclass
class Created:
    departments: int = 0
    categories: int = 0
    members: int = 0
    proposals: int = 0
    withdrawn: int = 0
    endorsements: int = 0
    comments: int = 0

    def any(self) -> bool:
        return any(vars(self).values())


class DemoSeeder:
    """Writes the planned demo world. Requires an open transaction (the command
    wraps it in one), so a failure leaves nothing half-loaded."""

    def __init__(self, *, now: datetime):
        self.now = now
        self.created = Created()
        self.window_days = PipelineSettings.load().endorsement_window_days

    def run(self, *, proposal_count: int) -> Created:
        departments = self._departments()
        categories = self._categories(departments)
        users = self._members(departments)
        for spec in self._new_proposal_specs(proposal_count, users):
            self._proposal(spec, users=users, categories=categories)
        return self.created

    # --- reference data ------------------------------------------------------------

    def _departments(self) -> dict[str, Department]:
        by_code = {d.code: d for d in Department.objects.all()}
        for code, name, name_en in members.DEPARTMENTS:
            if code in by_code:
                continue
            # A department of that name made by hand keeps its own code.
            department = Department.objects.filter(name=name).first()
            if department is None:
                department = Department.objects.create(code=code, name=name, name_en=name_en)
                self.created.departments += 1
            by_code[code] = department
        return by_code

    def _categories(self, departments: dict[str, Department]) -> dict[str, Category]:
        by_code = {c.code: c for c in Category.objects.all()}
        for position, (code, name, name_en, department_code) in enumerate(members.CATEGORIES):
            if code not in by_code:
                by_code[code] = Category.objects.create(
                    code=code,
                    name=name,
                    name_en=name_en,
                    default_department=departments[department_code],
                    position=(position + 1) * 10,
                )
                self.created.categories += 1
        return by_code

    def _members(self, departments: dict[str, Department]) -> dict[str, User]:
        specs = members.all_members()
        users = {
            u.email.lower(): u for u in User.objects.filter(email__in=[s.email for s in specs])
        }
        taken_nicknames = set(
            User.objects.exclude(nickname="")
            .annotate(lower=Lower("nickname"))
            .values_list("lower", flat=True)
        )
        # One hash for every demo account: hashing is deliberately slow, and
        # these accounts share a published password anyway.
        password = None
        for spec in specs:
            if spec.email in users:
                continue
            password = password or make_password(members.DEMO_PASSWORD)
            nickname = spec.nickname if spec.nickname.lower() not in taken_nicknames else ""
            user = User.objects.create(
                email=spec.email,
                password=password,
                display_name=spec.display_name,
                nickname=nickname,
                district=spec.district,
                birth_year=spec.birth_year,
                gender=spec.gender,
            )
            taken_nicknames.add(nickname.lower())
            # allauth lets only verified addresses log in.
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
            department = departments.get(spec.department_code) if spec.department_code else None
            user_set_roles(user=user, roles=set(spec.roles), department=department)
            if spec.heads_department and department is not None:
                Department.objects.filter(pk=department.pk, head__isnull=True).update(head=user)
            if spec.is_superuser:
                # The system administrator, who hands out roles: not the
                # operator, whom the admin's guards must hold like a real one.
                user.is_superuser = user.is_staff = True
                user.save(update_fields=["is_superuser", "is_staff"])
            users[spec.email] = user
            self.created.members += 1
        consent_as_signed_up(list(users.values()))
        return users

    # --- proposals ------------------------------------------------------------------

    def _new_proposal_specs(self, count: int, users: dict[str, User]):
        existing = set(
            Proposal.objects.filter(author__in=list(users.values())).values_list(
                "title", "author_id"
            )
        )
        for spec in plan.proposal_specs(count):
            if (spec.title, users[spec.author].pk) not in existing:
                yield spec

    def _created_at(self, spec: plan.ProposalSpec) -> datetime:
        day = timezone.localdate(self.now) - timedelta(days=spec.days_ago)
        moment = timezone.make_aware(
            datetime.combine(day, time(spec.minute_of_day // 60, spec.minute_of_day % 60))
        )
        if moment > self.now - timedelta(minutes=30):
            moment -= timedelta(days=1)
        return moment

    def _proposal(self, spec, *, users, categories) -> None:
        author = users[spec.author]
        proposal = proposal_create(
            author=author,
            title=spec.title,
            body=spec.body,
            category=categories[spec.category],
            district=spec.district,
            tag_names=spec.tags,
        )
        for email in spec.endorsers:
            proposal_endorse(proposal=proposal, user=users[email])
        comments = [
            comment_create(proposal=proposal, author=users[c.author], body=c.body)
            for c in spec.comments
        ]
        if spec.withdraw_reason:
            proposal_withdraw(proposal=proposal, user=author, reason=spec.withdraw_reason)
            self.created.withdrawn += 1
        self._backdate(proposal, spec, users=users, comments=comments)
        self._record_views(proposal, spec)
        self.created.proposals += 1
        self.created.endorsements += len(spec.endorsers)
        self.created.comments += len(comments)

    def _backdate(self, proposal, spec, *, users, comments) -> None:
        """Move the timestamps the services wrote ("now") back into the past,
        keeping their order: created → endorsements and comments → withdrawn.
        Endorsements come while the endorsement window is open, and so does
        all of a withdrawn proposal's life; the talk goes on after it."""
        created = self._created_at(spec)
        window = min(self.now, created + timedelta(days=self.window_days)) - created

        def in_window(fraction: float) -> datetime:
            return created + window * fraction

        def at(fraction: float) -> datetime:
            if spec.withdraw_reason:
                return in_window(fraction)
            return created + (self.now - created) * fraction

        endorsed_at = {
            users[email].pk: in_window(f)
            for email, f in zip(spec.endorsers, spec.endorsed_at, strict=True)
        }
        endorsements = list(Endorsement.objects.filter(proposal=proposal))
        for endorsement in endorsements:
            endorsement.created_at = endorsed_at[endorsement.user_id]
        Endorsement.objects.bulk_update(endorsements, ["created_at"])

        for comment, comment_spec in zip(comments, spec.comments, strict=True):
            # Equal timestamps: a comment is "edited" only if they differ.
            comment.created_at = comment.updated_at = at(comment_spec.at)
        Comment.objects.bulk_update(comments, ["created_at", "updated_at"])

        ProposalEvent.objects.filter(proposal=proposal, kind=EventKind.CREATED).update(
            created_at=created
        )
        self._backdate_proposer_notices(proposal, endorsed_at, comments)
        fields = {
            "created_at": created,
            "updated_at": created,
            "endorsement_deadline": created + timedelta(days=self.window_days),
            "first_endorsed_at": min(endorsed_at.values(), default=None),
        }
        if spec.withdraw_reason:
            withdrawn = at(spec.withdrawn_at)
            fields.update(withdrawn_at=withdrawn, updated_at=withdrawn)
            ProposalEvent.objects.filter(
                proposal=proposal, kind=EventKind.STATUS_CHANGED, to_status=ProposalStatus.WITHDRAWN
            ).update(created_at=withdrawn)
        Proposal.objects.filter(pk=proposal.pk).update(**fields)

    def _backdate_proposer_notices(self, proposal, endorsed_at, comments) -> None:
        """The proposer's notices of this story (proposals/notices.py) date
        from the step that sent them: the first new comment, the endorsement
        that reached a milestone. Written as handled then (no mail)."""
        notices = Notification.objects.filter(proposal=proposal, recipient=proposal.author)
        by_others = sorted(c.created_at for c in comments if c.author_id != proposal.author_id)
        if by_others:
            notices.filter(kind=ProposalNotice.NEW_COMMENTS).update(
                created_at=by_others[0], emailed_at=by_others[0]
            )
        order = sorted(endorsed_at.values())
        for notice in notices.filter(
            kind__in=[ProposalNotice.ENDORSEMENTS_REACHED, ProposalNotice.HALFWAY_TO_ANSWER]
        ):
            count = notice.params.get("endorsements", 0)
            if 0 < count <= len(order):
                moment = order[count - 1]
                notices.filter(pk=notice.pk).update(created_at=moment, emailed_at=moment)

    def _record_views(self, proposal, spec) -> None:
        """A year of daily visits. `proposal_record_view` can only count today,
        so the rows are written directly, one per visitor and day as it would
        write them, and the counter is set from the very rows written."""
        if not spec.views:
            return
        start = timezone.localdate(self._created_at(spec))
        days = (timezone.localdate(self.now) - start).days
        rows = [
            ProposalView(
                proposal=proposal,
                visitor=f"demo-visitor-{n:05d}",
                # Most visits come while a proposal is new.
                date=start + timedelta(days=int(days * ((n * 7919 % 1000) / 1000) ** 2)),
            )
            for n in range(spec.views)
        ]
        ProposalView.objects.bulk_create(rows, batch_size=500)
        Proposal.objects.filter(pk=proposal.pk).update(view_count=len(rows))
