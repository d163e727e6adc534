import datetime
import io
import random

import pytest
from _tesseract import needs_tesseract
from cadre_archive_lib import cadre_forms, form_ocr
from cadre_archive_lib import fact_extraction as fx
from cadre_archive_lib.partial_date import PartialDate
from PIL import Image

TODAY = datetime.date(2024, 6, 1)


def kinds(proposals, kind):
    return [p for p in proposals if p.kind == kind]


def only(proposals, kind):
    found = kinds(proposals, kind)
    assert len(found) == 1, found
    return found[0]


# ------------------------------------------------------------------ dates


@pytest.mark.parametrize(
    "text, expected, confidence",
    [
        ("1968.03", PartialDate(1968, 3), fx.HIGH),
        ("1968.3", PartialDate(1968, 3), fx.HIGH),
        ("1968年3月", PartialDate(1968, 3), fx.HIGH),
        ("1968 年 03 月", PartialDate(1968, 3), fx.HIGH),
        ("1968-03", PartialDate(1968, 3), fx.HIGH),
        ("1968/03", PartialDate(1968, 3), fx.HIGH),
        ("1968.03.12", PartialDate(1968, 3, 12), fx.HIGH),
        ("1968年3月12日", PartialDate(1968, 3, 12), fx.HIGH),
        ("1968,03", PartialDate(1968, 3), fx.HIGH),  # the dot read as a comma
        ("１９６８．０３", PartialDate(1968, 3), fx.HIGH),  # full-width
        ("一九六八年三月", PartialDate(1968, 3), fx.CN_YEAR),
        ("一九六八年十二月", PartialDate(1968, 12), fx.CN_YEAR),
        ("二〇〇一年七月", PartialDate(2001, 7), fx.CN_YEAR),
        ("一九六八年三月二十一日", PartialDate(1968, 3, 21), fx.CN_YEAR),
        ("1968年", PartialDate(1968), fx.YEAR_ONLY),
        ("68.3", PartialDate(1968, 3), fx.TWO_DIGIT_YEAR),
        # what Tesseract makes of 〇 and of 7, still read, with less confidence
        ("二 OO 五年六月", PartialDate(2005, 6), fx.CN_YEAR - 0.05),
        ("1993年了月", PartialDate(1993, 7), fx.HIGH - 0.1),
        ("68年3月", PartialDate(1968, 3), fx.TWO_DIGIT_YEAR),
    ],
)
def test_dates_as_archives_write_them(text, expected, confidence):
    read = fx.read_date(text, TODAY)
    assert read.value == expected
    assert read.confidence == confidence


@pytest.mark.parametrize(
    "text",
    [
        "1968.13",
        "1968.02.30",
        "2030.01",
        "一九六八年十三月",
        "1992年了",  # not a month
        "三OO五年六月",  # no year of ours starts with 三
        "一九 G 〇年",
        "abc",
        "",
    ],
)
def test_no_date_rather_than_a_wrong_one(text):
    assert fx.read_date(text, TODAY) is None


def test_two_digit_years_of_this_century():
    assert fx.read_date("05.7", TODAY).value == PartialDate(2005, 7)


# ------------------------------------------------------------ date facts

CV_TEXT = """干部履历表
姓名 | 张三 | 性别 | 男 | 出生年月 | 1968.03
民族 | 汉族 | 籍贯 | 山东济南 | 参加工作时间 | 1988年7月
入党时间:一九九零年六月 | 健康状况 | 健康
学习经历
1984.09--1988.07 | 省师范大学 | 汉语言文学 | 大学本科 | 文学学士
简历
1984.09--1988.07 省师范大学中文系学生
1988.07--1992.03 某某县财政局科员
1992.03—1998.10 某某县财政局副局长
2015.06-- 某某县委组织部部长
"""


def test_each_date_fact_after_its_label():
    proposals = fx.extract_text(CV_TEXT, today=TODAY)
    assert only(proposals, "birth").value == PartialDate(1968, 3)
    assert only(proposals, "work_start").value == PartialDate(1988, 7)
    party = only(proposals, "party")
    assert party.value == PartialDate(1990, 6)
    assert party.source_text == "入党时间:一九九零年六月 | 健康状况 | 健康"
    assert party.line == 3


def test_the_longest_label_and_the_appointment_form_age():
    text = "出生年月(岁) | 1968.03(56岁)\n加入中国共产党时间 1990.06"
    proposals = fx.extract_text(text, today=TODAY)
    assert only(proposals, "birth").value == PartialDate(1968, 3)
    assert only(proposals, "party").value == PartialDate(1990, 6)


def test_a_date_far_from_its_label_is_not_proposed():
    proposals = fx.extract_text("出生年月 民族 汉族 1968.03", today=TODAY)
    assert not kinds(proposals, "birth")


