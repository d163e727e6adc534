"""Hostile input for the text parsers of ``cadre_archive.lib`` (Hypothesis).

Every parser that reads what a user typed or a file held is given any text (or
any Python value where a form could send the wrong type) and must either
return a well-formed result or raise its own documented error, never an
IndexError or an OverflowError from deep inside. Where a parser writes what it
reads, formatting then parsing gives the value back.

Profiles (tests/conftest.py): "ci" by default (fixed seed, bounded), "dev"
with ``HYPOTHESIS_PROFILE=dev`` for many more examples.
"""

import datetime

from cadre_archive_lib import (
    catalog_import,
    integrity,
    missing,
    networks,
    numbering,
    ocr,
    page_ranges,
    partial_date,
    period,
    snippets,
    suggest,
    transfer,
)
from cadre_archive_lib.catalog_import import CatalogError
from cadre_archive_lib.errors import ArchiveLibError, NumberingError, PartialDateError
from cadre_archive_lib.page_ranges import PageRangeError
from cadre_archive_lib.partial_date import MAX_YEAR, MIN_YEAR, PartialDate
from cadre_archive_lib.period import PeriodError
from hypothesis import assume, example, given
from hypothesis import strategies as st

# Any value a JSON-RPC client could send where a string is expected.
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True)
    | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)
# Text biased towards the characters the parsers look for.
DATE_ALPHABET = "0123456789.-/年月日号 〇○零一二三四五六七八九十\u2013\u3000１２"
date_like = st.text(alphabet=DATE_ALPHABET, max_size=16)
PAGES_ALPHABET = "0123456789,，、;；-–~～ \t\n"
pages_like = st.text(alphabet=PAGES_ALPHABET, max_size=24)

partial_dates = st.builds(
    lambda day, precision: PartialDate.from_date(day, precision),
    st.dates(datetime.date(MIN_YEAR, 1, 1), datetime.date(MAX_YEAR, 12, 31)),
    st.sampled_from(partial_date.PRECISIONS),
)


def _cn_year(year: int) -> str:
    return "".join("〇一二三四五六七八九"[int(d)] for d in f"{year:04d}")


def _cn_small(number: int) -> str:
    digits = "一二三四五六七八九"
    tens, units = divmod(number, 10)
    if not tens:
        return digits[units - 1]
    head = "" if tens == 1 else digits[tens - 1]
    return head + "十" + (digits[units - 1] if units else "")


# ---------------------------------------------------------- partial dates


@given(st.one_of(st.text(max_size=30), date_like, json_values))
@example("9999.99.99")
@example("一九八五年十十月")
@example("１９８５．０３")
def test_partial_date_parse_returns_a_valid_date_or_its_error(text):
    try:
        date = partial_date.parse(text)
    except PartialDateError:
        return
    assert MIN_YEAR <= date.year <= MAX_YEAR
    assert date.first_day() <= date.last_day()
    assert partial_date.parse(date.format()) == date


@given(partial_dates, st.sampled_from([".", "-", "/"]))
def test_partial_date_format_then_parse_gives_it_back(date, sep):
    assert partial_date.parse(date.format(sep)) == date
    assert partial_date.parse(date.format_cn()) == date


@given(partial_dates)
def test_partial_date_in_chinese_numerals_parses_back(date):
    text = _cn_year(date.year) + "年"
    if date.month:
        text += _cn_small(date.month) + "月"
    if date.day:
        text += _cn_small(date.day) + "日"
    assert partial_date.parse(text) == date


@given(st.text(max_size=60) | date_like)
def test_find_dates_only_finds_valid_dates(text):
    for date in partial_date.find_dates(text):
        assert isinstance(date, PartialDate)
        assert MIN_YEAR <= date.year <= MAX_YEAR


@given(st.one_of(st.text(max_size=30), json_values))
@example("2100-1900")
def test_year_range_is_ordered_and_in_bounds_or_none(text):
    years = partial_date.parse_year_range(text)
    if years is not None:
        first, last = years
        assert MIN_YEAR <= first <= last <= MAX_YEAR


@given(json_values, json_values, json_values)
def test_partial_date_refuses_wrong_parts_with_its_error(year, month, day):
    try:
        date = PartialDate(year, month, day)
    except PartialDateError:
        return
    assert date.first_day() <= date.last_day()


# ------------------------------------------------------------- page ranges


@given(st.one_of(pages_like, st.text(max_size=24), json_values), st.integers(-5, 40))
@example("1-999999999", 3)
@example("٣", 5)  # an Arabic-Indic digit is a digit to \d
def test_page_ranges_sorted_merged_within_bounds_or_its_error(text, count):
    try:
        ranges = page_ranges.parse_pages(text, count)
    except PageRangeError:
        return
    assert ranges, "a parse names at least one page"
    for first, last in ranges:
        assert 1 <= first <= last <= count
    for (_, last), (first, _) in zip(ranges, ranges[1:], strict=False):
        assert last + 1 < first, "sorted, neither overlapping nor adjacent"
    text_back = page_ranges.format_pages(ranges)
    assert page_ranges.parse_pages(text_back, count) == ranges
    assert 1 <= page_ranges.count_pages(ranges) <= count


