"""proposals/services.py, the author's and the operators' hands on a proposal:
editing, withdrawing, the trash and hiding."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from oasis.errors import PermissionDenied, ServiceError, TransitionNotAllowed
from proposals import services
from proposals.models import EventKind, Proposal, ProposalStatus
from tests.factories import (
    CategoryFactory,
    ProposalFactory,
    UserFactory,
    image_file,
    operator,
    pdf_file,
)

from .helpers import _propose

pytestmark = pytest.mark.django_db


# --- editing ------------------------------------------------------------------


def _update(proposal, user, **kwargs):
    fields = {
        "title": "고친 제목",
        "body": "고친 본문입니다. 충분히 깁니다.",
        "category": proposal.category,
        "tag_names": ["새태그"],
    }
    fields.update(kwargs)
    return services.proposal_update(proposal=proposal, user=user, **fields)


def test_the_author_edits_before_the_first_endorsement():
    proposal = _propose(tag_names=["옛태그"])
    _update(proposal, proposal.author)
    proposal.refresh_from_db()
    assert proposal.title == "고친 제목"
    assert list(proposal.tags.values_list("name", flat=True)) == ["새태그"]
    assert "고친본문" in proposal.search_text and "옛태그" not in proposal.search_text
    assert proposal.events.filter(kind=EventKind.EDITED).count() == 1


def test_editing_stops_at_the_first_endorsement_and_nothing_changes():
    # Given a proposal someone endorsed
    proposal = _propose(title="원래 제목")
    services.proposal_endorse(proposal=proposal, user=UserFactory())
    # When the author tries to edit it
    with pytest.raises(ServiceError) as exc:
        _update(proposal, proposal.author)
    # Then it is refused with a reason, and nothing changed
    assert "already been endorsed" in exc.value.message
    proposal.refresh_from_db()
    assert proposal.title == "원래 제목"
    assert not proposal.events.filter(kind=EventKind.EDITED).exists()


def test_someone_else_cannot_edit():
    proposal = _propose()
    with pytest.raises(PermissionDenied):
        _update(proposal, UserFactory())


def test_a_withdrawn_proposal_cannot_be_edited():
    proposal = _propose()
    services.proposal_withdraw(proposal=proposal, user=proposal.author)
    with pytest.raises(ServiceError):
        _update(proposal, proposal.author)


def test_editing_removes_and_adds_photos_within_the_limit(settings):
    proposal = _propose(photos=[image_file(f"{i}.jpg") for i in range(5)])
    first, *_rest = proposal.photos.all()
    # A sixth photo is refused while all five are kept...
    with pytest.raises(ValidationError):
        _update(proposal, proposal.author, photos=[image_file("6.jpg")])
    assert proposal.photos.count() == 5
    # ...and accepted once one is removed, placed after the others
    _update(proposal, proposal.author, photos=[image_file("6.jpg")], remove_photo_ids=[first.pk])
    assert proposal.photos.count() == 5
    assert not proposal.photos.filter(pk=first.pk).exists()
    assert list(proposal.photos.values_list("position", flat=True)) == [1, 2, 3, 4, 5]


class _PhotoReadWhileAnotherEditLands:
    """A photo upload that, while it is being read and decoded, lets another
    edit of the same proposal complete: the interleaving two edits sent at
    the same moment produce on a server with several workers."""

    def __init__(self, photo, other_edit):
        self._photo, self._other_edit = photo, other_edit
        self.name, self.size = photo.name, photo.size

    def seek(self, *args):
        return self._photo.seek(*args)

    def read(self, *args):
        if self._other_edit:
            other_edit, self._other_edit = self._other_edit, None
            other_edit()
        return self._photo.read(*args)


def test_an_edit_that_lands_while_photos_are_decoded_cannot_pass_the_photo_limit():
    # Given a proposal with two photos
    proposal = _propose(photos=[image_file(f"{i}.jpg") for i in range(2)])
    # When the author adds three photos, and while they are decoded another
    # edit (another tab) adds three as well
    other_edit = lambda: _update(  # noqa: E731
        proposal, proposal.author, photos=[image_file(f"b{i}.jpg") for i in range(3)]
    )
    photos = [_PhotoReadWhileAnotherEditLands(image_file("a0.jpg"), other_edit)]
    photos += [image_file(f"a{i}.jpg") for i in range(1, 3)]
    with pytest.raises(ValidationError) as exc:
        _update(proposal, proposal.author, photos=photos)
    # Then the later edit is refused under the lock and the limit holds
    assert "at most 5 photos" in " ".join(exc.value.messages)
    assert proposal.photos.count() == 5


# --- withdrawing, trash, hiding ------------------------------------------------


@pytest.mark.parametrize(
    "status",
    [
        ProposalStatus.OPEN,
        ProposalStatus.NOT_REACHED,
        ProposalStatus.ASSIGNED,
        ProposalStatus.ANSWERED,
        ProposalStatus.DEBATE,
        ProposalStatus.REVIEW,
        ProposalStatus.ON_AGENDA,
    ],
)
def test_the_author_may_withdraw_at_any_stage_before_the_decision(status):
    proposal = ProposalFactory(status=status, endorsement_count=3)
    services.proposal_withdraw(proposal=proposal, user=proposal.author, reason="사정이 생겼어요")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
    assert proposal.withdrawn_at is not None
    event = proposal.events.get()
    assert (event.from_status, event.to_status, event.reason) == (
        status,
        "withdrawn",
        "사정이 생겼어요",
    )


@pytest.mark.parametrize(
    "status", [ProposalStatus.ADOPTED, ProposalStatus.NOT_ADOPTED, ProposalStatus.WITHDRAWN]
)
def test_a_decided_or_withdrawn_proposal_cannot_be_withdrawn(status):
    proposal = ProposalFactory(
        status=status, withdrawn_at=timezone.now() if status == ProposalStatus.WITHDRAWN else None
    )
    with pytest.raises(TransitionNotAllowed):
        services.proposal_withdraw(proposal=proposal, user=proposal.author)


def test_an_answered_proposal_reaches_the_working_review_only_through_its_debate():
    proposal = ProposalFactory(status=ProposalStatus.ANSWERED)
    with pytest.raises(TransitionNotAllowed):
        services.proposal_transition(proposal=proposal, to_status=ProposalStatus.REVIEW, actor=None)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ANSWERED and not proposal.events.exists()


def test_only_the_author_withdraws():
    proposal = ProposalFactory()
    with pytest.raises(PermissionDenied):
        services.proposal_withdraw(proposal=proposal, user=UserFactory())


def test_the_author_trashes_and_an_operator_restores():
    proposal = ProposalFactory()
    services.proposal_trash(proposal=proposal, user=proposal.author)
    assert Proposal.objects.in_trash().get() == proposal
    with pytest.raises(ServiceError):
        services.proposal_trash(proposal=proposal, user=proposal.author)
    with pytest.raises(PermissionDenied):
        services.proposal_restore(proposal=proposal, user=proposal.author)
    services.proposal_restore(proposal=proposal, user=operator())
    assert Proposal.objects.public().get() == proposal
    assert not proposal.events.filter(is_public=True).exists()


def test_an_operator_hides_with_a_reason_and_the_reports_are_resolved():
    proposal = ProposalFactory()
    report = services.report_create(reporter=UserFactory(), reason="spam", proposal=proposal)
    staff = operator()
    with pytest.raises(ServiceError):
        services.proposal_hide(proposal=proposal, user=staff, reason="  ")
    with pytest.raises(PermissionDenied):
        services.proposal_hide(proposal=proposal, user=UserFactory(), reason="광고")
    services.proposal_hide(proposal=proposal, user=staff, reason="광고성 게시물")
    proposal.refresh_from_db()
    report.refresh_from_db()
    assert (proposal.is_hidden, proposal.hidden_reason) == (True, "광고성 게시물")
    assert report.resolved_at is not None
    assert proposal.events.get(kind=EventKind.HIDDEN).reason == "광고성 게시물"
    with pytest.raises(ServiceError):
        services.proposal_hide(proposal=proposal, user=staff, reason="again")
    services.proposal_unhide(proposal=proposal, user=staff, reason="확인 결과 문제 없음")
    proposal.refresh_from_db()
    assert (proposal.is_hidden, proposal.hidden_reason) == (False, "")


def test_editing_stays_closed_after_an_endorsement_is_taken_back():
    # Given a proposal endorsed once and then un-endorsed
    proposal = _propose()
    member = UserFactory()
    services.proposal_endorse(proposal=proposal, user=member)
    services.proposal_unendorse(proposal=proposal, user=member)
    proposal.refresh_from_db()
    assert proposal.endorsement_count == 0 and proposal.first_endorsed_at is not None
    # When the author edits, then it is still refused: people endorsed what they read
    with pytest.raises(ServiceError, match="already been endorsed"):
        _update(proposal, proposal.author, title="바뀐 제목")
    proposal.refresh_from_db()
    assert proposal.title == "걷고 싶은 한강다리"


def test_an_anonymous_caller_is_never_the_author_of_an_orphaned_proposal():
    from django.contrib.auth.models import AnonymousUser

    proposal = ProposalFactory(author=None)
    with pytest.raises(PermissionDenied):
        _update(proposal, AnonymousUser())
    with pytest.raises(PermissionDenied):
        services.proposal_withdraw(proposal=proposal, user=AnonymousUser())


def test_removed_photos_leave_the_disk_once_the_edit_is_committed(
    settings, django_capture_on_commit_callbacks
):
    proposal = _propose(photos=[image_file("a.jpg")], files=[pdf_file()])
    photo, attachment = proposal.photos.get(), proposal.attachments.get()
    paths = [Path(photo.image.path), Path(photo.thumbnail.path), Path(attachment.file.path)]
    assert all(p.is_file() for p in paths)
    with django_capture_on_commit_callbacks(execute=True):
        _update(
            proposal, proposal.author, remove_photo_ids=[photo.pk], remove_file_ids=[attachment.pk]
        )
    assert not any(p.exists() for p in paths)


def test_an_author_cannot_delete_a_proposal_a_department_took_up():
    proposal = ProposalFactory(
        status=ProposalStatus.ADOPTED, department=CategoryFactory().default_department
    )
    with pytest.raises(ServiceError, match="public record"):
        services.proposal_trash(proposal=proposal, user=proposal.author)
    proposal.refresh_from_db()
    assert proposal.deleted_at is None
    services.proposal_trash(proposal=proposal, user=operator(), reason="중복 제안 정리")
    proposal.refresh_from_db()
    assert proposal.deleted_at is not None
