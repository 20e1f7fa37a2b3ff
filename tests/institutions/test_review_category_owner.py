"""Review of issue 16: a category's addressee (the city or a partner
institution) is chosen when it is made, as a department's is. Moving a
city category with city proposals to an institution (with one of its
departments as default) would leave those city proposals routed to a
department that may not answer them."""

import pytest
from django.urls import reverse

from accounts.models import Institution
from proposals.models import Category
from tests.factories import CategoryFactory, DepartmentFactory, ProposalFactory, operator
from tests.pages import form_fields, logged_in

pytestmark = pytest.mark.django_db


def test_a_categorys_institution_cannot_be_changed_once_made():
    org = Institution.objects.create(slug="sisul", name="서울시설공단")
    theirs = DepartmentFactory(name="공단 시설팀", institution=org)
    city_department = DepartmentFactory(name="보행정책과")
    category = CategoryFactory(code="walk", name="보행", default_department=city_department)
    ProposalFactory(category=category)
    browser = logged_in(operator(), csrf_checks=True)
    url = reverse("admin:proposals_category_change", args=[category.pk])
    page = browser.get(url)
    fields = form_fields(page, "category_form")
    assert "institution" not in fields

    # A hand-made request naming the institution changes nothing of it
    fields.update(institution=str(org.pk), default_department=str(theirs.pk))
    browser.post(url, fields)
    category.refresh_from_db()
    assert category.institution_id is None
    assert category.default_department == city_department


def test_a_new_category_still_chooses_its_institution():
    org = Institution.objects.create(slug="sisul", name="서울시설공단")
    theirs = DepartmentFactory(name="공단 시설팀", institution=org)
    browser = logged_in(operator(), csrf_checks=True)
    page = browser.get(reverse("admin:proposals_category_add"))
    fields = form_fields(page, "category_form")
    assert "institution" in fields
    fields.update(
        code="parking",
        name="주차",
        name_en="Parking",
        institution=str(org.pk),
        default_department=str(theirs.pk),
        position="1",
    )
    response = browser.post(reverse("admin:proposals_category_add"), fields)
    assert response.status_code == 302
    assert Category.objects.get(code="parking").institution == org


def test_an_institutions_category_is_still_edited_with_its_own_departments():
    org = Institution.objects.create(slug="sisul", name="서울시설공단")
    first = DepartmentFactory(name="공단 시설팀", institution=org)
    second = DepartmentFactory(name="공단 주차팀", institution=org)
    city_department = DepartmentFactory(name="보행정책과")
    category = CategoryFactory(
        code="parking", name="주차", default_department=first, institution=org
    )
    browser = logged_in(operator(), csrf_checks=True)
    url = reverse("admin:proposals_category_change", args=[category.pk])
    fields = form_fields(browser.get(url), "category_form")

    refused = browser.post(url, {**fields, "default_department": str(city_department.pk)})
    assert refused.status_code == 200
    category.refresh_from_db()
    assert category.default_department == first

    browser.post(url, {**fields, "default_department": str(second.pk)})
    category.refresh_from_db()
    assert category.default_department == second and category.institution == org
