import datetime

import pytest
from cadre_archive_lib import cadre_grid as grid

D = datetime.date
TODAY = D(2026, 6, 15)

# ------------------------------------------------------------- full_years


@pytest.mark.parametrize(
    ("start", "years"),
    [
        (D(1990, 6, 15), 36),  # the birthday is today: the new year counts
        (D(1990, 6, 16), 35),  # tomorrow: not yet
        (D(1990, 6, 14), 36),
        (D(2026, 6, 15), 0),
        (None, None),
    ],
)
def test_full_years(start, years):
    assert grid.full_years(start, TODAY) == years


def test_full_years_of_29_february():
    born = D(2000, 2, 29)
    assert grid.full_years(born, D(2025, 2, 28)) == 24
    assert grid.full_years(born, D(2025, 3, 1)) == 25
    assert grid.full_years(born, D(2024, 2, 29)) == 24


# ------------------------------------------------------------------- bands


@pytest.mark.parametrize(
    ("age", "key"),
    [
        (0, "35_under"),
        (35, "35_under"),
        (36, "36_40"),
        (40, "36_40"),
        (41, "41_45"),
        (45, "41_45"),
        (46, "46_50"),
        (50, "46_50"),
        (51, "51_55"),
        (55, "51_55"),
        (56, "56_over"),
        (90, "56_over"),
        (None, None),
    ],
)
def test_age_bands_at_their_edges(age, key):
    assert grid.band(age, grid.AGE_BANDS) == key


@pytest.mark.parametrize(
    ("years", "key"),
    [
        (0, "under_5"),
        (4, "under_5"),
        (5, "5_9"),
        (9, "5_9"),
        (10, "10_19"),
        (19, "10_19"),
        (20, "20_29"),
        (29, "20_29"),
        (30, "30_over"),
    ],
)
def test_service_and_party_bands(years, key):
    assert grid.band(years, grid.SERVICE_BANDS) == key
    assert grid.band(years, grid.PARTY_BANDS) == key


def test_bands_are_ordered_and_end_open():
    for bands in (grid.AGE_BANDS, grid.SERVICE_BANDS):
        edges = [highest for _key, highest in bands]
        assert edges[-1] is None
        assert edges[:-1] == sorted(edges[:-1])


# -------------------------------------------------------------- education


@pytest.mark.parametrize(
    ("level", "key"),
    [
        ("研究生", "postgraduate"),
        ("博士研究生", "postgraduate"),
        ("硕士", "postgraduate"),
        ("大学本科", "university"),
        ("大学", "university"),
        ("大学专科", "college"),
        ("大专", "college"),
        ("中专", "secondary"),
        ("中等专业学校", "secondary"),
        ("高中", "high_school"),
        ("初中", "high_school"),
        ("夜校", None),
        ("", None),
        (None, None),
    ],
)
def test_education_key(level, key):
    assert grid.education_key(level) == key


def test_highest_education_is_by_rank_not_by_order_of_words():
    assert grid.highest_education(["中专", "大学专科", "大学本科"]) == "university"
    assert grid.highest_education(["大学专科", "中专"]) == "college"
    assert grid.highest_education(["在职研究生", "大学本科"]) == "postgraduate"
    assert grid.highest_education(["夜校"]) is None
    assert grid.highest_education([]) is None


def test_education_keys_are_highest_first():
    assert grid.EDUCATION_KEYS == (
        "postgraduate",
        "university",
        "college",
        "secondary",
        "high_school",
    )


# ---------------------------------------------------------- assessment


@pytest.mark.parametrize(
    ("title", "text", "key"),
    [
        ("2023年度考核登记表（优秀）", None, "excellent"),
        ("2023年度考核登记表（称职）", None, "competent"),
        ("2023年度考核登记表（基本称职）", None, "basically_competent"),
        ("2023年度考核登记表（不称职）", None, "incompetent"),
        ("2023年度考核登记表（合格）", None, "qualified"),
        ("2023年度考核登记表（基本合格）", None, "basically_qualified"),
        ("2023年度考核登记表（不合格）", None, "unqualified"),
        ("2023年度考核登记表", "考核等次：称职", "competent"),
        ("2023年度考核登记表", "考核结果: 基本称职", "basically_competent"),
        # a form printing every result as a box: only the one after 等次
        (
            "年度考核登记表",
            "优秀□ 称职□ 基本称职□ 不称职□\n等次：不称职",
            "incompetent",
        ),
        ("年度考核登记表", "优秀□ 称职□ 基本称职□ 不称职□", None),
        # the title wins over the text
        ("2023年度考核登记表（优秀）", "等次：称职", "excellent"),
        ("年度考核登记表", None, None),
        (None, None, None),
    ],
)
def test_assessment_result(title, text, key):
    assert grid.assessment_result(title, text) == key


