"""``values.fits``: the shapes of a client's values that the ORM cannot take.

Each refused shape here is one that made Odoo's ORM crash over JSON-RPC
(cadre_archive/tests/test_hostile_rpc.py) with a TypeError or a database error
instead of a clear message.
"""

import datetime

import pytest
from cadre_archive_lib import values
from cadre_archive_lib.values import INT4_MAX, INT4_MIN
from hypothesis import given
from hypothesis import strategies as st

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=5,
)
TYPES = (
    "char text html selection date datetime integer float monetary many2one "
    "many2many one2many boolean binary"
).split()


@given(st.sampled_from(TYPES), json_values)
def test_fits_answers_for_any_json_value(field_type, value):
    assert values.fits(field_type, value) in (True, False)


@pytest.mark.parametrize("field_type", TYPES)
@pytest.mark.parametrize("empty", [False, None])
def test_no_value_always_fits(field_type, empty):
    assert values.fits(field_type, empty)


@pytest.mark.parametrize(
    "field_type, value",
    [
        ("selection", ["a"]),
        ("selection", {"x": 1}),
        ("char", ["a", "b"]),
        ("html", {"x": 1}),
        ("date", 20240101),
        ("date", ["2024-01-01"]),
        ("datetime", {"x": 1}),
        ("integer", 2**31),
        ("integer", -(2**31) - 1),
        ("integer", 2**70),
        ("integer", str(2**40)),
        ("integer", [1]),
        ("many2one", "abc"),
        ("many2one", "5"),
        ("many2one", [1, 2]),
        ("many2one", 2**31 + 5),
        ("many2one", 1.5),
        ("many2one", True),
        ("many2one", {"id": 1}),
    ],
)
def test_refused_shapes(field_type, value):
    assert not values.fits(field_type, value)


@pytest.mark.parametrize(
    "field_type, value",
    [
        ("char", "档" * 1000),
        ("char", 12345),  # the ORM writes it as text
        ("selection", "no_such_value"),  # the ORM's own ValueError tells
        ("date", "2024-13-45"),  # the ORM's own ValueError tells
        ("date", datetime.date(2024, 1, 1)),
        ("datetime", datetime.datetime(2024, 1, 1, 8)),
        ("integer", INT4_MAX),
        ("integer", INT4_MIN),
        ("integer", "abc"),  # the ORM's own ValueError tells
        ("integer", "12"),
        ("integer", True),
        ("integer", 1.5),
        ("many2one", 7),
        ("many2one", -1),
        ("many2one", (7, "name")),
        ("float", [1]),
        ("many2many", "abc"),
    ],
)
def test_shapes_left_to_the_orm(field_type, value):
    assert values.fits(field_type, value)
