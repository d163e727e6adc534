"""Suggestions for filing a scanned material: its category and formation date.

Both read the title the officer typed and the OCR text of the scan; they only
propose values, which the officer accepts or corrects.
"""

import datetime
import re
from collections.abc import Iterable

from .numbering import category_sort_key
from .ocr import normalize_text
from .partial_date import PartialDate, find_dates

# Category code -> words typical of its materials (the ten categories of the
# 2018 干部人事档案工作条例, by leaf).  A word inside a longer matched word of
# another category does not count (see suggest_category), so both short
# generic words and long exact form names may be listed.
DEFAULT_KEYWORDS: dict[str, tuple[str, ...]] = {
    "1": (
        "干部履历表",
        "履历表",
        "履历书",
        "履历",
        "干部简历表",
        "干部简历",
        "简历表",
        "简历",
        "干部基本情况登记表",
        "干部基本情况表",
        "干部信息采集表",
        "干部登记表",
    ),
    "2": (
        "自传",
        "思想汇报",
        "重要思想汇报",
        "思想小结",
        "思想总结",
        "党性分析",
        "党性分析材料",
        "对照检查材料",
        "个人对照检查",
        "检视剖析材料",
        "剖析材料",
        "专题教育",
        "主题教育",
        "教育实践活动",
        "两学一做",
        "三严三实",
    ),
    "3": (
        "年度考核登记表",
        "年度考核",
        "考核登记表",
        "公务员年度考核",
        "平时考核",
        "专项考核",
        "任期考核",
        "聘期考核",
        "考核",
        "鉴定表",
        "工作鉴定",
        "鉴定",
        "民主评议党员",
        "民主评议",
        "组织生活会",
        "自我总结",
        "现实表现",
    ),
    "4-1": (
        "学位证书",
        "毕业证书",
        "学历证书",
        "学位证",
        "毕业证",
        "高等学校毕业生登记表",
        "毕业生登记表",
        "学生登记表",
        "中等学校招生登记表",
        "招生登记表",
        "学历学位认证",
        "学历认证",
        "学位认证",
        "留学生审查登记表",
        "学籍",
        "学习成绩表",
        "成绩单",
        "学历",
        "学位",
    ),
    "4-2": (
        "专业技术职务",
        "专业技术职务任职资格",
        "专业技术资格",
        "职称",
        "职称评审",
        "职称证书",
        "任职资格评审表",
        "评审表",
        "资格证书",
        "职业资格",
        "职业资格证书",
        "高级工程师",
        "工程师",
        "经济师",
        "会计师",
        "专业技术人员",
    ),
    "4-3": (
        "学术",
        "学术评鉴",
        "论文",
        "论文目录",
        "著作",
        "译著",
        "科研成果",
        "科研",
        "发明创造",
        "发明",
        "专利",
        "当选院士",
        "院士",
        "人才工程",
    ),
    "4-4": (
        "培训",
        "培训登记表",
        "教育培训",
        "干部教育培训",
        "进修",
        "党校",
        "行政学院",
        "干部学院",
        "结业证书",
        "结业成绩表",
        "结业",
        "学习培训",
    ),
    "5": (
        "政审",
        "政治审查",
        "政治历史情况审查",
        "审查",
        "审计",
        "经济责任审计",
        "离任审计",
        "审计结果",
        "审核",
        "审核认定",
        "信息审核认定表",
        "专项审核",
        "证明",
        "证明材料",
        "廉洁从业",
        "结论性评价",
    ),
    "6": (
        "入党志愿书",
        "入党申请书",
        "入党",
        "转正申请书",
        "转正申请",
        "预备党员",
        "入党积极分子",
        "发展党员",
        "培养教育考察",
        "党员登记表",
        "党籍",
        "恢复党籍",
        "停止党籍",
        "退党",
        "组织关系",
        "入团志愿书",
        "入团申请书",
        "入团",
        "共青团",
        "民主党派",
    ),
    "7": (
        "嘉奖",
        "表彰",
        "表彰决定",
        "奖励",
        "奖励审批表",
        "记功",
        "三等功",
        "二等功",
        "一等功",
        "立功",
        "荣誉称号",
        "荣誉证书",
        "先进人物登记表",
        "先进个人",
        "先进工作者",
        "劳动模范",
        "优秀共产党员",
        "优秀党务工作者",
        "先进事迹",
        "获奖",
        "奖状",
    ),
    "8": (
        "处分",
        "处分决定",
        "党纪处分",
        "政务处分",
        "行政处分",
        "警告处分",
        "记过",
        "记大过",
        "降级",
        "撤职",
        "开除党籍",
        "留党察看",
        "诫勉",
        "诫勉谈话",
        "违纪",
        "违规",
        "违法",
        "组织处理",
        "刑事判决书",
        "判决书",
        "裁定书",
        "行政处罚",
        "处罚决定书",
        "问责",
        "通报批评",
    ),
    "9-1": (
        "工资",
        "工资审批表",
        "工资变动",
        "工资套改",
        "套改",
        "薪级",
        "工资待遇",
        "待遇审批",
        "调资",
        "增资",
        "津贴",
        "定级",
        "社会保险",
        "养老保险",
    ),
    "9-2": (
        "干部任免审批表",
        "任免审批表",
        "任免",
        "任职",
        "免职",
        "任命",
        "任命书",
        "聘任",
        "聘用",
        "聘用合同",
        "录用",
        "录用审批表",
        "公务员登记表",
        "招用",
        "考察材料",
        "干部考察材料",
        "调动",
        "调令",
        "调配",
        "转任",
        "转岗",
        "退休",
        "离休",
        "退职",
        "辞职",
        "辞退",
        "解聘",
        "开除",
        "军队转业",
        "转业",
        "复员",
        "军衔",
        "试用期满",
        "试用期满考核",
        "任职试用期满考核",
        "转正定级",
        "职务职级",
        "职级晋升",
        "人民代表大会常务委员会",
        "人大常委会",
    ),
    "9-3": (
        "出国",
        "出境",
        "出国(境)",
        "因公出国",
        "因私出国",
        "出国境审批表",
        "出访",
        "护照",
        "通行证",
        "港澳",
        "签证",
    ),
    "9-4": (
        "代表",
        "党代表",
        "人大代表",
        "政协委员",
        "代表大会",
        "党代会",
        "代表登记表",
        "代表资格",
        "代表候选人",
        "当选",
    ),
    "10": (
        "体检",
        "体检表",
        "体检报告",
        "健康检查",
        "体格检查",
        "报到证",
        "就业报到证",
        "派遣证",
        "职工登记表",
        "工伤",
        "工伤事故",
        "讣告",
        "治丧",
        "治丧报告",
        "悼词",
        "遗书",
        "非正常死亡",
        "其他材料",
        "其他可供组织参考",
    ),
}

