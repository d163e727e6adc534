"""The grid of cadres (网格式分析): bands of age, years of service and years
of party membership, the ranking of education levels, and the annual
assessment result (年度考核等次) read from a material.

Each rule has one home here. The Odoo layer computes the grid in a SQL view
(the bands depend on today, so nothing is stored): the ``sql_*`` functions
below turn the same constants into SQL ``CASE`` expressions, as a text with
``%s`` placeholders and its parameters, never with the values pasted in.
Keys only: the labels are the Odoo layer's (translated) selection labels.
"""

import re

# (key, highest value of the band, inclusive; None for the last, open band)
AGE_BANDS = (
    ("35_under", 35),
    ("36_40", 40),
    ("41_45", 45),
    ("46_50", 50),
    ("51_55", 55),
    ("56_over", None),
)
# years of service (工龄, from the work start of record) and of party
# membership (党龄), in full years
SERVICE_BANDS = (
    ("under_5", 4),
    ("5_9", 9),
    ("10_19", 19),
    ("20_29", 29),
    ("30_over", None),
)
PARTY_BANDS = SERVICE_BANDS

# education levels, highest first: (key, rank, words of the level as
# written on the materials). The first level whose word is in the text wins,
# so 大学专科 is a 大专 and not a 大学 (专科 is looked for before 大学).
EDUCATION_LEVELS = (
    ("postgraduate", 5, ("研究生", "博士", "硕士")),
    ("college", 3, ("专科", "大专", "高职")),
    ("university", 4, ("本科", "大学")),
    ("secondary", 2, ("中专", "中等专业", "中技")),
    ("high_school", 1, ("高中", "职高", "技校", "初中", "小学")),
)
EDUCATION_KEYS = tuple(
    key for key, _rank, _words in sorted(EDUCATION_LEVELS, key=lambda e: -e[1])
)
# hr.employee's certificate level, where no education is of record;
# "graduate" and "other" say nothing certain of the Chinese level
CERTIFICATE_EDUCATION = {
    "doctor": "postgraduate",
    "master": "postgraduate",
    "bachelor": "university",
}

# annual assessment results (年度考核等次), the longer words first: 不称职
# and 基本称职 contain 称职, 不合格 and 基本合格 contain 合格
ASSESSMENT_RESULTS = (
    ("incompetent", "不称职"),
    ("basically_competent", "基本称职"),
    ("unqualified", "不合格"),
    ("basically_qualified", "基本合格"),
    ("excellent", "优秀"),
    ("competent", "称职"),
    ("qualified", "合格"),
)
# in the OCR text of a form, where every result may be printed as a box to
# tick, only the result written after 等次 or 结果 counts
_RESULT_WORDS = "|".join(word for _key, word in ASSESSMENT_RESULTS)
RESULT_IN_TEXT = f"(?:等次|结果)[ \t:：]*({_RESULT_WORDS})"
_RESULT_RE = re.compile(RESULT_IN_TEXT)

# the categories whose filed materials make the 德能勤绩廉 record
CONDUCT_KINDS = (
    ("assessment", ("3",)),
    ("training", ("4-4",)),
    ("award", ("7",)),
    ("sanction", ("8",)),
)


# ------------------------------------------------------------ computations


def full_years(start, today):
    """Full years from ``start`` to ``today`` (an age on the birthday itself
    counts the new year; born on 29 February, on 1 March of other years);
    None when ``start`` is unknown."""
    if not start:
        return None
    before_anniversary = (today.month, today.day) < (start.month, start.day)
    return today.year - start.year - before_anniversary


def band(value, bands):
    """The key of the band of ``value`` (None when unknown)."""
    if value is None:
        return None
    for key, highest in bands:
        if highest is None or value <= highest:
            return key
    raise AssertionError("the last band is open")


def education_key(level):
    """The education key of a level as written (None when not recognised)."""
    for key, _rank, words in EDUCATION_LEVELS:
        if level and any(word in level for word in words):
            return key
    return None


def highest_education(levels):
    """The highest education key among the levels written (None if none)."""
    ranks = {key: rank for key, rank, _words in EDUCATION_LEVELS}
    keys = [key for key in map(education_key, levels) if key]
    return max(keys, key=ranks.__getitem__) if keys else None


def assessment_result(title, text=None):
    """The result of an annual assessment material: in its title first
    (2023年度考核登记表（优秀）), else after 等次/结果 in its OCR text."""
    for key, word in ASSESSMENT_RESULTS:
        if title and word in title:
            return key
    match = _RESULT_RE.search(text or "")
    if match:
        return dict((word, key) for key, word in ASSESSMENT_RESULTS)[match.group(1)]
    return None


def conduct_kind(category_code):
    """The kind of 德能勤绩廉 entry of a category code (None: not one)."""
    for kind, codes in CONDUCT_KINDS:
        if category_code in codes:
            return kind
    return None


