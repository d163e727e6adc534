"""Edge cases of suggest_date and partial dates found by mutation testing."""

import datetime

import pytest
from cadre_archive_lib.errors import PartialDateError
from cadre_archive_lib.partial_date import PartialDate, parse
from cadre_archive_lib.suggest import _segments, suggest_category, suggest_date

TODAY = datetime.date(2024, 6, 30)


# ------------------------------------------------------------ partial_date


def test_a_month_sorts_before_its_first_day():
    month = PartialDate(1985, 3)
    first = PartialDate(1985, 3, 1)
    assert month.sort_key() == (1985, 3, 0)
    assert month.sort_key() < first.sort_key()
    assert sorted([first, month], key=PartialDate.sort_key) == [month, first]


def test_parse_error_of_an_impossible_date_keeps_its_parts():
    with pytest.raises(PartialDateError) as info:
        parse("1985.02.30")
    assert info.value.code == "invalid"
    assert info.value.params == {
        "text": "1985.02.30",
        "year": 1985,
        "month": 2,
        "day": 30,
    }


# ---------------------------------------------------------------- segments


def test_segments_split_a_line_at_each_marker():
    assert _segments("abc日期x出生y签名z") == [
        (None, 0, "abc"),
        ("日期", 3, "x"),
        ("出生", 6, "y"),
        ("签名", 9, "z"),
    ]


def test_segments_of_a_line_without_marker():
    assert _segments("abc") == [(None, 0, "abc")]


def test_unlabelled_date_stops_before_the_next_marker():
    # The date before 日期 is 2019.03 (the "1" is cut by the marker), not
    # 2019.03.01 read across the word.
    assert suggest_date("", "2019年3月1日期", today=TODAY) == PartialDate(2019, 3)


# ------------------------------------------------------------ event words


def test_date_after_an_event_word_is_not_the_formation_date():
    assert suggest_date("", "出生1970年5月", today=TODAY) is None


def test_lines_are_split_at_newlines_only():
    # Spaces inside a line do not split it: the year after the label on
    # the same line is found.
    assert suggest_date("", "填表日期 ABC 2019", today=TODAY) == PartialDate(2019)


# --------------------------------------------------- label at end of line


def test_label_ending_its_line_with_filler_takes_next_line_date():
    text = "填表日期:\n2019年"
    assert suggest_date("", text, today=TODAY) == PartialDate(2019)


def test_label_followed_by_text_does_not_take_next_line_date():
    text = "填表日期:不详\n2019年"
    assert suggest_date("", text, today=TODAY) is None


def test_label_followed_by_another_label_does_not_take_next_line_date():
    text = "填表日期:签名:张三\n2019年"
    assert suggest_date("", text, today=TODAY) is None


# ---------------------------------------------------------- post_init


def test_invalid_partial_date_reports_all_its_parts():
    with pytest.raises(PartialDateError) as info:
        PartialDate(1985, 2, 30)
    assert info.value.code == "invalid"
    assert info.value.params == {"year": 1985, "month": 2, "day": 30}


# ---------------------------------------------------------- categories


def test_empty_title_and_text_match_no_word():
    assert suggest_category("", "", {"A": ("X",)}) == []
    assert suggest_category(None, None, {"A": ("X",)}) == []


def test_body_lines_are_joined_without_adding_text():
    keywords = {"A": ("X",), "B": ("line",)}
    assert suggest_category("", "Head\nline\nline", keywords) == [("B", 1.0)]


def test_adjacent_occurrences_of_a_one_character_word_all_count():
    keywords = {"A": ("好",), "B": ("坏坏",)}
    # 好 twice (2 x 1 char) against 坏坏 once (1 x 2 chars), both in the title
    assert suggest_category("好好坏坏", "", keywords) == [("A", 0.5), ("B", 0.5)]


def test_a_short_word_right_after_a_long_one_counts():
    keywords = {"A": ("长长长",), "B": ("短",)}
    assert suggest_category("x长长长短", "", keywords) == [("A", 0.75), ("B", 0.25)]


def test_the_heading_is_the_whole_first_line():
    keywords = {"A": ("Review",), "B": ("Annual",)}
    # both words are on the first line: both weigh HEADING_WEIGHT
    assert suggest_category("", "Annual Review\nbody", keywords) == [
        ("A", 0.5),
        ("B", 0.5),
    ]


def test_a_word_in_title_and_text_adds_both_scores():
    keywords = {"A": ("甲",), "B": ("乙",)}
    # 甲: 3 (title) + 1 (body); 乙: 2 (heading)
    assert suggest_category("甲", "乙\n甲", keywords) == [("A", 0.667), ("B", 0.333)]


def test_shares_are_rounded_to_three_decimals():
    keywords = {"A": ("甲",), "B": ("乙",)}
    assert suggest_category("甲乙乙", "", keywords) == [("B", 0.667), ("A", 0.333)]


def test_equal_shares_sort_real_category_codes_in_catalog_order():
    keywords = {"10": ("甲",), "2": ("乙",)}
    assert suggest_category("甲乙", "", keywords) == [("2", 0.5), ("10", 0.5)]


def test_equal_shares_put_real_category_codes_before_other_codes():
    keywords = {"zz": ("甲",), "2": ("乙",)}
    assert suggest_category("甲乙", "", keywords) == [("2", 0.5), ("zz", 0.5)]
