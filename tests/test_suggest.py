import datetime

import pytest
from cadre_archive_lib import catalog, numbering
from cadre_archive_lib.partial_date import PartialDate
from cadre_archive_lib.suggest import (
    DEFAULT_KEYWORDS,
    suggest_category,
    suggest_date,
)

TODAY = datetime.date(2024, 6, 30)

LEAF_CODES = "1 2 3 4-1 4-2 4-3 4-4 5 6 7 8 9-1 9-2 9-3 9-4 10".split()

# OCR output as Tesseract gives it for chi_sim (spaces between characters,
# full-width punctuation, recognition slips such as 改早 for 改革).
CV_TEXT = """干 部 履 历 表

姓 名 张 三 性 别 男 民 族 汉 族 籍 贯 山 东 济 南
出 生 日 期 1985 年 03 月 12 日 政 治 面 貌 中 共 党 员
参 加 工 作 时 间 2007 年 07 月 学 历 研 究 生 学 位 硕 士
工 作 单 位 及 职 务 某 某 市 发 展 和 改 早 委 员 会 副 主 任
2003.09—2007.07 某 某 大 学 经 济 学 院 经 济 学 专 业 学 习
2007.07—2012.03 某 某 市 发 展 和 改 革 委 员 会 科 员
2018.06— 某 某 市 发 展 和 改 革 委 员 会 副 主 任

填 表 日 期 ： 2020 年 05 月 06 日
"""

APPOINTMENT_TEXT = """干部任免审批表
姓名 张三 性别 男 出生年月 1985.03 (38岁)
民族 汉族 籍贯 山东济南 入党时间 2006.06 参加工作时间 2007.07
现任职务 某某市发展和改革委员会副主任
拟任职务 某某市发展和改革委员会主任
拟免职务 某某市发展和改革委员会副主任
简历
2003.09-2007.07 某某大学经济学院经济学专业学习
2007.07-2018.06 某某市发展和改革委员会科员、副科长、科长
奖惩情况 2019年度考核优秀,记三等功一次
年度考核结果 2020年称职,2021年优秀,2022年称职
任免理由 工作需要
呈报单位 (盖章)
2023年04月18日
审批机关意见 (盖章)
2023年05月09日
"""

ASSESSMENT_TEXT = """公务员年度考核登记表
( 2022 年度 )
单位 某某市发展和改革委员会 职务 科长
个人总结 一年来, 认真履行岗位职责……
主管领导评语和考核等次建议 称职
考核委员会意见 经考核, 确定为优秀等次。
盖章
2023 年 1 月 16 日
"""

DEGREE_TEXT = """学 位 证 书
张三, 男, 1985 年 3 月 12 日生。在某某大学经济学专业完成了硕士研究生的
学习计划, 成绩合格, 通过论文答辩, 依照《中华人民共和国学位条例》的规定,
授予经济学硕士学位。
某某大学学位评定委员会主席
二〇〇八年七月一日
证书编号 1042232008000123
"""

PARTY_TEXT = """中国共产党入党志愿书
姓名 张三 出生年月 1985年3月 入党时间
入党志愿
我志愿加入中国共产党……
本人签名 张三
2005年6月1日
支部大会通过接收预备党员的日期 2005年6月20日
上级党组织审批意见 同意接收为中共预备党员。
批准日期
2005年9月10日
"""


def best(title, text=""):
    ranked = suggest_category(title, text)
    return ranked[0][0] if ranked else None


# -------------------------------------------------------------- keywords


def test_default_keywords_cover_the_18_leaf_codes():
    assert sorted(DEFAULT_KEYWORDS, key=numbering.category_sort_key) == list(LEAF_CODES)
    for code, words in DEFAULT_KEYWORDS.items():
        assert len(words) >= 5, code
        assert len(set(words)) == len(words), code
        assert all(word and word == word.strip() for word in words), code


def test_keywords_are_not_too_generic():
    # no word so common that it appears in most materials
    words = {word for ws in DEFAULT_KEYWORDS.values() for word in ws}
    assert not words & {"其他", "党员", "中共党员", "日期", "审批", "登记表", "材料"}


