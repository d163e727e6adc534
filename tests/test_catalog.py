import random

import pytest
from cadre_archive_lib.catalog import (
    CatalogCategory,
    CatalogMaterial,
    CatalogRow,
    CatalogSection,
    build_catalog,
    catalog_totals,
)
from cadre_archive_lib.errors import NumberingError
from cadre_archive_lib.partial_date import PartialDate

TOP = {
    "1": "履历类材料",
    "2": "自传和思想类材料",
    "3": "考核鉴定类材料",
    "4": "学历学位、专业技术职务（职称）、学术评鉴和教育培训类材料",
    "5": "政审、审计和审核类材料",
    "6": "党、团类材料",
    "7": "表彰奖励类材料",
    "8": "违规违纪违法处理处分类材料",
    "9": "工资、任免、出国和会议代表类材料",
    "10": "其他可供组织参考的材料",
}
SUB = {
    "4-1": "学历学位",
    "4-2": "专业技术职务（职称）",
    "4-3": "学术评鉴",
    "4-4": "教育培训",
    "9-1": "工资",
    "9-2": "任免",
    "9-3": "出国",
    "9-4": "会议代表",
}
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


def leaf_categories():
    """The 16 leaf categories of the 2018 regulation, in a shuffled order."""
    leaves = [CatalogCategory(code, name) for code, name in TOP.items()]
    leaves = [c for c in leaves if c.code not in ("4", "9")]
    leaves += [
        CatalogCategory(code, name, code.split("-")[0], TOP[code.split("-")[0]])
        for code, name in SUB.items()
    ]
    random.Random(11).shuffle(leaves)
    return leaves


def material(category, number, title="材料", date=None, **extra):
    return CatalogMaterial(category, number, title, date, **{"page_count": 1, **extra})


MATERIALS = [
    material("1", 2, "干部履历表", PartialDate(1998, 6), page_count=4),
    material("1", 10, "干部任免审批表附履历", PartialDate(2010), page_count=2),
    material(
        "1", 1, "干部履历表", PartialDate(1985, 3, 12), page_count=6, remarks="复印件"
    ),
    material("4-1", 1, "高中毕业登记表", PartialDate(1980, 7), page_count=2),
    material("9-2", 1, "任职通知", None, page_count=1),
    material("10", 1, "其他材料", PartialDate(2020, 1, 5), page_count=3),
    material("4-4", 3, "培训结业证书", PartialDate(2015, 11), page_count=1),
]


def test_sections_follow_official_order_including_empty_ones():
    sections = build_catalog(leaf_categories(), MATERIALS)
    assert [s.code for s in sections] == OFFICIAL_ORDER
    empty = {s.code for s in sections if not s.rows}
    assert empty == set(OFFICIAL_ORDER) - {"1", "4-1", "4-4", "9-2", "10"}
    assert all(isinstance(s, CatalogSection) for s in sections)


def test_section_carries_names_and_parent():
    sections = {s.code: s for s in build_catalog(leaf_categories(), [])}
    assert sections["4-2"].name == "专业技术职务（职称）"
    assert sections["4-2"].parent_code == "4"
    assert sections["4-2"].parent_name == TOP["4"]
    assert sections["7"].name == "表彰奖励类材料"
    assert sections["7"].parent_code is None
    assert sections["7"].parent_name is None


def test_rows_sorted_by_number_with_date_columns():
    sections = {s.code: s for s in build_catalog(leaf_categories(), MATERIALS)}
    rows = sections["1"].rows
    assert isinstance(rows, tuple)
    assert [r.number for r in rows] == [1, 2, 10]
    assert rows[0] == CatalogRow(
        number=1,
        code="1-1",
        title="干部履历表",
        year="1985",
        month="03",
        day="12",
        page_count=6,
        remarks="复印件",
    )
    assert (rows[1].year, rows[1].month, rows[1].day) == ("1998", "06", "")
    assert (rows[2].code, rows[2].year, rows[2].month) == ("1-10", "2010", "")


def test_sub_category_row_codes_and_undated_material():
    sections = {s.code: s for s in build_catalog(leaf_categories(), MATERIALS)}
    assert sections["4-4"].rows[0].code == "4-4-3"
    row = sections["9-2"].rows[0]
    assert row.code == "9-2-1"
    assert (row.year, row.month, row.day) == ("", "", "")
    assert row.remarks == ""


def test_section_page_count():
    sections = {s.code: s for s in build_catalog(leaf_categories(), MATERIALS)}
    assert sections["1"].page_count == 12
    assert sections["4-1"].page_count == 2
    assert sections["2"].page_count == 0


def test_catalog_totals():
    sections = build_catalog(leaf_categories(), MATERIALS)
    assert catalog_totals(sections) == (7, 19)
    assert catalog_totals(iter(sections)) == (7, 19)
    assert catalog_totals(build_catalog(leaf_categories(), [])) == (0, 0)
    assert catalog_totals([]) == (0, 0)


def test_only_given_categories_make_sections():
    categories = [CatalogCategory("10", "其他"), CatalogCategory("2", "自传")]
    sections = build_catalog(categories, [material("2", 1)])
    assert [s.code for s in sections] == ["2", "10"]


def test_material_of_unknown_category():
    categories = [CatalogCategory("1", "履历类材料")]
    with pytest.raises(NumberingError) as info:
        build_catalog(categories, [material("1", 1), material("4-1", 1)])
    assert info.value.code == "unknown_category"
    assert info.value.params == {"code": "4-1"}


def test_bad_category_code():
    with pytest.raises(NumberingError) as info:
        build_catalog([CatalogCategory("4-1-1", "x")], [])
    assert info.value.code == "bad_category_code"


def test_duplicate_category():
    categories = [CatalogCategory("1", "a"), CatalogCategory("1", "b")]
    with pytest.raises(NumberingError) as info:
        build_catalog(categories, [])
    assert info.value.code == "duplicate_category"
    assert info.value.params == {"code": "1"}


def test_duplicate_material_number():
    with pytest.raises(NumberingError) as info:
        build_catalog(leaf_categories(), [material("3", 2), material("3", 2)])
    assert info.value.code == "duplicate_material"
    assert info.value.params == {"code": "3-2"}


@pytest.mark.parametrize("number", [0, None])
def test_bad_material_number(number):
    with pytest.raises(NumberingError) as info:
        build_catalog(leaf_categories(), [material("3", 1), material("3", number)])
    assert info.value.code == "bad_number"


def test_catalog_accepts_generators():
    sections = build_catalog(iter(leaf_categories()), iter(MATERIALS))
    assert len(sections) == 16