@given(st.sets(st.integers(1, 60), min_size=1))
def test_page_ranges_name_exactly_the_pages_given(pages):
    text = ",".join(str(page) for page in sorted(pages, reverse=True))
    ranges = page_ranges.parse_pages(text, 60)
    named = {p for first, last in ranges for p in range(first, last + 1)}
    assert named == pages
    assert page_ranges.count_pages(ranges) == len(pages)


@given(pages_like, json_values)
def test_page_ranges_wrong_page_count_is_its_error(text, count):
    assume(not (isinstance(count, int) and not isinstance(count, bool) and count > 0))
    try:
        page_ranges.parse_pages(text, count)
    except PageRangeError as exc:
        assert exc.code == "bad_page_count"
    else:
        raise AssertionError("a page count that is no whole number was accepted")


# --------------------------------------------------------------- numbering


@given(st.one_of(st.text(alphabet="0123456789-", max_size=7), json_values))
def test_category_code_key_or_its_error(code):
    try:
        key = numbering.category_sort_key(code)
    except NumberingError:
        return
    assert 1 <= len(key) <= 2
    assert all(part >= 1 for part in key)
    assert "-".join(str(part) for part in key) == code.lstrip("0").replace("-0", "-")


@given(st.integers(1, 99), st.none() | st.integers(1, 99), st.integers(1, 10**6))
def test_material_code_round_trip(major, minor, number):
    category = f"{major}" if minor is None else f"{major}-{minor}"
    code = numbering.material_code(category, number)
    head, _, tail = code.rpartition("-")
    assert head == category
    assert int(tail) == number


@given(st.text(max_size=6) | json_values, json_values)
def test_material_code_refuses_with_its_error(category, number):
    try:
        numbering.material_code(category, number)
    except NumberingError:
        pass


@given(st.lists(st.none() | st.integers(-(10**6), 10**6), max_size=20))
def test_next_number_is_above_every_positive_number(existing):
    number = numbering.next_number(existing)
    assert number >= 1
    assert all(n is None or n < number for n in existing)


# ------------------------------------------------------------------ periods

any_dates = st.dates()
time_zones = st.sampled_from(
    ["UTC", "Asia/Shanghai", "Pacific/Kiritimati", "America/Havana", "Etc/GMT+12"]
)


@given(any_dates, any_dates, time_zones | st.text(max_size=20) | json_values)
@example(datetime.date.max, datetime.date.max, "Asia/Shanghai")
@example(datetime.date.min, datetime.date.min, "Etc/GMT+12")
@example(datetime.date(2026, 1, 1), datetime.date(2026, 1, 2), "../../etc/passwd")
@example(datetime.date(2026, 1, 1), datetime.date(2026, 1, 2), "Asia/\0Shanghai")
def test_access_window_is_a_window_or_its_error(start, end, tz_name):
    try:
        window_start, window_end = period.access_window(start, end, tz_name)
    except PeriodError:
        return
    assert window_start < window_end
    hours = (window_end - window_start).total_seconds() / 3600
    days = (end - start).days + 1
    assert days * 24 - 26 <= hours <= days * 24 + 26


@given(any_dates, any_dates, any_dates, st.integers(-3, 10**6) | json_values)
@example(datetime.date.max, datetime.date.max, datetime.date.max, 1)
def test_check_period_refuses_with_its_error(start, end, today, max_days):
    try:
        period.check_period(start, end, today, max_days)
    except PeriodError:
        return
    assert today <= start <= end
    assert (end - start).days + 1 <= max_days


@given(json_values, json_values)
def test_period_refuses_what_is_no_date(start, end):
    try:
        period.period_days(start, end)
    except PeriodError as exc:
        assert exc.code == "bad_date"
    else:
        raise AssertionError("period_days accepted values that are no dates")


# --------------------------------------------------------- catalog cells


@given(st.one_of(json_values, st.dates(), st.datetimes(), date_like))
@example(1985.1)
@example(float("inf"))
@example(float("nan"))
@example(10**30)
@example(-1)
def test_catalog_cells_parse_or_refuse_with_catalog_error(value):
    for parse in (
        catalog_import.parse_number,
        catalog_import.parse_page_count,
        catalog_import.parse_date_cell,
    ):
        try:
            parsed = parse(value)
        except CatalogError:
            continue
        except PartialDateError:
            assert parse is catalog_import.parse_date_cell
            continue
        if parse is catalog_import.parse_date_cell:
            assert MIN_YEAR <= parsed.year <= MAX_YEAR
        else:
            assert isinstance(parsed, int) and parsed >= 1


@given(st.one_of(json_values, st.dates(), st.text(alphabet="0123456789-—", max_size=6)))
def test_catalog_category_cell_is_a_known_leaf_or_its_error(value):
    leaves, codes = {"4-1", "1", "9-2"}, {"4", "4-1", "1", "9", "9-2"}
    try:
        code = catalog_import.parse_category_code(value, leaves, codes)
    except CatalogError:
        return
    assert code in leaves


