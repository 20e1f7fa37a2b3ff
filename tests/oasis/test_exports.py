"""The export bases every admin export stands on (oasis.exports)."""

import pytest

from oasis.exports import neutralise_formula


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("한강", "한강"),
        ("a=b", "a=b"),
        (-1, -1),
        ("", ""),
    ],
)
def test_neutralise_formula(value, expected):
    assert neutralise_formula(value) == expected
