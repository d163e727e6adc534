"""Facts of record read from the OCR text of the materials (三龄两历).

From the recognised text of a 干部履历表, 干部任免审批表, 入党志愿书, a degree
certificate or an annual assessment form, :func:`extract` proposes facts of
record: the birth date, the work start date, the party admission date, the
education lines and the work history lines (the 简历 of the 履历表, read line
by line). Each proposal keeps the line it was read from, its place on the
page when the word boxes of Tesseract are given, and a confidence.

A wrong proposal is worse than none: a value is proposed only when it follows
its label closely and reads as a whole date; dates written with two-digit
years (68.3) are proposed with a low confidence, and a label that gives two
different dates on one page proposes nothing.

Labels are configurable: ``labels`` maps a kind to the words announcing it
(:data:`DEFAULT_LABELS` otherwise). No Odoo import.
"""

import datetime
import difflib
import re
import unicodedata
from dataclasses import dataclass, field

from .audit import DateClaim, differ, reference_claim
from .partial_date import CN_DIGITS, PartialDate

DATE_KINDS = ("birth", "work_start", "party")
LINE_KINDS = ("education", "work")
KINDS = DATE_KINDS + LINE_KINDS

DEFAULT_LABELS = {
    "birth": ("出生年月", "出生日期", "出生时间"),
    "work_start": ("参加工作时间", "参加工作日期", "参加工作年月"),
    "party": ("加入中国共产党时间", "入党时间", "入党日期", "入党年月"),
    # a line of a study table, or the education block of a 任免审批表
    "education": ("全日制教育", "在职教育"),
    # the heading of the work history table (简历)
    "work": ("简历", "工作经历", "主要经历"),
}
# words of the education block and table
EDUCATION_LEVELS = (
    "博士研究生",
    "硕士研究生",
    "研究生",
    "大学本科",
    "大学专科",
    "本科",
    "大专",
    "中专",
    "高中",
    "初中",
)
DEGREE_RE = re.compile(r"(?:[\u4e00-\u9fff]{1,4}?)?(?:博士|硕士|学士|学十)(?:学位)?")
# Tesseract reads the 士 of 学士 as 十: no degree is written 学十
_DEGREE_FIXES = (("学十", "学士"),)
# a cell read as latin letters on a Chinese form: a value Tesseract missed
_LATIN_CELL = re.compile(r"(?<![A-Za-z])[A-Za-z]{2,}(?![A-Za-z])")
STUDY_MODES = {"全日制": "full_time", "在职": "in_service", "函授": "in_service"}
# the end of the text of a work history line: the post (the longest wins)
POST_WORDS = (
    "党组书记",
    "党委书记",
    "副书记",
    "书记",
    "副局长",
    "局长",
    "副主任",
    "主任科员",
    "主任",
    "副部长",
    "部长",
    "副科长",
    "科长",
    "副处长",
    "处长",
    "副县长",
    "县长",
    "副镇长",
    "镇长",
    "副乡长",
    "乡长",
    "副所长",
    "所长",
    "副院长",
    "院长",
    "副校长",
    "校长",
    "科员",
    "办事员",
    "干部",
    "教师",
    "职员",
    "秘书",
    "调研员",
    "助理",
)
STUDY_WORDS = ("学生", "学习", "就读")

MIN_CONFIDENCE = 0.5  # below this, nothing is proposed
HIGH = 0.95
CN_YEAR = 0.9
YEAR_ONLY = 0.8
TWO_DIGIT_YEAR = 0.55
MIN_WORK_AGE = 14
MIN_PARTY_AGE = 18
# Tesseract's word confidence (0-100) under which a line is doubted
LOW_WORD_CONF = 60
DOUBT = 0.8
# how alike a line of word boxes must be to the text line it places
MATCH_RATIO = 0.6

# the digits of partial dates, and the letter O that Tesseract reads for 〇
_CN_DIGITS = {**CN_DIGITS, "O": 0}
_CN = "〇○零一二三四五六七八九十"
# separators that OCR reads for the dot of 1968.03
_DOTS = str.maketrans(dict.fromkeys("。,，·、:：", "."))
_DASHES = str.maketrans(
    dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212~～", "-")
)

