"""Fixtures shared by the proposal admin tests."""

import pytest

from tests.factories import operator
from tests.pages import logged_in


@pytest.fixture
def operator_user():
    return operator(email="operator@example.com")


@pytest.fixture
def operator_client(operator_user):
    return logged_in(operator_user)