def test_two_dates_for_one_label_on_a_page_propose_nothing():
    text = "出生年月 1968.03\n出生日期 1969.03"
    assert not kinds(fx.extract_text(text, today=TODAY), "birth")
    # the same date twice is one proposal
    text = "出生年月 1968.03\n出生日期 1968年3月"
    assert len(kinds(fx.extract_text(text, today=TODAY), "birth")) == 1


def test_work_before_the_age_of_14_or_party_before_18_is_not_proposed():
    text = "出生年月 1968.03\n参加工作时间 1978.07\n入党时间 1980.06"
    proposals = fx.extract_text(text, today=TODAY)
    assert not kinds(proposals, "work_start")
    assert not kinds(proposals, "party")
    text = "出生年月 1968.03\n参加工作时间 1983.07\n入党时间 1987.06"
    proposals = fx.extract_text(text, today=TODAY)
    assert only(proposals, "work_start").value == PartialDate(1983, 7)
    assert only(proposals, "party").value == PartialDate(1987, 6)


def test_labels_are_configurable():
    text = "生日 1968.03\n出生年月 1969.01"
    proposals = fx.extract_text(text, labels={"birth": ("生日",)}, today=TODAY)
    assert only(proposals, "birth").value == PartialDate(1968, 3)
    # the other kinds keep their default labels
    text = "参加工作时间 1988.07"
    assert only(fx.extract_text(text, labels={"birth": ("生日",)}), "work_start")


# ------------------------------------------------------------ lines


def test_work_history_read_line_by_line():
    work = kinds(fx.extract_text(CV_TEXT, today=TODAY), "work")
    assert [(p.start, p.end, p.get("unit_name"), p.get("post")) for p in work] == [
        (PartialDate(1988, 7), PartialDate(1992, 3), "某某县财政局", "科员"),
        (PartialDate(1992, 3), PartialDate(1998, 10), "某某县财政局", "副局长"),
        (PartialDate(2015, 6), None, "某某县委组织部", "部长"),
    ]
    assert all(p.confidence == fx.HIGH for p in work)


def test_a_post_not_known_is_proposed_with_a_low_confidence():
    text = "简历\n1988.07--1992.03 某某县某某站站务员"
    (line,) = kinds(fx.extract_text(text, today=TODAY), "work")
    assert line.get("post") == ""
    assert line.confidence < 0.8


def test_a_period_ending_before_it_starts_is_not_proposed():
    text = "简历\n1992.07--1988.03 某某县财政局科员"
    assert not kinds(fx.extract_text(text, today=TODAY), "work")


def test_education_from_the_study_table_and_the_cv():
    education = kinds(fx.extract_text(CV_TEXT, today=TODAY), "education")
    table, cv_line = education
    assert (table.start, table.end) == (PartialDate(1984, 9), PartialDate(1988, 7))
    assert dict(table.values) == {
        "level": "大学本科",
        "degree": "文学学士",
        "school": "省师范大学",
        "major": "汉语言文学",
        "study_mode": "full_time",
    }
    # a 学生 line of the 简历 is study, not work, and less sure (no level)
    assert (cv_line.get("school"), cv_line.get("major")) == ("省师范大学", "中文系")
    assert cv_line.confidence < table.confidence


def test_education_read_despite_the_usual_misreadings():
    text = "全日制教育 | 大学本科经济学学十毕业院校系及专业。省农业大学农学专业"
    (line,) = kinds(fx.extract_text(text, today=TODAY), "education")
    assert (line.get("degree"), line.get("school")) == ("经济学学士", "省农业大学")
    # a cell read as latin letters is a value missed: flagged
    text = "学习经历\n1992.09--1996.07 | 省农业大学 | 农学 | 大学本科 SCHL"
    (line,) = kinds(fx.extract_text(text, today=TODAY), "education")
    assert line.get("major") == "农学"
    assert line.confidence < 0.8


def test_education_block_of_the_appointment_form():
    text = (
        "全日制教育 | 大学本科文学学士 | 毕业院校系及专业 | 省师范大学汉语言文学专业\n"
        "在职教育 | 研究生管理学硕士 | 毕业院校系及专业 | 省委党校经济管理专业"
    )
    full, service = kinds(fx.extract_text(text, today=TODAY), "education")
    assert dict(full.values) == {
        "level": "大学本科",
        "degree": "文学学士",
        "school": "省师范大学",
        "major": "汉语言文学",
        "study_mode": "full_time",
    }
    assert service.get("study_mode") == "in_service"
    assert service.get("level") == "研究生"
    assert service.get("school") == "省委党校"


