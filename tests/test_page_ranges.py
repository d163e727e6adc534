import pytest
from cadre_archive_lib.errors import ArchiveLibError
from cadre_archive_lib.page_ranges import (
    PageRangeError,
    count_pages,
    format_pages,
    parse_pages,
)


def test_page_range_error_is_a_library_error():
    assert issubclass(PageRangeError, ArchiveLibError)


@pytest.mark.parametrize(
    ("text", "ranges"),
    [
        ("1-3,5", ((1, 3), (5, 5))),
        ("5, 1-3", ((1, 3), (5, 5))),
        ("7", ((7, 7),)),
        ("1-3,2", ((1, 3),)),
        ("1-3,4", ((1, 4),)),
        ("1-3,3-6,9", ((1, 6), (9, 9))),
        ("1 - 3 , 5", ((1, 3), (5, 5))),
        ("1–3，5、7~8；9～10", ((1, 3), (5, 5), (7, 10))),
        ("1-3,,5,", ((1, 3), (5, 5))),
        ("10-10", ((10, 10),)),
    ],
)
def test_parse(text, ranges):
    assert parse_pages(text, 10) == ranges


def test_format_and_count():
    ranges = parse_pages("9, 1-3,2,5-6", 10)
    assert format_pages(ranges) == "1-3,5-6,9"
    assert count_pages(ranges) == 6
    assert format_pages(()) == ""
    assert count_pages(()) == 0


def test_a_long_range_is_not_expanded():
    ranges = parse_pages("1-999999999", 999999999)
    assert ranges == ((1, 999999999),)
    assert count_pages(ranges) == 999999999


@pytest.mark.parametrize("text", [None, False, "", "  ", ",", " , ;"])
def test_no_pages(text):
    with pytest.raises(PageRangeError) as info:
        parse_pages(text, 10)
    assert info.value.code == "no_pages"


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("0", "0"),
        ("0-2", "0-2"),
        ("1-3,a", "a"),
        ("-1", "-1"),
        ("1-", "1-"),
        ("1-2-3", "1-2-3"),
        ("1.5", "1.5"),
        ("1 3", "1 3"),
        ("1" * 10, "1" * 10),
        ("1-" + "9" * 5000, "1-" + "9" * 5000),
    ],
)
def test_bad_part(text, part):
    with pytest.raises(PageRangeError) as info:
        parse_pages(text, 10)
    assert info.value.code == "bad_page_range"
    assert info.value.params == {"part": part}


def test_reversed_range():
    with pytest.raises(PageRangeError) as info:
        parse_pages("1, 5-3", 10)
    assert info.value.code == "page_range_reversed"
    assert info.value.params == {"part": "5-3"}


@pytest.mark.parametrize(("text", "page"), [("11", 11), ("9-12", 12), ("1,10-11", 11)])
def test_beyond_the_material(text, page):
    with pytest.raises(PageRangeError) as info:
        parse_pages(text, 10)
    assert info.value.code == "page_beyond_count"
    assert info.value.params == {"page": page, "count": 10}


@pytest.mark.parametrize("count", [0, -1, None, True, 2.0, "10"])
def test_bad_page_count(count):
    with pytest.raises(PageRangeError) as info:
        parse_pages("1", count)
    assert info.value.code == "bad_page_count"
    assert info.value.params == {"count": count}