# -------------------------------------------------------------- category


@pytest.mark.parametrize(
    "title, code",
    [
        ("干部任免审批表", "9-2"),
        ("年度考核登记表", "3"),
        ("学位证书", "4-1"),
        ("入党志愿书", "6"),
        ("干部履历表", "1"),
        ("干部简历", "1"),
        ("自传", "2"),
        ("2019年度公务员年度考核登记表", "3"),
        ("硕士研究生毕业证书", "4-1"),
        ("高级工程师任职资格评审表", "4-2"),
        ("论文目录", "4-3"),
        ("中央党校中青年干部培训班结业证书", "4-4"),
        ("干部基本信息审核认定表", "5"),
        ("经济责任审计报告", "5"),
        ("入团志愿书", "6"),
        ("嘉奖令", "7"),
        ("记三等功审批表", "7"),
        ("关于给予张三党内警告处分的决定", "8"),
        ("诫勉谈话登记表", "8"),
        ("工资变动审批表", "9-1"),
        ("关于张三同志任职的通知", "9-2"),
        ("因公出国(境)审批表", "9-3"),
        ("因公出国（境）审批表", "9-3"),  # full-width brackets
        ("市第十三次党代会代表登记表", "9-4"),
        ("公务员录用体检表", "10"),
    ],
)
def test_suggest_category_from_the_title(title, code):
    assert best(title) == code


def test_longest_match_wins():
    # 任免审批表 hides 任免, 审批表 ... and there is no 履历 word in it
    ranked = suggest_category("干部任免审批表", "")
    assert ranked == [("9-2", 1.0)]
    # 开除党籍 (8) hides 开除 (9-2); 试用期满考核 (9-2) hides 考核 (3)
    assert best("开除党籍处分决定") == "8"
    assert best("任职试用期满考核登记表") == "9-2"
    assert best("当选院士") == "4-3"


def test_suggest_category_from_ocr_texts():
    assert best("", CV_TEXT) == "1"
    assert best("", APPOINTMENT_TEXT) == "9-2"
    assert best("", ASSESSMENT_TEXT) == "3"
    assert best("", DEGREE_TEXT) == "4-1"
    assert best("", PARTY_TEXT) == "6"


def test_title_weighs_more_than_the_text():
    # the text mentions 考核 and 记三等功 but the officer's title decides
    assert best("干部任免审批表", ASSESSMENT_TEXT) == "9-2"
    assert best("年度考核登记表", APPOINTMENT_TEXT) == "3"


def test_scores_are_shares_ranked_best_first():
    ranked = suggest_category("", APPOINTMENT_TEXT)
    codes = [code for code, _score in ranked]
    scores = [score for _code, score in ranked]
    assert len(codes) == len(set(codes)) > 1
    assert scores == sorted(scores, reverse=True)
    assert sum(scores) == pytest.approx(1, abs=0.01)
    assert all(0 < score <= 1 for score in scores)


def test_repeated_words_count_at_most_three_times():
    once = suggest_category("", "个人总结\n嘉奖\n考核")
    many = suggest_category("", "个人总结\n嘉奖\n" + "考核\n" * 50)
    assert dict(once)["3"] == 0.5
    assert dict(many)["3"] == pytest.approx(0.75, abs=0.001)


@pytest.mark.parametrize("title, text", [("", ""), ("abc", "Hello"), (None, None)])
def test_nothing_matches(title, text):
    assert suggest_category(title, text) == []


def test_custom_keywords():
    keywords = {"1": ["履历"], "11": ("特殊",)}
    assert suggest_category("特殊材料", "", keywords) == [("11", 1.0)]
    assert suggest_category("干部任免审批表", "", keywords) == []
    ranked = suggest_category("履历 特殊", "", {"11": ["特殊"], "1": ["履历"]})
    assert ranked == [("1", 0.5), ("11", 0.5)]  # ties in category order


def test_custom_keywords_are_normalized():
    assert suggest_category("出国(境)", "", {"9-3": ["出国（境）"]}) == [("9-3", 1.0)]


