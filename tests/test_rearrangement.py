"""Rearrangement (重新整理): the new numbers follow the formation dates."""

import datetime

import pytest
from cadre_archive_lib.errors import NumberingError
from cadre_archive_lib.rearrangement import renumber_by_date

D = datetime.date


def test_renumbers_by_date():
    plan = renumber_by_date(
        [("a", 1, D(1990, 5, 1)), ("b", 2, D(1985, 3, 1)), ("c", 3, D(1988, 1, 1))]
    )
    assert plan == [("b", 2, 1), ("c", 3, 2), ("a", 1, 3)]


def test_same_date_keeps_old_order_and_undated_last():
    plan = renumber_by_date(
        [("u", 1, None), ("y", 4, D(2000, 1, 1)), ("x", 2, D(2000, 1, 1))]
    )
    assert plan == [("x", 2, 1), ("y", 4, 2), ("u", 1, 3)]


def test_already_in_order_changes_nothing():
    items = [("a", 1, D(1980, 1, 1)), ("b", 2, D(1981, 1, 1))]
    assert [(k, o) for k, o, n in renumber_by_date(items) if o != n] == []


def test_empty_and_duplicate_keys():
    assert renumber_by_date([]) == []
    with pytest.raises(NumberingError):
        renumber_by_date([("a", 1, None), ("a", 2, None)])
