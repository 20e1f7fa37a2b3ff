"""The internal agenda: the printable agenda with proposers' real names and
e-mail addresses, for the secretariat and the mayor's office only, each
reading recorded (개인정보 접속기록)."""

import pytest

from accounts.models import AccessRecord
from tests.factories import official, operator
from tests.pages import logged_in, page_text

from .helpers import citizen, internal_expert, mayor_office, meeting, on_agenda

pytestmark = pytest.mark.django_db

ADMIN = "/admin/meetings/realizationmeeting"


def table_url(target) -> str:
    return f"{ADMIN}/{target.pk}/decisions/"


def internal_url(target) -> str:
    return f"{ADMIN}/{target.pk}/agenda/internal/"


@pytest.mark.parametrize("make_user", [operator, mayor_office])
def test_the_internal_agenda_shows_real_names_and_contacts_and_records_the_access(make_user):
    target = meeting(days=7)
    items = on_agenda(target, 2)
    for number, item in enumerate(items):
        author = item.proposal.author
        author.display_name = f"김실명{number}"
        author.save(update_fields=["display_name"])
    staff = make_user()

    page = logged_in(staff).get(internal_url(target))

    assert page.status_code == 200
    text = page_text(page)
    for item in items:
        assert item.proposal.author.email in text
    assert "김실명0" in text and "김실명1" in text
    assert "no-store" in page["Cache-Control"]
    record = AccessRecord.objects.get()
    assert record.staff == staff
    assert sorted(record.member_ids) == sorted(item.proposal.author_id for item in items)
    # The public agenda keeps them masked
    public = logged_in().get(target.get_agenda_url())
    assert items[0].proposal.author.email not in page_text(public)
    assert "김실명0" not in page_text(public)


@pytest.mark.parametrize("make_user", [official, internal_expert, citizen])
def test_the_internal_agenda_is_refused_to_everyone_else(make_user):
    target = meeting(days=7)
    on_agenda(target)

    response = logged_in(make_user()).get(internal_url(target), follow=True)

    assert response.status_code == 403
    assert not AccessRecord.objects.exists()


def test_the_meeting_page_links_the_tools_for_those_who_may_use_them():
    target = meeting(days=7)
    operator_page = logged_in(operator()).get(f"{ADMIN}/{target.pk}/change/")
    official_page = logged_in(official()).get(f"{ADMIN}/{target.pk}/change/")

    assert internal_url(target) in operator_page.content.decode()
    assert table_url(target) in operator_page.content.decode()
    assert internal_url(target) not in official_page.content.decode()
    assert table_url(target) not in official_page.content.decode()