_NUM_DATE = re.compile(
    r"(?<![0-9])(?P<y>(?:19|20)[0-9]{2})\s*(?:(?P<s>[-./])\s*(?P<m>[0-9]{1,2})"
    r"(?:\s*(?P=s)\s*(?P<d>[0-9]{1,2}))?(?![0-9])"
    r"|年\s*(?:(?P<cm>[0-9]{1,2})\s*月(?:\s*(?P<cd>[0-9]{1,2})\s*[日号])?)?"
    r"|(?![0-9.\-/]))"
)
_CN_DATE = re.compile(
    rf"(?P<y>(?:[{_CN}O]\s*){{4}})年\s*(?:(?P<m>[{_CN}]{{1,3}})\s*月"
    rf"(?:\s*(?P<d>[{_CN}]{{1,3}})\s*[日号])?)?"
)
_SEVEN_RE = re.compile(r"(?<=年)了(?=月)")
_SHORT_DATE = re.compile(
    r"(?<![0-9])(?P<y>[0-9]{2})\s*(?:[.年])\s*(?P<m>[0-9]{1,2})(?:\s*月)?(?![0-9])"
)
# between a label and its value: spaces, colons, cell lines, "(岁)"
_GAP = re.compile(r"[\s:.|()\[\]岁I]*")
_PERIOD = re.compile(r"\s*-+\s*|\s*至\s*|\s*到\s*")


@dataclass(frozen=True)
class Line:
    """A line of text on a page; ``box`` is (left, top, width, height) in
    pixels when the word boxes are known; ``conf`` the lowest word
    confidence (0-100) of Tesseract, None when unknown."""

    text: str
    number: int
    box: tuple | None = None
    conf: float | None = None


@dataclass(frozen=True)
class Proposal:
    """A fact of record proposed from one line of a page.

    ``value`` is the date of a date kind; ``start`` and ``end`` the period of
    a line kind, whose ``values`` hold the other fields (education: level,
    degree, school, major, study_mode; work: unit_name, post)."""

    kind: str
    source_text: str
    line: int
    confidence: float
    value: PartialDate | None = None
    start: PartialDate | None = None
    end: PartialDate | None = None
    values: tuple = ()
    box: tuple | None = None

    def get(self, name, default=""):
        return dict(self.values).get(name, default)

    def text(self):
        """The proposed value in one line, to compare and to show."""
        if self.value:
            return self.value.format()
        period = f"{_fmt(self.start)}--{_fmt(self.end)}"
        return " ".join(p for p in (period, *(v for _k, v in self.values)) if p)


def _fmt(value):
    return value.format() if value else ""


# --------------------------------------------------------------------------
# Dates as archives write them
# --------------------------------------------------------------------------
def _normalize(text):
    text = unicodedata.normalize("NFKC", text or "")
    return text.translate(_DASHES)


def _cn_year(text):
    return int("".join(str(_CN_DIGITS[c]) for c in text))


def _cn_small(text):
    if not text:
        return None
    if "十" not in text:
        return _CN_DIGITS.get(text) if len(text) == 1 else None
    tens, _sep, units = text.partition("十")
    tens_value = _CN_DIGITS.get(tens, 0) if tens else 1
    units_value = _CN_DIGITS.get(units, 0) if units else 0
    if (tens and tens not in _CN_DIGITS) or (units and units not in _CN_DIGITS):
        return None
    return tens_value * 10 + units_value


def _make(year, month=None, day=None):
    try:
        return PartialDate(year, month, day)
    except ValueError:
        return None


@dataclass(frozen=True)
class DateRead:
    value: PartialDate
    start: int
    end: int
    confidence: float


def _num_date(match):
    year = int(match["y"])
    month = match["m"] or match["cm"]
    day = match["d"] or match["cd"]
    if not month and not _ends_cell(match.string[match.end() :]):
        return None  # 1992年了月: a month misread, the year alone would mislead
    value = _make(year, int(month) if month else None, int(day) if day else None)
    if not value:
        return None
    confidence = HIGH if month else YEAR_ONLY
    return DateRead(value, match.start(), match.end(), confidence)


