"""One language rule: a notice keeps codes and ids in its parameters, and
every reader gets the names (departments, stages, dates) in their own
language, in the site's list and in the e-mail."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from answers.notices import AnswerNotice
from awards.notices import AwardNotice
from debates.notices import DebateNotice
from meetings.notices import MeetingNotice
from notifications.messages import registered_kinds
from notifications.models import EmailMode, NoticeTopic, Notification, NotificationPreference
from notifications.tasks import send_notification_email
from panel.notices import PanelNotice
from pipeline.notices import PipelineNotice
from polls.notices import PollNotice
from polls.results_notices import PollResultNotice
from proposals.notices import ProposalNotice
from tests.factories import DepartmentFactory, UserFactory, official
from tests.pages import log_in_with_second_factor
from tests.tracking.helpers import adopted_card, clerk_of
from themes.notices import ThemeNotice
from tracking import services as card_services
from tracking.notices import CardNotice

pytestmark = pytest.mark.django_db


@pytest.fixture
def roads():
    return DepartmentFactory(code="roads", name="도로계획과", name_en="Road Planning Division")


def notices_page(user, language: str) -> str:
    """The user's notices as the site lists them in `language`, as text."""
    browser = Client()
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if user.is_staff:  # officials give their second factor, as on the site
        log_in_with_second_factor(browser, user)
    else:
        browser.force_login(user)
    response = browser.get("/notifications/")
    assert response.status_code == 200
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def mail_to(user) -> str:
    (sent,) = [m for m in mail.outbox if m.to == [user.email]]
    return f"{sent.subject}\n{sent.body}"


def test_a_card_notice_names_the_department_in_each_officials_language(
    roads, django_capture_on_commit_callbacks
):
    # given two officials of the roads department, one reading Korean, one English
    korean, english = official(roads), official(roads, language="en")
    mail.outbox.clear()

    # when a meeting adopts an item the department keeps
    with django_capture_on_commit_callbacks(execute=True):
        adopted_card(roads)

    # then both get the same notice, which names the department by its id …
    told = Notification.objects.filter(kind=CardNotice.CARD_OPENED)
    assert {n.recipient for n in told} == {korean, english}
    assert {n.params["department"] for n in told} == {roads.pk}
    # … and each reads it in their own language, on the site and by e-mail
    korean_page, english_page = notices_page(korean, "ko"), notices_page(english, "en")
    assert "부서가 맡을 채택 안건" in korean_page and "도로계획과" in korean_page
    assert "An adopted item for your department" in english_page
    assert "Road Planning Division" in english_page and "도로계획과" not in english_page
    assert "부서가 맡을 채택 안건" in mail_to(korean) and "도로계획과" in mail_to(korean)
    assert "An adopted item for your department" in mail_to(english)
    assert "Road Planning Division" in mail_to(english)
    assert "도로계획과" not in mail_to(english)


def test_a_stage_change_names_the_stage_in_each_readers_language(
    roads, django_capture_on_commit_callbacks
):
    # given an adopted item whose proposer reads Korean and a follower English
    card = adopted_card(roads)
    proposer, follower = card.proposal.author, UserFactory(language="en")
    card.proposal.follows.create(user=follower)
    # Adopted items' news comes weekly by default (issue 16); this follower
    # asked for it right away, so the e-mail is there to read.
    NotificationPreference.objects.create(
        user=follower, topic=NoticeTopic.ADOPTED, email=EmailMode.IMMEDIATE
    )
    mail.outbox.clear()

    # when the department starts planning it
    with django_capture_on_commit_callbacks(execute=True):
        card_services.card_change_stage(
            card=card, user=clerk_of(card), to_stage="planning", note="설계 착수"
        )

    # then the notice keeps the stage's code and each reads its name
    told = Notification.objects.filter(kind=CardNotice.CARD_STAGE_CHANGED)
    assert {n.recipient for n in told} == {proposer, follower}
    assert {n.params["stage"] for n in told} == {"planning"}
    assert "‘계획수립’" in notices_page(proposer, "ko") and "‘계획수립’" in mail_to(proposer)
    assert "“Planning”" in notices_page(follower, "en") and "“Planning”" in mail_to(follower)
    assert "계획수립" not in mail_to(follower)


def test_a_notice_stored_with_a_name_still_reads_as_it_was_written(roads):
    # Notices from before the rule hold the department's Korean name itself.
    reader = official(roads, language="en")
    notice = Notification.objects.create(
        recipient=reader,
        kind=CardNotice.CARD_OPENED,
        key="card_opened:old",
        params={"title": "한강 보행로", "department": "도로계획과"},
    )
    with translation.override("en"):
        assert "도로계획과 keeps its management card" in notice.message