def test_result_words_are_not_shadowed_by_shorter_ones():
    words = [word for _key, word in grid.ASSESSMENT_RESULTS]
    for i, word in enumerate(words):
        assert not any(earlier in word for earlier in words[:i] if earlier != word)


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("3", "assessment"),
        ("4-4", "training"),
        ("7", "award"),
        ("8", "sanction"),
        ("4-1", None),
        ("1", None),
    ],
)
def test_conduct_kind(code, kind):
    assert grid.conduct_kind(code) == kind


def test_conduct_codes():
    assert set(grid.conduct_codes()) == {"3", "4-4", "7", "8"}


# -------------------------------------------------------------- grid_row


def test_grid_row_prefers_the_facts_of_record():
    row = grid.grid_row(
        {
            "birth_date": D(1980, 6, 15),
            "work_start_date": D(2000, 7, 1),
            "party_date": D(2005, 7, 1),
            "education": ["大学本科", "硕士研究生"],
            "post": "科长",
            "rank": "正科级",
            "category": "公务员",
        },
        {
            "birth_date": D(1970, 1, 1),
            "work_start_date": D(1990, 1, 1),
            "education": "bachelor",
            "post": "科员",
            "rank": "科员",
        },
        TODAY,
    )
    assert row == {
        "age": 46,
        "age_band": "46_50",
        "service_years": 25,
        "service_band": "20_29",
        "party_years": 20,
        "party_band": "20_29",
        "education": "postgraduate",
        "post": "科长",
        "rank": "正科级",
        "category": "公务员",
        "source": "facts",
    }


def test_grid_row_falls_back_to_hr():
    row = grid.grid_row(
        {},
        {
            "birth_date": D(1991, 6, 16),
            "work_start_date": D(2021, 6, 15),
            "education": "master",
            "post": "科员",
        },
        TODAY,
    )
    assert (row["age"], row["age_band"]) == (34, "35_under")
    assert (row["service_years"], row["service_band"]) == (5, "5_9")
    assert row["party_years"] is None and row["party_band"] is None
    assert row["education"] == "postgraduate"
    assert row["post"] == "科员" and row["rank"] is None
    assert row["source"] == "hr"


def test_grid_row_mixed_and_empty_sources():
    mixed = grid.grid_row({"party_date": D(2000, 1, 1)}, {"post": "科员"}, TODAY)
    assert mixed["source"] == "mixed"
    empty = grid.grid_row({}, {"education": "graduate"}, TODAY)
    assert empty["education"] is None and empty["source"] is None


# ------------------------------------------------------------------- SQL


def test_sql_band_has_one_placeholder_per_parameter():
    text, params = grid.sql_band("x", grid.AGE_BANDS)
    assert text.count("%s") == len(params)
    assert params == [35, "35_under", 40, "36_40", 45, "41_45", 50, "46_50"] + [
        55,
        "51_55",
        "56_over",
    ]
    assert text.startswith("CASE WHEN (x) IS NULL THEN NULL WHEN (x) <= %s")


@pytest.mark.parametrize(
    "build",
    [
        lambda: grid.sql_education_rank("level"),
        lambda: grid.sql_education_key("rank"),
        lambda: grid.sql_certificate_education("certificate"),
        lambda: grid.sql_assessment_result("title", "ocr"),
        lambda: grid.sql_conduct_kind("code"),
    ],
)
def test_sql_builders_keep_values_out_of_the_text(build):
    text, params = build()
    assert text.count("%s") == len(params)
    for value in params:
        if isinstance(value, str):
            assert value not in text