def test_suggestions_are_catalog_codes():
    categories = [catalog.CatalogCategory(code, code) for code in LEAF_CODES]
    catalog.build_catalog(categories, [])  # the codes are valid and distinct
    for text in (CV_TEXT, APPOINTMENT_TEXT, ASSESSMENT_TEXT, DEGREE_TEXT):
        assert {code for code, _ in suggest_category("", text)} <= set(LEAF_CODES)


# ------------------------------------------------------------------ date


def test_date_after_a_formation_label():
    assert suggest_date("干部履历表", CV_TEXT, TODAY) == PartialDate(2020, 5, 6)


def test_birth_and_work_dates_are_not_formation_dates():
    text = CV_TEXT.replace("填 表 日 期 ： 2020 年 05 月 06 日", "")
    assert suggest_date("干部履历表", text, TODAY) is None


def test_last_date_after_a_seal():
    # the approval date at the bottom, not the birth, party or résumé dates
    assert suggest_date("", APPOINTMENT_TEXT, TODAY) == PartialDate(2023, 5, 9)


def test_last_date_of_the_text_when_unlabelled():
    text = (
        "关于张三同志任职的通知\n"
        "经研究, 决定任命张三(1985年3月生)为某某市发展和改革委员会主任。\n"
        "2003.09-2007.07 某某大学学习\n"
        "出生年月 1985.03 入党时间 2006.06\n"
        "中共某某市委组织部\n"
        "2023年5月12日\n"
        "抄送: 某某市人力资源和社会保障局 (共印 5 份)"
    )
    assert suggest_date("", text, TODAY) == PartialDate(2023, 5, 12)


def test_date_after_the_seal():
    assert suggest_date("", ASSESSMENT_TEXT, TODAY) == PartialDate(2023, 1, 16)


def test_date_in_chinese_numerals():
    assert suggest_date("学位证书", DEGREE_TEXT, TODAY) == PartialDate(2008, 7, 1)


def test_label_on_one_line_and_date_on_the_next():
    assert suggest_date("入党志愿书", PARTY_TEXT, TODAY) == PartialDate(2005, 9, 10)


def test_formation_label_beats_a_later_date():
    text = "填表日期 2020年5月6日\n备注 2021年1月1日调整"
    assert suggest_date("", text, TODAY) == PartialDate(2020, 5, 6)


def test_generic_label_beats_a_later_unlabelled_date():
    text = "签发日期\n日期: 2019.11\n抄送 2021年3月"
    assert suggest_date("", text, TODAY) == PartialDate(2019, 11)


def test_dates_after_today_are_ignored():
    text = "填表日期 2030年1月1日\n日期 2022年3月4日"
    assert suggest_date("", text, TODAY) == PartialDate(2022, 3, 4)
    assert suggest_date("", "日期 2024年7月", TODAY) is None
    assert suggest_date("", "日期 2024年6月", TODAY) == PartialDate(2024, 6)
    assert suggest_date("", "日期 2024年7月", datetime.date(2024, 7, 1)) == (
        PartialDate(2024, 7)
    )


def test_today_defaults_to_the_current_date():
    year = datetime.date.today().year
    assert suggest_date("", f"日期 {year + 1}年1月1日") is None
    assert suggest_date("", f"日期 {year - 1}年1月1日") == PartialDate(year - 1, 1, 1)


def test_bare_years_in_the_text_are_not_dates():
    text = "工资 2000 元\n证书编号 1042232008000123\n第 1998 号"
    assert suggest_date("", text, TODAY) is None


def test_title_year_as_the_last_resort():
    assert suggest_date("2019年度考核登记表", "", TODAY) == PartialDate(2019)
    text = "2019年度考核登记表\n年度考核 优秀\n单位盖章\n2020年1月10日"
    assert suggest_date("2019年度考核登记表", text, TODAY) == PartialDate(2020, 1, 10)


@pytest.mark.parametrize("title, text", [("", ""), (None, None), ("自传", "无日期")])
def test_no_date(title, text):
    assert suggest_date(title, text, TODAY) is None


def test_datetime_today_is_accepted():
    now = datetime.datetime(2024, 6, 30, 12, 0)
    assert suggest_date("", "日期 2024年6月30日", now) == PartialDate(2024, 6, 30)