def _csv(rows) -> bytes:
    header = "档号,姓名,类号,顺序号,材料名称,形成时间,页数\n"
    return (header + "\n".join(",".join(row) for row in rows)).encode()


csv_cells = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters=",\n\r"),
    max_size=12,
)


@given(st.lists(st.lists(csv_cells, min_size=0, max_size=8), max_size=6))
def test_catalog_rows_become_rows_or_issues(rows):
    catalog = catalog_import.read_catalog(_csv(rows), {"4-1", "1"})
    assert len(catalog.material_rows) <= len(rows)
    if len(catalog.material_rows) < len([row for row in rows if any(row)]):
        assert catalog.issues, "a row that is not read has an issue saying why"


@given(st.binary(max_size=300))
@example(b"\xff\xfe\x00")
@example(b"PK\x03\x04garbage")
@example(b"a,b\n" + b"x" * 140_000)  # one field above csv's field size limit
@example(b'"' + b"x" * 140_000)  # an unclosed quote up to the end
def test_catalog_file_is_read_or_refused_with_catalog_error(data):
    try:
        catalog_import.read_catalog(data, {"4-1"})
    except CatalogError:
        pass


# ------------------------------------------------- other parsers of user text


@given(st.one_of(st.text(max_size=50), json_values))
@example("10.1.2.5/24")
@example("::1/129")
@example("1.2.3.4/" + "9" * 400)
def test_networks_parse_or_refuse_with_network_error(text):
    try:
        ranges = networks.parse_networks(text)
    except networks.NetworkError:
        return
    assert len(set(ranges)) == len(ranges)


@given(st.one_of(st.text(max_size=70), json_values), st.binary(max_size=20))
def test_integrity_verify_answers_or_refuses_the_checksum(checksum, data):
    try:
        answer = integrity.verify(checksum, data)
    except integrity.IntegrityError:
        return
    assert answer in ("ok", "changed")


@given(st.binary(max_size=64))
def test_integrity_verify_round_trip(data):
    checksum = integrity.sha256_hex(data)
    assert integrity.verify(checksum, data) == "ok"
    assert integrity.verify(checksum.upper(), data) == "ok"
    assert integrity.verify(checksum, data + b"x") == "changed"
    assert integrity.verify(checksum, None) == "missing"


@given(st.text(max_size=80))
def test_ocr_text_normalization_is_idempotent(text):
    once = ocr.normalize_text(text)
    assert ocr.normalize_text(once) == once
    assert "\r" not in once and "\n\n\n" not in once


@given(st.text(max_size=60))
def test_keywords_are_stripped_and_non_empty(text):
    for word in missing.parse_keywords(text):
        assert word and word == word.strip()


@given(st.one_of(st.text(max_size=20), st.lists(st.text(max_size=8), max_size=4)))
def test_search_terms_are_stripped_and_non_empty(value):
    for term in snippets.search_terms(value):
        assert term and term == term.strip()


@given(st.text(max_size=20), st.text(max_size=40), st.text(max_size=200))
def test_snippet_html_escapes_what_it_quotes(term, title, text):
    html = snippets.snippet_html([term], title, text)
    body = html.replace(snippets.MARK_OPEN, "").replace(snippets.MARK_CLOSE, "")
    assert "<" not in body


@given(st.text(max_size=30) | st.none())
def test_transfer_name_and_id_normalization_are_idempotent(text):
    for normalize in (transfer.normalize_name, transfer.normalize_id_number):
        once = normalize(text)
        assert normalize(once) == once


ocr_like = st.text(
    alphabet=DATE_ALPHABET + "填表日期签发出生参加工作时间任免审批表学位证书\n:：",
    max_size=80,
)


@given(st.text(max_size=30) | ocr_like, st.text(max_size=120) | ocr_like, st.dates())
@example(
    "2019年度考核登记表", "填表日期：\n二〇二〇年十三月", datetime.date(2026, 1, 1)
)
def test_suggested_date_is_valid_and_never_in_the_future(title, text, today):
    date = suggest.suggest_date(title, text, today=today)
    if date is not None:
        assert isinstance(date, PartialDate)
        assert not date.is_future(today)


@given(st.text(max_size=30) | ocr_like, st.text(max_size=120) | ocr_like)
def test_suggested_categories_are_shares_best_first(title, text):
    ranked = suggest.suggest_category(title, text)
    shares = [share for _code, share in ranked]
    assert shares == sorted(shares, reverse=True)
    assert not ranked or abs(sum(shares) - 1) < 1e-9
    assert all(0 < share <= 1 for share in shares)


def test_every_parser_error_is_an_archive_error():
    """The errors the tests above accept are the library's own ValueErrors."""
    for error in (
        PartialDateError,
        PageRangeError,
        NumberingError,
        PeriodError,
        CatalogError,
        networks.NetworkError,
        integrity.IntegrityError,
    ):
        assert issubclass(error, ArchiveLibError)
        assert issubclass(error, ValueError)
