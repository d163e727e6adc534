"""The plain parts of the scale benchmark's generator (no Odoo, no database).

A city archive centre's shape, drawn from a seed so that the same seed gives
the same rows: a tree of units (``unit_tree``), cadres with names and posts
(``cadre``), 100 to 200 materials per dossier in the mix of the ten
categories that real dossiers have (``CATEGORY_MIX``, ``dossier_materials``),
and the OCR text of each material written from the real wording of its kind
of form (``material_text``): the words of the forms (年度考核, 任免审批表,
同志, 单位 ...) are then as common in the archive as they are in real
dossiers, and the names, dates and units are rare.

scripts/bench/scale.py turns these rows into database rows; tests/
test_bench_scale_corpus.py checks that they are reproducible and shaped as
said.
"""

import random
from dataclasses import dataclass

# --- units ------------------------------------------------------------------

TOP_UNITS = (
    "市委组织部",
    "市财政局",
    "市教育局",
    "市卫生健康委员会",
    "市交通运输局",
    "市自然资源局",
    "市人力资源和社会保障局",
    "市住房和城乡建设局",
)
MIDDLE_UNITS = ("办公室", "人事科", "规划科", "监督科", "综合科", "法规科")
BOTTOM_UNITS = ("一股", "二股", "三股", "四股", "五股", "六股", "七股")


@dataclass(frozen=True)
class Unit:
    """A unit of the tree: ``index`` in the list, ``parent`` the index of its
    parent (None at the top), ``level`` 1 to 3."""

    index: int
    name: str
    parent: int | None
    level: int


def unit_tree(branching=(4, 4, 5)):
    """Units in three levels, parents before children: with the default
    branching, 4 + 16 + 80 = 100 units. The names are unique."""
    if len(branching) != 3 or min(branching) < 1:
        raise ValueError("three levels, each of at least one unit")
    tops, middles, bottoms = branching
    if tops > len(TOP_UNITS) or middles > len(MIDDLE_UNITS):
        raise ValueError("more units than names")
    if bottoms > len(BOTTOM_UNITS):
        raise ValueError("more units than names")
    units = []
    for top in TOP_UNITS[:tops]:
        top_unit = Unit(len(units), top, None, 1)
        units.append(top_unit)
        for middle in MIDDLE_UNITS[:middles]:
            middle_unit = Unit(len(units), top + middle, top_unit.index, 2)
            units.append(middle_unit)
            for bottom in BOTTOM_UNITS[:bottoms]:
                units.append(
                    Unit(len(units), top + middle + bottom, middle_unit.index, 3)
                )
    return units


def subtree(units, index):
    """The indexes of ``index`` and of every unit below it."""
    found = {index}
    for unit in units:  # parents come before their children
        if unit.parent in found:
            found.add(unit.index)
    return found


# --- cadres -----------------------------------------------------------------

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"  # noqa: E501
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌辉鹏飞宇浩亮俊峰海波林春晓燕琳雪梅婷慧颖晨阳凯鑫云龙振东立新宏达永利世荣德才"  # noqa: E501
POSTS = (
    "科员",
    "副科长",
    "科长",
    "副主任",
    "主任",
    "副局长",
    "局长",
    "调研员",
    "副调研员",
    "主任科员",
)


@dataclass(frozen=True)
class Cadre:
    name: str
    birth_year: int
    unit: int
    post: str


def cadre(rng, units):
    """A cadre of a random unit of the lowest two levels."""
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
    lower = [u.index for u in units if u.level > 1]
    return Cadre(
        name=rng.choice(SURNAMES) + given,
        birth_year=rng.randint(1958, 1995),
        unit=rng.choice(lower),
        post=rng.choice(POSTS),
    )


# --- materials --------------------------------------------------------------

# share of each leaf category among a dossier's materials: annual assessments
# (3), salary (9-1) and appointments (9-2) make most of a long career's dossier
CATEGORY_MIX = {
    "1": 6,
    "2": 3,
    "3": 22,
    "4-1": 5,
    "4-2": 4,
    "4-3": 1,
    "4-4": 7,
    "5": 4,
    "6": 6,
    "7": 4,
    "8": 1,
    "9-1": 15,
    "9-2": 14,
    "9-3": 2,
    "9-4": 1,
    "10": 5,
}

TITLES = {
    "1": ("干部履历表", "干部履历表（补充）", "干部简历"),
    "2": ("自传", "思想汇报", "个人重大事项报告"),
    "3": ("{year}年度考核登记表", "{year}年度公务员考核登记表", "任职考察材料"),
    "4-1": ("学历证书", "学位证书", "学历学位认证材料"),
    "4-2": ("专业技术职务任职资格评审表", "职称证书"),
    "4-3": ("学术评鉴材料",),
    "4-4": ("{year}年党校培训结业证书", "干部教育培训登记表"),
    "5": ("政审材料", "干部人事档案专项审核认定表", "出生日期认定材料"),
    "6": ("入党志愿书", "入党申请书", "转正申请书", "入团志愿书"),
    "7": ("嘉奖审批表", "记功审批表", "优秀共产党员表彰材料"),
    "8": ("处分决定", "诫勉谈话材料"),
    "9-1": ("{year}年工资变动审批表", "工资套改审批表", "正常晋升薪级工资审批表"),
    "9-2": ("干部任免审批表", "任职通知", "试用期满考核任职审批表"),
    "9-3": ("因私出国（境）审批表",),
    "9-4": ("人大代表登记表", "党代表登记表"),
    "10": ("干部人事档案转递通知单", "其他可供组织参考的材料"),
}

