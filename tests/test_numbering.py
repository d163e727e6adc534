import random
import sys

import pytest
from cadre_archive_lib import errors, numbering
from cadre_archive_lib.errors import ArchiveLibError, NumberingError

OFFICIAL_ORDER = [
    "1",
    "2",
    "3",
    "4-1",
    "4-2",
    "4-3",
    "4-4",
    "5",
    "6",
    "7",
    "8",
    "9-1",
    "9-2",
    "9-3",
    "9-4",
    "10",
]


def test_lib_does_not_import_odoo():
    assert "odoo" not in sys.modules


def test_error_carries_code_and_params():
    exc = NumberingError("bad_number", number=0)
    assert isinstance(exc, ArchiveLibError)
    assert isinstance(exc, ValueError)
    assert exc.code == "bad_number"
    assert exc.params == {"number": 0}
    assert str(exc) == "bad_number (number=0)"
    assert str(NumberingError("x")) == "x"


def test_error_params_may_be_named_code():
    exc = NumberingError("bad_category_code", code="4-9-9")
    assert exc.code == "bad_category_code"
    assert exc.params == {"code": "4-9-9"}


def test_error_classes_are_distinct():
    for cls in (errors.PartialDateError, errors.NumberingError, errors.ScanError):
        assert issubclass(cls, ArchiveLibError)
    assert not issubclass(errors.ScanError, errors.NumberingError)


@pytest.mark.parametrize(
    ("code", "key"),
    [
        ("1", (1,)),
        ("4-1", (4, 1)),
        ("10", (10,)),
        ("9-4", (9, 4)),
        ("12-10", (12, 10)),
    ],
)
def test_category_sort_key(code, key):
    assert numbering.category_sort_key(code) == key


@pytest.mark.parametrize(
    "code",
    ["", "0", "4-0", "123", "4-", "-1", "a", "4-1-1", "4.1", " 1", "1\n", "\uff14"],
)
def test_category_sort_key_rejects(code):
    with pytest.raises(NumberingError) as info:
        numbering.category_sort_key(code)
    assert info.value.code == "bad_category_code"
    assert info.value.params == {"code": code}


@pytest.mark.parametrize("code", [None, 4, ("4",)])
def test_category_sort_key_rejects_non_strings(code):
    with pytest.raises(NumberingError, match="bad_category_code"):
        numbering.category_sort_key(code)


def test_category_official_order_is_numeric():
    shuffled = OFFICIAL_ORDER[:]
    random.Random(7).shuffle(shuffled)
    assert sorted(shuffled, key=numbering.category_sort_key) == OFFICIAL_ORDER
    # a plain string sort would put 10 right after 1
    assert sorted(shuffled)[1] == "10"


@pytest.mark.parametrize(
    ("existing", "expected"),
    [
        ([], 1),
        ([None], 1),
        ([1], 2),
        ([1, 2, 3], 4),
        ([3, None, 1], 4),
        ([0, -2], 1),
        ([-5], 1),
    ],
)
def test_next_number(existing, expected):
    assert numbering.next_number(existing) == expected


def test_next_number_of_a_generator():
    # made in the test: a generator given to parametrize is spent after one run
    assert numbering.next_number(n for n in (5, 9, 2)) == 10


@pytest.mark.parametrize(
    ("category", "number", "code"),
    [("4-1", 3, "4-1-3"), ("10", 2, "10-2"), ("1", 1, "1-1"), ("9-2", 15, "9-2-15")],
)
def test_material_code(category, number, code):
    assert numbering.material_code(category, number) == code


@pytest.mark.parametrize("number", [0, -1, True, 1.0, "3", None])
def test_material_code_bad_number(number):
    with pytest.raises(NumberingError) as info:
        numbering.material_code("1", number)
    assert info.value.code == "bad_number"
    assert info.value.params == {"number": number}


def test_material_code_bad_category():
    with pytest.raises(NumberingError) as info:
        numbering.material_code("4-1-1", 1)
    assert info.value.code == "bad_category_code"