def _ends_cell(rest):
    rest = rest.lstrip()
    return not rest or rest[0] in "|()"


def _cn_date(match):
    digits = re.sub(r"\s+", "", match["y"])
    if "十" in digits or digits[0] not in "一二":
        return None
    year = _cn_year(digits)
    month = _cn_small(match["m"]) if match["m"] else None
    day = _cn_small(match["d"]) if match["d"] else None
    if (match["m"] and month is None) or (match["d"] and day is None):
        return None
    value = _make(year, month, day)
    if not value:
        return None
    # 〇 read as the letter O: still sure enough, less than written right
    confidence = CN_YEAR if "O" not in digits else CN_YEAR - 0.05
    return DateRead(value, match.start(), match.end(), confidence)


def _short_date(match, today):
    year = 1900 + int(match["y"])
    if year + 100 <= today.year:
        year += 100
    value = _make(year, int(match["m"]))
    if not value:
        return None
    return DateRead(value, match.start(), match.end(), TWO_DIGIT_YEAR)


def read_dates(text, today=None):
    """The dates written in ``text``, in order: 1968.03, 1968年3月, 1968-03,
    1968.03.12, 一九六八年三月, and (with a low confidence) 68.3."""
    today = today or datetime.date.today()
    text = _normalize(text).translate(_DOTS)
    read_as = text
    # Tesseract reads the 7 of 7月 as 了 (same length: the places hold)
    text = _SEVEN_RE.sub("7", text)
    found = []
    taken = []
    for regex, make in (
        (_NUM_DATE, _num_date),
        (_CN_DATE, _cn_date),
        (_SHORT_DATE, lambda m: _short_date(m, today)),
    ):
        for match in regex.finditer(text):
            if any(a < match.end() and match.start() < b for a, b in taken):
                continue
            read = make(match)
            if read and read_as[read.start : read.end] != text[read.start : read.end]:
                read = DateRead(read.value, read.start, read.end, read.confidence - 0.1)
            if read and read.value.first_day() <= today:
                found.append(read)
                taken.append((match.start(), match.end()))
    return sorted(found, key=lambda r: r.start)


def read_date(text, today=None):
    """The one date that ``text`` starts with (after blanks), or None."""
    text = _normalize(text).translate(_DOTS)
    gap = _GAP.match(text).end()
    reads = read_dates(text, today)
    return next((r for r in reads if r.start == gap), None)


# --------------------------------------------------------------------------
# Lines of a page
# --------------------------------------------------------------------------
def lines_from_text(text):
    """The lines of an OCR text (no boxes)."""
    return [
        Line(line.strip(), number)
        for number, line in enumerate((text or "").split("\n"))
        if line.strip()
    ]


def _join_words(words):
    joined = " ".join(words)
    # the OCR's spaces between Chinese characters and digits are artefacts
    return re.sub(r"(?<=[\u4e00-\u9fff0-9.\-])\s+(?=[\u4e00-\u9fff0-9.\-])", "", joined)


def _cells(data, idx):
    """The words of a line in cells: a gap wider than twice the line's
    height between two words is a cell border (erased table lines)."""
    height = max(data["height"][i] for i in idx)
    cells, current, right = [], [], None
    for i in sorted(idx, key=lambda i: data["left"][i]):
        if right is not None and data["left"][i] - right > 2 * height:
            cells.append(current)
            current = []
        current.append(_JUNK.sub("", data["text"][i].strip()))
        right = data["left"][i] + data["width"][i]
    cells.append(current)
    return " | ".join(
        _join_words([w for w in cell if w]) for cell in cells if any(cell)
    )


_JUNK = re.compile(r"[\"'“”‘’`´^~_《》<>@]")


