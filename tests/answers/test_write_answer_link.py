"""The public proposal page offers "write the answer" to those who work on
it: the assigned department's officials and the operators; nobody else sees
the link (a citizen, an official of another department, the proposer)."""

import re

import pytest

from tests.answers.helpers import assigned, clerk_of, published
from tests.factories import DepartmentFactory, UserFactory, official, operator
from tests.pages import english_client, logged_in, page_html

pytestmark = pytest.mark.django_db


def write_link(client, proposal) -> str | None:
    response = client.get(proposal.get_absolute_url())
    assert response.status_code == 200
    found = re.search(
        r'<a class="button" href="([^"]+)" data-testid="write-answer">', page_html(response)
    )
    return found.group(1) if found else None


def test_the_assigned_departments_official_goes_from_the_page_to_the_workroom():
    assignment = assigned()
    clerk = clerk_of(assignment)
    client = logged_in(clerk)
    link = write_link(client, assignment.proposal)
    assert link == f"/admin/answers/assignment/{assignment.pk}/change/"
    workroom = client.get(link)
    assert workroom.status_code == 200
    assert 'name="summary"' in workroom.content.decode()


def test_the_operators_see_the_link_too():
    assignment = assigned()
    assert write_link(logged_in(operator()), assignment.proposal)


@pytest.mark.parametrize("who", ["anonymous", "citizen", "other_department", "proposer"])
def test_nobody_else_sees_it(who):
    assignment = assigned()
    client = {
        "anonymous": lambda: english_client(),
        "citizen": lambda: logged_in(UserFactory()),
        "other_department": lambda: logged_in(official(DepartmentFactory())),
        "proposer": lambda: logged_in(assignment.proposal.author),
    }[who]()
    assert write_link(client, assignment.proposal) is None


def test_once_the_answer_is_published_the_link_is_gone():
    assignment = assigned()
    clerk = clerk_of(assignment)
    published(assignment)
    assert write_link(logged_in(clerk), assignment.proposal) is None
