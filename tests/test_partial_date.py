import datetime
import random

import pytest
from cadre_archive_lib.errors import PartialDateError
from cadre_archive_lib.partial_date import PartialDate, find_dates, parse

D = datetime.date


def fullwidth(text):
    """Turn ASCII digits and punctuation into their full-width forms."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


# --------------------------------------------------------------- the class


@pytest.mark.parametrize(
    "args",
    [(1900,), (2100,), (1985, 1), (1985, 12), (1985, 1, 31), (2000, 2, 29)],
)
def test_valid_dates(args):
    value = PartialDate(*args)
    assert (value.year, value.month, value.day) == (*args, None, None)[:3]


@pytest.mark.parametrize(
    "args",
    [
        (1899,),
        (2101,),
        (1985, 0),
        (1985, 13),
        (1985, 1, 0),
        (1985, 1, 32),
        (1985, 2, 29),
        (1985, 2, 30),
        (1985, 4, 31),
        (1900, 2, 29),
        (2100, 2, 29),
        (1985, None, 3),
        (True,),
        ("1985",),
        (1985, 3.0),
        (1985, 3, "1"),
    ],
)
def test_invalid_dates(args):
    with pytest.raises(PartialDateError) as info:
        PartialDate(*args)
    assert info.value.code == "invalid"
    assert info.value.params["year"] == args[0]


@pytest.mark.parametrize("year", [2000, 2024, 1904, 2096])
def test_leap_years_accept_february_29(year):
    assert PartialDate(year, 2, 29).last_day() == D(year, 2, 29)
    assert PartialDate(year, 2).last_day() == D(year, 2, 29)


@pytest.mark.parametrize("year", [1900, 1985, 2023, 2100])
def test_common_years_end_february_on_28(year):
    assert PartialDate(year, 2).last_day() == D(year, 2, 28)


def test_is_frozen_and_hashable():
    value = PartialDate(1985, 3)
    with pytest.raises(AttributeError):
        value.year = 1986
    assert value == PartialDate(1985, 3)
    assert value != PartialDate(1985, 3, 1)
    assert len({value, PartialDate(1985, 3), PartialDate(1985)}) == 2


def test_has_no_ordering_operators():
    with pytest.raises(TypeError):
        assert PartialDate(1985) < PartialDate(1986)


@pytest.mark.parametrize(
    ("value", "precision"),
    [
        (PartialDate(1985), "year"),
        (PartialDate(1985, 3), "month"),
        (PartialDate(1985, 3, 12), "day"),
    ],
)
def test_precision(value, precision):
    assert value.precision == precision


@pytest.mark.parametrize(
    ("value", "first", "last"),
    [
        (PartialDate(1985), D(1985, 1, 1), D(1985, 12, 31)),
        (PartialDate(1985, 3), D(1985, 3, 1), D(1985, 3, 31)),
        (PartialDate(1985, 2), D(1985, 2, 1), D(1985, 2, 28)),
        (PartialDate(1985, 4), D(1985, 4, 1), D(1985, 4, 30)),
        (PartialDate(1985, 3, 12), D(1985, 3, 12), D(1985, 3, 12)),
    ],
)
def test_first_and_last_day(value, first, last):
    assert value.first_day() == first
    assert value.last_day() == last


def test_sort_key_orders_less_precise_first():
    expected = [
        PartialDate(1985),
        PartialDate(1985, 1),
        PartialDate(1985, 1, 1),
        PartialDate(1985, 1, 2),
        PartialDate(1985, 2),
        PartialDate(1985, 12, 31),
        PartialDate(1986),
        PartialDate(1986, 1, 1),
    ]
    shuffled = expected[:]
    random.Random(5).shuffle(shuffled)
    assert sorted(shuffled, key=PartialDate.sort_key) == expected


@pytest.mark.parametrize(
    ("value", "dotted", "dashed", "chinese", "parts"),
    [
        (PartialDate(1985), "1985", "1985", "1985年", ("1985", "", "")),
        (PartialDate(1985, 3), "1985.03", "1985-03", "1985年03月", ("1985", "03", "")),
        (
            PartialDate(1985, 3, 12),
            "1985.03.12",
            "1985-03-12",
            "1985年03月12日",
            ("1985", "03", "12"),
        ),
        (
            PartialDate(2001, 12, 1),
            "2001.12.01",
            "2001-12-01",
            "2001年12月01日",
            ("2001", "12", "01"),
        ),
    ],
)
def test_formats(value, dotted, dashed, chinese, parts):
    assert value.format() == dotted
    assert value.format(sep="-") == dashed
    assert value.format_cn() == chinese
    assert value.parts() == parts
    assert parse(dotted) == value
    assert parse(chinese) == value


@pytest.mark.parametrize(
    ("value", "future_today", "present_today"),
    [
        (PartialDate(2025), D(2024, 12, 31), D(2025, 1, 1)),
        (PartialDate(1985, 3), D(1985, 2, 28), D(1985, 3, 1)),
        (PartialDate(1985, 3, 12), D(1985, 3, 11), D(1985, 3, 12)),
    ],
)
def test_is_future_boundaries(value, future_today, present_today):
    assert value.is_future(future_today) is True
    assert value.is_future(present_today) is False
    assert value.is_future(present_today + datetime.timedelta(days=400)) is False


def test_is_future_accepts_a_datetime():
    now = datetime.datetime(1985, 2, 28, 23, 59)
    assert PartialDate(1985, 3).is_future(now) is True
    assert PartialDate(1985, 2).is_future(now) is False


@pytest.mark.parametrize(
    ("precision", "expected"),
    [
        ("year", PartialDate(1985)),
        ("month", PartialDate(1985, 3)),
        ("day", PartialDate(1985, 3, 12)),
    ],
)
def test_from_date(precision, expected):
    value = PartialDate.from_date(D(1985, 3, 12), precision)
    assert value == expected
    assert value.precision == precision


def test_from_date_accepts_a_datetime():
    moment = datetime.datetime(1985, 3, 12, 8, 30)
    assert PartialDate.from_date(moment, "day") == PartialDate(1985, 3, 12)


def test_from_date_bad_precision():
    with pytest.raises(PartialDateError) as info:
        PartialDate.from_date(D(1985, 3, 12), "week")
    assert info.value.code == "bad_precision"
    assert info.value.params == {"precision": "week"}


def test_from_date_out_of_range():
    with pytest.raises(PartialDateError, match="invalid"):
        PartialDate.from_date(D(1850, 1, 1), "year")


# ----------------------------------------------------------------- parsing


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1985", (1985, None, None)),
        ("1985-03", (1985, 3, None)),
        ("1985-3", (1985, 3, None)),
        ("1985.03", (1985, 3, None)),
        ("1985.3", (1985, 3, None)),
        ("1985/03", (1985, 3, None)),
        ("1985.3.12", (1985, 3, 12)),
        ("1985/03/12", (1985, 3, 12)),
        ("1985-03-12", (1985, 3, 12)),
        ("1985-3-5", (1985, 3, 5)),
        ("1985年", (1985, None, None)),
        ("1985年3月", (1985, 3, None)),
        ("1985年03月", (1985, 3, None)),
        ("1985年03月12日", (1985, 3, 12)),
        ("1985年3月12号", (1985, 3, 12)),
        ("1985 年 3 月 12 日", (1985, 3, 12)),
        ("198503", (1985, 3, None)),
        ("19850312", (1985, 3, 12)),
        ("一九八五年", (1985, None, None)),
        ("一九八五年三月", (1985, 3, None)),
        ("一九八五年三月十二日", (1985, 3, 12)),
        ("二〇〇一年十月", (2001, 10, None)),
        ("二零零一年十二月三十一日", (2001, 12, 31)),
        ("二〇〇一年十一月二十日", (2001, 11, 20)),
        ("二〇〇一年一月二十一号", (2001, 1, 21)),
        ("二〇〇一年一月三十日", (2001, 1, 30)),
        ("二\u25cb\u25cb一年一月一日", (2001, 1, 1)),
        ("  1985.03\n", (1985, 3, None)),
        ("1985\u20143", (1985, 3, None)),
    ],
)
def test_parse(text, expected):
    assert parse(text) == PartialDate(*expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1985", (1985, None, None)),
        ("1985.03", (1985, 3, None)),
        ("1985-03-12", (1985, 3, 12)),
        ("1985/3/12", (1985, 3, 12)),
        ("1985年3月12日", (1985, 3, 12)),
        ("19850312", (1985, 3, 12)),
    ],
)
def test_parse_full_width(text, expected):
    assert fullwidth(text) != text
    assert parse(fullwidth(text)) == PartialDate(*expected)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "abc",
        "85",
        "85.3",
        "1985.",
        "1985-03-",
        "1985-03/12",
        "1985.03.12.1",
        "1985年3月12",
        "1985年3",
        "1985年13个月",
        "1985-003",
        "1985031",
        "198503120",
        "三月",
        "一九八五",
        "一九八五年三三月",
        "一九八五年十十月",
        "一九八五年〇月",
        "1985年三月十二",
        "12/03/1985",
        "March 1985",
    ],
)
def test_parse_unparsable(text):
    with pytest.raises(PartialDateError) as info:
        parse(text)
    assert info.value.code == "unparsable"
    assert info.value.params["text"] == text


@pytest.mark.parametrize("text", [None, 1985, b"1985"])
def test_parse_non_string(text):
    with pytest.raises(PartialDateError, match="unparsable"):
        parse(text)


@pytest.mark.parametrize(
    "text",
    [
        "1985-02-30",
        "1985-13",
        "1985.0",
        "198513",
        "19850230",
        "1850",
        "2101年",
        "2001年2月29日",
        "一九八五年十三月",
        "一九八五年二月三十日",
        "1985年4月31号",
    ],
)
def test_parse_impossible_dates(text):
    with pytest.raises(PartialDateError) as info:
        parse(text)
    assert info.value.code == "invalid"
    assert info.value.params["text"] == text


def test_parse_leap_day():
    assert parse("2000-02-29") == PartialDate(2000, 2, 29)
    assert parse("二〇二四年二月二十九日") == PartialDate(2024, 2, 29)


# -------------------------------------------------------------- find_dates


def test_find_dates_in_a_sentence():
    text = (
        "该同志1985年3月参加工作，2001.10.01加入中国共产党，"
        "二〇〇一年十月任科长。19990101报到；1985 年 3 月 12 日填写。"
    )
    assert find_dates(text) == [
        PartialDate(1985, 3),
        PartialDate(2001, 10, 1),
        PartialDate(2001, 10),
        PartialDate(1999, 1, 1),
        PartialDate(1985, 3, 12),
    ]


def test_find_dates_keeps_order_and_duplicates():
    text = "2003年、1990-05、2003年"
    assert find_dates(text) == [
        PartialDate(2003),
        PartialDate(1990, 5),
        PartialDate(2003),
    ]


def test_find_dates_ignores_impossible_and_out_of_range():
    text = "1985-02-30 和 1985年13月 以及 1750年 和 共1200页 但 1986.07 有效"
    assert find_dates(text) == [PartialDate(1986, 7)]


def test_find_dates_ignores_long_digit_runs():
    text = "身份证号110101198503121234，电话13912345678，编号200112"
    assert find_dates(text) == [PartialDate(2001, 12)]


def test_find_dates_needs_a_boundary_before_the_year():
    assert find_dates("档号31985，12019年，八一九八五年") == []


def test_find_dates_chinese_numerals_in_text():
    text = "于一九八五年三月十二日出生，二零零一年十二月三十一日调入"
    assert find_dates(text) == [PartialDate(1985, 3, 12), PartialDate(2001, 12, 31)]


def test_find_dates_full_width():
    assert find_dates("填表日期：" + fullwidth("2019.05.20")) == [
        PartialDate(2019, 5, 20)
    ]


@pytest.mark.parametrize("text", ["", None, "没有日期", "第12页"])
def test_find_dates_nothing(text):
    assert find_dates(text) == []


def test_parse_year_range():
    from cadre_archive_lib.partial_date import parse_year_range

    assert parse_year_range("1990") == (1990, 1990)
    assert parse_year_range(" 1990-1995 ") == (1990, 1995)
    assert parse_year_range("1995 – 1990") == (1990, 1995)
    assert parse_year_range("1990年至1995年") == (1990, 1995)
    assert parse_year_range("１９９０~１９９５") == (1990, 1995)
    assert parse_year_range("1990 to 1995") == (1990, 1995)
    for text in ("", "0", "0 - 0", "199", "abcd", "1990-", "1800", None, 1990):
        assert parse_year_range(text) is None, text