def lines_from_words(data):
    """Lines with their boxes from pytesseract's ``image_to_data`` dict."""
    groups = {}
    for i, word in enumerate(data.get("text", ())):
        word = (word or "").strip()
        if not word:
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        groups.setdefault(key, []).append(i)
    lines = []
    for number, key in enumerate(sorted(groups)):
        idx = groups[key]
        left = min(data["left"][i] for i in idx)
        top = min(data["top"][i] for i in idx)
        right = max(data["left"][i] + data["width"][i] for i in idx)
        bottom = max(data["top"][i] + data["height"][i] for i in idx)
        confs = [float(data["conf"][i]) for i in idx if float(data["conf"][i]) >= 0]
        lines.append(
            Line(
                _cells(data, idx),
                number,
                (left, top, right - left, bottom - top),
                min(confs) if confs else None,
            )
        )
    return lines


def place(proposals, boxed_lines):
    """The proposals with the box of the line of ``boxed_lines`` (from the
    word boxes) most alike their source line; unplaced ones are kept as
    they are."""
    texts = [_squash(line.text) for line in boxed_lines]
    placed = []
    for proposal in proposals:
        source = _squash(proposal.source_text)
        best, ratio = None, MATCH_RATIO
        for line, text in zip(boxed_lines, texts, strict=True):
            score = difflib.SequenceMatcher(None, source, text).ratio()
            if score >= ratio and line.box:
                best, ratio = line, score
        if best:
            proposal = _replace(proposal, box=best.box)
        placed.append(proposal)
    return placed


def _squash(text):
    return re.sub(r"\s+", "", _normalize(text))


def _replace(proposal, **changes):
    values = {f: getattr(proposal, f) for f in proposal.__dataclass_fields__}
    values.update(changes)
    return Proposal(**values)


# --------------------------------------------------------------------------
# Extraction
# --------------------------------------------------------------------------
@dataclass
class _Context:
    labels: dict
    today: datetime.date
    proposals: list = field(default_factory=list)


def _labels(labels):
    merged = dict(DEFAULT_LABELS)
    merged.update(labels or {})
    # the longest label first: 加入中国共产党时间 before 入党时间
    return {
        kind: tuple(sorted(words, key=len, reverse=True))
        for kind, words in merged.items()
    }


def _line_confidence(line, confidence):
    if line.conf is not None and line.conf < LOW_WORD_CONF:
        confidence *= DOUBT
    return confidence


def _date_facts(line, ctx):
    text = _normalize(line.text)
    for kind in DATE_KINDS:
        for label in ctx.labels.get(kind, ()):
            position = text.find(label)
            if position < 0:
                continue
            read = read_date(text[position + len(label) :], ctx.today)
            if read:
                ctx.proposals.append(
                    Proposal(
                        kind=kind,
                        source_text=line.text,
                        line=line.number,
                        confidence=_line_confidence(line, read.confidence),
                        value=read.value,
                        box=line.box,
                    )
                )
            break  # one label of a kind per line


def _period(text, today):
    """(start, end, rest, confidence) of "1998.07--2002.09 rest", or None."""
    text = _normalize(text).strip().lstrip("|I ").translate(_DOTS)
    start = read_date(text, today)
    if not start or start.start != 0:
        return None
    rest = text[start.end :]
    sep = _PERIOD.match(rest)
    if not sep or not sep.group().strip():
        return None
    rest = rest[sep.end() :]
    end = read_date(rest, today)
    if end:
        rest = rest[end.end :]
        if (
            differ(end.value, start.value)
            and end.value.first_day() < start.value.first_day()
        ):
            return None
    confidence = min(start.confidence, end.confidence if end else HIGH)
    rest = rest.strip(" |:.-")
    return start.value, end.value if end else None, rest, confidence


def _split_post(text):
    """(unit, post) of "某某县财政局副局长"; the post is the longest known
    word the text ends with."""
    for word in sorted(POST_WORDS, key=len, reverse=True):
        if text.endswith(word) and len(text) > len(word):
            return text[: -len(word)], word
    return text, ""


_SCHOOL_RE = re.compile(r"^(.+?(?:大学|学院|学校|党校|中学))(.*)$")


