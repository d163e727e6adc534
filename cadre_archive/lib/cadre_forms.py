"""Generated 干部履历表 and 干部任免审批表 pages with known values.

For the tests and the benchmark of :mod:`.fact_extraction`: :func:`make_cadre`
draws a cadre's facts (birth, work start, party admission, education and
work history) from a seeded random generator, and :func:`render_form` draws
one form page of them as a scan would look: a table with its lines, 300 dpi,
a slight skew, a red stamp over part of the text, some speckle, JPEG.
No Odoo import.
"""

import datetime
import io
import random
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFilter

from .pages import load_font, page_size
from .partial_date import PartialDate

FORMS = ("cv", "appointment")
TITLES = {"cv": "干部履历表", "appointment": "干部任免审批表"}
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
_PLACES = ("城关", "河西", "青山", "东湖", "南岭", "石桥", "柳林", "白沙")
_UNITS = (
    "县财政局",
    "县教育局",
    "县农业农村局",
    "县发展和改革局",
    "县委组织部",
    "县人民政府办公室",
    "县审计局",
    "县商务局",
)
_POSTS = (
    ("科员", "副科长", "科长"),
    ("科员", "副主任", "主任"),
    ("科员", "副局长", "局长"),
    ("干部", "副部长", "部长"),
)
_SCHOOLS = (
    ("省师范大学", "汉语言文学"),
    ("省农业大学", "农学"),
    ("省财经学院", "会计学"),
    ("市职业技术学院", "计算机应用"),
    ("省委党校", "经济管理"),
)
_LEVELS = (("大学本科", "文学学士"), ("大学专科", ""), ("大学本科", "经济学学士"))
_CN_DIGITS = "〇一二三四五六七八九"
_CN_SMALL = (
    "",
    "一",
    "二",
    "三",
    "四",
    "五",
    "六",
    "七",
    "八",
    "九",
    "十",
    "十一",
    "十二",
)


@dataclass(frozen=True)
class Cadre:
    """The known facts of a generated cadre."""

    name: str
    birth: PartialDate
    work_start: PartialDate
    party: PartialDate
    education: tuple  # ((start, end, school, major, level, degree, mode), ...)
    work: tuple  # ((start, end or None, unit, post), ...)


def _month(rng, year, after=None):
    low = 1
    if after and after.year == year:
        low = after.month + 1
    return PartialDate(year, rng.randint(min(low, 12), 12))


def make_cadre(rng):
    """A cadre with consistent facts (work after study, party after 18)."""
    birth_year = rng.randint(1960, 1985)
    birth = PartialDate(birth_year, rng.randint(1, 12))
    study_start = PartialDate(birth_year + 18, 9)
    study_end = PartialDate(birth_year + 22, 7)
    school, major = rng.choice(_SCHOOLS)
    level, degree = rng.choice(_LEVELS)
    education = [(study_start, study_end, school, major, level, degree, "full_time")]
    work_start = study_end
    place = rng.choice(_PLACES)
    unit = place + rng.choice(_UNITS)
    posts = rng.choice(_POSTS)
    work = []
    start = work_start
    for index in range(rng.randint(2, 4)):
        post = posts[min(index, len(posts) - 1)]
        if index == 3:
            unit = place + rng.choice(_UNITS)
        last = index == 3 or start.year + 6 > 2023
        if last:
            work.append((start, None, unit, post))
            break
        end = PartialDate(start.year + rng.randint(2, 5), rng.randint(1, 12))
        if end.first_day() <= start.first_day():
            end = PartialDate(end.year + 1, end.month)
        work.append((start, end, unit, post))
        start = end
    else:
        work[-1] = (*work[-1][:1], None, *work[-1][2:])
    party = PartialDate(birth_year + rng.randint(20, 30), rng.randint(1, 12))
    if party.first_day() > datetime.date(2023, 12, 1):
        party = PartialDate(2020, 6)
    name = rng.choice(_SURNAMES) + rng.choice(_GIVEN) + rng.choice(("", *_GIVEN))
    return Cadre(name, birth, work_start, party, tuple(education), tuple(work))


def _cn_year(year):
    return "".join(_CN_DIGITS[int(c)] for c in str(year))


def write_date(value, style):
    """A date as archives write it: dot, cn, dash, cn_numerals."""
    if style == "cn":
        return f"{value.year}年{value.month}月"
    if style == "dash":
        return f"{value.year}-{value.month:02d}"
    if style == "cn_numerals":
        return f"{_cn_year(value.year)}年{_CN_SMALL[value.month]}月"
    return f"{value.year}.{value.month:02d}"


