"""The operators' registration of partner institutions (issue 16): the
institution's page (details, logo, brand colour, thresholds), its
departments and categories, and its administrators, used as rendered."""

import pytest
from django.urls import reverse
from PIL import Image

from accounts.audit import describe
from accounts.models import AuditRecord, Department, Institution, User
from accounts.roles import Role
from proposals.models import Category, PipelineSettings
from tests.factories import DepartmentFactory, UserFactory, gps_exif, image_file, official, operator
from tests.pages import form_fields, forms_on, logged_in, messages_sent, page_text

from .orgadmin_world import institution, institution_admin

pytestmark = pytest.mark.django_db

ADD = reverse("admin:accounts_institution_add")
LIST = reverse("admin:accounts_institution_changelist")


def _change(institution):
    return reverse("admin:accounts_institution_change", args=[institution.pk])


def _admins(institution):
    return reverse("admin:accounts_institution_administrators", args=[institution.pk])


def _filled(page, **values):
    fields = form_fields(page, "institution_form")
    fields.update(
        {
            "name": "서울시설공단",
            "name_en": "Seoul Facilities Corporation",
            "short_name": "시설공단",
            "slug": "sisul",
            "description": "서울의 시설을 관리합니다.",
            "website": "https://www.sisul.or.kr",
            "brand_color": "#1f5fa8",
            "answer_threshold": "30",
            "debate_threshold": "",
        }
    )
    fields.update(values)
    return fields


def test_an_operator_registers_an_institution_with_a_department_and_its_logo():
    client = logged_in(operator(), csrf_checks=True)
    page = client.get(ADD)
    assert page.status_code == 200
    # The thresholds say what empty means now: the city's bars.
    city = PipelineSettings.load()
    text = page_text(page)
    assert f"Leave empty to use the city's (now {city.answer_threshold} endorsements)." in text
    assert f"Leave empty to use the city's (now {city.debate_threshold} endorsements)." in text
    fields = _filled(page)
    # "Add another department", as the inline's button does it in a browser.
    fields.update(
        {
            "departments-TOTAL_FORMS": "1",
            "departments-0-code": "sisul-road",
            "departments-0-name": "도로시설팀",
            "departments-0-name_en": "",
            "departments-0-email": "",
            "departments-0-is_active": "on",
        }
    )
    fields["logo"] = image_file("logo.jpg", exif=gps_exif())
    done = client.post(ADD, fields)
    assert done.status_code == 302, page_text(done)[:2000]
    registered = Institution.objects.get()
    assert (registered.slug, registered.name, registered.answer_threshold) == (
        "sisul",
        "서울시설공단",
        30,
    )
    assert registered.debate_threshold is None
    assert list(registered.departments.values_list("code", flat=True)) == ["sisul-road"]
    # The logo was re-encoded as proposal photos are: no location kept.
    with Image.open(registered.logo.path) as stored:
        assert not stored.getexif().get_ifd(0x8825)
    record = AuditRecord.objects.get(action="accounts.institution_registered")
    assert record.target_id == str(registered.pk)
    assert describe(record) == "Registered the institution."


@pytest.mark.parametrize(
    "colour, message",
    [
        ("#ffff00", "White text is hard to read on this colour"),
        ("#dddddd", "White text is hard to read on this colour"),
        ("blue", "Give the colour as # and six hexadecimal digits"),
    ],
)
def test_a_colour_white_text_cannot_be_read_on_is_refused(colour, message):
    client = logged_in(operator(), csrf_checks=True)
    page = client.get(ADD)
    refused = client.post(ADD, _filled(page, brand_color=colour))
    assert refused.status_code == 200
    assert message in page_text(refused)
    assert not Institution.objects.exists()
    assert not AuditRecord.objects.exists()


def test_the_refusals_read_in_korean():
    client = logged_in(operator(), csrf_checks=True)
    client.cookies["django_language"] = "ko"
    page = client.get(ADD)
    refused = client.post(ADD, _filled(page, brand_color="#ffff00"))
    assert "흰 글씨" in page_text(refused)


@pytest.mark.parametrize("field, value", [("slug", "SISUL"), ("name", " 서울시설공단 ")])
def test_a_duplicate_address_name_or_name_is_refused_whatever_the_case(field, value):
    institution("X", name="서울시설공단", slug="sisul")
    client = logged_in(operator(), csrf_checks=True)
    page = client.get(ADD)
    values = {"slug": "other", "name": "다른 기관", field: value}
    refused = client.post(ADD, _filled(page, **values))
    assert refused.status_code == 200
    text = page_text(refused)
    assert (
        "Another institution already uses this address name." in text
        or "Another institution already has this name." in text
    )
    assert Institution.objects.count() == 1