def _school_major(text):
    """(school, major) of "省师范大学汉语言文学专业"."""
    text = re.sub(r"^[^\w]+", "", re.sub(r"[\s|:]+", "", text))
    found = _SCHOOL_RE.match(text)
    school, major = (found.group(1), found.group(2)) if found else (text, "")
    return school, major.removesuffix("专业")


def _fix_degree(degree):
    for wrong, right in _DEGREE_FIXES:
        degree = degree.replace(wrong, right)
    return degree


def _education_fields(text):
    level = next((w for w in EDUCATION_LEVELS if w in text), "")
    degree_match = DEGREE_RE.search(text.replace(level, " ") if level else text)
    read_degree = degree_match.group() if degree_match else ""
    degree = _fix_degree(read_degree)
    mode = next((m for w, m in STUDY_MODES.items() if w in text), "")
    rest = _LATIN_CELL.sub(" ", text)
    for part in (level, read_degree, *STUDY_MODES):
        if part:
            rest = rest.replace(part, " ")
    parts = [p for p in re.split(r"\s*\|\s*|\s+", rest) if p.strip(" |")]
    if len(parts) == 1:
        school, major = _school_major(parts[0])
    else:
        school = parts[0] if parts else ""
        major = parts[1].removesuffix("专业") if len(parts) > 1 else ""
    return level, degree, school, major, mode


def _study_line(line, period, ctx, in_table):
    start, end, rest, confidence = period
    for word in STUDY_WORDS:
        rest = rest.removesuffix(word)
    level, degree, school, major, mode = _education_fields(rest)
    if not school:
        return
    if not level or _LATIN_CELL.search(rest):
        confidence = min(confidence, 0.6)  # a cell not read
    if not in_table:
        confidence = min(confidence, 0.7)
    values = (
        ("level", level),
        ("degree", degree),
        ("school", school),
        ("major", major),
        ("study_mode", mode or "full_time"),
    )
    ctx.proposals.append(
        Proposal(
            kind="education",
            source_text=line.text,
            line=line.number,
            confidence=_line_confidence(line, confidence),
            start=start,
            end=end,
            values=values,
            box=line.box,
        )
    )


def _work_line(line, period, ctx):
    start, end, rest, confidence = period
    text = re.sub(r"[\s|]+", "", rest)
    if not text:
        return
    unit, post = _split_post(text)
    if not post:
        confidence = min(confidence, 0.6)
    ctx.proposals.append(
        Proposal(
            kind="work",
            source_text=line.text,
            line=line.number,
            confidence=_line_confidence(line, confidence),
            start=start,
            end=end,
            values=(("unit_name", unit), ("post", post)),
            box=line.box,
        )
    )


def _education_block(line, ctx):
    """全日制教育 大学本科 文学学士 毕业院校系及专业 省师范大学中文专业."""
    text = _normalize(line.text)
    for label in ctx.labels.get("education", ()):
        position = text.find(label)
        if position < 0:
            continue
        body = text[position + len(label) :]
        mode = next((m for w, m in STUDY_MODES.items() if w in label), "full_time")
        school_part = ""
        for marker in ("毕业院校系及专业", "毕业院校及专业", "毕业院校", "院校"):
            if marker in body:
                body, _sep, school_part = body.partition(marker)
                break
        level = next((w for w in EDUCATION_LEVELS if w in body), "")
        degree_match = DEGREE_RE.search(body.replace(level, " ") if level else body)
        school, major = _school_major(school_part)
        if not level or not school:
            return
        ctx.proposals.append(
            Proposal(
                kind="education",
                source_text=line.text,
                line=line.number,
                confidence=_line_confidence(line, 0.85),
                values=(
                    ("level", level),
                    (
                        "degree",
                        _fix_degree(degree_match.group()) if degree_match else "",
                    ),
                    ("school", school),
                    ("major", major),
                    ("study_mode", mode),
                ),
                box=line.box,
            )
        )
        return


_SECTION_STUDY = ("学习经历", "学历学位", "教育经历")