DATE_STYLES = ("dot", "cn", "dash", "dot", "cn_numerals")


def _rows(cadre, form, rng, date_style=None):
    """The rows of the form: lists of (text, width share); a row of one
    heading cell is a section heading."""
    style = date_style or rng.choice(DATE_STYLES)
    birth = write_date(cadre.birth, style)
    if form == "appointment":
        age = 2024 - cadre.birth.year
        birth_label, birth = "出生年月(岁)", f"{birth}({age}岁)"
    else:
        birth_label = "出生年月"
    rows = [
        [
            ("姓名", 2),
            (cadre.name, 2),
            ("性别", 1),
            ("男", 1),
            (birth_label, 3),
            (birth, 4),
        ],
        [
            ("民族", 2),
            ("汉族", 2),
            ("籍贯", 1),
            ("本省", 1),
            ("参加工作时间", 3),
            (write_date(cadre.work_start, style), 4),
        ],
        [
            ("入党时间", 2),
            (write_date(cadre.party, style), 4),
            ("健康状况", 3),
            ("健康", 4),
        ],
    ]
    if form == "appointment":
        for _start, _end, school, major, level, degree, mode in cadre.education:
            label = "全日制教育" if mode == "full_time" else "在职教育"
            rows.append(
                [
                    (label, 3),
                    (f"{level}{degree}", 3),
                    ("毕业院校系及专业", 3),
                    (f"{school}{major}专业", 4),
                ]
            )
    else:
        rows.append([("学习经历", 13)])
        for start, end, school, major, level, degree, _mode in cadre.education:
            rows.append(
                [
                    (f"{write_date(start, 'dot')}--{write_date(end, 'dot')}", 4),
                    (school, 3),
                    (major, 2),
                    (level, 2),
                    (degree or " ", 2),
                ]
            )
    rows.append([("简历", 13)])
    for start, end, unit, post in cadre.work:
        period = f"{write_date(start, 'dot')}--{write_date(end, 'dot') if end else ''}"
        rows.append([(f"{period}  {unit}{post}", 13)])
    return rows


def _stamp(image, rng, centre, radius):
    """A red seal: a ring, a star and a name, semi-transparent."""
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    x, y = centre
    red = (215, 30, 35, 150)
    draw.ellipse(
        (x - radius, y - radius, x + radius, y + radius),
        outline=red,
        width=max(4, radius // 14),
    )
    font = load_font(radius // 3)
    draw.text((x - radius * 0.75, y - radius * 0.2), "组织部印", fill=red, font=font)
    draw.regular_polygon((x, y - radius * 0.5, radius // 5), 5, fill=red)
    return Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")


def render_form(
    cadre, form, seed=0, dpi=300, skew=None, stamp=True, quality=85, date_style=None
):
    """The JPEG bytes of one page of ``form`` ('cv' or 'appointment'); the
    dates of the head of the form in ``date_style`` (see
    :data:`DATE_STYLES`; drawn at random when None)."""
    rng = random.Random(seed)
    width, height = page_size(dpi)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    pixel = round(12 / 72 * dpi)
    font = load_font(pixel)
    title_font = load_font(round(pixel * 1.6))
    margin = round(20 / 25.4 * dpi)
    draw.text(
        (width // 2 - pixel * 4, margin), TITLES[form], fill="black", font=title_font
    )
    y = margin + round(pixel * 3.5)
    table_width = width - 2 * margin
    row_height = round(pixel * 2.2)
    line = max(2, dpi // 100)
    stamp_at = None
    rows = _rows(cadre, form, rng, date_style)
    for index, row in enumerate(rows):
        total = sum(share for _text, share in row)
        x = margin
        for text, share in row:
            cell = round(table_width * share / total)
            draw.rectangle(
                (x, y, x + cell, y + row_height), outline="black", width=line
            )
            draw.text(
                (x + pixel // 2, y + (row_height - pixel) // 2 - pixel // 8),
                text,
                fill="black",
                font=font,
            )
            x += cell
        if index == len(rows) - 2:
            stamp_at = (margin + table_width * 3 // 4, y)
        y += row_height
    if stamp and stamp_at:
        image = _stamp(image, rng, stamp_at, round(pixel * 3))
    angle = rng.uniform(-0.8, 0.8) if skew is None else skew
    image = image.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor="white")
    speckle = ImageDraw.Draw(image)
    for _ in range(400):
        px, py = rng.randrange(width), rng.randrange(height)
        speckle.point((px, py), fill=(90, 90, 90))
    image = image.filter(ImageFilter.GaussianBlur(0.6))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality, dpi=(dpi, dpi))
    return buffer.getvalue()
