"""Full-text search benchmark: run inside `odoo shell` (see scripts/bench/run).

Generates BENCH_ROWS materials (default 1,000,000) with about 1 KB of Chinese
text each in the given database, then times a 3-character Chinese substring
search as an archive officer (record rules applied) through the ORM, with the
trigram index and without it (dropped for the second round, then recreated),
in the same run. Prints p50/p95 latencies and their ratio. Nothing is asserted.
"""

import os
import random
import statistics
import time

ROWS = int(os.environ.get("BENCH_ROWS", "1000000"))
QUERIES = int(os.environ.get("BENCH_QUERIES", "30"))
BATCH = 50_000
WORDS = (
    "干部 履历 考核 任免 审批 学历 学位 职称 培训 政审 入党 表彰 奖励 处分 工资 "
    "出国 代表 组织 单位 同志 经研究 决定 任命 免去 职务 年度 优秀 称职 党校 "
    "财政局 教育局 办公室 副局长 科长 主任 工作 学习 情况 鉴定 意见 签发 日期"
).split()
rng = random.Random(20261125)


# the 3,000 most frequent CJK ideographs stand in for real text: a random
# 3-character substring of one material is then about as selective as in real
# OCR text (a few hits among a million), unlike a small repeated vocabulary
CHARACTERS = [chr(code) for code in range(0x4E00, 0x4E00 + 3000)]


def text_1kb():
    parts = []
    size = 0
    while size < 1024:
        if rng.random() < 0.2:
            word = rng.choice(WORDS)
        else:
            word = "".join(rng.choices(CHARACTERS, k=rng.randint(2, 8)))
        parts.append(word)
        size += len(word.encode())
    return "，".join(parts)


def setup(env):
    cr = env.cr
    cr.execute("SELECT count(*) FROM cadre_archive_material")
    existing = cr.fetchone()[0]
    if existing >= ROWS:
        print(f"reusing {existing} materials")
        return
    unit = env["hr.department"].create({"name": "Bench Unit"})
    employee = env["hr.employee"].create(
        {"name": "Bench Cadre", "department_id": unit.id}
    )
    dossier = env["cadre.archive.dossier"].create({"employee_id": employee.id})
    category = env.ref("cadre_archive.category_1")
    env.flush_all()
    cr.execute(
        "SELECT indexname, indexdef FROM pg_indexes"
        " WHERE tablename = 'cadre_archive_material'"
        " AND indexdef LIKE '%%gin_trgm_ops%%'"
    )
    trigram_indexes = cr.fetchall()
    for name, _definition in trigram_indexes:
        cr.execute(f'DROP INDEX "{name}"')
    print(f"generating {ROWS - existing} materials of ~1 KB ...", flush=True)
    start = time.perf_counter()
    number = existing
    while number < ROWS:
        rows = []
        for _ in range(min(BATCH, ROWS - number)):
            number += 1
            rows.append(
                (
                    dossier.id,
                    category.id,
                    category.sequence,
                    number,
                    f"1-{number}",
                    f"材料 {number}",
                    text_1kb(),
                    dossier.department_id.id,
                    dossier.company_id.id,
                )
            )
        args = ",".join(
            cr.mogrify(
                "(%s,%s,%s,%s,%s,%s,%s,%s,%s,'filed','day',1,now(),now(),1,1)", row
            ).decode()
            for row in rows
        )
        cr.execute(
            "INSERT INTO cadre_archive_material (dossier_id, category_id,"
            " category_sequence, sequence_number, code, name, ocr_text,"
            " department_id, company_id, state, date_precision, page_count,"
            " create_date, write_date, create_uid, write_uid)"
            " VALUES " + args
        )
        cr.commit()
        print(f"  {number} rows, {time.perf_counter() - start:.0f} s", flush=True)
    print("rebuilding the trigram indexes ...", flush=True)
    cr.execute("SET maintenance_work_mem = '1GB'")
    for _name, definition in trigram_indexes:
        cr.execute(definition)
    cr.execute("ANALYZE cadre_archive_material")
    cr.commit()
    print(f"  done, {time.perf_counter() - start:.0f} s", flush=True)
    return unit


def officer(env):
    unit = env["hr.department"].search([("name", "=", "Bench Unit")], limit=1)
    user = env["res.users"].search([("login", "=", "bench_officer")], limit=1)
    if not user:
        user = env["res.users"].create(
            {
                "name": "Bench Officer",
                "login": "bench_officer",
                "group_ids": [(6, 0, env.ref("cadre_archive.group_officer").ids)],
                "archive_department_ids": [(6, 0, unit.ids)],
            }
        )
        env.cr.commit()
    return user


def time_searches(env, user, terms):
    materials = env["cadre.archive.material"].with_user(user)
    latencies = []
    for term in terms:
        env.invalidate_all()
        start = time.perf_counter()
        materials.search(
            ["|", ("name", "ilike", term), ("ocr_text", "ilike", term)], limit=80
        )
        latencies.append((time.perf_counter() - start) * 1000)
    latencies.sort()
    p50 = statistics.median(latencies)
    p95 = latencies[max(0, round(len(latencies) * 0.95) - 1)]
    return p50, p95


def sample_terms(env):
    """3-character substrings of the text of random materials: each term is
    found at least once, as a searched phrase is in practice."""
    env.cr.execute(
        "SELECT ocr_text FROM cadre_archive_material TABLESAMPLE SYSTEM (1)"
        " WHERE ocr_text IS NOT NULL LIMIT %s",
        [QUERIES],
    )
    terms = []
    for (text,) in env.cr.fetchall():
        chunks = [c for c in text.split("，") if len(c) >= 3]
        chunk = rng.choice(chunks)
        start = rng.randrange(len(chunk) - 2)
        terms.append(chunk[start : start + 3])
    return terms


def main(env):
    setup(env)
    user = officer(env)
    terms = sample_terms(env)
    with_index = time_searches(env, user, terms)
    env.cr.execute(
        "SELECT indexname, indexdef FROM pg_indexes"
        " WHERE tablename = 'cadre_archive_material'"
        " AND indexdef LIKE '%%gin_trgm_ops%%'"
    )
    indexes = env.cr.fetchall()
    for name, _definition in indexes:
        env.cr.execute(f'DROP INDEX "{name}"')
    without_index = time_searches(env, user, terms)
    env.cr.rollback()  # brings the dropped indexes back
    print(
        f"rows: {ROWS}, queries: {len(terms)} 3-character terms, "
        "user: officer (rules on)"
    )
    print(
        f"with trigram index:    p50 {with_index[0]:8.1f} ms   "
        f"p95 {with_index[1]:8.1f} ms"
    )
    print(
        f"without trigram index: p50 {without_index[0]:8.1f} ms   "
        f"p95 {without_index[1]:8.1f} ms"
    )
    print(f"speed-up at p95: {without_index[1] / with_index[1]:.1f}x")


main(env)  # noqa: F821 - provided by odoo shell
