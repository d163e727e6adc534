import datetime

import pytest
from cadre_archive_lib.annual_return import (
    ITEMS,
    AnnualReturnError,
    held_at,
    held_facts,
    in_year,
    out_at,
    tabulate,
    year_bounds,
)

D = datetime.date


def test_year_bounds_and_edges():
    assert year_bounds(2025) == (D(2025, 1, 1), D(2025, 12, 31))
    assert in_year(D(2025, 1, 1), 2025)
    assert in_year(D(2025, 12, 31), 2025)
    assert not in_year(D(2024, 12, 31), 2025)
    assert not in_year(D(2026, 1, 1), 2025)
    assert not in_year(None, 2025)


@pytest.mark.parametrize("year", [1948, 9999, "2025", 2025.0, True, None])
def test_bad_years(year):
    with pytest.raises(AnnualReturnError) as caught:
        year_bounds(year)
    assert caught.value.code == "bad_year"


def test_held_at_the_end_of_the_day():
    end = D(2025, 12, 31)
    assert held_at(end, D(2025, 12, 31), None)
    assert not held_at(end, D(2026, 1, 1), None)
    assert not held_at(end, None, None)
    # sent out on the last day: no longer held; the day after: still held
    assert not held_at(end, D(2020, 1, 1), D(2025, 12, 31))
    assert held_at(end, D(2020, 1, 1), D(2026, 1, 1))


def test_out_at_the_end_of_the_day():
    end = D(2025, 12, 31)
    assert out_at(end, D(2025, 12, 31), None)
    assert not out_at(end, D(2025, 12, 1), D(2025, 12, 31))
    assert out_at(end, D(2025, 12, 1), D(2026, 1, 2))
    assert not out_at(end, D(2026, 1, 1), None)
    assert not out_at(end, None, None)


def test_tabulate_per_unit_and_total():
    facts = [
        ("Unit B", "lendings", 1),
        ("Unit A", "held_original", 1),
        ("Unit A", "held_original", 1),
        ("Unit A", "pages_filed", 7),
        ("Unit B", "pages_filed", 3),
        ("Unit C", "batches", 0),
    ]
    result = tabulate(2025, facts)
    assert [unit for unit, __ in result.units] == ["Unit A", "Unit B", "Unit C"]
    unit_a = dict(result.units)["Unit A"]
    assert unit_a["held_original"] == 2
    assert unit_a["pages_filed"] == 7
    assert set(unit_a) == set(ITEMS)
    assert result.total["pages_filed"] == 10
    assert result.total["lendings"] == 1
    assert result.total["transferred_out"] == 0
    for item in ITEMS:
        assert result.total[item] == sum(c[item] for __, c in result.units)


@pytest.mark.parametrize(
    ("fact", "code"),
    [
        (("A", "nothing", 1), "unknown_item"),
        (("A", "lendings", -1), "bad_count"),
        (("A", "lendings", 1.5), "bad_count"),
        (("A", "lendings", True), "bad_count"),
    ],
)
def test_tabulate_refuses(fact, code):
    with pytest.raises(AnnualReturnError) as caught:
        tabulate(2025, [fact])
    assert caught.value.code == code


def test_held_facts_by_kind():
    end = D(2025, 12, 31)
    facts = held_facts(
        end,
        [
            ("A", "original", D(2020, 1, 1), None),
            ("A", "duplicate", D(2020, 1, 1), None),
            ("A", "original", D(2020, 1, 1), D(2025, 6, 1)),
            ("B", "original", D(2026, 1, 1), None),
        ],
    )
    assert facts == [("A", "held_original", 1), ("A", "held_duplicate", 1)]


def test_false_is_no_day_as_odoo_gives_it():
    end = D(2025, 12, 31)
    assert out_at(end, D(2025, 12, 1), False)
    assert not out_at(end, False, False)
    assert held_at(end, D(2020, 1, 1), False)
    assert not held_at(end, False, False)
    assert not in_year(False, 2025)