TITLE_WEIGHT = 3.0  # a word of the title counts 3 times ...
HEADING_WEIGHT = 2.0  # ... of the text's first line (the form's name) 2 times
TEXT_WEIGHT = 1.0
MAX_OCCURRENCES = 3  # a word repeated in the text counts at most 3 times

# Words after which a date is the date the material was made (形成时间) ...
DATE_LABELS = (
    "填表日期",
    "填表时间",
    "填写日期",
    "填写时间",
    "填报日期",
    "制表日期",
    "成文日期",
    "发文日期",
    "签发日期",
    "形成日期",
    "形成时间",
    "落款日期",
    "批准日期",
    "批准时间",
    "审批日期",
    "签字日期",
    "签名日期",
)
# ... words after which it probably is, unless an event word precedes them ...
GENERIC_DATE_LABELS = ("日期", "时间", "签发", "盖章", "签字", "签名", "落款")
# ... and words naming events of the cadre's life, whose dates are not it.
EVENT_WORDS = (
    "出生",
    "生于",
    "入党",
    "入团",
    "参加工作",
    "入学",
    "毕业",
    "任职",
    "转正",
    "入伍",
    "退休",
    "离休",
    "起止",
    "到职",
)
EVENT_WINDOW = 4  # characters before a generic label searched for event words
_PERIOD_LINE_RE = re.compile(
    r"^[0-9]{4}(?:[-./年][0-9]{1,2}月?)?\s*(?:[-~至到—–]|$)"
)  # a résumé line "2003.09-2007.07 某某大学学习"
_MARKERS = (*DATE_LABELS, *GENERIC_DATE_LABELS, *EVENT_WORDS)
_FILLER = " :.,;-()[]"
_DASHES = str.maketrans(
    dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212~～", "-")
)


