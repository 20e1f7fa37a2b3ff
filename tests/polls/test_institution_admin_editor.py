"""A partner institution's administrators write, publish and close their
institution's polls in the poll editor, as the city's operators do the
city's (issue 16): the admin's pages as rendered, filled and sent back.
Role × institution: A's administrator acts on A's polls; the city's and B's
are refused by id in the URL, in a form field and in the services, and
nothing is written; the city's operator still acts on every poll; an
official of A still cannot publish."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from accounts.models import AuditRecord
from polls.models import Choice, Poll, PollAttachment, PollKind, PollStatus, Question
from polls.services import editing
from tests.factories import image_file
from tests.pages import (
    english_client,
    form_fields,
    form_posting_to,
    forms_on,
    logged_in,
    messages_sent,
    page_html,
    page_text,
)

from .institution_admin_helpers import build_world, period_fields

pytestmark = pytest.mark.django_db

ADD = "/admin/polls/poll/add/"

# The services' words for a poll that is not the actor's to run.
REFUSALS = {
    "서울시의 투표예요. 서울시 운영자만 바꿀 수 있어요.",
    "다른 기관의 투표예요. 그 기관 관리자만 바꿀 수 있어요.",
}


def change(poll):
    return f"/admin/polls/poll/{poll.pk}/change/"


def screen(poll, name):
    return f"/admin/polls/poll/{poll.pk}/{name}/"


def _stored(poll):
    """What must not move when a refused request comes in."""
    poll = Poll.objects.get(pk=poll.pk)
    return (
        poll.title,
        poll.status,
        poll.institution_id,
        poll.department_id,
        list(Question.objects.filter(poll=poll).values_list("text", flat=True)),
        list(Choice.objects.filter(question__poll=poll).values_list("label", flat=True)),
    )


@pytest.fixture
def world():
    return build_world()


def test_the_institution_admin_writes_publishes_and_closes_their_institutions_poll(world):
    a = world["A"]
    client = logged_in(world.users["a_admin"], csrf_checks=True)

    # The editor's add page: the institution is shown, not chosen; the
    # asking department is one of A's.
    page = client.get(ADD)
    assert page.status_code == 200
    markup = page_html(page)
    institution_select = re.search(r'<select name="institution"[^>]*>.*?</select>', markup, re.S)
    assert institution_select and "disabled" in institution_select.group(0)
    assert re.search(rf'<option value="{a.institution.pk}" selected>', institution_select.group(0))
    (form,) = [f for f in forms_on(page) if "department" in f["options"]]
    offered = {value for value in form["options"]["department"] if value}
    assert offered == {str(a.department.pk)}

    fields = form_fields(page)
    assert "institution" not in fields  # a disabled field sends nothing
    fields.update(
        kind=PollKind.CHOICE,
        title="공단 시설에 가장 먼저 필요한 것은 무엇일까요?",
        summary="공단이 시민 여러분께 묻습니다.",
        department=str(a.department.pk),
        target_districts=["mapo"],
        **period_fields(),
    )
    response = client.post(ADD, fields)
    poll = Poll.objects.get(title="공단 시설에 가장 먼저 필요한 것은 무엇일까요?")
    assert response.status_code == 302 and response["Location"] == change(poll)
    # Stored as A's, by the service: the form named no institution.
    assert (poll.institution, poll.created_by) == (a.institution, world.users["a_admin"])
    assert poll.status == PollStatus.DRAFT and poll.target_districts == ["mapo"]

    # Its question and choices, and an image, on the page that follows
    page = client.get(change(poll))
    fields = form_fields(page)
    fields.update(
        {
            "questions-0-text": "가장 먼저 필요한 것을 골라 주세요.",
            "questions-0-kind": "single",
            "questions-0-choices_text": "엘리베이터\n경사로\n점자 안내",
            "attachments-0-kind": "image",
            "attachments-0-title": "지하보도 입구 모습",
            "attachments-0-file": image_file(),
        }
    )
    response = client.post(change(poll), fields)
    assert response.status_code == 302, page_text(response)
    assert list(Choice.objects.filter(question__poll=poll).values_list("label", flat=True)) == [
        "엘리베이터",
        "경사로",
        "점자 안내",
    ]
    assert PollAttachment.objects.get(poll=poll).title == "지하보도 입구 모습"

    # The editor offers publishing; the publish page's form publishes it
    page = client.get(change(poll))
    assert screen(poll, "publish") in page.content.decode()
    publish_page = client.get(screen(poll, "publish"))
    assert publish_page.status_code == 200
    sent = form_posting_to(publish_page, screen(poll, "publish"))["fields"]
    response = client.post(screen(poll, "publish"), sent)
    assert response.status_code == 302
    poll.refresh_from_db()
    assert poll.status == PollStatus.PUBLISHED
    record = AuditRecord.objects.get(action="polls.poll_published")
    assert record.actor == world.users["a_admin"]
    # It shows in the institution's space
    assert poll.title in page_text(english_client().get("/org/org-a/polls/"))

    # Closing early, with a reason, from the close page's form
    close_page = client.get(screen(poll, "close"))
    assert close_page.status_code == 200
    sent = form_posting_to(close_page, screen(poll, "close"))["fields"]
    sent["reason"] = "시설 공사 일정이 바뀌었습니다."
    response = client.post(screen(poll, "close"), sent)
    assert response.status_code == 302
    poll.refresh_from_db()
    assert poll.status == PollStatus.CLOSED
    assert AuditRecord.objects.filter(
        action="polls.poll_closed_early", actor=world.users["a_admin"]
    ).exists()


def test_a_tampered_institution_or_department_on_the_add_form_writes_no_other_owners_poll(
    world,
):
    a, b, city = world["A"], world["B"], world["city"]
    client = logged_in(world.users["a_admin"], csrf_checks=True)
    fields = form_fields(client.get(ADD))
    fields.update(
        kind=PollKind.YES_NO,
        title="B의 설문인 척하는 설문",
        summary="요약",
        department=str(a.department.pk),
        **period_fields(),
    )
    # An institution sent anyway (B's, or empty for the city's) is not read
    for tampered in (str(b.institution.pk), ""):
        response = client.post(ADD, {**fields, "institution": tampered})
        assert response.status_code == 302
    assert set(
        Poll.objects.filter(title="B의 설문인 척하는 설문").values_list("institution", flat=True)
    ) == {a.institution.pk}

    # Another owner's department is not a choice: the form says so
    for other in (b.department, city.department):
        response = client.post(
            ADD, {**fields, "title": f"남의 부서 설문 {other.pk}", "department": str(other.pk)}
        )
        assert response.status_code == 200
        assert "Select a valid choice" in page_text(response)
    assert not Poll.objects.filter(title__startswith="남의 부서 설문").exists()


@pytest.mark.parametrize("owner", ["city", "B"])
def test_the_institution_admin_cannot_reach_the_city_or_another_institutions_poll(world, owner):
    target = world[owner].poll
    before = _stored(target)
    client = logged_in(world.users["a_admin"], csrf_checks=True)

    # Not listed
    listing = client.get("/admin/polls/poll/?state=all")
    assert listing.status_code == 200
    assert world["A"].poll.title in page_text(listing)
    assert target.title not in page_text(listing)
    # By id: the admin's "doesn't exist", never the poll
    for path in (change(target), f"/admin/polls/poll/{target.pk}/delete/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == reverse("admin:index")
        assert target.title not in " ".join(messages_sent(response))
    for name in ("preview", "publish", "close"):
        assert client.get(screen(target, name)).status_code == 404
    # Sending the editor's own form to its id (a form copied from A's poll)
    fields = form_fields(client.get(change(world["A"].poll)))
    fields["title"] = "바꿔치기한 제목"
    csrf = fields["csrfmiddlewaretoken"]
    assert client.post(change(target), fields).status_code == 302
    assert client.post(screen(target, "publish"), {"csrfmiddlewaretoken": csrf}).status_code == 404
    response = client.post(
        screen(target, "close"), {"csrfmiddlewaretoken": csrf, "reason": "닫습니다"}
    )
    assert response.status_code == 404
    response = client.post(
        f"/admin/polls/poll/{target.pk}/delete/", {"csrfmiddlewaretoken": csrf, "post": "yes"}
    )
    assert response.status_code == 302
    assert _stored(target) == before
    assert not AuditRecord.objects.exists()


def test_the_city_operator_still_writes_and_publishes_every_owners_poll(world):
    client = logged_in(world.users["operator"], csrf_checks=True)
    for key in ("city", "A", "B"):
        poll = world[key].poll
        fields = form_fields(client.get(change(poll)))
        fields["title"] = f"운영자가 고친 설문 {key}"
        response = client.post(change(poll), fields)
        assert response.status_code == 302, page_text(response)
        publish_page = client.get(screen(poll, "publish"))
        sent = form_posting_to(publish_page, screen(poll, "publish"))["fields"]
        assert client.post(screen(poll, "publish"), sent).status_code == 302
        poll.refresh_from_db()
        assert (poll.title, poll.status) == (f"운영자가 고친 설문 {key}", PollStatus.PUBLISHED)
        # The institution stays the one it was (the operator's form sends it)
        assert poll.institution == world[key].institution


def test_an_official_of_the_institution_still_only_reads_its_poll(world):
    poll = world["A"].poll
    before = _stored(poll)
    client = logged_in(world.users["a_official"], csrf_checks=True)
    page = client.get(change(poll))
    assert page.status_code == 200 and poll.title in page_text(page)
    assert "title" not in form_fields(page)  # read-only
    assert screen(poll, "publish") not in page.content.decode()
    assert client.get(screen(poll, "publish")).status_code == 403
    assert client.get(ADD).status_code == 403
    csrf = client.cookies["csrftoken"].value
    assert client.post(screen(poll, "publish"), {"csrfmiddlewaretoken": csrf}).status_code == 403
    assert client.post(change(poll), {"csrfmiddlewaretoken": csrf, "title": "x"}).status_code == 403
    assert _stored(poll) == before


def test_the_services_refuse_another_owners_poll_in_korean_and_write_nothing(world):
    a_admin = world.users["a_admin"]
    a, b, city = world["A"], world["B"], world["city"]
    image = editing.attachment_add(
        poll=b.poll, actor=world.users["operator"], kind="image", upload=image_file(), title="B"
    )
    before = {key: _stored(world[key].poll) for key in ("city", "B")}
    attempts = [
        lambda: editing.poll_publish(poll=city.poll, actor=a_admin),
        lambda: editing.poll_publish(poll=b.poll, actor=a_admin),
        lambda: editing.poll_update(poll=b.poll, actor=a_admin, changes={"title": "바뀜"}),
        lambda: editing.questions_save(
            poll=city.poll,
            actor=a_admin,
            questions=[editing.QuestionDraft(text="바뀜", labels=["하나", "둘"])],
        ),
        lambda: editing.poll_delete(poll=b.poll, actor=a_admin),
        lambda: editing.attachment_add(
            poll=city.poll, actor=a_admin, kind="image", upload=image_file(), title="시"
        ),
        lambda: editing.attachment_describe(
            attachment=image, actor=a_admin, title="바뀐 설명", position=3
        ),
        lambda: editing.attachment_remove(attachment=image, actor=a_admin),
    ]
    with translation.override("ko"):
        for attempt in attempts:
            with pytest.raises(PermissionDenied) as refused:
                attempt()
            assert str(refused.value) in REFUSALS
    assert {key: _stored(world[key].poll) for key in ("city", "B")} == before
    assert PollAttachment.objects.get(pk=image.pk).title == "B"

    # Their own poll may not be moved to the city or to B, nor a new one
    # be written as the city's or B's
    for institution in (None, b.institution):
        with pytest.raises(PermissionDenied):
            editing.poll_update(poll=a.poll, actor=a_admin, changes={"institution": institution})
        with pytest.raises(PermissionDenied):
            editing.poll_create(
                actor=a_admin,
                kind=PollKind.YES_NO,
                title="남의 설문",
                summary="요약",
                department=a.department,
                institution=institution,
                starts_at=a.poll.starts_at,
                ends_at=a.poll.ends_at,
            )
    assert Poll.objects.get(pk=a.poll.pk).institution == a.institution
    assert not Poll.objects.filter(title="남의 설문").exists()

    # Closing a running poll of the city is refused too
    editing.poll_publish(poll=city.poll, actor=world.users["operator"])
    with pytest.raises(PermissionDenied):
        editing.poll_close(poll=city.poll, actor=a_admin, reason="닫기")
    assert Poll.objects.get(pk=city.poll.pk).status == PollStatus.PUBLISHED


def test_the_institution_admin_deletes_their_institutions_draft(world):
    poll = world["A"].poll
    client = logged_in(world.users["a_admin"], csrf_checks=True)
    url = f"/admin/polls/poll/{poll.pk}/delete/"
    page = client.get(url)
    assert page.status_code == 200
    assert client.post(url, form_fields(page)).status_code == 302
    assert not Poll.objects.filter(pk=poll.pk).exists()