def test_a_category_defaults_to_a_department_of_its_own_institution_only():
    own = institution("A")
    other = institution("B")
    mine = DepartmentFactory(code="a-road", name="A 도로팀", institution=own)
    theirs = DepartmentFactory(code="b-road", name="B 도로팀", institution=other)
    city = DepartmentFactory(code="city-road", name="시 도로과")
    client = logged_in(operator(), csrf_checks=True)
    page = client.get(_change(own))
    options = _form(page, "institution_form")["options"]["categories-__prefix__-default_department"]
    assert str(mine.pk) in options
    assert str(theirs.pk) not in options and str(city.pk) not in options
    for tampered in (theirs, city):
        fields = form_fields(page, "institution_form")
        fields.update(
            {
                "categories-TOTAL_FORMS": "1",
                "categories-0-code": "a-roads",
                "categories-0-name": "도로",
                "categories-0-name_en": "",
                "categories-0-default_department": str(tampered.pk),
                "categories-0-position": "0",
            }
        )
        refused = client.post(_change(own), fields)
        assert refused.status_code == 200
        assert "Select a valid choice" in page_text(refused)
        assert not Category.objects.filter(code="a-roads").exists()
    fields["categories-0-default_department"] = str(mine.pk)
    assert client.post(_change(own), fields).status_code == 302
    category = Category.objects.get(code="a-roads")
    assert (category.institution_id, category.default_department_id) == (own.pk, mine.pk)


def test_an_operator_appoints_and_removes_an_administrator():
    own = institution("A")
    member = UserFactory(email="kim@sisul.example")
    client = logged_in(operator(), csrf_checks=True)
    assert "Administrators" in page_text(client.get(_change(own)))
    page = client.get(_admins(own))
    form = _form(page, "appoint-form")
    fields = {**form["fields"], "email": "KIM@sisul.example", "step": "grant"}
    done = client.post(_admins(own), fields)
    assert done.status_code == 302
    member = User.objects.get(pk=member.pk)
    assert member.has_role(Role.INSTITUTION_ADMIN) and member.institution_id == own.pk
    assert member.is_staff
    assert describe(AuditRecord.objects.get(action="accounts.institution_admin_granted")) == (
        "Made an administrator of 기관 A."
    )
    page = client.get(_admins(own))
    assert "kim@sisul.example" in page_text(page)
    revoke = next(f for f in _forms(page) if f["fields"].get("member") == str(member.pk))
    done = client.post(_admins(own), {**revoke["fields"], "step": "revoke"})
    member = User.objects.get(pk=member.pk)
    assert not member.has_role(Role.INSTITUTION_ADMIN)
    assert member.institution_id is None and not member.is_staff
    assert AuditRecord.objects.filter(action="accounts.institution_admin_revoked").count() == 1


def _forms(page):
    return forms_on(page)


def _form(page, form_id):
    return next(form for form in forms_on(page) if form["id"] == form_id)


@pytest.mark.parametrize("kind", ["other_institution_admin", "other_institution_official", "city"])
def test_staff_of_another_institution_or_of_the_city_is_not_appointed(kind):
    own = institution("A")
    other = institution("B")
    member = {
        "other_institution_admin": lambda: institution_admin(other, email="m@example.com"),
        "other_institution_official": lambda: official(
            department=DepartmentFactory(institution=other), email="m@example.com"
        ),
        "city": lambda: official(email="m@example.com"),
    }[kind]()
    client = logged_in(operator(), csrf_checks=True)
    page = client.get(_admins(own))
    fields = {**_form(page, "appoint-form")["fields"], "email": "m@example.com", "step": "grant"}
    done = client.post(_admins(own), fields)
    said = " ".join(messages_sent(done))
    assert "staff of another institution" in said or "staff of the city" in said
    member = User.objects.get(pk=member.pk)
    assert member.has_role(Role.INSTITUTION_ADMIN) == (kind == "other_institution_admin")
    assert member.institution_id == (other.pk if kind == "other_institution_admin" else None)
    assert not AuditRecord.objects.filter(action="accounts.institution_admin_granted").exists()


@pytest.mark.parametrize("make", ["institution_admin", "official", "citizen"])
def test_only_operators_open_the_registration(make):
    own = institution("A")
    user = {
        "institution_admin": lambda: institution_admin(own),
        "official": official,
        "citizen": UserFactory,
    }[make]()
    client = logged_in(user)
    for url in (LIST, ADD, _change(own), _admins(own)):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert b"org-a" not in response.content
    before = Institution.objects.count()
    client.post(ADD, {"name": "가짜", "slug": "fake", "brand_color": "#1f5fa8"})
    assert Institution.objects.count() == before


def test_an_institution_admins_official_role_stays_in_their_institution():
    from django.core.exceptions import ValidationError

    from accounts import services

    own = institution("A")
    member = institution_admin(own)
    city_department = DepartmentFactory()
    with pytest.raises(ValidationError):
        services.staff_role_grant(
            actor=operator(), member=member, role=Role.OFFICIAL, department=city_department
        )
    assert not User.objects.get(pk=member.pk).has_role(Role.OFFICIAL)
    own_department = DepartmentFactory(institution=own)
    services.staff_role_grant(
        actor=operator(), member=member, role=Role.OFFICIAL, department=own_department
    )
    assert User.objects.get(pk=member.pk).department_id == own_department.pk
    assert Department.objects.filter(institution=own).count() == 1