# -------------------------------------------------------------- category


def _matches(text: str, words: Iterable[str]):
    """Return the (start, end, word) spans of ``words`` in ``text``, longest first."""
    spans = set()
    for word in words:
        start = text.find(word) if word else -1
        while start >= 0:
            spans.add((start, start + len(word), word))
            start = text.find(word, start + 1)
    return sorted(spans, key=lambda span: (span[0] - span[1], span[0]))


def _longest_spans(text: str, words: Iterable[str]) -> list[tuple[int, int, str]]:
    """Return the (start, end, word) of the words found in ``text``, in order.

    Where words overlap only the longest counts (the leftmost among equals).
    """
    taken = [False] * len(text)
    found = []
    for start, end, word in _matches(text, words):
        if not any(taken[start:end]):
            taken[start:end] = [True] * (end - start)
            found.append((start, end, word))
    return sorted(found)


def _word_scores(text: str, words, weight: float) -> dict[str, float]:
    """Return word -> weighted length times occurrences (at most MAX_OCCURRENCES)."""
    counts: dict[str, int] = {}
    for _start, _end, word in _longest_spans(text, words):
        counts[word] = counts.get(word, 0) + 1
    return {
        word: weight * len(word) * min(count, MAX_OCCURRENCES)
        for word, count in counts.items()
    }


def _split_heading(text: str) -> tuple[str, str]:
    lines = [line for line in text.split("\n") if line.strip()]
    if not lines:
        return "", ""
    return lines[0], "\n".join(lines[1:])


def suggest_category(
    title: str,
    text: str,
    keywords: dict[str, Iterable[str]] | None = None,
) -> list[tuple[str, float]]:
    """Rank the categories whose words appear in the title or the OCR text.

    Every word found scores its length (longer words are more specific) times
    TITLE_WEIGHT in the title, HEADING_WEIGHT on the text's first line and
    TEXT_WEIGHT elsewhere.  Where words overlap only the longest counts:
    干部任免审批表 scores for 9-2, not 任免 or 审批 inside it.  Return
    (category code, share of the total score) pairs, best first (the shares
    add up to 1), or [] when no word matches.
    """
    keywords = {
        code: tuple(normalize_text(word) for word in words)
        for code, words in (DEFAULT_KEYWORDS if keywords is None else keywords).items()
    }
    all_words = {word for words in keywords.values() for word in words}
    heading, body = _split_heading(normalize_text(text or ""))
    word_scores: dict[str, float] = {}
    for part, weight in (
        (normalize_text(title or ""), TITLE_WEIGHT),
        (heading, HEADING_WEIGHT),
        (body, TEXT_WEIGHT),
    ):
        for word, score in _word_scores(part, all_words, weight).items():
            word_scores[word] = word_scores.get(word, 0.0) + score
    scores = {
        code: sum(word_scores.get(word, 0.0) for word in set(words))
        for code, words in keywords.items()
    }
    total = sum(scores.values())
    if not total:
        return []
    ranked = [
        (code, round(score / total, 3)) for code, score in scores.items() if score
    ]
    return sorted(ranked, key=lambda item: (-item[1], _code_key(item[0])))


