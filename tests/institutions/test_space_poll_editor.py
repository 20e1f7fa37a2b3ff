"""An institution's poll (issue 16): the operators choose the institution
in the poll editor, beside the asking department, which must be the
institution's own (or the city's for the city's poll); the poll then shows
in the space and, labelled, in /polls/."""

import pytest

from oasis.errors import ServiceError
from polls.models import Poll
from polls.services import editing
from tests.factories import DepartmentFactory, operator
from tests.pages import english_client, logged_in, page_text
from tests.polls.editor_helpers import a_poll

from .space_world import institution

pytestmark = pytest.mark.django_db


def test_the_editor_offers_the_institution():
    page = logged_in(operator()).get("/admin/polls/poll/add/?kind=yes_no")
    assert page.status_code == 200
    assert 'name="institution"' in page.content.decode()


def test_an_institutions_poll_is_asked_by_its_own_department():
    sisul = institution("sisul")
    own = DepartmentFactory(code="sisul-roads", name="도로시설처", institution=sisul)
    city = DepartmentFactory(code="city-dept", name="시 부서")
    poll = a_poll(department=own, institution=sisul)
    assert poll.institution == sisul
    with pytest.raises(ServiceError, match="must be one of Seoul Facilities Corporation's own"):
        a_poll(department=city, institution=sisul, title="잘못된 설문 1")
    with pytest.raises(ServiceError, match="choose that institution too"):
        a_poll(department=own, title="잘못된 설문 2")
    assert not Poll.objects.filter(title__startswith="잘못된 설문").exists()
    # Published, it shows in its space and, labelled, in the city's list
    editing.poll_publish(poll=poll, actor=operator())
    assert poll.title in page_text(english_client().get("/org/sisul/polls/"))
    listed = english_client().get("/polls/").content.decode()
    assert 'class="badge badge-institution" href="/org/sisul/"' in listed