def grid_row(facts, hr, today):
    """The grid's values of one cadre, as the SQL view computes them: each
    from ``facts`` (the facts of record) where recorded, else from ``hr``.
    Both are dicts with birth_date, work_start_date, party_date, education
    (facts: levels written; hr: a certificate), post, rank, category. Used
    to state the rule and to test it; the SQL view is its twin."""
    values, sources = {}, set()

    def pick(name, fact, fallback):
        if fact:
            sources.add("facts")
            values[name] = fact
        elif fallback:
            sources.add("hr")
            values[name] = fallback
        else:
            values[name] = None

    pick("birth_date", facts.get("birth_date"), hr.get("birth_date"))
    pick("work_start_date", facts.get("work_start_date"), hr.get("work_start_date"))
    pick("party_date", facts.get("party_date"), None)
    pick(
        "education",
        highest_education(facts.get("education") or ()),
        CERTIFICATE_EDUCATION.get(hr.get("education")),
    )
    for name in ("post", "rank", "category"):
        pick(name, facts.get(name), hr.get(name))
    age = full_years(values["birth_date"], today)
    service = full_years(values["work_start_date"], today)
    party = full_years(values["party_date"], today)
    return {
        "age": age,
        "age_band": band(age, AGE_BANDS),
        "service_years": service,
        "service_band": band(service, SERVICE_BANDS),
        "party_years": party,
        "party_band": band(party, PARTY_BANDS),
        "education": values["education"],
        "post": values["post"],
        "rank": values["rank"],
        "category": values["category"],
        "source": source_of(sources),
    }


def source_of(sources):
    """facts, hr or mixed: where the values of a row came from."""
    if sources == {"facts"}:
        return "facts"
    if sources == {"hr"}:
        return "hr"
    return "mixed" if sources else None


# ------------------------------------------------------------------- SQL


def sql_band(expr, bands):
    """SQL CASE giving the band key of the integer SQL expression ``expr``:
    (text, params); ``expr`` is the caller's own SQL, never user input."""
    parts, params = [f"CASE WHEN ({expr}) IS NULL THEN NULL"], []
    for key, highest in bands:
        if highest is None:
            parts.append("ELSE %s")
            params.append(key)
        else:
            parts.append(f"WHEN ({expr}) <= %s THEN %s")
            params.extend((highest, key))
    parts.append("END")
    return " ".join(parts), params


def sql_education_rank(expr):
    """SQL CASE giving the rank of the education level text ``expr``."""
    parts, params = ["CASE"], []
    for _key, rank, words in EDUCATION_LEVELS:
        parts.append(
            "WHEN "
            + " OR ".join(f"strpos({expr}, %s) > 0" for _w in words)
            + " THEN %s"
        )
        params.extend((*words, rank))
    parts.append("END")
    return " ".join(parts), params


def sql_education_key(rank_expr):
    """SQL CASE giving the education key of the rank ``rank_expr``."""
    parts, params = [f"CASE ({rank_expr})"], []
    for key, rank, _words in EDUCATION_LEVELS:
        parts.append("WHEN %s THEN %s")
        params.extend((rank, key))
    parts.append("END")
    return " ".join(parts), params


def sql_certificate_education(expr):
    """SQL CASE giving the education key of hr.employee's certificate."""
    parts, params = [f"CASE ({expr})"], []
    for certificate, key in CERTIFICATE_EDUCATION.items():
        parts.append("WHEN %s THEN %s")
        params.extend((certificate, key))
    parts.append("END")
    return " ".join(parts), params


def sql_assessment_result(title_expr, text_expr):
    """SQL CASE giving the assessment result of a material, as
    ``assessment_result`` does: the title first, then the OCR text."""
    parts, params = ["CASE"], []
    for key, word in ASSESSMENT_RESULTS:
        parts.append(f"WHEN strpos({title_expr}, %s) > 0 THEN %s")
        params.extend((word, key))
    found = f"substring({text_expr} from %s)"
    for key, word in ASSESSMENT_RESULTS:
        parts.append(f"WHEN {found} = %s THEN %s")
        params.extend((RESULT_IN_TEXT, word, key))
    parts.append("END")
    return " ".join(parts), params


def sql_conduct_kind(code_expr):
    """SQL CASE giving the kind of entry of the category code ``code_expr``."""
    parts, params = [f"CASE ({code_expr})"], []
    for kind, codes in CONDUCT_KINDS:
        for code in codes:
            parts.append("WHEN %s THEN %s")
            params.extend((code, kind))
    parts.append("END")
    return " ".join(parts), params


def conduct_codes():
    """Every category code that makes entries."""
    return tuple(code for _kind, codes in CONDUCT_KINDS for code in codes)
