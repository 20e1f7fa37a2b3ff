"""The poll editor in the admin, used as an operator does: the forms as
rendered, filled and sent back; and who sees what (operator, an official of
the poll's department, an official of another, a citizen)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from polls.models import Choice, Poll, PollKind, PollStatus, Question
from tests.factories import DepartmentFactory, UserFactory, image_file, official, operator, upload
from tests.pages import form_fields, forms_on, logged_in, messages_sent, page_text
from tests.polls.editor_helpers import a_poll, published, vote

pytestmark = pytest.mark.django_db

ADD = "/admin/polls/poll/add/"


def change(poll):
    return f"/admin/polls/poll/{poll.pk}/change/"


def _when(moment):
    local = timezone.localtime(moment)
    return local.strftime("%Y-%m-%d"), local.strftime("%H:%M:%S")


def test_an_operator_writes_a_yes_no_poll_and_gets_its_three_choices():
    department = DepartmentFactory()
    client = logged_in(operator())
    page = client.get(ADD)
    assert page.status_code == 200
    fields = form_fields(page)
    start, end = timezone.now() + dt.timedelta(days=1), timezone.now() + dt.timedelta(days=30)
    fields.update(
        kind=PollKind.YES_NO,
        title="재개발, 재건축 때 길고양이 보호조치를 만들면 어떨까요?",
        summary="보호조치에 대한 생각을 묻습니다.",
        department=str(department.pk),
        starts_at_0=_when(start)[0],
        starts_at_1=_when(start)[1],
        ends_at_0=_when(end)[0],
        ends_at_1=_when(end)[1],
        target_districts=["mapo", "seodaemun"],
    )
    response = client.post(ADD, fields)

    poll = Poll.objects.get()
    assert response.status_code == 302 and response["Location"] == change(poll)
    assert poll.status == PollStatus.DRAFT and poll.target_districts == ["mapo", "seodaemun"]
    assert [c.label for c in Choice.objects.filter(question__poll=poll)] == [
        "For",
        "Against",
        "Other",
    ]

    # The operator words the three choices for the question, on the editor.
    page = client.get(change(poll))
    fields = form_fields(page)
    fields["questions-0-choices_text"] = "보호조치 찬성\n보호조치 반대\n기타 의견"
    response = client.post(change(poll), fields)
    assert response.status_code == 302, page_text(response)
    assert list(Choice.objects.filter(question__poll=poll).values_list("label", "code")) == [
        ("보호조치 찬성", "for"),
        ("보호조치 반대", "against"),
        ("기타 의견", "other"),
    ]


def test_a_choice_polls_question_and_choices_are_written_on_the_editor():
    poll = a_poll(PollKind.CHOICE, questions=[])
    client = logged_in(operator())
    fields = form_fields(client.get(change(poll)))
    fields.update(
        {
            "questions-0-text": "길고양이와 공존할 방안을 모두 골라 주세요.",
            "questions-0-kind": "multiple",
            "questions-0-max_choices": "3",
            "questions-0-choices_text": "아파트 공동 관리\n시민단체 협조\n자치구 행정 지원\n시민 개개인의 솔선수범",
        }
    )
    response = client.post(change(poll), fields)
    assert response.status_code == 302, page_text(response)
    question = Question.objects.get(poll=poll)
    assert question.max_choices == 3 and question.choices.count() == 4


def test_choices_sent_after_the_first_vote_are_refused_and_nothing_is_saved():
    # Given the editor open on a published poll nobody has voted in yet
    poll = published(PollKind.CHOICE)
    client = logged_in(operator())
    fields = form_fields(client.get(change(poll)))
    before = list(Choice.objects.values_list("pk", "label", "position"))
    # When a member votes, then the operator sends new choices
    vote(poll)
    fields["questions-0-choices_text"] = "완전히 다른 선택지\n또 다른 선택지"
    fields["title"] = "바뀐 제목"
    response = client.post(change(poll), fields)
    # Then the page says why, and nothing is saved
    assert response.status_code == 200
    assert "already voted in this poll" in page_text(response)
    assert list(Choice.objects.values_list("pk", "label", "position")) == before
    poll.refresh_from_db()
    assert poll.title != "바뀐 제목"
    # And the editor now shows the questions read-only, saying why
    page = client.get(change(poll))
    assert "questions-0-choices_text" not in form_fields(page)
    assert "already voted in this poll" in page_text(page)


def test_ending_a_running_poll_in_the_past_is_refused_on_the_form():
    poll = published(PollKind.YES_NO)
    client = logged_in(operator())
    fields = form_fields(client.get(change(poll)))
    past = timezone.now() - dt.timedelta(hours=2)
    fields["ends_at_0"], fields["ends_at_1"] = _when(past)
    response = client.post(change(poll), fields)
    assert response.status_code == 200
    assert "cannot be given an end in the past" in page_text(response)
    assert Poll.objects.get().ends_at == poll.ends_at


def test_an_image_needs_its_text_alternative_and_a_file_its_kind():
    poll = a_poll(PollKind.YES_NO)
    client = logged_in(operator())
    fields = form_fields(client.get(change(poll)))
    response = client.post(
        change(poll),
        {**fields, "attachments-0-kind": "image", "attachments-0-file": image_file()},
    )
    assert response.status_code == 200 and "what the image shows" in page_text(response)
    response = client.post(
        change(poll),
        {
            **fields,
            "attachments-0-kind": "file",
            "attachments-0-title": "계획",
            "attachments-0-file": upload("plan.exe", b"MZ\x90\x00"),
        },
    )
    assert response.status_code == 200 and "only PDF" in page_text(response)
    assert not poll.attachments.exists()
    response = client.post(
        change(poll),
        {
            **fields,
            "attachments-0-kind": "image",
            "attachments-0-title": "골목의 길고양이 급식소",
            "attachments-0-file": image_file(),
        },
    )
    assert response.status_code == 302
    (item,) = poll.attachments.all()
    assert item.title == "골목의 길고양이 급식소"


def test_publish_and_close_early_from_their_screens():
    poll = a_poll(PollKind.YES_NO)
    client = logged_in(operator())
    page = client.get(f"/admin/polls/poll/{poll.pk}/publish/")
    assert page.status_code == 200
    response = client.post(f"/admin/polls/poll/{poll.pk}/publish/", form_fields(page))
    assert response.status_code == 302
    poll.refresh_from_db()
    assert poll.status == PollStatus.PUBLISHED

    url = f"/admin/polls/poll/{poll.pk}/close/"
    response = client.post(url, form_fields(client.get(url)))  # no reason
    assert response.status_code == 200 and "This field is required" in page_text(response)
    fields = {**form_fields(client.get(url)), "reason": "예산 사정으로 사업이 취소되었습니다"}
    assert client.post(url, fields).status_code == 302
    poll.refresh_from_db()
    assert poll.status == PollStatus.CLOSED


def test_an_incomplete_draft_says_what_is_missing_and_is_not_published():
    poll = a_poll(PollKind.CHOICE, questions=[])
    client = logged_in(operator())
    page = client.get(f"/admin/polls/poll/{poll.pk}/publish/")
    assert "exactly one question" in page_text(page)
    response = client.post(f"/admin/polls/poll/{poll.pk}/publish/", form_fields(page))
    assert response.status_code == 302
    assert any("exactly one question" in m for m in messages_sent(response))
    poll.refresh_from_db()
    assert poll.status == PollStatus.DRAFT


# --- who sees what -------------------------------------------------------------------------


def test_the_preview_shows_the_draft_as_the_public_page_with_no_working_form():
    poll = a_poll(PollKind.CHOICE, background="길고양이 급식소 현황입니다.")
    client = logged_in(operator())
    fields = form_fields(client.get(change(poll)))
    client.post(
        change(poll),
        {
            **fields,
            "attachments-0-kind": "image",
            "attachments-0-title": "골목의 길고양이 급식소",
            "attachments-0-file": image_file(),
        },
    )
    page = client.get(f"/admin/polls/poll/{poll.pk}/preview/")
    assert page.status_code == 200
    text = page_text(page)
    assert "Preview" in text and "This is a preview: nothing here can be voted on." in text
    assert poll.title in text and "시민단체 협조" in text and "길고양이 급식소 현황" in text
    # The public page's own template, with no vote form to send
    assert "polls/detail.html" in [t.name for t in page.templates]
    assert not [f for f in forms_on(page) if (f["action"] or "").startswith("/polls/")]
    # and the draft's image shows for the staff previewing it, not for the public
    (image,) = poll.attachments.all()
    src = reverse("polls:attachment", args=[image.pk])
    assert src in page.content.decode()
    assert client.get(src).status_code == 200
    assert logged_in().get(src).status_code == 404


@pytest.mark.parametrize(
    ("who", "sees"),
    [("operator", True), ("official", True), ("other_official", False), ("citizen", False)],
)
def test_who_sees_a_poll_in_the_admin(who, sees):
    department = DepartmentFactory()
    poll = a_poll(PollKind.YES_NO, department=department)
    a_poll(PollKind.YES_NO, title="다른 부서의 투표")  # another department's
    user = {
        "operator": operator,
        "official": lambda: official(department),
        "other_official": lambda: official(DepartmentFactory()),
        "citizen": UserFactory,
    }[who]()
    client = logged_in(user)
    for path in (change(poll), f"/admin/polls/poll/{poll.pk}/preview/"):
        response = client.get(path)
        assert (response.status_code == 200) is sees, (path, response.status_code)
    listing = client.get("/admin/polls/poll/?state=all")
    if who == "operator":
        assert "다른 부서의 투표" in page_text(listing)
    elif who == "official":
        assert poll.title in page_text(listing) and "다른 부서의 투표" not in page_text(listing)
    if who == "official":
        # Read-only: no form fields to send, no publish screen.
        assert "title" not in form_fields(client.get(change(poll)))
        assert client.get(f"/admin/polls/poll/{poll.pk}/publish/").status_code == 403
        assert client.post(change(poll), {"title": "x"}).status_code == 403


def test_the_list_costs_the_same_queries_however_many_polls(django_assert_max_num_queries):
    client = logged_in(operator())
    for _n in range(2):
        published(PollKind.YES_NO)
    client.get("/admin/polls/poll/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        assert client.get("/admin/polls/poll/").status_code == 200
    for _n in range(8):
        published(PollKind.YES_NO)
    with django_assert_max_num_queries(len(first)):
        assert client.get("/admin/polls/poll/").status_code == 200


def test_a_draft_is_deleted_and_a_published_poll_is_not():
    draft = a_poll(PollKind.YES_NO)
    running = published(PollKind.YES_NO)
    client = logged_in(operator())
    url = f"/admin/polls/poll/{draft.pk}/delete/"
    assert client.post(url, form_fields(client.get(url))).status_code == 302
    assert not Poll.objects.filter(pk=draft.pk).exists()
    assert client.get(f"/admin/polls/poll/{running.pk}/delete/").status_code == 403
    assert Poll.objects.filter(pk=running.pk).exists()
