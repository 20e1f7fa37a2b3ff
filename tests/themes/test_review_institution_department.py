"""Review of issue 16: a themed call is the city's (its proposals are city
proposals under the city's categories), so its answering department is one
of the city's. A partner institution's department is not offered in the
theme editor, and one sent by hand is refused with a message, nothing
saved: otherwise every proposal of the theme would be routed to a
department that may not answer a city proposal and never be assigned."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Institution
from tests.factories import DepartmentFactory, operator
from tests.pages import form_fields, logged_in, page_text
from themes.models import Theme

from .test_admin import editor_values

pytestmark = pytest.mark.django_db


def test_an_institutions_department_cannot_answer_a_themed_call():
    city = DepartmentFactory(name="보행정책과")
    org = Institution.objects.create(slug="sisul", name="서울시설공단")
    theirs = DepartmentFactory(name="공단 시설팀", institution=org)
    browser = logged_in(operator(), csrf_checks=True)
    browser.cookies["django_language"] = "ko"
    page = browser.get(reverse("admin:themes_theme_add"))
    html = page.content.decode()
    select = html.split('name="department"')[1].split("</select>")[0]
    assert f'value="{city.pk}"' in select
    assert f'value="{theirs.pk}"' not in select

    now = timezone.localtime()
    response = browser.post(
        reverse("admin:themes_theme_add"),
        editor_values(form_fields(page), theirs, starts=now, ends=now + timedelta(days=30)),
    )
    assert response.status_code == 200
    assert "서울시 부서를 골라 주세요." in page_text(response)
    assert not Theme.objects.exists()
