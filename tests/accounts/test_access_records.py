"""개인정보 접속기록 (PIPA safety-measures standard, art. 8): staff listing,
searching and viewing members in the admin leave a record of who, when,
from where, what and whose; operators read the records, nobody else does,
and nobody (a superuser neither) can change or delete one."""

import pytest

from accounts.models import AccessAction, AccessRecord
from tests.factories import UserFactory, official, operator
from tests.pages import form_fields, logged_in

pytestmark = pytest.mark.django_db


def test_viewing_a_member_in_the_admin_is_recorded():
    staff = operator(email="op@example.com")
    citizen = UserFactory(display_name="김시민")
    client = logged_in(staff)
    response = client.get(f"/admin/accounts/user/{citizen.pk}/change/", REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 200
    record = AccessRecord.objects.get()
    assert (record.staff, record.staff_email, record.action) == (
        staff,
        "op@example.com",
        AccessAction.VIEW,
    )
    assert record.member_ids == [citizen.pk]
    assert record.ip == "203.0.113.7"
    assert record.path == f"/admin/accounts/user/{citizen.pk}/change/"


def test_the_member_list_and_a_search_are_recorded_with_the_members_shown():
    staff = operator()
    hong = UserFactory(nickname="한강러버")
    kim = UserFactory(display_name="김시민")
    client = logged_in(staff)
    assert client.get("/admin/accounts/user/").status_code == 200
    listed = AccessRecord.objects.get()
    assert listed.action == AccessAction.LIST
    assert {hong.pk, kim.pk, staff.pk} <= set(listed.member_ids)
    assert client.get("/admin/accounts/user/", {"q": "한강러버"}).status_code == 200
    searched = AccessRecord.objects.exclude(pk=listed.pk).get()
    assert searched.action == AccessAction.SEARCH
    assert searched.member_ids == [hong.pk]
    assert "q=" in searched.query


def test_a_refused_page_records_nothing():
    citizen = UserFactory()
    response = logged_in(official()).get(f"/admin/accounts/user/{citizen.pk}/change/")
    assert response.status_code in (302, 403)
    assert not AccessRecord.objects.exists()


def _a_record():
    client = logged_in(operator())
    client.get(f"/admin/accounts/user/{UserFactory().pk}/change/")
    return AccessRecord.objects.get()


def test_operators_read_the_records_and_other_staff_do_not():
    record = _a_record()
    reader = logged_in(operator())
    assert reader.get("/admin/accounts/accessrecord/").status_code == 200
    assert reader.get(f"/admin/accounts/accessrecord/{record.pk}/change/").status_code == 200
    for outsider in (official(), UserFactory(is_staff=True)):
        client = logged_in(outsider)
        assert client.get("/admin/accounts/accessrecord/").status_code == 403
        assert client.get(f"/admin/accounts/accessrecord/{record.pk}/change/").status_code in (
            302,
            403,
        )
        assert b"accessrecord" not in client.get("/admin/").content


@pytest.mark.parametrize("who", ["operator", "superuser"])
def test_nobody_changes_or_deletes_a_record(who):
    record = _a_record()
    user = operator() if who == "operator" else UserFactory(is_staff=True, is_superuser=True)
    client = logged_in(user, csrf_checks=False)
    page = client.get(f"/admin/accounts/accessrecord/{record.pk}/change/")
    assert page.status_code == 200 and b'name="_save"' not in page.content
    client.post(
        f"/admin/accounts/accessrecord/{record.pk}/change/",
        {"action": "list", "staff_email": "someone@else.example", "member_ids": "[]"},
    )
    client.post(f"/admin/accounts/accessrecord/{record.pk}/delete/", {"post": "yes"})
    client.post(
        "/admin/accounts/accessrecord/",
        {"action": "delete_selected", "_selected_action": [record.pk], "post": "yes"},
    )
    assert client.get("/admin/accounts/accessrecord/add/").status_code == 403
    # Still there, unchanged
    kept = AccessRecord.objects.get(pk=record.pk)
    assert (kept.staff_email, kept.action) == (record.staff_email, record.action)


def test_the_model_refuses_to_change_a_saved_record():
    record = _a_record()
    record.staff_email = "rewritten@example.com"
    with pytest.raises(ValueError):
        record.save()


def test_staff_cannot_set_a_members_optional_items_without_their_consent():
    # An optional item is collected only with the member's consent, on
    # their own profile page; an operator editing the member sees it only.
    citizen = UserFactory(display_name="김시민", consented=False)
    client = logged_in(operator())
    page = client.get(f"/admin/accounts/user/{citizen.pk}/change/")
    html = page.content.decode()
    assert 'name="display_name"' in html
    for field in ("district", "birth_year", "gender"):
        assert f'name="{field}"' not in html
    fields = form_fields(page)
    fields.update(district="mapo", birth_year="1980", gender="male")
    client.post(f"/admin/accounts/user/{citizen.pk}/change/", fields)
    citizen.refresh_from_db()
    assert (citizen.district, citizen.birth_year, citizen.gender) == ("", None, "")


def test_searching_what_members_wrote_by_their_email_is_recorded():
    # A search of proposals, comments or arguments reaches the authors'
    # e-mail and real name for operators: a look-up of members all the same.
    from tests.factories import CommentFactory, ProposalFactory

    author = UserFactory(email="someone@example.com")
    ProposalFactory(author=author)
    CommentFactory(author=author)
    client = logged_in(operator())
    for path in ("/admin/proposals/proposal/", "/admin/proposals/comment/"):
        assert client.get(path).status_code == 200  # a plain list: no one looked up
        assert not AccessRecord.objects.exists()
        assert client.get(path, {"q": "someone@example.com"}).status_code == 200
        record = AccessRecord.objects.get()
        assert (record.action, record.member_ids) == (AccessAction.SEARCH, [author.pk])
        assert "someone%40example.com" in record.query
        AccessRecord.objects.all().delete()  # (test only: the admin never can)


def test_reading_members_addresses_and_consents_is_recorded():
    from allauth.account.models import EmailAddress

    member = UserFactory()
    boss = logged_in(UserFactory(is_superuser=True, is_staff=True))
    address = EmailAddress.objects.get(user=member)
    assert boss.get(f"/admin/account/emailaddress/{address.pk}/change/").status_code == 200
    assert AccessRecord.objects.get().member_ids == [member.pk]
    assert boss.get("/admin/accounts/consentrecord/").status_code == 200
    assert AccessRecord.objects.filter(action=AccessAction.LIST).exists()
