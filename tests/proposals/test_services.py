"""proposals/services.py: every write, its rules, its counters and its events."""

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from oasis.errors import PermissionDenied, ServiceError, TransitionNotAllowed
from proposals import services
from proposals.models import (
    Comment,
    Endorsement,
    EventKind,
    Proposal,
    ProposalAttachment,
    ProposalEvent,
    ProposalPhoto,
    ProposalStatus,
    Report,
    Tag,
)
from tests.factories import (
    CategoryFactory,
    CommentFactory,
    ProposalFactory,
    UserFactory,
    gps_exif,
    image_file,
    office_file,
    official,
    operator,
    pdf_file,
    upload,
)

pytestmark = pytest.mark.django_db


BODY = "한강 다리를 걷고 싶은 다리로 만들면 좋겠습니다."


def _files_on_disk(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _propose(author=None, **kwargs) -> Proposal:
    fields = {"title": "걷고 싶은 한강다리", "body": BODY, "category": CategoryFactory()}
    fields.update(kwargs)
    return services.proposal_create(author=author or UserFactory(), **fields)


# --- proposing ----------------------------------------------------------------


def test_proposing_writes_the_proposal_its_tags_uploads_and_a_created_event(settings):
    # Given a member with a photo and a file
    author = UserFactory()
    # When they propose
    proposal = _propose(
        author,
        title="  걷고 싶은 한강다리  ",
        district="mapo",
        tag_names=["한강", "보행"],
        photos=[image_file("bridge.jpg", exif=gps_exif())],
        files=[pdf_file()],
    )
    # Then everything is stored, trimmed, and searchable without spaces
    proposal.refresh_from_db()
    assert proposal.title == "걷고 싶은 한강다리"
    assert proposal.status == ProposalStatus.OPEN
    assert proposal.district == "mapo"
    assert sorted(proposal.tags.values_list("name", flat=True)) == ["보행", "한강"]
    assert "한강다리를걷고싶은" in proposal.search_text and "보행" in proposal.search_text
    photo = proposal.photos.get()
    assert (photo.width, photo.height) == (64, 48)
    assert Path(photo.image.path).is_file() and Path(photo.thumbnail.path).is_file()
    attachment = proposal.attachments.get()
    assert (attachment.original_name, attachment.kind) == ("plan.pdf", "pdf")
    assert attachment.size == Path(attachment.file.path).stat().st_size
    event = proposal.events.get()
    assert (event.kind, event.actor, event.to_status, event.actor_role) == (
        EventKind.CREATED,
        author,
        ProposalStatus.OPEN,
        "citizen",
    )


def test_existing_tags_are_reused():
    _propose(tag_names=["한강"])
    _propose(tag_names=["한강", "산책"])
    assert Tag.objects.count() == 2


@pytest.mark.parametrize(
    ("title", "body", "field"),
    [
        ("", BODY, "title"),
        ("한", BODY, "title"),
        ("제" * 101, BODY, "title"),
        ("좋은 제목", "짧아요", "body"),
        ("좋은 제목", "가" * 10_001, "body"),
        ("좋은 제목", "   \n\n  ", "body"),
    ],
)
def test_bad_text_is_refused_and_nothing_is_saved(title, body, field):
    with pytest.raises(ValidationError) as exc:
        _propose(title=title, body=body)
    assert field in exc.value.message_dict
    assert not Proposal.objects.exists()


def test_more_than_ten_tags_are_refused():
    with pytest.raises(ValidationError) as exc:
        _propose(tag_names=[f"태그{i}" for i in range(11)])
    assert "tags" in exc.value.message_dict
    assert not Proposal.objects.exists() and not Tag.objects.exists()


@pytest.mark.parametrize(
    ("photos", "files", "field"),
    [
        (lambda: [image_file(f"{i}.jpg") for i in range(6)], list, "photos"),
        (list, lambda: [pdf_file(f"{i}.pdf") for i in range(4)], "files"),
        (lambda: [image_file("ok.jpg"), upload("fake.jpg", b"not a photo")], list, "photos"),
        (lambda: [image_file("ok.jpg")], lambda: [pdf_file(), upload("x.pdf", b"MZ")], "files"),
    ],
    ids=["six photos", "four files", "one bad photo", "one bad file"],
)
def test_a_bad_upload_leaves_nothing_half_saved(settings, photos, files, field):
    # Given good and bad uploads together, When proposing
    with pytest.raises(ValidationError) as exc:
        _propose(photos=photos(), files=files())
    # Then the error names the field, and no row and no file was written
    assert field in exc.value.message_dict
    assert not Proposal.objects.exists()
    assert not ProposalPhoto.objects.exists() and not ProposalAttachment.objects.exists()
    assert _files_on_disk(settings) == []


def test_five_photos_and_three_files_are_the_most_allowed():
    proposal = _propose(
        photos=[image_file(f"{i}.png", fmt="PNG") for i in range(5)],
        files=[pdf_file(), office_file("docx"), office_file("hwpx")],
    )
    assert list(proposal.photos.values_list("position", flat=True)) == [0, 1, 2, 3, 4]
    assert proposal.attachments.count() == 3


def test_an_inactive_member_cannot_propose():
    with pytest.raises(PermissionDenied):
        _propose(UserFactory(is_active=False))


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


# --- endorsements -------------------------------------------------------------


def test_endorsing_counts_exactly_and_can_be_taken_back():
    proposal = ProposalFactory()
    members = UserFactory.create_batch(3)
    for member in members:
        services.proposal_endorse(proposal=proposal, user=member)
    services.proposal_unendorse(proposal=proposal, user=members[0])
    proposal.refresh_from_db()
    assert proposal.endorsement_count == 2 == Endorsement.objects.filter(proposal=proposal).count()


def test_endorsing_twice_is_refused_and_counted_once():
    proposal, member = ProposalFactory(), UserFactory()
    services.proposal_endorse(proposal=proposal, user=member)
    with pytest.raises(ServiceError, match="already endorsed"):
        services.proposal_endorse(proposal=proposal, user=member)
    proposal.refresh_from_db()
    assert proposal.endorsement_count == 1 == proposal.endorsements.count()


def test_taking_back_an_endorsement_one_never_gave_is_refused():
    proposal = ProposalFactory(endorsement_count=0)
    with pytest.raises(ServiceError):
        services.proposal_unendorse(proposal=proposal, user=UserFactory())
    proposal.refresh_from_db()
    assert proposal.endorsement_count == 0


@pytest.mark.parametrize(
    ("state", "message"),
    [
        ("own", "your own proposal"),
        ("withdrawn", "no longer gathering"),
        ("hidden", "no longer gathering"),
        ("trashed", "no longer gathering"),
        ("not_reached", "no longer gathering"),
        ("window_closed", "no longer gathering"),
    ],
)
def test_endorsing_is_refused(state, message):
    proposal = ProposalFactory(
        status={"withdrawn": "withdrawn", "not_reached": "not_reached"}.get(state, "open"),
        endorsement_deadline=timezone.now() - dt.timedelta(minutes=1)
        if state == "window_closed"
        else None,
        withdrawn_at=timezone.now() if state == "withdrawn" else None,
        is_hidden=state == "hidden",
        deleted_at=timezone.now() if state == "trashed" else None,
    )
    member = proposal.author if state == "own" else UserFactory()
    with pytest.raises(ServiceError, match=message):
        services.proposal_endorse(proposal=proposal, user=member)
    assert not Endorsement.objects.exists()
    proposal.refresh_from_db()
    assert proposal.endorsement_count == 0


# --- views --------------------------------------------------------------------


def test_a_view_counts_once_per_visitor_per_seoul_day():
    proposal = ProposalFactory()
    # 23:30 in Seoul on 1 May and 00:10 on 2 May are two days (UTC would say one)
    with time_machine.travel(dt.datetime(2025, 5, 1, 14, 30, tzinfo=dt.UTC), tick=False):
        assert services.proposal_record_view(proposal=proposal, visitor="u1") is True
        assert services.proposal_record_view(proposal=proposal, visitor="u1") is False
        assert services.proposal_record_view(proposal=proposal, visitor="u2") is True
    with time_machine.travel(dt.datetime(2025, 5, 1, 15, 10, tzinfo=dt.UTC), tick=False):
        assert services.proposal_record_view(proposal=proposal, visitor="u1") is True
    proposal.refresh_from_db()
    assert proposal.view_count == 3


# --- comments -----------------------------------------------------------------


def test_comments_count_exactly_through_create_and_delete():
    proposal = ProposalFactory()
    member = UserFactory()
    first = services.comment_create(proposal=proposal, author=member, body="  좋아요  ")
    services.comment_create(proposal=proposal, author=member, body="두 번째")
    services.comment_delete(comment=first, user=member)
    proposal.refresh_from_db()
    first.refresh_from_db()
    assert first.body == "좋아요"
    assert first.deleted_at is not None  # stays stored
    assert proposal.comment_count == 1 == Comment.objects.not_deleted().count()
    with pytest.raises(ServiceError):
        services.comment_delete(comment=first, user=member)
    proposal.refresh_from_db()
    assert proposal.comment_count == 1


def test_an_officials_comment_carries_the_department_as_it_was():
    staff = official()
    department = staff.department
    comment = services.comment_create(
        proposal=ProposalFactory(), author=staff, body="검토하겠습니다."
    )
    staff.department = None
    staff.save()
    comment.refresh_from_db()
    assert comment.author_department == department
    citizen_comment = services.comment_create(
        proposal=ProposalFactory(), author=UserFactory(), body="저도요"
    )
    assert citizen_comment.author_department is None


@pytest.mark.parametrize("body", ["", "   ", "가" * 2001])
def test_an_empty_or_over_long_comment_is_refused(body):
    with pytest.raises(ValidationError):
        services.comment_create(proposal=ProposalFactory(), author=UserFactory(), body=body)
    assert not Comment.objects.exists()


def test_comments_are_closed_on_a_hidden_proposal():
    with pytest.raises(ServiceError):
        services.comment_create(
            proposal=ProposalFactory(is_hidden=True), author=UserFactory(), body="글"
        )


def test_only_the_author_edits_or_deletes_a_comment():
    comment = CommentFactory()
    other = UserFactory()
    with pytest.raises(PermissionDenied):
        services.comment_update(comment=comment, user=other, body="바꿔치기")
    with pytest.raises(PermissionDenied):
        services.comment_delete(comment=comment, user=other)
    services.comment_update(comment=comment, user=comment.author, body="고쳤어요")
    comment.refresh_from_db()
    assert comment.body == "고쳤어요"


def test_an_operator_hides_a_comment_with_a_private_timeline_entry():
    comment = CommentFactory()
    services.comment_set_hidden(comment=comment, user=operator(), reason="욕설", hidden=True)
    comment.refresh_from_db()
    assert (comment.is_hidden, comment.hidden_reason) == (True, "욕설")
    event = ProposalEvent.objects.get(kind=EventKind.COMMENT_HIDDEN)
    assert event.is_public is False


# --- reports ------------------------------------------------------------------


def test_a_member_reports_a_proposal_and_a_comment_once_each():
    member = UserFactory()
    comment = CommentFactory()
    services.report_create(reporter=member, reason="spam", proposal=comment.proposal)
    services.report_create(reporter=member, reason="abuse", comment=comment)
    with pytest.raises(ServiceError, match="already reported"):
        services.report_create(reporter=member, reason="other", proposal=comment.proposal)
    with pytest.raises(ServiceError, match="already reported"):
        services.report_create(reporter=member, reason="other", comment=comment)
    assert Report.objects.count() == 2


# --- review fixes: edit lock, hidden comments, files, reports, upkeep -------------


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


def test_a_hidden_comment_cannot_be_rewritten_and_moderation_does_not_mark_it_edited():
    comment = CommentFactory()
    services.comment_set_hidden(comment=comment, user=operator(), reason="욕설", hidden=True)
    comment.refresh_from_db()
    with pytest.raises(ServiceError, match="hidden by the operators"):
        services.comment_update(comment=comment, user=comment.author, body="다른 말")
    services.comment_set_hidden(comment=comment, user=operator(), reason="오해였음", hidden=False)
    comment.refresh_from_db()
    assert comment.body == "좋은 생각이에요!"
    assert comment.is_edited is False
    services.comment_update(comment=comment, user=comment.author, body="고친 댓글")
    comment.refresh_from_db()
    assert comment.is_edited is True


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


def test_stored_file_names_cannot_be_guessed():
    proposal = _propose(photos=[image_file("a.jpg")], files=[pdf_file()])
    photo, attachment = proposal.photos.get(), proposal.attachments.get()
    for name in (photo.image.name, photo.thumbnail.name, attachment.file.name):
        stem = Path(name).stem
        assert len(stem) == 32 and int(stem, 16) >= 0


def test_an_operator_closes_a_report_without_hiding_and_only_once():
    proposal = ProposalFactory()
    report = services.report_create(reporter=UserFactory(), reason="spam", proposal=proposal)
    with pytest.raises(PermissionDenied):
        services.report_dismiss(report=report, user=UserFactory(), reason="문제없음")
    with pytest.raises(ServiceError):
        services.report_dismiss(report=report, user=operator(), reason=" ")
    services.report_dismiss(report=report, user=operator(), reason="운영 원칙에 맞음")
    report.refresh_from_db()
    proposal.refresh_from_db()
    assert report.resolved_at is not None and report.resolution == "운영 원칙에 맞음"
    assert proposal.is_hidden is False
    with pytest.raises(ServiceError, match="already been handled"):
        services.report_dismiss(report=report, user=operator(), reason="다시")


def test_old_view_marks_are_purged_and_counts_stay():
    from proposals.models import ProposalView
    from proposals.tasks import purge_view_marks

    proposal = ProposalFactory(view_count=2)
    today = timezone.localdate()
    ProposalView.objects.create(proposal=proposal, visitor="a", date=today - dt.timedelta(days=5))
    ProposalView.objects.create(proposal=proposal, visitor="a", date=today)
    assert purge_view_marks() == 1
    assert purge_view_marks() == 0  # idempotent
    assert list(ProposalView.objects.values_list("date", flat=True)) == [today]
    proposal.refresh_from_db()
    assert proposal.view_count == 2


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