def extract(lines, labels=None, today=None):
    """Propose the facts of record of one page from its ``lines`` (see
    :func:`lines_from_text`, :func:`lines_from_words`)."""
    ctx = _Context(_labels(labels), today or datetime.date.today())
    section = None
    work_headings = ctx.labels.get("work", ())
    for line in lines:
        text = _normalize(line.text)
        period = _period(text, ctx.today)
        if period is None:
            if any(h in text for h in _SECTION_STUDY):
                section = "study"
            elif any(text.replace(" ", "").startswith(h) for h in work_headings):
                section = "work"
            _date_facts(line, ctx)
            _education_block(line, ctx)
            continue
        rest = period[2]
        if section == "study" or any(w in rest for w in STUDY_WORDS):
            _study_line(line, period, ctx, in_table=section == "study")
        elif section == "work":
            _work_line(line, period, ctx)
    return _settle(ctx.proposals)


def _settle(proposals):
    """Drop what contradicts itself on one page; doubt what is implausible."""
    by_kind = {}
    for proposal in proposals:
        if proposal.kind in DATE_KINDS:
            by_kind.setdefault(proposal.kind, []).append(proposal)
    dropped = set()
    for kind, found in by_kind.items():
        values = {p.value for p in found}
        if len(values) > 1:
            dropped.add(kind)
    kept = [p for p in proposals if p.kind not in dropped]
    birth = next((p.value for p in kept if p.kind == "birth"), None)
    settled = []
    for proposal in kept:
        if birth and proposal.kind in ("work_start", "party"):
            age = MIN_WORK_AGE if proposal.kind == "work_start" else MIN_PARTY_AGE
            if proposal.value.year - birth.year < age:
                proposal = _replace(proposal, confidence=proposal.confidence * 0.5)
        if proposal.confidence >= MIN_CONFIDENCE:
            settled.append(proposal)
    # one proposal per date kind and page
    seen, unique = set(), []
    for proposal in settled:
        key = (proposal.kind, proposal.text())
        if key not in seen:
            seen.add(key)
            unique.append(proposal)
    return unique


def extract_text(text, labels=None, today=None):
    """:func:`extract` on a plain OCR text."""
    return extract(lines_from_text(text), labels, today)


# --------------------------------------------------------------------------
# Which materials carry facts, and which value is of record
# --------------------------------------------------------------------------
# source -> (category code prefixes, title words, filled in by the cadre)
SOURCES = {
    "cv": (("1",), ("履历表", "履历"), True),
    "appointment": (("9-2",), ("任免审批表", "任免表"), False),
    "party": (("6",), ("入党志愿书", "转正", "入党申请"), True),
    "degree": (("4-1",), ("学历", "学位", "毕业", "登记表"), False),
    "assessment": (("3",), ("年度考核登记表", "考核登记表"), True),
}


def source_of(category_code, title, sources=None):
    """(source, self_filled) of a material carrying facts, or None."""
    for name, (codes, words, self_filled) in (sources or SOURCES).items():
        code_ok = any(
            category_code == c or (category_code or "").startswith(c + "-")
            for c in codes
        )
        if code_ok and any(w in (title or "") for w in words):
            return name, self_filled
    return None


@dataclass(frozen=True)
class Candidate:
    """A proposed date with its material: ``ref`` identifies the proposal."""

    ref: object
    kind: str
    value: PartialDate
    material_ref: object
    material_date: PartialDate | None
    self_filled: bool


def of_record(candidates):
    """For each date kind: (the reference candidate, the candidates that
    disagree with it). The reference is the earliest self-filled material's
    for the birth date (组通字〔2006〕41号), the earliest otherwise."""
    result = {}
    for kind in DATE_KINDS:
        claims = [
            DateClaim(
                ref=c.ref,
                fact=kind,
                value=c.value,
                material_ref=c.material_ref,
                material_date=c.material_date,
                self_filled=c.self_filled,
            )
            for c in candidates
            if c.kind == kind
        ]
        if not claims:
            continue
        pool = [c for c in claims if c.self_filled] or claims
        reference = reference_claim(pool, kind)
        disagreeing = tuple(c.ref for c in claims if differ(c.value, reference.value))
        result[kind] = (reference.ref, disagreeing)
    return result
