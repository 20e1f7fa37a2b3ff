"""Review of issue 16 (attacks and newcomers): the proposal form offers
no category of a closed institution (it could only be refused)."""

import pytest

from tests.pages import logged_in

from .space_world import build_world, category_of
from .test_propose_to import CREATE, options

pytestmark = pytest.mark.django_db


def test_a_closed_institutions_categories_are_not_offered():
    world = build_world()
    closed_category = category_of(
        world.closed, "closed-cat", name="닫힌 분야", name_en="Closed field"
    )
    page = logged_in().get(CREATE).content.decode()

    offered = dict(options(page, "category"))
    assert str(world.parking.pk) in offered
    assert str(closed_category.pk) not in offered
    assert "Closed Corporation" not in page and "닫힌공단" not in page