# the words of each kind of form, as they are printed on it
PHRASES = {
    "1": (
        "姓名{name}，性别，民族汉族，{birth}年出生，籍贯",
        "参加工作时间{start}年，入党时间",
        "现任{unit}{post}",
        "学习及工作简历，奖惩情况，年度考核结果",
    ),
    "2": ("本人自传", "思想政治表现", "家庭主要成员及重要社会关系"),
    "3": (
        "{year}年度考核登记表",
        "年度考核等次：{grade}",
        "主管领导评语：该同志{year}年度工作认真负责",
        "单位：{unit}，职务：{post}，姓名：{name}",
        "考核委员会意见：同意确定为{grade}等次",
    ),
    "4-1": ("{name}同志于{year}年毕业，学制四年", "学历：大学本科，学位：学士"),
    "4-2": ("经评审委员会评审，{name}同志具备{post}任职资格", "专业技术职务"),
    "4-3": ("学术评鉴意见",),
    "4-4": ("{name}同志参加{year}年党校培训，成绩合格，准予结业", "培训学时"),
    "5": ("经审核认定，{name}同志出生日期为{birth}年", "政治审查结论"),
    "6": ("中国共产党入党志愿书", "{name}同志于{year}年加入中国共产党", "支部大会决议"),
    "7": ("经研究决定，给予{name}同志嘉奖", "{year}年度考核优秀，予以表彰"),
    "8": ("经研究决定，给予{name}同志处分", "违纪事实"),
    "9-1": (
        "{year}年工资变动审批表",
        "根据{year}年度考核结果，{name}同志晋升一级薪级工资",
        "单位：{unit}，原职务：{post}",
    ),
    "9-2": (
        "干部任免审批表",
        "经研究决定，任命{name}同志为{unit}{post}",
        "任免理由：工作需要，年度考核结果：{grade}",
        "呈报单位：{unit}，审批机关意见：同意",
    ),
    "9-3": ("因私出国（境）审批表", "{name}同志申请赴外探亲"),
    "9-4": ("{name}同志当选为{year}年人民代表大会代表",),
    "10": ("干部人事档案转递通知单", "{name}同志档案一份，请查收"),
}

# on every page of the forms most kept in a dossier: the common words
BOILERPLATE = (
    "干部人事档案",
    "单位：{unit}",
    "{name}同志",
    "任免审批表所列年度考核结果",
)
# the running text of appraisals, reviews and reports, a few sentences a page
SENTENCES = (
    "该同志政治立场坚定，认真学习贯彻党的路线方针政策",
    "工作认真负责，积极主动，较好地完成了各项工作任务",
    "能够严格遵守各项规章制度，廉洁自律",
    "团结同志，群众基础较好，组织协调能力较强",
    "在{year}年工作中成绩突出，受到单位表扬",
    "不足之处是工作方法有待改进，理论学习还需加强",
    "经组织考察，群众评议，民主推荐",
    "本人对以上材料无异议",
    "以上情况属实，特此证明",
    "经党组研究，同意上报",
)
GRADES = ("优秀", "称职", "称职", "称职", "基本称职")


@dataclass(frozen=True)
class Material:
    category: str
    sequence: int
    title: str
    year: int
    text: str


def category_weights():
    codes = sorted(CATEGORY_MIX)
    return codes, [CATEGORY_MIX[code] for code in codes]


def dossier_materials(rng, person, unit_name, low=100, high=200):
    """The materials of one cadre's dossier: ``low`` to ``high`` of them in
    the category mix, numbered 1, 2 ... within each category (顺序号)."""
    codes, weights = category_weights()
    count = rng.randint(low, high)
    drawn = rng.choices(codes, weights=weights, k=count)
    numbers = {}
    materials = []
    for code in drawn:
        numbers[code] = numbers.get(code, 0) + 1
        year = rng.randint(person.birth_year + 22, 2025)
        words = {
            "name": person.name,
            "birth": person.birth_year,
            "start": person.birth_year + 22,
            "year": year,
            "unit": unit_name,
            "post": person.post,
            "grade": rng.choice(GRADES),
        }
        title = rng.choice(TITLES[code]).format(**words)
        materials.append(
            Material(code, numbers[code], title, year, material_text(rng, code, words))
        )
    return materials


def material_text(rng, code, words):
    """About 100 to 400 characters of a form of ``code``'s kind: its phrases
    in some order, some of the common boilerplate, the dates."""
    phrases = list(PHRASES[code])
    rng.shuffle(phrases)
    parts = [p.format(**words) for p in phrases]
    parts += [b.format(**words) for b in BOILERPLATE if rng.random() < 0.6]
    parts += [s.format(**words) for s in rng.sample(SENTENCES, rng.randint(2, 7))]
    parts.append(f"{words['year']}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日")
    return "，".join(parts) + "。"


def seeded(seed, *keys):
    """A generator of its own for each (seed, keys): a dossier's rows do not
    depend on how many dossiers were made before it."""
    return random.Random("-".join(str(k) for k in (seed, *keys)))