def _code_key(code: str):
    try:
        return (0, category_sort_key(code))
    except ValueError:
        return (1, code)


# ------------------------------------------------------------------ date


def _lines(text: str) -> list[str]:
    normalized = normalize_text(text or "").translate(_DASHES)
    return [line for line in normalized.split("\n") if line.strip()]


def _segments(line: str) -> list[tuple[str | None, int, str]]:
    """Split a line at its label and event words (longest words first).

    Return (word or None for the start of the line, position of the word,
    the text after it up to the next word) triples.
    """
    words = _longest_spans(line, _MARKERS)
    segments = [(None, 0, line[: words[0][0]] if words else line)]
    for index, (start, end, word) in enumerate(words):
        stop = words[index + 1][0] if index + 1 < len(words) else len(line)
        segments.append((word, start, line[end:stop]))
    return segments


def _is_event(line: str, word: str | None, start: int) -> bool:
    """Return True when ``word`` names an event (出生, or 日期 in 出生日期)."""
    if word in EVENT_WORDS:
        return True
    if word not in GENERIC_DATE_LABELS:
        return False
    before = line[max(0, start - EVENT_WINDOW) : start]
    return any(event in before for event in EVENT_WORDS)


def _labelled_dates(lines: list[str], labels) -> list[PartialDate]:
    """Return the first date after each of ``labels`` that is not an event's.

    The date is searched up to the next label or event word of the line, or
    at the start of the next line when the label ends its line.
    """
    found = []
    for index, line in enumerate(lines):
        segments = _segments(line)
        for position, (word, start, segment) in enumerate(segments):
            if word not in labels or _is_event(line, word, start):
                continue
            dates = find_dates(segment)
            ends_line = position == len(segments) - 1
            if not dates and ends_line and not segment.strip(_FILLER):
                if index + 1 < len(lines):
                    dates = find_dates(_segments(lines[index + 1])[0][2])
            if dates:
                found.append(dates[0])
    return found


def _unlabelled_dates(lines: list[str]) -> list[PartialDate]:
    """Return the dates known to the month or day that are not an event's.

    Résumé lines ("2003.09-2007.07 某某大学学习") are skipped.
    """
    found = []
    for line in lines:
        if _PERIOD_LINE_RE.match(line):
            continue
        for word, start, segment in _segments(line):
            if not _is_event(line, word, start):
                found.extend(d for d in find_dates(segment) if d.precision != "year")
    return found


def suggest_date(
    title: str, text: str, today: datetime.date | None = None
) -> PartialDate | None:
    """Propose the formation date (形成时间) of a material, or None.

    Dates after ``today`` (default: the current date) are ignored.  The first
    of these that finds a date wins, taking its last date (the bottom of a
    document is where it is dated and signed):

    1. a date after a formation label (填表日期, 签发日期, 批准日期 ...) on
       the same line, or on the next line when the label ends its line;
    2. a date after a generic label (日期, 时间, 签发, 盖章 ...) that is not
       the date of an event of the cadre's life (出生日期, 参加工作时间);
    3. a date known to the month or day in the text, outside the lines that
       name such an event and the résumé lines ("2003.09-2007.07 ...");
    4. a date in the title ("2019年度考核登记表" -> 2019).
    """
    if today is None:
        today = datetime.date.today()
    lines = _lines(text)
    for candidates in (
        lambda: _labelled_dates(lines, DATE_LABELS),
        lambda: _labelled_dates(lines, GENERIC_DATE_LABELS),
        lambda: _unlabelled_dates(lines),
        lambda: find_dates(normalize_text(title or "")),
    ):
        dates = [d for d in candidates() if not d.is_future(today)]
        if dates:
            return dates[-1]
    return None