def test_word_boxes_make_lines_with_cells_and_places():
    data = {
        "text": ["出生", "年月", "1968.03", "", "简历"],
        "block_num": [1, 1, 1, 1, 1],
        "par_num": [1, 1, 1, 1, 1],
        "line_num": [1, 1, 1, 1, 2],
        "left": [100, 160, 600, 0, 100],
        "top": [50, 52, 51, 0, 150],
        "width": [60, 60, 150, 0, 60],
        "height": [40, 40, 40, 0, 40],
        "conf": [95, 90, 40, -1, 96],
    }
    first, second = fx.lines_from_words(data)
    assert first.text == "出生年月 | 1968.03"
    assert first.box == (100, 50, 650, 42)
    assert first.conf == 40
    assert second.text == "简历"
    (birth,) = fx.extract([first, second], today=TODAY)
    assert birth.box == first.box
    assert birth.confidence == pytest.approx(fx.HIGH * fx.DOUBT)  # low word conf


def test_proposals_placed_by_the_most_alike_line():
    (birth,) = fx.extract_text("出生年月 1968.03", today=TODAY)
    boxed = [
        fx.Line("姓名 张三", 0, (1, 1, 1, 1)),
        fx.Line("出生年月 | 1968.03", 1, (5, 6, 7, 8)),
    ]
    assert fx.place([birth], boxed)[0].box == (5, 6, 7, 8)
    assert fx.place([birth], [boxed[0]])[0].box is None


# ------------------------------------------------------------ of record


def test_sources_by_category_and_title():
    assert fx.source_of("1", "干部履历表") == ("cv", True)
    assert fx.source_of("9-2", "干部任免审批表") == ("appointment", False)
    assert fx.source_of("6", "入党志愿书") == ("party", True)
    assert fx.source_of("4-1", "学位证书") == ("degree", False)
    assert fx.source_of("3", "2019年度考核登记表") == ("assessment", True)
    assert fx.source_of("9-2", "干部履历表") is None  # wrong category
    assert fx.source_of("1", "自传") is None
    assert fx.source_of("10", "任免审批表") is None


def test_the_earliest_self_filled_value_is_of_record():
    def candidate(ref, value, year, self_filled, kind="birth"):
        return fx.Candidate(ref, kind, value, f"m{ref}", PartialDate(year), self_filled)

    candidates = [
        candidate(1, PartialDate(1969, 3), 1985, False),  # earliest, not self-filled
        candidate(2, PartialDate(1968, 3), 1990, True),
        candidate(3, PartialDate(1968, 3), 2000, True),
        candidate(4, PartialDate(1968), 2005, False),  # a year only: agrees
        candidate(5, PartialDate(1988, 7), 2000, False, "work_start"),
    ]
    settled = fx.of_record(candidates)
    assert settled["birth"] == (2, (1,))
    assert settled["work_start"] == (5, ())
    assert "party" not in settled


# ------------------------------------------------------------ real pages


@needs_tesseract
@pytest.mark.parametrize("form", cadre_forms.FORMS)
def test_generated_pages_read_by_tesseract(form):
    cadre = cadre_forms.make_cadre(random.Random(11))
    data = cadre_forms.render_form(cadre, form, seed=11, date_style="dot")
    image = Image.open(io.BytesIO(data))
    assert image.info["dpi"] == (300, 300)
    lines = form_ocr.read_form_lines(image)
    proposals = fx.extract(lines)
    assert only(proposals, "birth").value == cadre.birth
    assert only(proposals, "work_start").value == cadre.work_start
    assert only(proposals, "party").value == cadre.party
    work = [
        (p.start, p.end, p.get("unit_name"), p.get("post"))
        for p in kinds(proposals, "work")
    ]
    assert work == [tuple(line) for line in cadre.work]
    (education,) = kinds(proposals, "education")
    assert education.get("school") == cadre.education[0][2]
    assert education.get("level") == cadre.education[0][4]
    assert all(p.box for p in proposals)


def test_the_form_is_cleaned_of_its_table_lines_and_seal():
    cadre = cadre_forms.make_cadre(random.Random(3))
    data = cadre_forms.render_form(cadre, "cv", seed=3, skew=0.0)
    image = Image.open(io.BytesIO(data))
    cleaned, skew = form_ocr.clean_form(image)
    assert abs(skew) <= 0.2
    assert cleaned.mode == "L"
    # no row of the cleaned page is mostly ink: the rules are gone
    profile = cleaned.point(lambda v: 255 if v < form_ocr.INK else 0).resize(
        (1, cleaned.height), Image.BOX
    )
    assert max(profile.getdata()) < 255 * form_ocr.RULE_SHARE
    original = image.convert("L").point(lambda v: 255 if v < form_ocr.INK else 0)
    assert max(original.resize((1, image.height), Image.BOX).getdata()) > 255 * 0.5