def test_the_list_names_a_page_of_departments_in_a_fixed_number_of_queries():
    reader = UserFactory(language="en")

    def page_queries(departments: int) -> int:
        for n in range(departments):
            Notification.objects.create(
                recipient=reader,
                kind=CardNotice.CARD_OPENED,
                key=f"card_opened:{reader.pk}:{Notification.objects.count()}",
                params={"title": f"제안 {n}", "department": DepartmentFactory().pk},
            )
        with CaptureQueriesContext(connection) as queries:
            notices_page(reader, "en")
        return len(queries)

    assert page_queries(1) == page_queries(5)


def test_every_kind_an_app_sends_has_its_words_registered():
    kinds = {
        str(kind)
        for notices in (
            ProposalNotice,
            PipelineNotice,
            AnswerNotice,
            DebateNotice,
            MeetingNotice,
            CardNotice,
            PanelNotice,
            AwardNotice,
            ThemeNotice,
            PollResultNotice,
            PollNotice,
        )
        for kind in notices
    }
    assert registered_kinds() == kinds


HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")


# Realistic stored parameters, by name, as the apps store them: codes, ids,
# ISO dates. What members and staff type (titles, reasons, notes, names,
# places) is given in English here, so any Hangul left in an English notice
# is the system's own words.
def _sample_params(department) -> dict:
    return {
        "title": "A shaded path along the river",
        "reason": "It helps people walking to school.",
        "note": "Design work starts in May.",
        "place": "City Hall, room 3",
        "from": "Kim Minji",
        "to": "Lee Junho",
        "department": department.pk,
        "deadline": "2026-03-21",
        "due": "2026-03-21",
        "ends": "2026-03-21T18:00+09:00",
        "meeting": "2026-04-02T14:00+09:00",
        "decision": "partially_accept",
        "old_decision": "not_accept",
        "stage": "in_progress",
        "count": 1234,
        "endorsements": 10,
        "bar": 30,
        "for": 12,
        "against": 3,
        "undecided": 2,
        "score": 4,
        "period": 2,
        "percent": 45,
        "days": 5,
        # issue 12: who left their work, and to whom it falls (a code)
        "name": "Park Jiwoo",
        "falls_to": "operators",
        # issue 13: a reward (a RewardKind code, won, an ISO date), a month
        "kind": "culture_voucher",
        "amount": 50000,
        "given_on": "2026-03-21",
        "month": "2026-11",
        # issue 14: a theme's title, as its operator wrote it
        "theme": "Walkable Han River bridges",
        # issue 14: a poll's voters
        "voters": 1234,
        # issue 16: a partner institution (its slug, a code)
        "institution": "sisul",
    }


def test_every_registered_kind_reads_entirely_in_english_for_an_english_reader(roads):
    # Given a notice of every kind that any app registers, stored with
    # realistic parameters (a blocked assignment stores its refusal's code)
    reader = UserFactory(language="en", display_name="Alex Kim", nickname="Alex")
    # An expert opinion request names its expert by member id.
    params = {**_sample_params(roads), "expert": reader.pk}
    for kind in sorted(registered_kinds()):
        Notification.objects.create(
            recipient=reader,
            kind=kind,
            key=f"{kind}:sample",
            params={**params, "reason": "no_default_department"}
            if kind == PipelineNotice.ASSIGNMENT_BLOCKED
            else params,
        )
    notices = list(Notification.objects.filter(recipient=reader))
    assert len(notices) == len(registered_kinds())

    # Then in English each title and message is whole and has no Korean …
    with translation.override("en"):
        for notice in notices:
            for text in (notice.title, notice.message):
                assert "%(" not in text, (notice.kind, text)
                assert not HANGUL.search(text), (notice.kind, text)
    # … and the dates, decisions and stages are written out, not left as codes
    with translation.override("en"):
        english = " ".join(n.message for n in notices)
    for raw in (
        "2026-03-21",
        "2026-04-02",
        "partially_accept",
        "not_accept",
        "in_progress",
        str(roads.pk) + " ",
    ):
        assert raw not in english
    assert "Road Planning Division" in english and "March 21, 2026" in english

    listed = notices_page(reader, "en").replace("한국어", "")  # the language switch
    assert "Road Planning Division" in listed and not HANGUL.search(listed)
    # … in the site's list and in each e-mail, which follows the reader's own
    # language whatever language is active
    mail.outbox.clear()
    with translation.override("ko"):
        for notice in notices:
            assert send_notification_email(notice.pk)
    for sent in mail.outbox:
        assert not HANGUL.search(f"{sent.subject}\n{sent.body}"), sent.subject
    assert len(mail.outbox) == len(notices)

    # And in Korean every kind has its words translated
    with translation.override("ko"):
        for notice in notices:
            assert HANGUL.search(notice.title), notice.kind
